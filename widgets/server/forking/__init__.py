"""Kernels forked from a warm template: a kernel provisioner for jupyter_client.

A normal kernel start spends about 0.6 s of CPU, nearly all of it importing ipykernel,
IPython, zmq and what the first cell uses. Here a *template* process does those imports
once, and starts nothing: no zmq context, no thread, no event loop. Each kernel is then
a ``fork()`` of the template that runs the kernel command's script or module exactly as
``python`` would. Its imported modules are shared with the template copy-on-write, so a
kernel costs about a tenth of the CPU and half the memory.

Choose it in a kernelspec (``kernel.json``); nothing else changes, so every Jupyter
application that starts kernels through jupyter_client (Voila, JupyterLab, nbclient)
uses it as it is::

    "metadata": {
      "kernel_provisioner": {
        "provisioner_name": "fork-provisioner",
        "config": {"preload": ["ipykernel.kernelapp", "ipywidgets"],
                   "blocked_modules": ["debugpy"]}
      }
    }

``preload`` lists the modules the template imports (importing them must start no thread
and read no per-kernel environment variable); an entry ``module:function`` also calls
``function()`` (a plain name defined in the module) once imported, to fill a cache that
kernels would otherwise each fill on first use (``warm.ipython`` is one, for ipykernel);
what it runs must start no thread and create no event loop, not even an idle one (the
template's check sees only threads and a running loop); ``blocked_modules`` are made unimportable
first, as a kernel script that blocks them would (``sys.modules[name] = None``). A module
that registers itself with the running kernel when imported did so in the template,
where no kernel runs: ipywidgets is one (its comm targets), so a kernel that preloads it
loads it as an IPython extension too (``--IPKernelApp.extensions=ipywidgets`` in argv). Switch
forking off, so that every kernel is a normal spawn, with ``--ForkingProvisioner.enabled=False``
on the application's command line (or the same in its config file).

How it stays safe:

* The kernel command must be ``<python> -m <module> ...`` or ``<python> <script.py> ...``.
  Anything else, any error while starting or asking the template, and any platform but
  Linux, gives a normal spawn (``LocalProvisioner``); the log says so once per cause.
* One template per (python, preload, blocked) runs per application. It checks before each
  ``fork()`` that it has no second thread, running event loop or zmq context. A template
  that died or stopped answering is replaced at the next kernel start; after a failed
  start, kernels are spawned normally for ``retry_after`` seconds.
* The child resets what a fresh process would have: a new session (like ``LocalProvisioner``),
  its environment, working directory, ``sys.argv``, ``sys.path[0]``, signal handlers and
  stdin, and the stdout/stderr the caller asked for. Python's own random module reseeds
  after a fork. Values that a preloaded module read from the environment at import
  time keep the template's (the application's) value.
* Lifetime: the template exits, killing its kernels, when the application's end of its
  socket closes (the application exited or was killed). Each kernel gets ``SIGKILL``
  from Linux when the template dies (``PR_SET_PDEATHSIG``), and ipykernel's own parent
  poller watches the template too. No kernel outlives the application.
* Signals (interrupt, terminate, kill) and liveness go through a pidfd that the template
  opens right after the fork and passes over the socket, so a reused pid is never
  signalled. A kernel is signalled alone, not with a process group: it starts no
  subprocess of its own in the uses this was written for.

Prepared templates (``prepared_notebook``, ``README.md``): a template forked from the warm
one that has run a notebook's code cells, before any kernel; its kernels hold the page
already made and replay its cells when asked to run them, so a server can run a page once
for many visitors.

This package imports nothing but the standard library, jupyter_client and traitlets (and
``warm.py``, only when the template calls it, IPython); the template is ``template.py``
beside this file, run as a script by the kernel's own python.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from typing import Any

from jupyter_client.provisioning import LocalProvisioner
from traitlets import Bool, Float, List, Unicode

from .template import MAX_MESSAGE, send

TEMPLATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "template.py")

SUPPORTED = sys.platform.startswith("linux") and hasattr(os, "pidfd_open")


def _exited(pidfd: int) -> bool:
    """Whether the process behind a pidfd has exited (readable). ``poll``, not ``select``:
    a server with hundreds of kernels has descriptors past select's limit of 1024."""
    poller = select.poll()
    poller.register(pidfd, select.POLLIN)
    return bool(poller.poll(0))


