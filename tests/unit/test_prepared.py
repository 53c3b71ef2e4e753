"""Pages run once in a prepared template, and kernels forked holding them (issue 15).

The pure parts: how a prepared template runs a cell (``template.run_cell``), what the
server remembers (``widgets.server.prepared``). Then real kernels of the course's
kernelspec, started as Voila starts them, running lesson 01 through nbclient (Voila's
runner): a kernel of a prepared template shows what a kernel that runs the cells shows,
with every widget's state; a second kernel of the same run already holds those widgets
(same ids) and they talk to the page; a run that has gone is refused by name; a page whose
cells fail gives a kernel that runs them itself.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import signal
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

from widgets.server import forking
from widgets.server import prepared as prepared_pages
from widgets.server.forking import template
from widgets.server.prepared import Made, PreparedPages, kernel_id_in

REPO = Path(__file__).resolve().parents[2]
LESSON = REPO / "notebooks" / "01-what-is-chronic-back-pain.ipynb"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
STATE = "application/vnd.jupyter.widget-state+json"


def run_alone(coroutine):
    """Run a coroutine on an event loop of its own, in a thread: the browser tests' Playwright
    keeps a loop running in the main thread for the rest of the session."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# ------------------------------------------------------------------ pure parts
@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("x = 2\nx * 3", 6),
        ("x = 2", None),
        ("x = 2\nx * 3;", None),  # a trailing ; hides the value, as in IPython
        ("def f():\n    return 4\nf()", 4),
        ("None", None),
    ],
)
def test_a_cell_shows_the_value_of_its_last_expression(source, shown):
    assert template.run_cell(source, {}) == shown


@pytest.mark.parametrize(
    ("source", "quiet"),
    [("x;", True), ("x;  # a note", True), ("x  # a;", False), ("x", False), ("f(';')", False)],
)
def test_a_trailing_semicolon_hides_the_value_as_in_ipython(source, quiet):
    assert template.ends_quietly(source) is quiet


@pytest.mark.parametrize(
    ("cell", "sent"),
    [
        ({"cell_type": "code", "source": "x = 1"}, True),
        ({"cell_type": "code", "source": ["x = 1\n", "y = 2"]}, True),
        ({"cell_type": "code", "source": "  \n"}, False),  # nbclient skips an empty cell
        ({"cell_type": "code", "source": "x", "metadata": {"tags": ["skip-execution"]}}, False),
        ({"cell_type": "markdown", "source": "# Title"}, False),
    ],
)
def test_the_cells_prepared_are_those_nbclient_sends(cell, sent):
    assert template.runs(cell) is sent


def test_a_cell_sees_what_an_earlier_cell_made():
    namespace: dict = {}
    template.run_cell("import math\nr = 2", namespace)
    assert template.run_cell("round(math.pi * r)", namespace) == 6


def test_a_failing_cell_raises_in_the_template():
    with pytest.raises(ZeroDivisionError):
        template.run_cell("1 / 0", {})


def test_which_pages_are_made_once(tmp_path):
    (tmp_path / "es").mkdir()
    for name in ("01-a.ipynb", "es/01-a.ipynb", "workshop.ipynb"):
        (tmp_path / name).write_text("{}")
    pages = PreparedPages(str(tmp_path), r"(es/)?\d\d-[^/]+\.ipynb")
    assert pages.wanted("01-a.ipynb", {}) and pages.wanted("es/01-a.ipynb", {})
    assert not pages.wanted("workshop.ipynb", {})  # not a lesson
    assert not pages.wanted("02-missing.ipynb", {})  # no such page
    assert not pages.wanted("01-a.ipynb", {"code": [b"X"]})  # the page could read the query
    assert not PreparedPages(str(tmp_path), "").wanted("01-a.ipynb", {})  # switched off


def test_a_page_that_could_not_be_prepared_is_made_as_usual_for_a_while(tmp_path):
    (tmp_path / "01-a.ipynb").write_text("{}")
    now = [100.0]
    pages = PreparedPages(str(tmp_path), r"\d\d-.*", retry_after=600, clock=lambda: now[0])
    pages.failed("01-a.ipynb")
    assert not pages.wanted("01-a.ipynb", {})
    now[0] += 601
    assert pages.wanted("01-a.ipynb", {})


def test_a_page_is_kept_only_while_its_run_is_alive(tmp_path):
    pages = PreparedPages(str(tmp_path), r"\d\d-.*")
    kernel = "0b5dc58d-41e2-4d45-874e-db134c93c61e"
    made = Made(f'<p>{{"kernelId": "{kernel}"}}</p>', kernel, "run-1", "python3")
    pages.remember("01-a.ipynb", made)
    assert pages.made("01-a.ipynb", {"run-1"}) is made
    assert pages.made("01-a.ipynb", {"run-2"}) is None  # that template has gone
    assert pages.made("01-a.ipynb", {"run-1"}) is None  # and the page is forgotten


