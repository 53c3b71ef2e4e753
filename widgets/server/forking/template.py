"""The template process: import once, then fork one kernel per request.

Run by the provisioner as ``python template.py <socket fd> <preload json> <blocked json> <room>``
(standard library only, so running it imports nothing but what it is asked to preload).

The protocol is one JSON object per message over a ``SOCK_SEQPACKET`` unix socket:

* the template's first message: ``{"ready": true, "pid": ..., "failed": [...], "unsafe": ...}``;
* ``{"op": "fork", "argv", "env", "cwd", "stdio": [out, err]}`` -> ``{"pid": ...}`` with the
  child's pidfd attached (``SCM_RIGHTS``), or ``{"error": ...}``. ``stdio`` entries are
  ``null`` (inherit the template's), ``"devnull"``, or the index of a file descriptor sent
  with the request;
* ``{"op": "code", "pid": ...}`` -> ``{"code": <exit code or null>}``;
* ``{"op": "children"}`` -> ``{"children": <how many of its kernels are running>}``;
* ``{"op": "prepare", "notebook", "cwd"}`` with one socket attached -> ``{"pid": ...}`` and
  a pidfd, as for a fork. The child is a *prepared template*: it runs the notebook's code
  cells once (``prepare``), then answers on the attached socket exactly as this template
  does, starting with its own ``ready`` message (``"prepared"``: the number of cells run,
  ``"generation"``: a token naming this run, ``"comms"``: the ids of the comms its cells
  left open, or ``"error"``). Each kernel it forks holds
  the page already made, and shows it again when asked to run those cells (``replay``).

An empty read (the application closed its end, or died) makes the template kill every
kernel it forked and exit.
"""

from __future__ import annotations

import ast
import asyncio
import atexit
import builtins
import contextlib
import gc
import importlib
import io
import json
import os
import runpy
import select
import signal
import socket
import sys
import threading
import tokenize
import traceback
import types

MAX_MESSAGE = 1 << 20  # bytes: one request (argv, environment, working directory)
MAX_FDS = 2  # stdout and stderr
PREPARED_MODULE = "_forking_prepared"  # where a prepared template's kernels find the page
REPLAY = "__forking_replay__"  # the name a replayed cell calls in the kernel's namespace


def send(sock: socket.socket, message: dict, fds: tuple[int, ...] | list[int] = ()) -> None:
    data = json.dumps(message).encode()
    if fds:
        socket.send_fds(sock, [data], list(fds))
    else:
        sock.send(data)


def unsafe_to_fork() -> str | None:
    """Why a fork would be unsafe now (a thread, an event loop, a zmq context), or None."""
    if threading.active_count() != 1:
        return f"{threading.active_count()} threads are running"
    with contextlib.suppress(RuntimeError):
        asyncio.get_running_loop()
        return "an asyncio event loop is running"
    zmq = sys.modules.get("zmq")
    if zmq is not None and getattr(zmq.Context, "_instance", None) is not None:
        return "a zmq context exists"
    return None


def _set_parent_death_signal(signum: int) -> None:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(1, signum, 0, 0, 0) != 0:  # 1 = PR_SET_PDEATHSIG
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")


def show_command_line(argv: list[str]) -> None:
    """Make ``/proc/<pid>/cmdline`` (what ``ps`` and monitoring tools read) show ``argv``.

    A forked kernel would otherwise show the template's command. Linux reads the command
    line from the memory where the original arguments are, so the child writes its own
    there (as the setproctitle package does); the template's last argument is blank room
    for it. Best effort: a command longer than the room is cut short.
    """
    with open("/proc/self/stat", "rb") as stat:
        fields = stat.read().rsplit(b")", 1)[1].split()
    start, end = int(fields[45]), int(fields[46])  # arg_start, arg_end (fields 48, 49)
    text = b"\0".join(arg.encode() for arg in argv)[: end - start - 1]
    with open("/proc/self/mem", "r+b", buffering=0) as memory:
        memory.seek(start)
        memory.write(text.ljust(end - start, b"\0"))