def forkable_command(cmd: list[str]) -> bool:
    """Whether a kernel command is ``<python> -m <module> ...`` or ``<python> <file.py> ...``."""
    if len(cmd) < 2 or not os.path.isabs(cmd[0]) or "python" not in os.path.basename(cmd[0]):
        return False
    return (cmd[1] == "-m" and len(cmd) > 2) or (cmd[1].endswith(".py") and os.path.isfile(cmd[1]))


class TemplateError(RuntimeError):
    """The template could not be started or did not answer."""


class NotRetriedYet(TemplateError):
    """The template failed a moment ago (already logged); kernels are spawned meanwhile."""


class TemplateClient:
    """The application's handle on one template process (thread-safe, blocking calls)."""

    def __init__(self, python: str, preload: tuple[str, ...], blocked: tuple[str, ...]):
        self.python, self.preload, self.blocked = python, preload, blocked
        self.lock = threading.RLock()  # PreparedTemplate.fork_generation re-enters
        self.process: subprocess.Popen | None = None
        self.sock: socket.socket | None = None
        self.failed_at = 0.0
        self.notes: list[str] = []

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, timeout: float) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.process = subprocess.Popen(
                [
                    self.python,
                    TEMPLATE,
                    str(theirs.fileno()),
                    json.dumps(list(self.preload)),
                    json.dumps(list(self.blocked)),
                    " " * 1024,  # room for each kernel's own command line (show_command_line)
                ],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # a Ctrl-C in the terminal is the application's
            )
        finally:
            theirs.close()
        self.sock = ours
        ready = self._receive(timeout)[0]
        if not ready.get("ready"):
            raise TemplateError(f"the template did not start: {ready}")
        if ready.get("unsafe"):
            raise TemplateError(f"the preload made forking unsafe: {ready['unsafe']}")
        self.notes = list(ready.get("failed", []))

    def stop(self) -> None:
        if self.sock is not None:
            self.sock.close()  # the template kills its kernels and exits
            self.sock = None
        if self.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self.process = None

    def _receive(self, timeout: float) -> tuple[dict, list[int]]:
        assert self.sock is not None
        self.sock.settimeout(timeout)
        try:
            data, fds, _, _ = socket.recv_fds(self.sock, MAX_MESSAGE, 1)
        except (TimeoutError, OSError) as err:
            raise TemplateError(f"no answer from the template: {err}") from err
        if not data:
            raise TemplateError("the template exited")
        return json.loads(data), fds

    def _ask(self, request: dict, timeout: float, fds: tuple[int, ...] = ()) -> tuple[dict, list]:
        assert self.sock is not None
        try:
            send(self.sock, request, fds)
        except OSError as err:
            raise TemplateError(f"cannot reach the template: {err}") from err
        return self._receive(timeout)

    def _ensure_started(self, timeout: float, retry_after: float) -> None:
        """(Re)start the template if it is not running; call with ``lock`` held."""
        if self.alive():
            return
        self.stop()
        if time.monotonic() - self.failed_at < retry_after:
            raise NotRetriedYet("the template failed recently; not retried yet")
        try:
            self.start(timeout)
        except BaseException:
            self.failed_at = time.monotonic()
            self.stop()
            raise

    def fork_prepared(
        self, notebook: str, cwd: str, sock: socket.socket, timeout: float, retry_after: float
    ) -> tuple[int, int]:
        """Start a prepared template for ``notebook``, answering on ``sock``; return its
        pid and a pidfd (the caller closes it)."""
        with self.lock:
            self._ensure_started(timeout, retry_after)
            request = {"op": "prepare", "notebook": notebook, "cwd": cwd}
            return self._start_child(request, timeout, (sock.fileno(),))

    def _start_child(self, request: dict, timeout: float, fds: tuple[int, ...]) -> tuple[int, int]:
        """Ask the template to fork (``fork`` or ``prepare``); its pid and a pidfd."""
        try:
            reply, got = self._ask(request, timeout, fds)
        except TemplateError:
            self.stop()
            raise
        if "error" in reply or not got:
            for fd in got:
                os.close(fd)
            raise TemplateError(reply.get("error", "no pidfd came back"))
        return int(reply["pid"]), got[0]

    def fork(self, argv, env, cwd, stdio, timeout: float, retry_after: float) -> tuple[int, int]:
        """Start one kernel; return its pid and a pidfd (the caller closes it)."""
        with self.lock:
            self._ensure_started(timeout, retry_after)
            request: dict[str, Any] = {"op": "fork", "argv": argv, "env": env, "cwd": cwd}
            given, wire = [], []
            for stream in stdio:
                if stream == subprocess.DEVNULL:
                    wire.append("devnull")
                elif stream is None:
                    wire.append(None)
                else:
                    fd = stream if isinstance(stream, int) else stream.fileno()
                    wire.append(len(given))  # the index of the descriptor sent along
                    given.append(fd)
            request["stdio"] = wire
            return self._start_child(request, timeout, tuple(given))

    def exit_code(self, pid: int) -> int | None:
        with self.lock:
            if not self.alive():
                return None
            try:
                return self._ask({"op": "code", "pid": pid}, 5)[0].get("code")
            except TemplateError:
                return None


