"""The Voila site as visitors meet it: every page, the menu, loading, lost connection, progress.

Every page of the course is opened on a desktop and a phone screen: landmarks are there,
axe-core finds no serious or critical problem, nothing scrolls sideways at 375 px, no
request goes to another host, and a screenshot of each is saved under artifacts/.
"""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    answer_lesson_01_first_question,
    axe_serious,
    frames_sent,
    screenshot,
    wait_for_lesson,
)
from tests.conftest import NOTEBOOKS
from widgets.content import load_content

pytestmark = pytest.mark.browser

PAGES = sorted(
    str(p.relative_to(NOTEBOOKS))
    for p in NOTEBOOKS.rglob("*.ipynb")
    if ".ipynb_checkpoints" not in p.parts
)
LESSON_01 = "/voila/render/01-what-is-chronic-back-pain.ipynb"
HOME = "/voila/render/00-index.ipynb"
STORE_KEY = "backpain-course-progress-v1"


def _shot_name(page_path: str) -> str:
    return page_path.removesuffix(".ipynb").replace("/", "--")


def _words(page_path: str) -> dict:
    """What a page says in its language (its folder's: ``es/...`` is Spanish)."""
    from widgets import i18n
    from widgets.content.generated import language_of
    from widgets.i18n.site import site_text

    language = language_of(NOTEBOOKS / page_path)
    with i18n.speaking(language):
        course = load_content().course
    return {**site_text(language), "code": language, "title": course.title,
            "disclaimer": course.disclaimer.split(".")[1].strip()}  # fmt: skip


@pytest.mark.parametrize("page_path", PAGES)
def test_every_page_on_desktop(page, voila, page_path):
    pg = page.page
    words = _words(page_path)
    pg.goto(f"{voila.url}/voila/render/{page_path}")
    wait_for_lesson(pg)
    assert pg.locator("html").get_attribute("lang") == words["code"]
    expect(pg.get_by_role("banner")).to_contain_text(words["title"])
    expect(pg.get_by_role("navigation", name=words["lessons"], exact=True)).to_be_visible()
    expect(pg.get_by_role("navigation", name=words["language"])).to_be_visible()
    expect(pg.get_by_role("main")).to_be_visible()
    # The notice is the page's own text, said once; the footer points to the warning signs.
    expect(pg.locator("main blockquote", has_text=words["disclaimer"])).to_have_count(1)
    expect(
        pg.get_by_role("contentinfo").get_by_role("link", name=words["footer_link"])
    ).to_be_visible()
    expect(pg.locator("h1").first).to_be_visible()
    # The lessons' JupyterLab hint ("Run All Cells") is not for the website.
    for hint in pg.locator(".course-lab-hint").all():
        expect(hint).to_be_hidden()
    assert pg.title().strip() != "" and not pg.title().endswith(".ipynb")
    for img in pg.locator("main img").all():
        assert (img.get_attribute("alt") or "").strip(), "every image has alt text"
    for svg in pg.locator("main svg[role=img]").all():
        assert svg.get_attribute("aria-labelledby") or svg.get_attribute("aria-label")
    assert axe_serious(pg) == []
    screenshot(pg, f"{_shot_name(page_path)}-desktop")
    assert page.off_server() == [], "every request stays on the course server"


@pytest.mark.parametrize("page_path", PAGES)
def test_every_page_on_a_phone(phone_page, voila, page_path):
    pg = phone_page.page
    pg.goto(f"{voila.url}/voila/render/{page_path}")
    wait_for_lesson(pg)
    widths = pg.evaluate(
        "() => { const c = document.querySelector('#rendered_cells');"
        " return [c.scrollWidth, c.clientWidth, document.documentElement.scrollWidth]; }"
    )
    assert widths[0] <= widths[1] + 1 and widths[2] <= 376, f"sideways scroll: {widths}"
    # Every control can be reached: nothing interactive lies outside the screen's width.
    outside = pg.evaluate(
        "() => [...document.querySelectorAll('#rendered_cells button, #rendered_cells input,"
        " #rendered_cells select, #rendered_cells textarea, #rendered_cells a[href]')]"
        ".filter(e => e.checkVisibility() && !e.classList.contains('course-skip'))"
        ".filter(e => { const r = e.getBoundingClientRect();"
        " return r.right > 376 || r.left < -1; })"
        ".map(e => e.outerHTML.slice(0, 80))"
    )
    assert outside == []
    assert axe_serious(pg) == []
    screenshot(pg, f"{_shot_name(page_path)}-phone")
    assert phone_page.off_server() == []


