"""Self-study in JupyterLab, in a real browser: `make lab` as the README says, then each
lesson opened in a fresh workspace and run with Run → Run All Cells, as a learner would.

One JupyterLab server (started by ``make lab``, so also as root) serves the module.
Each lesson gets its own workspace, so no tab or layout carries over from another.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, _free_port, axe_serious, http_get, save_shot
from tests.conftest import REPO
from widgets import i18n
from widgets.content import load_content
from widgets.red_flags import RED_FLAGS

pytestmark = pytest.mark.browser

CONTENT = load_content()
PAGES = ["00-index", *(lesson.id for lesson in CONTENT.course.lessons if lesson.ready)]
# A translation's notebooks open and run the same way (notebooks/es/): its landing page and
# the lesson with the red-flag checker.
PAGES += ["es/00-index", "es/08-when-to-worry"]
SHOTS = ARTIFACTS / "screenshots" / "lab"
# What JupyterLab shows in place of a widget it could not draw, or of a failed cell.
BROKEN = ("Error displaying widget", "Loading widget", "Traceback", "Error:")
# The app is exposed to the page for this (--LabApp.expose_app_in_browser, tests only).
KERNEL_READY = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const context = panel && panel.sessionContext;
  const kernel = context && context.isReady && context.session && context.session.kernel;
  return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
}"""
LOADED = """() => ![...document.querySelectorAll('.jp-OutputArea-output')]
  .some(o => o.textContent.includes('Loading widget'))"""
# axe-core checks what the course puts on the page: the lessons' text and every output.
# JupyterLab's own parts have findings that are JupyterLab's to fix, not the course's
# (aria-allowed-attr on toolbar buttons, code editors without a name, the notebook's
# list roles, the unnamed collapse button beside each heading), so they are left out.
NOTEBOOK = {
    "include": [
        [".jp-NotebookPanel-notebook .jp-MarkdownOutput"],
        [".jp-NotebookPanel-notebook .jp-OutputArea"],
    ],
    "exclude": [[".jp-collapseHeadingButton"]],
}


class Lab:
    """`make lab` on a free port, without a token (the tests are its only visitor)."""

    def __init__(self, log_path, settings_dir):
        # The lessons are the repository's own files: no autosave, so a slow or failed
        # test never leaves outputs in them (other tests would then fail on it).
        docmanager = settings_dir / "@jupyterlab" / "docmanager-extension"
        docmanager.mkdir(parents=True, exist_ok=True)
        (docmanager / "plugin.jupyterlab-settings").write_text('{"autosave": false}\n')
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = log_path.open("w")
        self.proc = subprocess.Popen(
            [
                "make",
                "lab",
                f"PORT={self.port}",
                "ARGS=--no-browser --ServerApp.token= --ServerApp.password= "
                f"--LabApp.expose_app_in_browser=True --LabApp.user_settings_dir={settings_dir}",
            ],
            cwd=REPO,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log()
            try:
                urllib.request.urlopen(self.url + "/api/status", timeout=2)
                return
            except urllib.error.HTTPError:
                return  # answering
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        raise RuntimeError(f"JupyterLab did not start within 90 s:\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text()

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=30)
        self._log.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory, browser):
    # The theme test changes a setting: it goes to a folder of its own, not the user's.
    folder = tmp_path_factory.mktemp("lab")
    server = Lab(folder / "lab.log", folder / "user-settings")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def lab_context(browser, lab):
    # One browser profile for the module, as one learner: JupyterLab's files are cached.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)
    yield context
    context.close()


def open_and_run_all(context, lab, name: str):
    """Open a notebook in a fresh workspace, then Run → Run All Cells; wait till done."""
    pg = context.new_page()
    workspace = name.replace("/", "-")
    pg.goto(f"{lab.url}/lab/workspaces/{workspace}/tree/{name}.ipynb?reset")
    pg.wait_for_selector(".jp-NotebookPanel .jp-Cell")
    # Ready as a learner would wait for it: the notebook's kernel connected and idle
    # (Run All before that runs nothing). JupyterLab's own state says so.
    pg.wait_for_function(KERNEL_READY)
    pg.locator(".lm-MenuBar-item", has_text=re.compile("^Run$")).click()
    pg.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    try:
        pg.wait_for_function("""() => {
          const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
          return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""")
        pg.wait_for_function(KERNEL_READY)
        # JupyterLab draws a widget after its cell has run: "Loading widget..." meanwhile.
        pg.wait_for_function(LOADED)
    except Exception:
        SHOTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(SHOTS / f"{name}-did-not-finish.png"))
        raise
    return pg