class PreparedTemplate(TemplateClient):
    """A template forked from ``main`` that has run one notebook's code cells (see
    ``template.py``, ``prepare``): kernels forked from it hold that page already made.
    ``generation`` names one run of the cells, so that a page made from one run is never
    paired with a kernel from another (the widgets' ids differ)."""

    def __init__(self, main: TemplateClient, notebook: str, cwd: str):
        super().__init__(main.python, main.preload, main.blocked)
        self.main, self.notebook, self.cwd = main, notebook, cwd
        self.pidfd: int | None = None
        self.generation: str | None = None
        self.comms: frozenset[str] = frozenset()  # the comms (widgets) each kernel holds
        self.last_fork = time.monotonic()

    def alive(self) -> bool:
        return self.pidfd is not None and self.generation is not None and not _exited(self.pidfd)

    def start(self, timeout: float) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            _, self.pidfd = self.main.fork_prepared(
                self.notebook, self.cwd, theirs, timeout, retry_after=0
            )
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        self.sock = ours
        ready = self._receive(timeout)[0]
        if not ready.get("ready"):
            raise TemplateError(f"the prepared template did not start: {ready}")
        if ready.get("error"):
            raise TemplateError(
                f"running {os.path.basename(self.notebook)} failed: {ready['error']}"
            )
        if ready.get("unsafe"):
            raise TemplateError(
                f"running {os.path.basename(self.notebook)} made forking unsafe: {ready['unsafe']}"
            )
        self.generation = str(ready["generation"])
        self.comms = frozenset(ready.get("comms", ()))

    def stop(self) -> None:
        self.generation = None
        if self.sock is not None:
            self.sock.close()  # the template kills its kernels and exits
            self.sock = None
        if self.pidfd is not None:
            poller = select.poll()
            poller.register(self.pidfd, select.POLLIN)
            if not poller.poll(5000):
                with contextlib.suppress(ProcessLookupError):
                    signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            os.close(self.pidfd)
            self.pidfd = None

    def fork(self, *args, **kwargs) -> tuple[int, int]:
        with self.lock:
            forked = super().fork(*args, **kwargs)
            self.last_fork = time.monotonic()
            return forked

    def stop_if_idle(self, seconds: float) -> bool:
        """Stop it if none of its kernels is running and it forked none for ``seconds``."""
        with self.lock:
            if not self.alive() or time.monotonic() - self.last_fork < seconds:
                return False
            try:
                running = self._ask({"op": "children"}, 5)[0].get("children")
            except TemplateError:
                return False
            if running != 0:
                return False
            self.stop()
            return True

    def fork_generation(
        self, generation: str | None, argv, env, cwd, stdio, timeout: float, retry_after: float
    ) -> tuple[int, int]:
        """``fork``, from the run named ``generation`` (None: the current run, or a new one)."""
        gone = PreparedGone(f"{os.path.basename(self.notebook)}: that run is gone")
        with self.lock:
            if generation is not None and (not self.alive() or self.generation != generation):
                raise gone
            pid, pidfd = self.fork(argv, env, cwd, stdio, timeout, retry_after)
            if generation is not None and self.generation != generation:
                # (It died and was started again between the check and the fork.)
                with contextlib.suppress(ProcessLookupError):
                    signal.pidfd_send_signal(pidfd, signal.SIGKILL)
                os.close(pidfd)
                raise gone
            return pid, pidfd