def test_menu_lists_every_lesson_and_marks_the_current_one(page, voila):
    pg = page.page
    pg.goto(voila.url + LESSON_01)
    wait_for_lesson(pg)
    menu = pg.get_by_role("navigation", name="Lessons")
    menu.get_by_text("All lessons").click()
    for n, lesson in enumerate(load_content().course.lessons, start=1):
        if lesson.ready:
            expect(menu.get_by_role("link", name=f"{n}. {lesson.title}")).to_be_visible()
        else:
            expect(menu.get_by_text(f"{n}. {lesson.title} (coming soon)")).to_be_visible()
    current = menu.locator("a[aria-current=page]")
    expect(current).to_have_text("1. What is chronic back pain?")
    menu.get_by_role("link", name="Course home").click()
    pg.wait_for_url(re.compile(re.escape(HOME)))


def test_previous_and_next_follow_the_course(page, voila):
    pg = page.page
    pg.goto(voila.url + HOME)
    wait_for_lesson(pg)
    prevnext = pg.get_by_role("navigation", name="Previous and next lesson")
    prevnext.get_by_role("link", name=re.compile("^Next: What is chronic back pain")).click()
    pg.wait_for_url(re.compile(re.escape(LESSON_01)))
    wait_for_lesson(pg)
    prevnext = pg.get_by_role("navigation", name="Previous and next lesson")
    expect(prevnext.get_by_role("link", name="← Previous: Course home")).to_be_visible()
    ready = [x for x in load_content().course.lessons if x.ready]
    following = ready[1].title if len(ready) > 1 else None
    name = f"Next: {following} →" if following else "Back to the course home →"
    expect(prevnext.get_by_role("link", name=name)).to_be_visible()
    # The lessons' own links (for JupyterLab) are hidden where the template draws these.
    expect(pg.locator(".course-nav")).to_be_hidden()


NETWORK_REQUESTS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource')
    .filter(r => r.name.startsWith(location.origin) && r.transferSize > 0);
  return [nav.name, ...res.map(r => r.name)].map(u => u.replace(location.origin, ''));
}"""


def test_the_next_lesson_comes_from_the_browsers_cache_but_its_own_page(page, voila):
    """A first visit costs at most 30 requests (the page, its stylesheets, the course's
    one-file front end, the kernel); the next lesson a handful: its page and its kernel's
    websocket; every script and stylesheet is kept (issue 20)."""
    pg = page.page
    sockets = []
    pg.on("websocket", lambda ws: sockets.append(ws.url))
    pg.goto(voila.url + LESSON_01)
    wait_for_lesson(pg)
    first = pg.evaluate(NETWORK_REQUESTS)
    assert any("/course-widgets.js?v=" in u for u in first), first  # the front end
    assert len(first) + len(sockets) <= 30, (first, sockets)
    sockets.clear()
    nav = pg.get_by_role("navigation", name="Previous and next lesson")
    nav.get_by_role("link", name=re.compile("^Next: ")).click()
    pg.wait_for_url(re.compile(r"02-[a-z-]+\.ipynb"))
    wait_for_lesson(pg)
    fetched = pg.evaluate(NETWORK_REQUESTS)
    assert fetched[0].startswith("/voila/render/02-")
    assert not [u for u in fetched if "/static/" in u or "/labextensions/" in u], fetched
    assert len(fetched) + len(sockets) <= 5, (fetched, sockets)


def test_the_front_end_is_asked_for_only_once_the_whole_lesson_is_painted(page, voila):
    """So the lesson's text never waits on it (Lighthouse's largest contentful paint)."""
    pg = page.page
    pg.goto(voila.url + LESSON_01)
    wait_for_lesson(pg)
    times = pg.evaluate(
        """() => ({
          fcp: performance.getEntriesByName('first-contentful-paint')[0].startTime,
          parsed: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
          script: performance.getEntriesByType('resource')
                   .find(r => /\\/course-widgets\\.js\\?v=/.test(r.name)).startTime,
        })"""
    )
    assert times["script"] >= max(times["fcp"], times["parsed"]), times


def test_loading_state_is_announced_until_the_widgets_are_drawn(page, voila):
    """While the front end is on its way the page says it is getting ready; if it cannot
    be fetched, the same place says so, and that reloading usually helps."""
    pg = page.page
    front_end = re.compile(r".*/course-widgets\.js.*")
    held = []
    pg.route(front_end, lambda route: held.append(route))  # neither answered nor refused yet
    with pg.expect_request(front_end):
        pg.goto(voila.url + LESSON_01)
    pg.wait_for_selector("#rendered_cells", state="visible")
    status = pg.locator("#course-status")
    expect(status).to_be_visible()
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text("Getting the interactive parts of this page ready…")
    assert pg.locator("body[data-course-ready='true']").count() == 0
    held[0].abort()
    expect(status).to_have_text(
        "The interactive parts of this page could not be loaded. "
        "Reloading the page usually helps; the lesson's text is all here."
    )
    expect(pg.locator("body")).to_have_attribute("data-course-front-end", "failed")
    assert pg.locator("body[data-course-ready='true']").count() == 0


def test_widget_messages_go_to_the_kernels_main_shell(page, voila):
    """As under Voila's own front end: no kernel subshell is opened for the widgets
    (@jupyterlab/services 7.6 opens one per comm target unless told not to), so the
    course's callbacks run on the kernel's main thread."""
    pg = page.page
    sent = frames_sent(pg)
    pg.goto(voila.url + LESSON_01)
    wait_for_lesson(pg)
    answer_lesson_01_first_question(pg)
    assert any('"comm_msg"' in frame for frame in sent)  # the click went over the socket
    assert not [f for f in sent if "subshell_request" in f]
    assert not [f for f in sent if re.search(r'"subshell_id":\s*"', f)]


def test_the_lesson_is_readable_before_any_script_runs(browser, voila):
    """A slow phone reads the lesson while the scripts arrive: with scripts off,
    the page already shows the prose, the notice and each static table and chart, with a
    note where each tool will be (issue 20)."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 412, "height": 823})
    try:
        pg = context.new_page()
        pg.goto(voila.url + LESSON_01)
        main = pg.locator("#course-main")
        name = "1. What is chronic back pain?"
        expect(main.get_by_role("heading", level=1, name=name)).to_be_visible()
        expect(main).to_contain_text(load_content().course.disclaimer.split(".")[0])
        expect(main.locator("svg[role=img]").first).to_be_visible()  # a static chart
        expect(main.locator(".course-sources")).to_be_visible()  # the sources, as HTML
        pending = main.locator(".course-pending")
        assert pending.count() >= 1
        expect(pending.first).to_have_text("Getting this tool ready…")
        expect(pg.locator("#course-status")).to_have_attribute("role", "status")
        assert main.locator("script[type='application/vnd.voila.cell-output+json']").count() == (
            pending.count()
        )  # only the tools wait for the scripts
    finally:
        context.close()


