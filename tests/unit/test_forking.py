"""The forking kernel provisioner (widgets.server.forking), driven through jupyter_client.

Each test starts real kernels from a kernelspec that chooses the provisioner, as Voila
and JupyterLab would, and checks what a kernel's user and the server would notice:
the kernel answers and runs code, is a child of the template, sees its own command line,
environment and folder; interrupt, restart and shutdown work; kernels die with the
application and with their template; a template that cannot fork safely, or forking
switched off, gives a normal kernel.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from traitlets.config import Config

from widgets.server import forking

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not forking.SUPPORTED, reason="forking needs Linux (pidfd)"),
]


def wait_until(condition, timeout=15.0, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.fixture
def specs(tmp_path, monkeypatch):
    """A kernelspec folder with one kernel that forks; preload may be changed per test."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "kernels" / "forked"
    folder.mkdir(parents=True)

    def write(preload=("ipykernel.kernelapp",), env=None):
        spec = {
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "forked",
            "language": "python",
            "env": env or {},
            "metadata": {
                "kernel_provisioner": {
                    "provisioner_name": "fork-provisioner",
                    "config": {"preload": list(preload), "blocked_modules": ["debugpy"]},
                }
            },
        }
        (folder / "kernel.json").write_text(json.dumps(spec))
        return KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])

    yield write
    forking.stop_templates()


@pytest.fixture
def start(tmp_path):
    """Start kernels (stopped at the end); returns (manager, client)."""
    started = []

    def start(ksm, config=None, **launch):
        km = KernelManager(
            kernel_name="forked",
            kernel_spec_manager=ksm,
            transport="ipc",
            ip=str(tmp_path / "ipc"),
            config=config or Config(),
        )
        km.start_kernel(cwd=str(tmp_path), **launch)
        kc = km.client()
        kc.start_channels()
        started.append((km, kc))
        kc.wait_for_ready(timeout=60)
        return km, kc

    yield start
    for km, kc in started:
        kc.stop_channels()
        if km.has_kernel:
            km.shutdown_kernel(now=True)


def run(kc, code: str) -> str:
    """Run code in the kernel; return what it printed (or the error's name)."""
    printed = []

    def hook(msg):
        if msg["msg_type"] == "stream":
            printed.append(msg["content"]["text"])

    reply = kc.execute_interactive(code, timeout=30, output_hook=hook)
    if reply["content"]["status"] == "error":
        return reply["content"]["ename"]
    return "".join(printed).strip()


def test_a_forked_kernel_runs_code_as_a_child_of_the_template(specs, start, tmp_path):
    km, kc = start(specs(env={"COURSE_TEST_VALUE": "seen"}))
    template = forking.template_for(sys.executable, ["ipykernel.kernelapp"], ["debugpy"])
    assert km.provisioner.pidfd is not None
    facts = json.loads(
        run(
            kc,
            "import json, os, sys; print(json.dumps([os.getpid(), os.getppid(), os.getcwd(),"
            " os.environ.get('COURSE_TEST_VALUE'), sys.argv[0], 'debugpy' in sys.modules,"
            " sys.modules.get('debugpy', 0) is None]))",
        )
    )
    pid, parent, cwd, value, argv0, debugpy_listed, debugpy_blocked = facts
    assert pid == km.provisioner.pid and parent == template.process.pid
    assert cwd == str(tmp_path) and value == "seen"
    assert argv0.endswith("ipykernel_launcher.py")
    assert debugpy_listed and debugpy_blocked  # blocked in the template, as asked
    shown = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    assert shown[:3] == [sys.executable.encode(), b"-m", b"ipykernel_launcher"]
    assert shown[3] == b"-f" and shown[4].endswith(b".json")


def test_two_kernels_get_different_random_numbers(specs, start):
    ksm = specs()
    draws = {run(start(ksm)[1], "import random; print(random.random())") for _ in range(2)}
    assert len(draws) == 2


