"""A visitor's journeys in headless Chromium, with axe-core and a record of every request."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_serious, screenshot, wait_for_lesson

pytestmark = pytest.mark.browser

LESSON_01 = "/voila/render/01-what-is-chronic-back-pain.ipynb"
HOME = "/voila/render/00-index.ipynb"


def _card(page, n: int):
    return page.page.locator(".course-quiz__card").nth(n)


def test_landing_to_lesson_quiz_wrong_then_right(page, voila):
    pg = page.page
    pg.goto(voila.url + "/")
    wait_for_lesson(pg)
    expect(pg).to_have_title(re.compile("course home"))
    expect(
        pg.get_by_role("heading", level=1, name="Understanding chronic back pain")
    ).to_be_visible()
    expect(pg.locator("table.course-map")).to_contain_text("What is chronic back pain?")
    assert axe_serious(pg) == []
    screenshot(pg, "00-index-desktop")

    pg.get_by_role("link", name=re.compile("Start with lesson 1")).click()
    pg.wait_for_url(re.compile(re.escape(LESSON_01)))
    wait_for_lesson(pg)
    expect(pg.get_by_role("heading", level=1, name="1. What is chronic back pain?")).to_be_visible()
    expect(pg.locator("figure.course-chart svg[role=img]")).to_be_visible()

    card = _card(page, 0)
    card.get_by_role("radio", name="After one bad week").check()
    card.get_by_role("button", name="Check answer").click()
    feedback = card.get_by_role("status")
    expect(feedback).to_contain_text("Not quite.")
    expect(feedback).to_contain_text("A week of pain is hard")
    expect(feedback).to_contain_text("Source: Treede RD et al. 2019")
    expect(pg.locator(".course-quiz__score")).to_contain_text("0 of 5 right (1 answered)")

    card.get_by_role("button", name="Try again").click()
    expect(feedback).to_have_text("")
    card.get_by_role("radio", name="When it has lasted more than 3 months").check()
    card.get_by_role("button", name="Check answer").click()
    expect(feedback).to_contain_text("Right.")
    expect(feedback).to_contain_text("Pain that lasts or keeps coming back")
    expect(pg.locator(".course-quiz__score")).to_contain_text("1 of 5 right (1 answered)")

    assert axe_serious(pg) == []
    screenshot(pg, "01-what-is-chronic-back-pain-desktop")
    assert page.off_server() == []


def test_quiz_with_the_keyboard_alone(page, voila):
    pg = page.page
    pg.goto(voila.url + LESSON_01)
    wait_for_lesson(pg)
    card = _card(page, 1)
    first_radio = card.get_by_role("radio", name="True")
    first_radio.focus()
    pg.keyboard.press("ArrowDown")  # moves the choice to "False"
    expect(card.get_by_role("radio", name="False")).to_be_checked()
    pg.keyboard.press("Tab")
    expect(card.get_by_role("button", name="Check answer")).to_be_focused()
    pg.keyboard.press("Enter")
    expect(card.get_by_role("status")).to_contain_text("Right.")


def test_skip_link_is_first_and_lands_on_the_lesson(page, voila):
    pg = page.page
    pg.goto(voila.url + LESSON_01)
    wait_for_lesson(pg)
    pg.keyboard.press("Tab")
    skip = pg.get_by_role("link", name="Skip to the lesson")
    expect(skip).to_be_focused()
    expect(pg.get_by_role("banner")).to_contain_text("Understanding chronic back pain")
    expect(pg.get_by_role("main")).to_contain_text('What does "chronic" mean?')
    # The notice is the page's own text, said once; the footer points to the warning signs.
    expect(pg.locator("main blockquote", has_text="does not diagnose you")).to_have_count(1)
    expect(
        pg.get_by_role("contentinfo").get_by_role("link", name="lesson 8, When to worry")
    ).to_be_visible()


def test_phone_width_has_no_sideways_scroll(phone_page, voila):
    pg = phone_page.page
    for path, name in ((HOME, "00-index"), (LESSON_01, "01-what-is-chronic-back-pain")):
        pg.goto(voila.url + path)
        wait_for_lesson(pg)
        overflow = pg.evaluate(
            "() => { const c = document.querySelector('#rendered_cells');"
            " return [c.scrollWidth, c.clientWidth, document.documentElement.scrollWidth]; }"
        )
        assert overflow[0] <= overflow[1] + 1 and overflow[2] <= 376, overflow
        screenshot(pg, f"{name}-phone")
    _card(phone_page, 0).get_by_role("radio", name="When it has lasted more than 3 months").check()
    _card(phone_page, 0).get_by_role("button", name="Check answer").click()
    expect(_card(phone_page, 0).get_by_role("status")).to_contain_text("Right.")


def test_closing_the_tab_shuts_its_kernel_down(page, voila):
    pg = page.page
    pg.goto(voila.url + LESSON_01)
    wait_for_lesson(pg)
    kernel_id = json.loads(pg.locator("#jupyter-config-data").text_content())["kernelId"]
    assert voila.kernel_alive(kernel_id)
    pg.goto("about:blank")  # fires beforeunload, which sends the shutdown request
    assert voila.still_alive([kernel_id], timeout=10) == [], "kernel alive after the tab closed"
    assert "'_xsrf' argument missing" not in voila.log()
    _one_shutdown_request(voila, kernel_id)


def test_a_tab_closed_before_voilas_front_end_loaded_still_shuts_its_kernel_down(page, voila):
    # Voila's own shutdown beacon is set up by its widget-manager bundle, after that
    # bundle loads; a preheated page shows its cells before then. Keep the bundle from
    # loading at all: the course's page must still send the shutdown request on leaving.
    pg = page.page
    pg.route("**/voila/labextensions/**", lambda route: route.abort())
    pg.goto(voila.url + LESSON_01)
    pg.wait_for_selector("#rendered_cells", state="attached")
    kernel_id = json.loads(pg.locator("#jupyter-config-data").text_content())["kernelId"]
    assert voila.kernel_alive(kernel_id)
    pg.goto("about:blank")
    assert voila.still_alive([kernel_id], timeout=10) == [], "kernel alive after the tab closed"
    _one_shutdown_request(voila, kernel_id)


def _one_shutdown_request(voila, kernel_id: str) -> None:
    # (Playwright does not report beacons, so the server's log is the witness: a
    # second request for the same kernel would be refused with a 404 and logged.)
    log = voila.log()
    assert log.count(f"Kernel shutdown: {kernel_id}") == 1
    assert f"/voila/api/shutdown/{kernel_id}" not in log, "a refused or repeated request"
