"""Start and stop the servers under test: the course's and a default Voila.

* ``course``: ``python -m widgets.server`` from the repository (its voila.json,
  template and render page that sets the _xsrf cookie), plus any extra traitlets
  flags and, optionally, an extra JSON config file read before the repo's.
* ``default``: ``voila notebooks/ --VoilaConfiguration.template=lab`` run from an
  empty temporary directory, so no voila.json is read and nothing of the
  course's serving is used (JUPYTER_PATH is cleared too).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
VENV_BIN = REPO / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def course_command(
    port: int, python: str, extra_args: list[str], config_dir: str | None = None
) -> list[str]:
    """The course server's command line (pure)."""
    cmd = [
        python,
        "-m",
        "widgets.server",
        f"--port={port}",
        "--Voila.port_retries=0",
        "--no-browser",
    ]
    if config_dir:
        # First path wins (traitlets loads the list in descending priority), and
        # the repository stays on the list so voila.json still applies.
        cmd += [f"--Voila.config_file_paths={config_dir}", f"--Voila.config_file_paths={REPO}"]
    return cmd + list(extra_args)


def default_command(port: int, voila: str, extra_args: list[str]) -> list[str]:
    """Default Voila's command line (pure)."""
    return [
        voila,
        str(NOTEBOOKS),
        f"--port={port}",
        "--no-browser",
        "--Voila.port_retries=0",
        "--VoilaConfiguration.template=lab",
        *extra_args,
    ]