def test_interrupt_restart_and_shutdown(specs, start):
    km, kc = start(specs())
    sent = kc.execute("import time; print('sleeping', flush=True); time.sleep(60)")

    def sleeping():
        msg = kc.get_iopub_msg(timeout=15)
        return msg["parent_header"].get("msg_id") == sent and "sleeping" in str(msg["content"])

    wait_until(sleeping, what="the cell to start sleeping")
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=15)
    assert reply["content"]["ename"] == "KeyboardInterrupt"

    first = km.provisioner.pid
    km.restart_kernel(now=True)
    kc.wait_for_ready(timeout=60)
    assert km.provisioner.pid != first and not alive(first)
    assert run(kc, "print(6 * 7)") == "42"

    second = km.provisioner.pid
    km.shutdown_kernel()
    assert not km.is_alive() and not alive(second)


def test_a_kernel_that_died_is_shut_down_without_error(specs, start):
    """jupyter_client interrupts a kernel before shutting it down, also a dead one."""
    km, _ = start(specs())
    os.kill(km.provisioner.pid, signal.SIGKILL)
    wait_until(lambda: not km.is_alive(), what="the kernel to be seen dead")
    km.interrupt_kernel()
    km.shutdown_kernel()
    assert not km.has_kernel


def test_stdout_goes_where_the_caller_asked(specs, start, tmp_path):
    out = (tmp_path / "kernel-out.txt").open("w")
    _, kc = start(specs(), stdout=out)
    run(kc, "import os; os.write(1, b'written to fd 1')")
    out.close()
    wait_until(lambda: "written to fd 1" in (tmp_path / "kernel-out.txt").read_text())


def test_kernels_die_with_their_template_and_a_new_template_takes_over(specs, start):
    ksm = specs()
    km, _ = start(ksm)
    template = forking.template_for(sys.executable, ["ipykernel.kernelapp"], ["debugpy"])
    old = template.process.pid
    os.kill(old, signal.SIGKILL)
    wait_until(lambda: not km.is_alive(), what="the kernel to die with its template")
    km2, kc2 = start(ksm)
    assert km2.provisioner.pidfd is not None
    assert template.process.pid != old
    assert run(kc2, "print('hello')") == "hello"


APPLICATION = """
import json, os, sys, time
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
km = KernelManager(kernel_name="forked", transport="ipc", ip=sys.argv[2],
                   kernel_spec_manager=KernelSpecManager(kernel_dirs=[sys.argv[1]]))
km.start_kernel()
print(json.dumps([km.provisioner.pid, km.provisioner.template.process.pid]), flush=True)
time.sleep(600)
"""