def test_the_page_names_the_new_kernel():
    first, second = "0b5dc58d-41e2-4d45-874e-db134c93c61e", "e533208a-93ec-4932-817e-73ccb738445c"
    html = f'<script id="jupyter-config-data">{{"kernelId": "{first}", "x": 1}}</script>'
    assert kernel_id_in(html) == first
    page = Made(html, first, "run-1", "python3").for_kernel(second)
    assert kernel_id_in(page) == second and first not in page
    assert kernel_id_in("<p>no kernel</p>") is None


def test_a_page_is_given_to_other_kernels_only_if_whole_without_errors_and_from_the_run():
    state = {"state": {"a1": {}}}
    page = (
        '<script id="course-widget-state" type="application/vnd.jupyter.widget-state+json">'
        f"{json.dumps(state)}</script></body></html>\n"
    )
    assert prepared_pages.from_run(page, frozenset({"a1", "b2"}))
    assert not prepared_pages.from_run(page, frozenset({"b2"}))  # a widget the run never made
    assert not prepared_pages.from_run(page.replace("</html>", ""), frozenset({"a1"}))  # cut off
    error = '<div data-mime-type="application/vnd.jupyter.stderr">There was an error</div>'
    assert not prepared_pages.from_run(error + page, frozenset({"a1"}))
    assert prepared_pages.from_run("<p>no widgets</p></html>", frozenset())


def test_a_page_is_made_again_when_it_or_what_it_reads_changes(tmp_path):
    (tmp_path / "01-a.ipynb").write_text("{}")
    data = tmp_path / "data"
    data.mkdir()
    (data / "red_flags.yaml").write_text("a: 1")
    now = [100.0]
    pages = PreparedPages(str(tmp_path), r"\d\d-.*", read=[data], clock=lambda: now[0])
    before = pages.version("01-a.ipynb")
    made = Made("page", "k", "run", "python3", version=before)
    pages.remember("01-a.ipynb", made)
    assert pages.made("01-a.ipynb", {"run"}, before) is made
    os.utime(data / "red_flags.yaml", ns=(1, 10**19))  # edited (a later time)
    now[0] += 1.0  # (data/ is looked at once a second)
    after = pages.version("01-a.ipynb")
    assert after != before
    assert pages.made("01-a.ipynb", {"run"}, after) is None


def test_a_page_holding_every_widget_of_its_kernel_is_marked_held():
    kernel = "0b5dc58d-41e2-4d45-874e-db134c93c61e"
    state = {"version_major": 2, "version_minor": 0, "state": {"a1": {}, "b2": {}}}
    html = (
        f'<script id="jupyter-config-data">{{"kernelId": "{kernel}"}}</script>'
        f'<script id="course-widget-state" type="application/vnd.jupyter.widget-state+json">'
        f"{json.dumps(state)}</script>"
    )
    assert prepared_pages.state_ids_in(html) == {"a1", "b2"}
    assert prepared_pages.holds_all(html, frozenset({"a1", "b2"}))
    assert not prepared_pages.holds_all(html, frozenset({"a1", "c3"}))  # the kernel has more
    assert not prepared_pages.holds_all(html, frozenset())  # nothing known of the kernel
    assert not prepared_pages.holds_all("<p>no state</p>", frozenset({"a1"}))
    other = "e533208a-93ec-4932-817e-73ccb738445c"
    held = Made(html, kernel, "run", "python3", held=True).for_kernel(other)
    assert '<script id="course-widget-state" data-course-held type=' in held
    assert "data-course-held" not in Made(html, kernel, "run", "python3").for_kernel(other)


# ------------------------------------------------------------------ real kernels
def real_kernels(test):
    """A test that starts real kernels of the course's kernelspec (slow; Linux only)."""
    needs_pidfd = pytest.mark.skipif(not forking.SUPPORTED, reason="forking needs Linux (pidfd)")
    return pytest.mark.slow(needs_pidfd(test))


@pytest.fixture
def kernels(tmp_path):
    """Start course kernels as Voila does (``prepared``: the notebook, and a run or None)."""
    from widgets.server import app as serve

    ksm = KernelSpecManager(kernel_dirs=[str(p / "kernels") for p in serve.SHARED])
    started: list[AsyncKernelManager] = []

    async def start(prepared=None) -> AsyncKernelManager:
        km = AsyncKernelManager(
            kernel_name="python3",
            kernel_spec_manager=ksm,
            transport="ipc",
            ip=str(tmp_path / f"k{len(started)}"),
        )
        token = forking.prepared_notebook.set(prepared)
        try:
            await km.start_kernel(cwd=str(LESSON.parent))
        finally:
            forking.prepared_notebook.reset(token)
        started.append(km)
        return km

    yield start

    async def stop():
        for km in started:
            if km.has_kernel:
                await km.shutdown_kernel(now=True)

    run_alone(stop())
    forking.stop_templates()