class Template:
    """The loop: fork on request, reap children, report their exit codes."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.children: set[int] = set()
        self.codes: dict[int, int] = {}
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_w, False)

    def serve(self) -> None:
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.signal(signal.SIGTERM, lambda *_: self.stop())
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the application decides
        poller = select.poll()  # not select(): no limit on descriptor numbers
        poller.register(self.sock, select.POLLIN)
        poller.register(self.wake_r, select.POLLIN)
        while True:
            ready = {fd for fd, _ in poller.poll()}
            if self.wake_r in ready:
                os.read(self.wake_r, 4096)
                self.reap()
            if self.sock.fileno() in ready:
                data, fds, _, _ = socket.recv_fds(self.sock, MAX_MESSAGE, MAX_FDS)
                if not data:  # the application closed its end: it exited or was killed
                    self.stop()
                try:
                    self.handle(json.loads(data), fds)
                finally:
                    for fd in fds:
                        os.close(fd)

    def _record(self, pid: int, status: int) -> None:
        self.children.discard(pid)
        self.codes[pid] = os.waitstatus_to_exitcode(status)
        if len(self.codes) > 10_000:
            self.codes.pop(next(iter(self.codes)))

    def reap(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self._record(pid, status)

    def handle(self, request: dict, fds: list[int]) -> None:
        if request.get("op") == "children":
            self.reap()
            send(self.sock, {"children": len(self.children)})
            return
        if request.get("op") == "code":
            pid = int(request["pid"])
            if pid in self.children:
                with contextlib.suppress(ChildProcessError):
                    done, status = os.waitpid(pid, os.WNOHANG)
                    if done:
                        self._record(pid, status)
            send(self.sock, {"code": self.codes.get(pid)})
            return
        problem = unsafe_to_fork()
        if problem:
            send(self.sock, {"error": f"the template cannot fork safely: {problem}"})
            return
        prepare_one = request.get("op") == "prepare"
        if prepare_one and len(fds) != 1:
            send(self.sock, {"error": "a prepared template needs one socket"})
            return
        pid = os.fork()
        if pid == 0:
            if prepare_one:
                self.become_prepared(request, fds[0])  # never returns
            self.become_kernel(request, fds)  # never returns
        self.children.add(pid)
        pidfd = os.pidfd_open(pid)
        try:
            send(self.sock, {"pid": pid}, (pidfd,))
        finally:
            os.close(pidfd)

    def become_kernel(self, request: dict, fds: list[int]) -> None:
        """In the child: become what ``python <argv[1:]>`` would have started."""
        code = 1
        try:
            os.setsid()  # a session of its own, as LocalProvisioner gives a kernel
            self._leave()
            for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
                signal.signal(signum, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            null = os.open(os.devnull, os.O_RDWR)
            os.dup2(null, 0)
            for target, given in zip((1, 2), request["stdio"], strict=True):
                if given == "devnull":
                    os.dup2(null, target)
                elif isinstance(given, int):
                    os.dup2(fds[given], target)
            for fd in (null, *fds):
                os.close(fd)
            os.chdir(request["cwd"])
            os.environ.clear()
            os.environ.update(request["env"])
            argv = request["argv"]
            with contextlib.suppress(OSError, ValueError, IndexError):
                show_command_line(argv)
            if argv[1] == "-m":
                sys.argv = [argv[2], *argv[3:]]
                sys.path[0] = os.getcwd()
                runpy.run_module(argv[2], run_name="__main__", alter_sys=True)
            else:
                script = os.path.abspath(argv[1])
                sys.argv = [script, *argv[2:]]
                sys.path[0] = os.path.dirname(script)
                runpy.run_path(script, run_name="__main__")
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            with contextlib.suppress(BaseException):
                atexit._run_exitfuncs()
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(BaseException):
                    stream.flush()
            os._exit(code)

    def _leave(self) -> None:
        """In a child: let go of what belongs to this template (its socket, its wake-up
        pipe), and die with it."""
        template = os.getppid()
        _set_parent_death_signal(signal.SIGKILL)
        if os.getppid() != template:  # the template died before the line above
            os._exit(1)
        signal.set_wakeup_fd(-1)
        for signum in (signal.SIGCHLD, signal.SIGTERM):  # the template's own handlers
            signal.signal(signum, signal.SIG_DFL)
        self.sock.close()
        os.close(self.wake_r)
        os.close(self.wake_w)

    def become_prepared(self, request: dict, fd: int) -> None:
        """In the child: run the notebook's cells once, then fork kernels holding them."""
        try:
            self._leave()
            sock = socket.socket(fileno=os.dup(fd))
            os.close(fd)
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            os.close(null)
            os.chdir(request["cwd"])
            sys.path[0] = os.getcwd()
            try:
                ready = {"ready": True, "pid": os.getpid(), **prepare(request["notebook"])}
            except Exception as err:  # noqa: BLE001 - told to the application, which spawns as before
                ready = {"ready": True, "pid": os.getpid(), "error": f"{type(err).__name__}: {err}"}
            gc.collect()
            gc.freeze()
            ready["unsafe"] = unsafe_to_fork()
            send(sock, ready)
            if "error" not in ready and not ready["unsafe"]:
                Template(sock).serve()  # never returns
        except BaseException:
            traceback.print_exc()
        os._exit(1)

    def stop(self) -> None:
        for pid in self.children:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        os._exit(0)