def test_no_kernel_outlives_a_killed_application(specs, tmp_path):
    specs()
    app = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(APPLICATION),
            str(tmp_path / "kernels"),
            str(tmp_path / "app-ipc"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        kernel, template = json.loads(app.stdout.readline())
        assert alive(kernel) and alive(template)
    finally:
        app.kill()
        app.wait()
    wait_until(lambda: not alive(template), what="the template to exit")
    wait_until(lambda: not alive(kernel), what="the kernel to exit")


def test_an_unsafe_preload_gives_a_normal_kernel_and_says_so_once(
    specs, start, tmp_path, monkeypatch, caplog
):
    (tmp_path / "starts_a_thread.py").write_text(
        "import threading, time\n"
        "threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
    )
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    ksm = specs(preload=["ipykernel.kernelapp", "starts_a_thread"])
    forking.forget_warnings()
    with caplog.at_level("WARNING"):
        kms = [start(ksm)[0] for _ in range(2)]
    assert all(km.provisioner.pidfd is None and km.provisioner.process for km in kms)
    said = [r.getMessage() for r in caplog.records if "spawned normally" in r.getMessage()]
    assert len(said) == 1 and "threads are running" in said[0]


def test_a_preload_entry_module_colon_function_is_called_once_in_the_template(
    specs, start, tmp_path, monkeypatch, caplog
):
    """``module:function`` fills a cache in the template; every kernel then has it, and a
    function that fails costs that cache only (the log says so), not the kernel."""
    (tmp_path / "warmer.py").write_text(
        "import os\n"
        "FILLED = []\n"
        "def fill():\n"
        "    FILLED.append(os.getpid())\n"
        "def broken():\n"
        "    raise RuntimeError('no cache today')\n"
    )
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    ksm = specs(preload=["ipykernel.kernelapp", "warmer:fill", "warmer:broken"])
    forking.forget_warnings()
    with caplog.at_level("WARNING"):
        kernels = [start(ksm) for _ in range(2)]
    template = forking.template_for(
        sys.executable, ["ipykernel.kernelapp", "warmer:fill", "warmer:broken"], ["debugpy"]
    )
    for km, kc in kernels:
        assert km.provisioner.pidfd is not None  # forked
        filled = run(kc, "import warmer; print(warmer.FILLED)")
        assert filled == f"[{template.process.pid}]"  # called once, by the template
    said = [r.getMessage() for r in caplog.records if "warmer:broken" in r.getMessage()]
    assert len(said) == 1 and "RuntimeError: no cache today" in said[0]


@pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="from 3.12 tokenize compiles no pattern of its own"
)
def test_the_ipython_warmer_compiles_the_pattern_every_first_cell_needs():
    """``warm.ipython`` leaves tokenize's compiled pattern in the cache, where each forked
    kernel would otherwise compile it on its first cell."""
    script = (
        "import tokenize\n"
        "from widgets.server.forking import warm\n"
        "before = tokenize._compile.cache_info().currsize\n"
        "warm.ipython()\n"
        "print(before, tokenize._compile.cache_info().currsize)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "1"]


def test_switched_off_by_one_option(specs, start):
    config = Config()
    config.ForkingProvisioner.enabled = False
    km, kc = start(specs(), config=config)
    assert km.provisioner.pidfd is None and km.provisioner.process is not None
    assert run(kc, "import os; print(os.getppid())") == str(os.getpid())


@pytest.mark.parametrize(
    ("cmd", "forkable"),
    [
        ([sys.executable, "-m", "ipykernel_launcher", "-f", "c.json"], True),
        ([sys.executable, __file__, "-f", "c.json"], True),
        (["python", "-m", "ipykernel_launcher"], False),  # not resolved to a path
        ([sys.executable, "-c", "print(1)"], False),
        ([sys.executable, "-m"], False),
        (["/usr/bin/R", "--slave", "-e", "IRkernel::main()"], False),
    ],
)
def test_which_commands_are_forked(cmd, forkable):
    assert forking.forkable_command(cmd) is forkable


def test_the_course_kernel_is_forked_with_its_modules_and_widgets_ready(tmp_path):
    """The course server's kernelspec: lesson modules preloaded, ipywidgets' comm targets
    registered in the kernel (its import in the template saw no kernel to register with)."""
    from widgets.server import app as serve

    ksm = KernelSpecManager(kernel_dirs=[str(p / "kernels") for p in serve.SHARED])
    km = KernelManager(
        kernel_name="python3", kernel_spec_manager=ksm, transport="ipc", ip=str(tmp_path / "k")
    )
    km.start_kernel(cwd=str(tmp_path))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        assert km.provisioner.pidfd is not None
        facts = run(
            kc,
            "import sys, comm; print(sorted(comm.get_comm_manager().targets),"
            " 'widgets.quiz' in sys.modules, sys.modules.get('debugpy', 0) is None)",
        )
        assert facts == "['jupyter.widget', 'jupyter.widget.control'] True True"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        forking.stop_templates()


def test_liveness_is_read_with_more_than_1024_open_files(specs, start):
    """A server with hundreds of kernels has descriptors past select()'s limit."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    null = os.open(os.devnull, os.O_RDONLY)
    extra = [os.dup(null) for _ in range(1100)]
    try:
        km, _ = start(specs())
        assert km.provisioner.pidfd > 1024
        assert km.is_alive()
        os.kill(km.provisioner.pid, signal.SIGKILL)
        wait_until(lambda: not km.is_alive(), what="the kernel to be seen dead")
    finally:
        for fd in [*extra, null]:
            os.close(fd)