def _outputs(pg) -> list[dict]:
    """Each code cell's outputs as the learner sees them (text, and whether a widget drew)."""
    return pg.evaluate("""() => [...document.querySelectorAll('.jp-CodeCell')].map(cell => ({
      source: cell.querySelector('.jp-InputArea-editor').textContent.trim(),
      outputs: [...cell.querySelectorAll('.jp-OutputArea-output')].map(o => ({
        mime: o.dataset.mimeType || '',
        text: o.textContent,
        widget: o.querySelector('.jupyter-widgets') !== null,
      })),
    }))""")


def test_make_lab_opens_the_landing_page_with_a_clean_workspace_also_as_root(lab):
    status, _, location = http_get(f"{lab.url}/")
    assert status == 302 and location.rstrip("?") == "/lab/tree/00-index.ipynb"
    status, _, _ = http_get(f"{lab.url}/lab/tree/00-index.ipynb")
    assert status == 200
    # A clean workspace: nothing saved from an earlier run.
    status, body, _ = http_get(f"{lab.url}/lab/api/workspaces")
    assert status == 200 and json.loads(body)["workspaces"]["ids"] == []
    # No news feed fetched from another host, and no prompt asking to.
    status, body, _ = http_get(f"{lab.url}/lab/api/news")
    assert status == 200 and json.loads(body)["news"] == []
    notification = "@jupyterlab/apputils-extension:notification"
    status, body, _ = http_get(f"{lab.url}/lab/api/settings/{notification}")
    assert json.loads(body)["schema"]["properties"]["fetchNews"]["default"] == "false"
    if os.geteuid() == 0:
        assert "--allow-root" in lab.log()


def _quiz_site_view_and_next_lesson(pg) -> None:
    """Lesson 1: accessible, its quiz answered, its site view and the next lesson opened."""
    assert axe_serious(pg, NOTEBOOK) == []
    card = pg.locator(".course-quiz__card").first
    card.scroll_into_view_if_needed()
    card.get_by_role("radio", name="After one bad week").check()
    card.get_by_role("button", name="Check answer").click()
    expect(card.get_by_role("status")).to_contain_text("Not quite.")
    card.get_by_role("button", name="Try again").click()
    expect(card.get_by_role("status")).to_have_text("")  # the kernel has cleared the card
    card.get_by_role("radio", name="When it has lasted more than 3 months").check()
    card.get_by_role("button", name="Check answer").click()
    expect(card.get_by_role("status")).to_contain_text("Right.")
    expect(pg.locator(".course-quiz__score")).to_contain_text("1 of 5 right (1 answered)")
    save_shot(pg, SHOTS / "01-quiz-answered.png")

    nav = pg.locator(".course-nav")
    nav.scroll_into_view_if_needed()
    expect(nav).to_contain_text("← Previous: Course home")
    expect(nav).to_contain_text("All lessons")
    # The same lesson as a web page, from JupyterLab's own Voila, with the course's look.
    with pg.context.expect_page() as opened:
        nav.get_by_role("link", name="Open this lesson as a web page (no code)").click()
    site = opened.value
    site.wait_for_selector("body[data-course-ready='true']", state="attached")
    expect(
        site.get_by_role("heading", level=1, name="1. What is chronic back pain?")
    ).to_be_visible()
    expect(site.locator(".course-lab-hint")).to_be_hidden()
    expect(site.locator(".course-quiz__card").first).to_be_visible()
    site.close()
    nav.get_by_role("link", name="Next: Why pain persists →").click()
    # JupyterLab opens the next lesson as its own notebook tab, in the same window.
    expect(pg.locator(".jp-mod-current .lm-TabBar-tabLabel")).to_have_text(
        "02-why-pain-persists.ipynb"
    )
    expect(pg.locator(".jp-NotebookPanel:visible h1").first).to_contain_text("2. Why pain persists")


def _checker_ticked(pg) -> None:
    """Lesson 8: the red-flag checker ticked, its emergency advice read, then cleared."""
    checker = pg.locator(".course-red-flags")
    checker.scroll_into_view_if_needed()
    flag = next(f for f in RED_FLAGS if f.id == "saddle_numbness")
    checker.get_by_role("checkbox", name=flag.question, exact=True).check()
    alert = checker.get_by_role("alert")
    expect(alert).to_contain_text("Emergency: get help now.")
    expect(alert).to_contain_text(f"You ticked 1 sign: {flag.name}.")
    alert.scroll_into_view_if_needed()
    save_shot(pg, SHOTS / "08-checker-emergency.png")
    checker.get_by_role("button", name="Clear all answers").click()
    expect(alert).to_have_text("")