NO_KERNEL_YET = object()  # a prepared cell's comm's kernel, while the cells run


class PreparedCell:
    """One code cell as run in a prepared template: what it showed (the value of its last
    expression, as IPython's display hook would show it), what it printed, and the comm
    messages it would have sent had a kernel been running (``(comm, type, data, metadata,
    buffers, keys)``, in order: a widget's opening and its updates)."""

    def __init__(self, source: str, value: object, printed: str, messages: list) -> None:
        self.source, self.value, self.printed, self.messages = source, value, printed, messages


def run_cell(source: str, namespace: dict) -> object:
    """Run a cell as IPython would by default: every statement, and the value of the last
    one if it is an expression (``None`` if the cell ends in ``;``, which hides it)."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), namespace)  # noqa: S102 - the notebook's own code
    if last is None:
        return None
    value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)  # noqa: S307
    return None if ends_quietly(source) else value


def ends_quietly(source: str) -> bool:
    """Whether a cell's last token, comments left out, is ``;`` (IPython then shows nothing)."""
    last = None
    skip = {
        tokenize.COMMENT,
        tokenize.NL,
        tokenize.NEWLINE,
        tokenize.ENDMARKER,
        tokenize.INDENT,
        tokenize.DEDENT,
    }
    with contextlib.suppress(tokenize.TokenError, SyntaxError):
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type not in skip:
                last = token
    return last is not None and last.type == tokenize.OP and last.string == ";"


def runs(cell: dict) -> bool:
    """Whether Jupyter's notebook runner (nbclient, which Voila uses) sends this cell to
    the kernel: a code cell that is not empty and not tagged ``skip-execution``."""
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else source
    tags = (cell.get("metadata") or {}).get("tags") or []
    return cell.get("cell_type") == "code" and bool(source.strip()) and "skip-execution" not in tags


@contextlib.contextmanager
def recording_comms(messages: list):
    """While inside, what any comm would publish is appended to the last list in
    ``messages`` (the caller appends a new list for each cell). No kernel runs in a
    template, so nothing is sent; the comm classes' own ``publish_msg`` is put back on
    the way out."""
    import comm.base_comm

    classes = [comm.base_comm.BaseComm]
    kernel_comm = sys.modules.get("ipykernel.comm.comm")
    if kernel_comm is not None:
        classes.append(kernel_comm.BaseComm)
    saved = [(cls, cls.__dict__["publish_msg"]) for cls in classes if "publish_msg" in cls.__dict__]

    made = []

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        messages[-1].append((self, msg_type, data, metadata, buffers, keys))
        # ipywidgets sends a widget's later changes only through a comm that has a
        # kernel: this one stands in, so that they are kept too.
        if getattr(self, "kernel", False) is None:
            self.kernel = NO_KERNEL_YET
            made.append(self)

    for cls, _ in saved:
        cls.publish_msg = publish_msg
    try:
        yield
    finally:
        for cls, original in saved:
            cls.publish_msg = original
        for comm in made:
            if comm.kernel is NO_KERNEL_YET:
                comm.kernel = None


def prepare(notebook: str) -> dict:
    """Run a notebook's code cells once, here, before any kernel: the prepared template's
    kernels will hold what they made (``replay``). Raises what a cell raised."""
    with open(notebook, encoding="utf-8") as file:
        cells = json.load(file)["cells"]
    sources = [
        "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for cell in cells
        if runs(cell)
    ]
    namespace: dict = {"__name__": "__main__", "__builtins__": builtins}
    prepared: list[PreparedCell] = []
    per_cell: list[list] = [[]]
    with recording_comms(per_cell):
        for source in sources:
            per_cell.append([])
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                value = run_cell(source, namespace)
            prepared.append(PreparedCell(source, value, printed.getvalue(), per_cell[-1]))
    module = types.ModuleType(PREPARED_MODULE, "A page run once in a prepared template.")
    module.cells = prepared  # type: ignore[attr-defined]
    module.namespace = namespace  # type: ignore[attr-defined]
    module.replay = replay  # type: ignore[attr-defined]
    module.install = install  # type: ignore[attr-defined]
    sys.modules[PREPARED_MODULE] = module
    open_comms: dict[str, None] = {}  # (in the order they were opened)
    for cell in prepared:
        for comm, msg_type, *_ in cell.messages:
            if msg_type == "comm_open":
                open_comms[comm.comm_id] = None
            elif msg_type == "comm_close":
                open_comms.pop(comm.comm_id, None)
    return {"prepared": len(prepared), "generation": os.urandom(8).hex(), "comms": list(open_comms)}