@dataclass
class Server:
    name: str
    command: list[str]
    port: int
    cwd: Path
    env: dict
    log_path: Path
    proc: subprocess.Popen | None = None
    config: dict = field(default_factory=dict)
    started_s: float | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, timeout: float = 90) -> None:
        self._log = self.log_path.open("w")
        t0 = time.monotonic()
        self.proc = subprocess.Popen(
            self.command, cwd=self.cwd, env=self.env, stdout=self._log, stderr=subprocess.STDOUT
        )
        deadline = t0 + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} server exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/voila/static/voila.js", timeout=2):
                    self.started_s = time.monotonic() - t0
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                time.sleep(0.1)
        raise RuntimeError(f"{self.name} server did not start within {timeout} s:\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def kernel_alive(self, kernel_id: str) -> bool:
        return _alive_at(self.url, kernel_id)

    def force_shutdown(self, kernel_id: str) -> int:
        """Shut a kernel down on the harness's behalf (see ``_force_shutdown_at``)."""
        return _force_shutdown_at(self.url, kernel_id)

    def stop(self) -> None:
        from bench import procs

        if self.proc is None:
            return
        children = procs.descendants(self.proc.pid)
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        # Kernels the server did not manage to stop: only our server's own, by pid.
        deadline = time.monotonic() + 5
        for pid in children:
            while procs.alive(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if procs.alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self._log.close()


def make_course_server(
    log_dir: Path,
    extra_args: list[str],
    config: dict | None,
    python: str | None = None,
    name: str = "course",
) -> Server:
    port = free_port()
    config_dir = None
    if config:
        config_dir = tempfile.mkdtemp(prefix="bench-config-")
        Path(config_dir, "voila.json").write_text(json.dumps(config, indent=1))
    python = python or str(VENV_BIN / "python")
    env = dict(os.environ)
    env.setdefault("COURSE_ROOM_KEY", secrets.token_urlsafe(16))  # for --room (bench.run.room)
    return Server(
        name,
        course_command(port, python, extra_args, config_dir),
        port,
        REPO,
        env,
        log_dir / f"{name}.log",
        config={"extra_args": extra_args, "voila_json_overrides": config or {}},
    )


class BalancedServer(Server):
    """The course as ``make app WORKERS=N``: N course servers behind HAProxy
    (``python -m widgets.server.balance``). Its pid is the launcher's, so the memory
    and CPU figures cover the servers, HAProxy and every kernel below it. A kernel is
    asked for at each course server directly (the balancer would send a request with
    no cookie to any of them)."""

    def workers(self) -> list[str]:
        import re

        found = re.search(r"behind HAProxy: (.+)\)", self.log())
        return found.group(1).split() if found else []

    def start(self, timeout: float = 150) -> None:
        super().start(timeout)
        deadline = time.monotonic() + timeout
        while not self.workers() and time.monotonic() < deadline:
            time.sleep(0.1)

    def holder(self, kernel_id: str) -> str | None:
        """The course server that holds a kernel, or None once it is gone."""
        return next((url for url in self.workers() if _alive_at(url, kernel_id)), None)

    def kernel_alive(self, kernel_id: str) -> bool:
        return self.holder(kernel_id) is not None

    def force_shutdown(self, kernel_id: str) -> int:
        url = self.holder(kernel_id)
        return 404 if url is None else _force_shutdown_at(url, kernel_id)


def _force_shutdown_at(url: str, kernel_id: str) -> int:
    """Shut a kernel down on the harness's behalf (cleanup, not a visitor's action).

    Sends the same POST the page's beacon sends, with an _xsrf cookie and a
    matching X-XSRFToken header made up by the harness (double-submit check).
    Returns the HTTP status (204 done, 404 already gone).
    """
    req = urllib.request.Request(
        f"{url}/voila/api/shutdown/{kernel_id}",
        data=b"",
        method="POST",
        headers={"Cookie": "_xsrf=62656e6368", "X-XSRFToken": "62656e6368"},
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _alive_at(url: str, kernel_id: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/kernels/{kernel_id}", timeout=10) as r:
            return json.load(r).get("id") == kernel_id
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return False
        raise


def make_balanced_server(log_dir: Path, workers: int, extra_args: list[str]) -> Server:
    port = free_port()
    env = dict(os.environ)
    env.setdefault("COURSE_ROOM_KEY", secrets.token_urlsafe(16))
    name = f"course-{workers}"
    return BalancedServer(
        name,
        [
            str(VENV_BIN / "python"),
            "-m",
            "widgets.server.balance",
            f"--workers={workers}",
            f"--port={port}",
            "--no-browser",
            *extra_args,
        ],
        port,
        REPO,
        env,
        log_dir / f"{name}.log",
        config={"workers": workers, "extra_args": extra_args},
    )


def make_default_server(log_dir: Path, extra_args: list[str]) -> Server:
    port = free_port()
    voila = str(VENV_BIN / "voila")
    if not Path(voila).exists():
        voila = shutil.which("voila") or voila
    cwd = Path(tempfile.mkdtemp(prefix="bench-default-voila-"))
    env = {k: v for k, v in os.environ.items() if k != "JUPYTER_PATH"}
    return Server(
        "default",
        default_command(port, voila, extra_args),
        port,
        cwd,
        env,
        log_dir / "default.log",
        config={"extra_args": extra_args},
    )


def lessons(selected: list[str] | None = None) -> list[str]:
    """Lesson notebooks that exist now (names without .ipynb), optionally filtered.

    Every notebook directly in notebooks/ by default; a selection may also name
    one in a subfolder, e.g. ``workshop/join`` (the page a whole room opens).
    """
    found = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    if not selected:
        return found
    nested = [
        s
        for s in selected
        if "/" in s and (NOTEBOOKS / f"{s}.ipynb").is_file() and ".." not in s.split("/")
    ]
    missing = [s for s in selected if s not in found and s not in nested]
    if missing:
        raise SystemExit(
            f"no such lesson notebook(s): {', '.join(missing)} (found: {', '.join(found)})"
        )
    return [s for s in found if s in selected] + nested


def warm_up_pages(lesson: str) -> list[str]:
    """The pages whose visits fill the browser's caches before a "warm" load of
    ``lesson``, as a learner's path comes to it: the landing page, then the first
    numbered lesson that is not ``lesson`` itself (it draws widgets), so a warm load is a
    move from one lesson to the next, not a reload. Two pages, because a browser keeps a
    script's compiled code only once the script has run twice (Chromium's code cache:
    the third page runs it without compiling it again). The other lesson is lesson 01
    (02 for lesson 01 itself), so the report's "second page of a visit" is that lesson's
    time, the same page for every row but one."""
    numbered = [name for name in lessons() if name[:2].isdigit() and name[:2] != "00"]
    return ["00-index", next(name for name in numbered if name != lesson)]