def _kernel_pids(kernel_id: str) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if f"kernel-{kernel_id}" in cmdline:
                pids.append(int(proc.name))
    return pids


def test_a_killed_kernel_shows_a_clear_message_and_a_reload_recovers(page, voila):
    """The kernel process is killed (the server stays up): the page says so."""
    import json

    pg = page.page
    pg.goto(voila.url + LESSON_01)
    wait_for_lesson(pg)
    kernel_id = json.loads(pg.locator("#jupyter-config-data").text_content())["kernelId"]
    pids = _kernel_pids(kernel_id)
    assert pids, "the page's kernel process is running"
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    alert = pg.get_by_role("alert")
    expect(alert).to_contain_text("lost its connection", timeout=30_000)
    expect(alert).to_contain_text("Reload the page")
    # Told by the kernel's own status message, which JupyterLab 4's client receives in
    # the binary websocket protocol (not by the socket closing, which may come later).
    body = pg.locator("body")
    assert body.get_attribute("data-course-kernel-protocol") == "v1.kernel.websocket.jupyter.org"
    assert body.get_attribute("data-course-connection") in ("restarting", "dead")
    alert.get_by_role("button", name="Reload the page").click()
    wait_for_lesson(pg)
    expect(pg.locator("#course-connection")).to_be_hidden()
    answer_lesson_01_first_question(pg)


def test_progress_stays_in_the_browser_and_can_be_forgotten(page, voila):
    pg = page.page
    bodies: list[str] = []
    pg.on("request", lambda r: bodies.append((r.url or "") + (r.post_data or "")))
    pg.goto(voila.url + HOME)
    wait_for_lesson(pg)
    panel = pg.get_by_role("region", name="Your progress")
    expect(panel).to_contain_text("You have not started a lesson in this browser yet.")

    pg.goto(voila.url + LESSON_01)
    wait_for_lesson(pg)
    answer_lesson_01_first_question(pg)
    pg.wait_for_function(f"() => (localStorage.getItem('{STORE_KEY}') || '').includes('quizzes')")

    pg.goto(voila.url + HOME)
    wait_for_lesson(pg)
    panel = pg.get_by_role("region", name="Your progress")
    expect(panel).to_contain_text("1. What is chronic back pain?: visited; quiz 1 of 5 right")
    panel.get_by_role("button", name="Forget my progress").click()
    expect(panel).to_contain_text("You have not started a lesson in this browser yet.")
    expect(pg.locator("#course-progress-note")).to_have_text(
        "Your progress has been forgotten in this browser."
    )
    assert pg.evaluate(f"() => localStorage.getItem('{STORE_KEY}')") is None
    assert not any(STORE_KEY in b or "quizzes" in b for b in bodies), "progress never leaves"


def _tab_to(pg, locator, limit: int = 120) -> None:
    for _ in range(limit):
        pg.keyboard.press("Tab")
        if locator.evaluate("e => e === document.activeElement"):
            return
    pytest.fail(f"cannot reach {locator} with Tab")