class PreparedGone(TemplateError):
    """The prepared template a page was made from has gone (died, or was replaced)."""


#: The notebook the kernels started in this context show, prepared: ``(path, generation)``
#: or ``(path, generation, version)``. ``generation`` is None for any run of it (a new one
#: if none runs), or names one run (``PreparedTemplate.generation``), and the start fails
#: with ``PreparedGone`` if that run is no longer there. ``version`` (any text, such as the
#: files' modification times) gives a changed page a template of its own. An application
#: sets it around ``start_kernel`` (a context variable: asyncio tasks and ``to_thread``
#: carry it into the provisioner).
prepared_notebook: contextvars.ContextVar[tuple | None] = contextvars.ContextVar(
    "prepared_notebook", default=None
)

_prepared: dict[tuple, PreparedTemplate] = {}


def prepared_for(
    main: TemplateClient, notebook: str, cwd: str, version: str = ""
) -> PreparedTemplate:
    """The prepared template of ``notebook`` at ``version`` (a new version of the page, or
    of what it reads, gets a new template; the old one is stopped once idle)."""
    key = (main.python, main.preload, main.blocked, notebook, version)
    with _templates_lock:
        if key not in _prepared:
            _prepared[key] = PreparedTemplate(main, notebook, cwd)
        return _prepared[key]


def stop_idle_prepared(seconds: float) -> list[str]:
    """Stop the prepared templates none of whose kernels has run for ``seconds``; return
    their notebooks. A page made from one is made again when next asked for."""
    with _templates_lock:
        found = list(_prepared.values())
    return [prepared.notebook for prepared in found if prepared.stop_if_idle(seconds)]


def live_generations(notebook: str) -> set[str]:
    """The runs of ``notebook`` whose prepared templates are running now."""
    with _templates_lock:
        found = [t for t in _prepared.values() if t.notebook == notebook]
    live = set()
    for prepared in found:
        with prepared.lock:  # (stop() closes its pidfd)
            if prepared.alive() and prepared.generation is not None:
                live.add(prepared.generation)
    return live


_templates: dict[tuple, TemplateClient] = {}
_templates_lock = threading.Lock()
_warned: set[str] = set()


def template_for(python: str, preload, blocked) -> TemplateClient:
    key = (python, tuple(preload), tuple(blocked))
    with _templates_lock:
        if key not in _templates:
            _templates[key] = TemplateClient(*key)
        return _templates[key]


def forget_warnings() -> None:
    """Say each reason for a normal spawn again (each is logged once per process)."""
    _warned.clear()


def stop_templates() -> None:
    """Stop every template of this process (and so their kernels)."""
    with _templates_lock:
        for client in [*_prepared.values(), *_templates.values()]:
            client.stop()
        _prepared.clear()
        _templates.clear()


