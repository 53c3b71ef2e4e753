"""Lessons 4 and 5 in headless Chromium: the danger/safety balance and the ten-myth quiz."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_serious, screenshot, wait_for_lesson
from widgets.content.myths import load_myths
from widgets.logic.myths import right_answer

pytestmark = pytest.mark.browser

L04 = "/voila/render/04-prediction-danger-and-safety.ipynb"
L05 = "/voila/render/05-science-and-myths.ipynb"


def _beam(balance) -> tuple[float, float]:
    """y of the beam's left (danger) and right (safety) ends; y grows downwards."""
    beam = balance.locator("svg[role=img] line[stroke-width='6']")
    return float(beam.get_attribute("y1")), float(beam.get_attribute("y2"))


def _no_sideways_scroll(pg) -> None:
    overflow = pg.evaluate(
        "() => { const c = document.querySelector('#rendered_cells');"
        " return [c.scrollWidth, c.clientWidth, document.documentElement.scrollWidth]; }"
    )
    assert overflow[0] <= overflow[1] + 1 and overflow[2] <= 376, overflow


def test_tick_cues_move_the_balance_add_own_cue_and_download(page, voila):
    pg = page.page
    pg.goto(voila.url + L04)
    wait_for_lesson(pg)
    title = pg.get_by_role("heading", level=1, name="4. Prediction, danger and safety")
    expect(title).to_be_visible()
    balance = pg.locator(".course-balance")
    verdict = balance.locator(".course-balance__verdict").get_by_role("status")
    desc = balance.locator("svg[role=img] desc")
    expect(verdict).to_contain_text("The balance is empty.")
    drawing = balance.locator("svg[role=img]")
    expect(drawing).to_be_visible()
    assert drawing.bounding_box()["width"] >= 250  # drawn at a readable size, not squashed
    left, right = _beam(balance)
    assert left == pytest.approx(right)

    balance.get_by_role("checkbox", name="A run of poor sleep").check()
    balance.get_by_role("checkbox", name="Worry that my back is damaged or fragile").check()
    expect(verdict).to_contain_text("Danger weighs more: 2 danger cues and 0 safety cues.")
    expect(desc).to_contain_text("The danger side hangs lower.")
    left, right = _beam(balance)
    assert left > right  # the danger end went down
    suggestions = balance.locator(".course-balance__suggestions")
    expect(suggestions).to_contain_text("A good night's sleep.")
    expect(suggestions).to_contain_text("Knowing how pain works.")

    for name in (
        "A good night's sleep",
        "Knowing how pain works",
        "A movement that went better than I expected",
    ):
        balance.get_by_role("checkbox", name=name).check()
    expect(verdict).to_contain_text("Safety weighs more: 3 safety cues and 2 danger cues.")
    expect(desc).to_contain_text("The safety side hangs lower.")
    left, right = _beam(balance)
    assert right > left

    # A cue of my own: empty, odd characters, too long, then a good one.
    own = balance.get_by_role("textbox", name="Your own cue")
    add_safety = balance.get_by_role("button", name="Add to safety side")
    message = balance.locator(".course-balance__message").get_by_role("status")
    add_safety.click()
    expect(message).to_have_text('Please type a few words first, for example "a walk with my dog".')
    own.fill("<b>my dog</b>")
    add_safety.click()
    expect(message).to_contain_text("These cannot be used: < >")
    own.fill("a" * 95)
    add_safety.click()
    expect(message).to_contain_text("Please keep your cue to 80 characters or fewer. Yours has 95.")
    expect(verdict).to_contain_text("Safety weighs more: 3 safety cues and 2 danger cues.")
    own.fill("A walk with my dog")
    add_safety.click()
    expect(message).to_have_text("Added to the safety side and ticked: A walk with my dog")
    expect(balance.get_by_role("checkbox", name="A walk with my dog (my own)")).to_be_checked()
    expect(verdict).to_contain_text("Safety weighs more: 4 safety cues and 2 danger cues.")
    expect(own).to_have_value("")

    with pg.expect_download() as info:
        balance.get_by_role("link", name="Download my list (text file)").click()
    download = info.value
    assert download.suggested_filename == "my-danger-and-safety-cues.txt"
    text = open(download.path(), encoding="utf-8").read()
    assert "- A walk with my dog" in text and "- A run of poor sleep" in text
    assert "Safety weighs more: 4 safety cues and 2 danger cues." in text

    assert axe_serious(pg) == []
    screenshot(pg, "04-prediction-danger-and-safety-desktop")
    assert page.off_server() == []


