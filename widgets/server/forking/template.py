"""The template process: import once, then fork one kernel per request.

Run by the provisioner as ``python template.py <socket fd> <preload json> <blocked json> <room>``
(standard library only, so running it imports nothing but what it is asked to preload).

The protocol is one JSON object per message over a ``SOCK_SEQPACKET`` unix socket:

* the template's first message: ``{"ready": true, "pid": ..., "failed": [...], "unsafe": ...}``;
* ``{"op": "fork", "argv", "env", "cwd", "stdio": [out, err]}`` -> ``{"pid": ...}`` with the
  child's pidfd attached (``SCM_RIGHTS``), or ``{"error": ...}``. ``stdio`` entries are
  ``null`` (inherit the template's), ``"devnull"``, or the index of a file descriptor sent
  with the request;
* ``{"op": "code", "pid": ...}`` -> ``{"code": <exit code or null>}``.

An empty read (the application closed its end, or died) makes the template kill every
kernel it forked and exit.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import gc
import importlib
import json
import os
import runpy
import select
import signal
import socket
import sys
import threading
import traceback

MAX_MESSAGE = 1 << 20  # bytes: one request (argv, environment, working directory)
MAX_FDS = 2  # stdout and stderr


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
        pid = os.fork()
        if pid == 0:
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
            template = os.getppid()
            os.setsid()  # a session of its own, as LocalProvisioner gives a kernel
            _set_parent_death_signal(signal.SIGKILL)
            if os.getppid() != template:  # the template died before the line above
                os._exit(1)
            signal.set_wakeup_fd(-1)
            for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
                signal.signal(signum, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            self.sock.close()
            os.close(self.wake_r)
            os.close(self.wake_w)
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

    def stop(self) -> None:
        for pid in self.children:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        os._exit(0)


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