class ForkingProvisioner(LocalProvisioner):
    """``LocalProvisioner`` whose kernels are forked from a warm template."""

    enabled = Bool(True, config=True, help="Fork kernels; False spawns each normally.")
    preload = List(
        Unicode(), config=True, help="Modules the template imports (module:function also calls)."
    )
    blocked_modules = List(Unicode(), config=True, help="Modules made unimportable.")
    ready_timeout = Float(60.0, config=True, help="Seconds to wait for the template.")
    retry_after = Float(60.0, config=True, help="Seconds of normal spawns after a failure.")
    prepare = Bool(
        True,
        config=True,
        help="Fork a page's kernels from a template that ran its cells (``prepared_notebook``).",
    )

    pidfd: int | None = None
    template: TemplateClient | None = None
    exit_code: int | None = None  # asked of the template once the kernel has exited
    #: The prepared run this kernel was forked from (``PreparedTemplate.generation``), if
    #: it was, and the comms (widgets) it held when it started.
    generation: str | None = None
    held_comms: frozenset[str] = frozenset()

    @property
    def has_process(self) -> bool:
        return self.pidfd is not None or super().has_process

    def _note_once(self, message: str) -> None:
        if message not in _warned:
            _warned.add(message)
            self.log.warning(message)

    def _spawned(self, why: str) -> bool:
        """Say (once) why kernels are spawned normally; False, for ``_fork``."""
        self._note_once(f"Kernels are spawned normally, not forked: {why}")
        return False

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        if await self._fork(cmd, kwargs):
            return self.connection_info
        return await super().launch_kernel(cmd, **kwargs)

    async def _fork(self, cmd: list[str], kwargs: dict) -> bool:
        """Fork the kernel from its template; False (and why, once) if it cannot be."""
        self.generation, self.held_comms = None, frozenset()
        stdio = (kwargs.get("stdout"), kwargs.get("stderr"))
        if not self.enabled:
            return False
        if not SUPPORTED:
            return self._spawned("forking needs Linux (pidfd)")
        if not forkable_command(cmd):
            return self._spawned(f"the kernel command is not python -m or a .py file: {cmd[:2]}")
        if subprocess.PIPE in stdio:
            return self._spawned("the caller wants the kernel's output through a pipe")
        template: TemplateClient = template_for(cmd[0], self.preload, self.blocked_modules)
        env = dict(kwargs.get("env") or os.environ)
        cwd = os.path.abspath(kwargs.get("cwd") or os.getcwd())  # a prepared template has its own
        page = prepared_notebook.get()
        if page is not None and self.prepare:
            notebook, generation, *version = page
            prepared = prepared_for(template, notebook, cwd, *version)
            try:
                pid, pidfd = await asyncio.to_thread(
                    prepared.fork_generation,
                    generation,
                    cmd,
                    env,
                    cwd,
                    stdio,
                    self.ready_timeout,
                    self.retry_after,
                )
            except PreparedGone:
                raise
            except TemplateError as err:
                if generation is not None:
                    raise PreparedGone(str(err)) from err
                if not isinstance(err, NotRetriedYet):
                    self._note_once(f"A page's kernel runs its cells itself: {err}")
            else:
                self._forked(prepared, pid, pidfd, cwd)
                return True
        try:
            pid, pidfd = await asyncio.to_thread(
                template.fork, cmd, env, cwd, stdio, self.ready_timeout, self.retry_after
            )
        except NotRetriedYet:
            return False
        except TemplateError as err:
            return self._spawned(str(err))
        self._forked(template, pid, pidfd, cwd)
        return True

    def _forked(self, template: TemplateClient, pid: int, pidfd: int, cwd: str) -> None:
        for note in template.notes:
            self._note_once(f"Kernels are forked, but this preload entry failed: {note}")
        self._close_pidfd()
        self.pidfd, self.template, self.exit_code = pidfd, template, None
        self.pid = self.pgid = pid
        self.cwd = cwd
        # Read now: the template may be replaced by another run while this kernel lives.
        self.generation = getattr(template, "generation", None)
        self.held_comms = (
            getattr(template, "comms", frozenset()) if self.generation else frozenset()
        )

    def _close_pidfd(self) -> None:
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None

    async def poll(self) -> int | None:
        if self.pidfd is None:
            return await super().poll()
        if self.exit_code is None:
            if not _exited(self.pidfd):
                return None
            assert self.template is not None and self.pid is not None
            code = await asyncio.to_thread(self.template.exit_code, self.pid)
            self.exit_code = 1 if code is None else code
        return self.exit_code

    async def wait(self) -> int | None:
        if self.pidfd is None:
            return await super().wait()
        while (code := await self.poll()) is None:
            await asyncio.sleep(0.05)
        self._close_pidfd()
        return code

    async def send_signal(self, signum: int) -> None:
        if self.pidfd is None:
            return await super().send_signal(signum)
        # A kernel that has already exited is not an error (as with LocalProvisioner,
        # whose Popen ignores signals once its process is gone): jupyter_client
        # interrupts a kernel before shutting it down, also one that died.
        with contextlib.suppress(ProcessLookupError):
            signal.pidfd_send_signal(self.pidfd, signum)

    async def kill(self, restart: bool = False) -> None:
        if self.pidfd is None:
            return await super().kill(restart)
        await self.send_signal(signal.SIGKILL)

    async def terminate(self, restart: bool = False) -> None:
        if self.pidfd is None:
            return await super().terminate(restart)
        await self.send_signal(signal.SIGTERM)

    async def cleanup(self, restart: bool = False) -> None:
        if self.pidfd is not None and await self.poll() is not None:
            self._close_pidfd()
        await super().cleanup(restart)