def replay(index: int) -> object:
    """In a kernel forked from a prepared template, show cell ``index`` again: send the
    comm messages it made (the kernel runs now), print what it printed, and return its
    value for the kernel's display hook to show."""
    cell = sys.modules[PREPARED_MODULE].cells[index]
    for comm, msg_type, data, metadata, buffers, keys in cell.messages:
        comm.publish_msg(msg_type, data=data, metadata=metadata, buffers=buffers, **keys)
    if cell.printed:
        sys.stdout.write(cell.printed)
    return cell.value


def install(shell) -> None:
    """Make an IPython shell replay the prepared cells when asked to run them, in order.

    Its namespace gets the cells' names (so a later cell sees what an earlier one made).
    A cell whose source is the next prepared one's is turned into a call to ``replay``;
    anything else runs as usual (Voila runs a line of its own before the page's cells)."""
    prepared = sys.modules[PREPARED_MODULE]
    # The cells' comms were made with no kernel, and a comm's ``kernel`` is only filled
    # when it first sends; ipywidgets sends a widget's changes only through a comm that
    # has one. This kernel is theirs now.
    kernel = getattr(shell, "kernel", None)
    for cell in prepared.cells:
        for comm, *_ in cell.messages:
            if getattr(comm, "kernel", False) is None and kernel is not None:
                comm.kernel = kernel
    shell.user_ns.update({k: v for k, v in prepared.namespace.items() if not k.startswith("__")})
    shell.user_ns[REPLAY] = replay
    original = shell.transform_cell
    position = [0]  # the next cell to replay
    last: list = [None, None]  # the cell being run now, and the answer for it

    def transform_cell(raw_cell: str) -> str:
        # Asked twice for each cell run (by ipykernel, then by IPython): the same answer.
        if raw_cell == last[0]:
            return last[1]
        index = position[0]
        if index < len(prepared.cells) and raw_cell.strip() == prepared.cells[index].source.strip():
            position[0] = index + 1
            last[:] = [raw_cell, f"{REPLAY}({index})\n"]
            return last[1]
        last[:] = [raw_cell, original(raw_cell)]
        return last[1]

    shell.transform_cell = transform_cell
    # Forgotten once the cell has run: the next cell may have the same text.
    shell.events.register("post_run_cell", lambda *_: last.__setitem__(slice(None), [None, None]))


def load(preload: list[str]) -> list[str]:
    """Import each ``module`` of the preload list; for ``module:function``, import the
    module and call the function (to fill caches that an import leaves empty, e.g. a
    pattern compiled on first use). What fails is returned, not raised: a module not
    preloaded costs speed, not correctness."""
    failed = []
    for name in preload:
        module_name, _, function = name.partition(":")
        try:
            module = importlib.import_module(module_name)
            if function:
                getattr(module, function)()
        except Exception as err:
            failed.append(f"{name}: {type(err).__name__}: {err}")
    return failed


def main(fd: int, preload: list[str], blocked: list[str]) -> None:
    sock = socket.socket(fileno=fd)
    # What a kernel's interpreter started from here would have at sys.path[0]; each
    # kernel sets its own. (Run as a script, it would be this file's folder.)
    sys.path[0] = os.getcwd()
    # ipykernel reads its parent's pid from here at import time: the template is the parent.
    os.environ["JPY_PARENT_PID"] = str(os.getpid())
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]
    failed = load(preload)
    gc.collect()
    gc.freeze()  # keep the collector from writing to (and so copying) the shared pages
    send(sock, {"ready": True, "pid": os.getpid(), "failed": failed, "unsafe": unsafe_to_fork()})
    Template(sock).serve()


if __name__ == "__main__":
    main(int(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3]))