async def run_page(km: AsyncKernelManager, path: Path = LESSON):
    """Run the page as Voila's runner does; return its cells' outputs and widget state."""
    nb = nbformat.read(path, as_version=4)
    await NotebookClient(nb, km=km, timeout=60).async_execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    return outputs, nb.metadata.widgets[STATE]["state"]


async def ask(km: AsyncKernelManager, code: str) -> tuple[str, list[dict]]:
    """Run code; return what it printed and the comm messages it sent."""
    kc = km.client()
    kc.start_channels()
    printed, comms = [], []

    def hook(msg):
        if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
            printed.append(msg["content"]["text"])
        elif msg["msg_type"].startswith("comm_"):
            comms.append(msg)

    try:
        await kc.wait_for_ready(timeout=60)
        reply = await kc.execute_interactive(code, timeout=30, output_hook=hook)
    finally:
        kc.stop_channels()
    assert reply["content"]["status"] == "ok", reply["content"]
    return "".join(printed).strip(), comms


def without_ids(states: dict) -> list[str]:
    """Each widget's model and state, leaving out what names another widget (by id)."""
    return sorted(
        json.dumps(
            [
                s["model_name"],
                {k: v for k, v in s["state"].items() if "IPY_MODEL_" not in json.dumps(v)},
            ],
            sort_keys=True,
        )
        for s in states.values()
    )


async def kill_template(km: AsyncKernelManager) -> None:
    """Kill the prepared template a kernel was forked from, as a crash would; wait until
    it is gone."""
    template = km.provisioner.template
    signal.pidfd_send_signal(template.pidfd, signal.SIGKILL)
    for _ in range(500):
        if not template.alive():
            return
        await asyncio.sleep(0.01)  # poll interval of the wait-for-condition
    raise AssertionError("the template did not die")


def shown(outputs) -> list:
    """What the outputs show, without the widgets' ids."""
    return [
        (o.output_type, o.text)
        if o.output_type == "stream"
        else (o.output_type, sorted(o.data), o.data.get("text/html"), o.data.get("text/plain"))
        for o in outputs
    ]


@real_kernels
@pytest.mark.parametrize(
    "page",
    [
        "01-what-is-chronic-back-pain.ipynb",  # a quiz
        "02-why-pain-persists.ipynb",  # a tool whose widgets change after they are made
        "06-movement-and-pacing.ipynb",
        "es/08-when-to-worry.ipynb",  # the red-flag checker, in Spanish
    ],
)
def test_a_prepared_kernel_shows_the_page_a_kernel_running_it_shows(kernels, page):
    path = REPO / "notebooks" / page

    async def scenario():
        usual, usual_state = await run_page(await kernels(), path)
        km = await kernels((str(path), None))
        assert km.provisioner.generation is not None  # forked from the page's template
        replayed, state = await run_page(km, path)
        assert shown(replayed) == shown(usual)
        # Every widget as the page draws it: made, then changed (classes, values).
        assert without_ids(state) == without_ids(usual_state)
        views = [o.data[WIDGET_VIEW]["model_id"] for o in replayed if WIDGET_VIEW in o.data]
        assert views and all(v in state for v in views)  # the page can draw every widget

    run_alone(scenario())


@real_kernels
def test_a_second_kernel_of_the_run_holds_the_page_widgets_and_they_talk(kernels):
    async def scenario():
        first = await kernels((str(LESSON), None))
        _, state = await run_page(first)
        run = first.provisioner.generation
        second = await kernels((str(LESSON), run))  # as for the next visitor: no cell runs
        assert second.provisioner.generation == run
        held, _ = await ask(
            second,
            "import ipywidgets, json; print(json.dumps(sorted(ipywidgets.Widget.widgets)))",
        )
        assert set(json.loads(held)) == set(state)
        assert second.provisioner.held_comms == set(state)  # what the server is told
        # A learner's choice reaches the kernel's widget; its answer goes back to the page.
        radios = [i for i, s in state.items() if s["model_name"] == "RadioButtonsModel"]
        _, comms = await ask(
            second,
            f"import ipywidgets\nw = ipywidgets.Widget.widgets[{radios[0]!r}]\nw.index = 1",
        )
        assert any(
            m["content"]["comm_id"] == radios[0] and m["content"]["data"]["method"] == "update"
            for m in comms
        )
        assert second.provisioner.pid != first.provisioner.pid

    run_alone(scenario())