def _dark_theme_and_narrow_simple_interface(pg) -> None:
    """Lesson 4: readable in the dark theme and in the narrow simple interface."""
    pg.locator(".lm-MenuBar-item", has_text=re.compile("^Settings$")).click()
    pg.locator(".lm-Menu-item[data-type='submenu']", has_text=re.compile("^Theme$")).click()
    pg.get_by_role("menuitem", name="JupyterLab Dark", exact=True).click()
    expect(pg.locator("body")).to_have_attribute("data-jp-theme-light", "false")
    # The course's colours follow the theme (its dark palette), and axe-core finds no
    # text without enough contrast against the dark page.
    card = pg.locator(".course-quiz__card").first
    card.scroll_into_view_if_needed()
    expect(card).to_have_css("border-top-color", "rgb(74, 80, 88)")
    expect(pg.locator(".course-balance__column--danger")).to_have_css(
        "border-left-color", "rgb(255, 166, 87)"
    )
    assert axe_serious(pg, NOTEBOOK) == []
    save_shot(pg, SHOTS / "04-dark-theme.png")

    # The simple interface (one document, no side bars) in a narrow window: every tool
    # and every output fits its column, nothing needs sideways scrolling.
    pg.locator(".lm-MenuBar-item", has_text=re.compile("^View$")).click()
    pg.locator(".lm-Menu-item[data-type='submenu']", has_text=re.compile("^Appearance$")).click()
    pg.locator(".lm-Menu-item:visible", has_text=re.compile("^Simple Interface")).click()
    expect(pg.locator(".jp-LabShell")).to_have_attribute("data-shell-mode", "single-document")
    pg.set_viewport_size({"width": 640, "height": 900})
    balance = pg.locator(".course-balance")
    balance.scroll_into_view_if_needed()
    expect(balance).to_be_visible()
    too_wide = pg.evaluate("""() => [...document.querySelectorAll(
        '.jp-NotebookPanel-notebook :is(.jp-OutputArea-output, .jp-MarkdownOutput)')]
      .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.slice(0, 60))""")
    assert too_wide == []
    save_shot(pg, SHOTS / "04-dark-simple-interface-narrow.png")
    # Both are settings that last: back to the light theme and the usual interface.
    pg.set_viewport_size({"width": 1280, "height": 900})
    pg.locator(".lm-MenuBar-item", has_text=re.compile("^View$")).click()
    pg.locator(".lm-Menu-item[data-type='submenu']", has_text=re.compile("^Appearance$")).click()
    pg.locator(".lm-Menu-item:visible", has_text=re.compile("^Simple Interface")).click()
    expect(pg.locator(".jp-LabShell")).to_have_attribute("data-shell-mode", "multiple-document")
    pg.locator(".lm-MenuBar-item", has_text=re.compile("^Settings$")).click()
    pg.locator(".lm-Menu-item[data-type='submenu']", has_text=re.compile("^Theme$")).click()
    pg.get_by_role("menuitem", name="JupyterLab Light", exact=True).click()
    expect(pg.locator("body")).to_have_attribute("data-jp-theme-light", "true")


# Journeys through one lesson's tools, after its Run All (one JupyterLab start per lesson).
JOURNEYS = {
    "01-what-is-chronic-back-pain": _quiz_site_view_and_next_lesson,
    "04-prediction-danger-and-safety": _dark_theme_and_narrow_simple_interface,
    "08-when-to-worry": _checker_ticked,
}


@pytest.mark.parametrize("name", PAGES)
def test_each_lesson_runs_all_in_jupyterlab_with_every_widget_drawn(lab_context, lab, name):
    """Run All, then what every lesson must show; then the lesson's journey, if it has one."""
    pg = open_and_run_all(lab_context, lab, name)
    cells = _outputs(pg)
    assert cells[0]["source"].startswith("from widgets import")
    for cell in cells[1:]:
        assert cell["outputs"], f"no output from {cell['source']!r}"
        for out in cell["outputs"]:
            assert "stderr" not in out["mime"] and "error" not in out["mime"], cell
            assert not any(word in out["text"] for word in BROKEN), cell
            if "widget" in out["mime"] or not out["mime"]:
                assert out["widget"], f"widget not drawn: {cell['source']!r}"
    # The one stylesheet reached the page: the lesson furniture is styled.
    assert pg.locator("style#course-widgets-css").count() == 1
    if name.endswith("00-index"):
        expect(pg.locator(".course-map td").first).to_have_css("border-bottom-style", "solid")
    else:
        nav = pg.locator(".course-nav")
        expect(nav).to_have_css("display", "flex")
        language = name.split("/")[0] if "/" in name else "en"
        with i18n.speaking(language):
            next_words = i18n._("Next: {title} →").split("{title}")[0]
        next_link = nav.get_by_role("link", name=re.compile("^" + re.escape(next_words)))
        expect(next_link).to_be_visible()
        expect(pg.locator(".course-quiz__card").first).to_have_css("border-top-style", "solid")
    # The JupyterLab hint is shown here (the website hides it).
    expect(pg.locator(".course-lab-hint").first).to_contain_text("Run All Cells")
    save_shot(pg, SHOTS / f"{name.replace('/', '-')}.png")
    if name in JOURNEYS:
        JOURNEYS[name](pg)
    pg.close()