def test_balance_works_with_the_keyboard(page, voila):
    pg = page.page
    pg.goto(voila.url + L04)
    wait_for_lesson(pg)
    balance = pg.locator(".course-balance")
    box = balance.get_by_role("checkbox", name="Stress at work")
    box.focus()
    pg.keyboard.press("Space")
    expect(box).to_be_checked()
    expect(balance.locator(".course-balance__verdict").get_by_role("status")).to_contain_text(
        "Danger weighs more: 1 danger cue and 0 safety cues."
    )


def test_answer_the_whole_myth_quiz_to_its_summary(page, voila):
    pg = page.page
    pg.goto(voila.url + L05)
    wait_for_lesson(pg)
    expect(pg.get_by_role("heading", level=1, name="5. Science and myths")).to_be_visible()
    expect(
        pg.get_by_role("heading", level=2, name='"My scan was normal, but the pain goes on"')
    ).to_be_visible()
    cards = pg.locator(".course-myths__card")
    expect(cards).to_have_count(10)
    summary = pg.locator(".course-myths__summary").get_by_role("status")
    held = {"m04-scan", "m08-wear-and-tear"}
    for n, item in enumerate(load_myths()):
        right = right_answer(item)
        answer = ("Fact" if right == "Myth" else "Myth") if item.id in held else right
        card = cards.nth(n)
        card.get_by_role("radio", name=answer, exact=True).check()
        card.get_by_role("button", name="Check answer").click()
        feedback = card.get_by_role("status")
        expect(feedback).to_contain_text("Right." if item.id not in held else "Not quite.")
        expect(feedback).to_contain_text("How sure is this?")
        expect(feedback).to_contain_text("Source: O'Sullivan PB et al. 2020")
        if n < 9:
            expect(summary).to_have_text("")

    expect(summary).to_contain_text(
        "On your first try, you sided with 2 of the 10 unhelpful beliefs."
    )
    expect(summary).to_contain_text("Right on your first try: 8 of 10.")
    expect(summary).to_contain_text("Needing a scan to find the cause.")
    expect(summary).to_contain_text("Wear and tear from using your back.")
    expect(summary).to_contain_text(re.compile(r"Read more: lesson 2, Why pain persists"))
    expect(summary.get_by_role("link", name="Chou R et al. 2009")).to_have_attribute(
        "href", "https://doi.org/10.1016/S0140-6736(09)60172-0"
    )
    expect(pg.locator(".course-myths .course-quiz__score")).to_contain_text(
        "All 10 answered: 8 of 10 right now."
    )

    assert axe_serious(pg) == []
    screenshot(pg, "05-science-and-myths-desktop")
    assert page.off_server() == []


def test_phone_width_balance_and_myths(phone_page, voila):
    pg = phone_page.page
    pg.goto(voila.url + L04)
    wait_for_lesson(pg)
    balance = pg.locator(".course-balance")
    balance.get_by_role("checkbox", name="A scan report full of scary words").check()
    expect(balance.locator(".course-balance__verdict").get_by_role("status")).to_contain_text(
        "Danger weighs more: 1 danger cue and 0 safety cues."
    )
    expect(balance.locator("svg[role=img]")).to_be_visible()
    _no_sideways_scroll(pg)
    assert axe_serious(pg) == []
    screenshot(pg, "04-prediction-danger-and-safety-phone")

    pg.goto(voila.url + L05)
    wait_for_lesson(pg)
    card = pg.locator(".course-myths__card").first
    card.get_by_role("radio", name="Myth", exact=True).check()
    card.get_by_role("button", name="Check answer").click()
    expect(card.get_by_role("status")).to_contain_text("Right.")
    _no_sideways_scroll(pg)
    assert axe_serious(pg) == []
    screenshot(pg, "05-science-and-myths-phone")
    assert phone_page.off_server() == []