@real_kernels
def test_a_run_that_has_gone_is_refused_and_a_new_one_takes_over(kernels):
    async def scenario():
        first = await kernels((str(LESSON), None))
        run = first.provisioner.generation
        await kill_template(first)
        with pytest.raises(forking.PreparedGone):
            await kernels((str(LESSON), run))
        again = await kernels((str(LESSON), None))
        assert again.provisioner.generation not in (None, run)
        assert forking.live_generations(str(LESSON)) == {again.provisioner.generation}

    run_alone(scenario())


@real_kernels
def test_a_page_whose_cells_fail_gets_a_kernel_that_runs_them(kernels, tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1 / 0")]
    broken = tmp_path / "01-broken.ipynb"
    nbformat.write(nb, broken)

    async def scenario():
        km = await kernels((str(broken), None))
        assert km.provisioner.generation is None and km.provisioner.pidfd is not None
        printed, _ = await ask(km, "print(6 * 7)")
        assert printed == "42"

    run_alone(scenario())


def test_visitors_arriving_while_a_page_is_made_wait_for_it(tmp_path):
    pages = PreparedPages(str(tmp_path), r"\d\d-.*")
    order: list[str] = []

    async def first():
        with pages.making("01-a.ipynb"):
            order.append("making")
            await asyncio.sleep(0.05)
            pages.remember("01-a.ipynb", Made("page", "k", "run", "python3"))
            order.append("made")

    async def second():
        await asyncio.sleep(0)  # arrives once the first is making it
        await pages.wait_while_made("01-a.ipynb", timeout=5)
        order.append("second: " + pages.made("01-a.ipynb", {"run"}).html)

    async def scenario():
        await asyncio.gather(first(), second())
        await pages.wait_while_made("01-a.ipynb", timeout=5)  # nobody making: no wait

    run_alone(scenario())
    assert order == ["making", "made", "second: page"]


@real_kernels
def test_a_template_whose_kernels_have_all_gone_can_be_stopped(kernels):
    async def scenario():
        km = await kernels((str(LESSON), None))
        run = km.provisioner.generation
        assert forking.stop_idle_prepared(0) == []  # its kernel is still running
        assert forking.stop_idle_prepared(3600) == []
        await km.shutdown_kernel(now=True)
        assert forking.stop_idle_prepared(3600) == []  # not idle for an hour yet
        assert forking.stop_idle_prepared(0) == [str(LESSON)]
        assert run not in forking.live_generations(str(LESSON))
        again = await kernels((str(LESSON), None))  # the next visitor gets a new run
        assert again.provisioner.generation not in (None, run)

    run_alone(scenario())


@real_kernels
def test_skipped_empty_and_repeated_cells_are_replayed_as_they_run(kernels, tmp_path):
    nb = nbformat.v4.new_notebook()
    skipped = nbformat.v4.new_code_cell("print('not run')")
    skipped.metadata["tags"] = ["skip-execution"]
    nb.cells = [
        nbformat.v4.new_code_cell("import ipywidgets as ipw\nn = [0]"),
        nbformat.v4.new_code_cell(""),
        skipped,
        nbformat.v4.new_code_cell("n[0] += 1\nprint('count', n[0])\nipw.HTML(str(n[0]))"),
        nbformat.v4.new_code_cell("n[0] += 1\nprint('count', n[0])\nipw.HTML(str(n[0]))"),
        nbformat.v4.new_code_cell("n[0];  # hidden, as in IPython"),
    ]
    path = tmp_path / "01-cells.ipynb"
    nbformat.write(nb, path)

    async def scenario():
        usual, usual_state = await run_page(await kernels(), path)
        km = await kernels((str(path), None))
        assert km.provisioner.generation is not None
        replayed, state = await run_page(km, path)
        assert shown(replayed) == shown(usual)
        assert [o.text for o in replayed if o.output_type == "stream"] == ["count 1\n", "count 2\n"]
        assert without_ids(state) == without_ids(usual_state)
        assert set(state) == km.provisioner.held_comms  # every widget on the page is the run's

    run_alone(scenario())


@real_kernels
def test_a_kernel_keeps_the_run_it_was_forked_from_after_its_template_is_replaced(kernels):
    async def scenario():
        first = await kernels((str(LESSON), None))
        run, comms = first.provisioner.generation, first.provisioner.held_comms
        await kill_template(first)
        second = await kernels((str(LESSON), None))  # starts the template again: a new run
        assert second.provisioner.generation not in (None, run)
        assert first.provisioner.generation == run and first.provisioner.held_comms == comms

    run_alone(scenario())
