"""The served course runs its lessons on a lean kernel: no debugger library, no history,
and content read from the validated snapshot (no pydantic, no PyYAML).

``python -m widgets.server`` puts ``share/course-kernel`` first on ``JUPYTER_PATH``,
so the lessons' ``python3`` kernelspec resolves to it there (JupyterLab keeps the
usual one). This starts that kernel for real and runs a lesson's code on it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

from bench.kernel_cost import code_cells
from tests.conftest import NOTEBOOKS, REPO
from widgets.content import _snapshot, validated
from widgets.i18n import catalogs
from widgets.server import app as serve

LEAN = REPO / "share" / "course-kernel" / "kernels" / "python3"


@pytest.fixture
def served_path(monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", "")
    serve._put_template_on_path()
    return KernelSpecManager()


def test_the_server_finds_the_lean_kernelspec_under_the_lessons_kernel_name(served_path):
    notebook = json.loads((REPO / "notebooks" / "01-what-is-chronic-back-pain.ipynb").read_text())
    name = notebook["metadata"]["kernelspec"]["name"]
    spec = served_path.get_kernel_spec(name)
    assert Path(spec.resource_dir) == LEAN
    assert "--HistoryManager.enabled=False" in spec.argv


@pytest.fixture
def saved_snapshot(tmp_path, monkeypatch):
    """The course's validated content, in each of its languages, saved where the kernel
    (our child) will look, as the server saves it when it first serves a language."""
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path / "cache"))
    _snapshot.bundle.cache_clear()
    for language in catalogs.languages():
        validated("content", language)
    assert len(list((tmp_path / "cache").glob("content-*.pickle"))) == len(catalogs.languages())
    yield
    _snapshot.bundle.cache_clear()


@pytest.fixture
def lean_kernel(served_path, saved_snapshot):
    """A kernel of the served course (forked from its template), working in notebooks/."""
    km = KernelManager(kernel_name="python3", kernel_spec_manager=served_path)
    km.start_kernel(cwd=str(REPO / "notebooks"))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        yield kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def _printed(kc, code: str) -> str:
    """Run ``code`` in the kernel; what it printed (it must not fail)."""
    out: list = []
    reply = kc.execute_interactive(code, timeout=60, output_hook=out.append)
    assert reply["content"]["status"] == "ok", reply["content"]
    return "".join(m["content"].get("text", "") for m in out if m["msg_type"] == "stream")


@pytest.mark.slow
def test_the_lean_kernel_runs_a_lesson_without_debugger_or_history(lean_kernel):
    code = (
        "from widgets.myths import MythQuiz\n"
        "import os, sys, json; from widgets import Quiz; q = Quiz.for_lesson("
        "'01-what-is-chronic-back-pain'); print(json.dumps([len(q.cards), "
        "any(m.startswith(('debugpy.', 'pydevd', 'psutil.')) for m in sys.modules), "
        "any('history.sqlite' in os.path.realpath(f'/proc/self/fd/{fd}')"
        " for fd in os.listdir('/proc/self/fd')), "
        "get_ipython().history_manager.enabled, "
        "len(MythQuiz().cards), "
        "sorted({'pydantic', 'pydantic_core', 'yaml'} & set(sys.modules))]))"
    )
    cards, debugpy, history_db, history, myths, validators = json.loads(_printed(lean_kernel, code))
    assert cards == 5 and myths == 10
    assert debugpy is False and history_db is False and history is False
    # The content comes validated from the snapshot: no validator library loaded.
    assert validators == []


def _template_modules(spec: dict) -> set[str]:
    """The modules a kernel template holds before it forks: its own (standard library)
    imports and the kernelspec's preload list, with the blocked modules blocked."""
    import subprocess
    import sys

    config = spec["metadata"]["kernel_provisioner"]["config"]
    template = REPO / "widgets" / "server" / "forking" / "template.py"
    script = (
        "import json, runpy, sys\n"
        f"template = runpy.run_path({str(template)!r}, run_name='not_main')\n"
        f"for name in {config['blocked_modules']!r}: sys.modules[name] = None\n"
        f"assert template['load']({config['preload']!r}) == []\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout))


def _lessons_code() -> list[tuple[str, str]]:
    """(notebook, code cell) for every learner's page, English and translated."""
    return [
        (path.relative_to(NOTEBOOKS).as_posix(), code)
        for path in sorted(NOTEBOOKS.rglob("*.ipynb"))
        if "facilitator" not in path.name
        for code in code_cells(path)
    ]


@pytest.mark.slow
def test_a_visitors_kernel_imports_nothing_the_template_could_have_preloaded(lean_kernel):
    """Whatever a kernel imports after the fork, it pays for in CPU and in private
    memory, once per visitor. So every lesson's code, run on a forked kernel, must
    find all it needs already imported by the template (``preload`` in the course
    kernelspec); a module this finds belongs on that list."""
    before = _template_modules(json.loads((LEAN / "kernel.json").read_text()))
    failed = []
    for notebook, code in _lessons_code():
        reply = lean_kernel.execute_interactive(code, timeout=60, output_hook=lambda m: None)
        if reply["content"]["status"] != "ok":
            failed.append(notebook)
    listed = _printed(lean_kernel, "import json, sys; print(json.dumps(sorted(sys.modules)))")
    after = set(json.loads(listed))
    assert failed == []
    assert "widgets.quiz" in after  # the lessons did run their widgets
    assert sorted(after - before) == [], " ".join(sorted(after - before))


def test_the_server_can_give_freed_memory_back():
    trim = serve._malloc_trim()
    assert trim is not None, "glibc's malloc_trim (the deployment target is Linux)"
    assert trim() in (0, 1)


def test_the_server_makes_room_for_hundreds_of_open_lessons():
    """zmq allows 1023 sockets per context unless told otherwise: about 170 open pages."""
    import zmq
    from jupyter_client.multikernelmanager import MultiKernelManager

    manager = MultiKernelManager()
    limit = serve._room_for_many_kernels(manager)
    assert limit >= 2400  # 400 open lessons at about six sockets each
    sockets = [manager.context.socket(zmq.PUB) for _ in range(1100)]
    try:
        assert len(sockets) == 1100  # past zmq's default of 1023
    finally:
        for s in sockets:
            s.close(linger=0)
        manager.context.term()


def test_every_module_the_kernel_template_preloads_exists():
    """The forking provisioner imports each name in the course kernelspec's preload list
    into its warm template; a name that no longer exists fails there on every start."""
    import importlib.util

    spec = json.loads((REPO / "share/course-kernel/kernels/python3/kernel.json").read_text())
    preload = spec["metadata"]["kernel_provisioner"]["config"]["preload"]
    missing = [name for name in preload if importlib.util.find_spec(name.partition(":")[0]) is None]
    assert missing == []
    for name in preload:  # module:function entries: the template calls the function
        module, _, function = name.partition(":")
        if function:
            assert callable(getattr(importlib.import_module(module), function)), name