def test_keyboard_only_landing_lesson_quiz_then_red_flag_checker(page, voila):
    pg = page.page
    pg.goto(voila.url + HOME)
    wait_for_lesson(pg)
    link = pg.get_by_role("link", name=re.compile("Start with lesson 1"))
    for _ in range(40):
        pg.keyboard.press("Tab")
        if link.evaluate("e => e === document.activeElement"):
            break
    else:
        pytest.fail("the lesson link cannot be reached with Tab")
    pg.keyboard.press("Enter")
    pg.wait_for_url(re.compile(re.escape(LESSON_01)))
    wait_for_lesson(pg)
    target = pg.locator(".course-quiz__card").first.get_by_role("radio").first
    for _ in range(80):
        pg.keyboard.press("Tab")
        if target.evaluate("e => e === document.activeElement"):
            break
    else:
        pytest.fail("the first quiz answer cannot be reached with Tab")
    pg.keyboard.press("ArrowDown")  # "When it has lasted more than 3 months"
    pg.keyboard.press("Tab")
    pg.keyboard.press("Enter")
    expect(pg.locator(".course-quiz__card").first.get_by_role("status")).to_contain_text("Right.")

    # On to the red-flag checker through the lesson menu, still by keyboard alone.
    menu = pg.get_by_role("navigation", name="Lessons")
    summary = menu.locator("summary")
    _tab_to(pg, summary, limit=400)  # Tab runs on past the page's end and back to the top
    pg.keyboard.press("Enter")
    link = menu.get_by_role("link", name="8. When to worry")
    _tab_to(pg, link, limit=20)
    pg.keyboard.press("Enter")
    pg.wait_for_url(re.compile(r"08-when-to-worry\.ipynb"))
    wait_for_lesson(pg)
    box = pg.locator(".course-red-flags__box input[type=checkbox]").nth(1)  # saddle numbness
    _tab_to(pg, box)
    pg.keyboard.press("Space")
    alert = pg.locator(".course-red-flags__alert").get_by_role("alert")
    expect(alert).to_contain_text("Emergency")
    expect(alert).to_contain_text("999")
    _tab_to(pg, pg.get_by_role("button", name="Clear all answers"))
    pg.keyboard.press("Enter")
    expect(alert).not_to_contain_text("Emergency")
    expect(box).not_to_be_checked()


def test_a_server_restart_shows_a_clear_message_and_a_reload_recovers(browser, tmp_path):
    from tests.browser.conftest import VoilaServer

    # No ready kernels: this is about the connection, and each start would spawn a dozen.
    cold = ["--VoilaConfiguration.preheat_kernel=False"]
    server = VoilaServer(tmp_path / "first.log", cold)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    pg = context.new_page()
    try:
        pg.goto(server.url + LESSON_01)
        wait_for_lesson(pg)
        server.stop()
        alert = pg.get_by_role("alert")
        expect(alert).to_contain_text("lost its connection", timeout=30_000)
        server = VoilaServer(tmp_path / "second.log", cold, port=server.port)  # same address
        alert.get_by_role("button", name="Reload the page").click()
        wait_for_lesson(pg)
        answer_lesson_01_first_question(pg)
    finally:
        context.close()
        server.stop()


def test_a_tool_that_cannot_be_drawn_says_so_and_the_rest_still_work(page, voila):
    """The front end meets a widget the kernel does not have (as after a restart): that
    tool's place says so in a sentence, with no traceback, and the lesson's other tools
    are drawn and work."""
    pg = page.page

    # Before the front end reads the page (it starts after DOMContentLoaded and a frame),
    # the first tool's model id is changed to one the kernel does not have.
    pg.add_init_script(
        """document.addEventListener("DOMContentLoaded", () => {
             const out = [...document.querySelectorAll(
               'script[type="application/vnd.voila.cell-output+json"]')]
               .find(s => s.textContent.includes("widget-view+json"));
             out.textContent = out.textContent.replace(/"model_id": "[0-9a-f]+"/,
                                                       '"model_id": "' + "0".repeat(32) + '"');
           });"""
    )
    pg.goto(voila.url + "/voila/render/03-sensitisation.ipynb")
    alert = pg.locator("#course-main .course-widget-error")
    expect(alert).to_have_count(1)
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_have_text(
        "This tool could not be shown. Reloading the page usually helps; "
        "the rest of the lesson works without it."
    )
    assert "Error" not in pg.locator("#course-main").inner_text()
    quiz = pg.locator(".course-quiz__card").first
    expect(quiz).to_be_visible()
    quiz.get_by_role("radio").first.check()
    quiz.get_by_role("button", name="Check answer").click()
    expect(quiz.get_by_role("status")).not_to_be_empty()
