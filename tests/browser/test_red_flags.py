"""The red-flag checker in a real browser: tick, see the emergency advice, clear.

Also by keyboard alone and on a phone, with axe-core and screenshots.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    ARTIFACTS,
    SCREENSHOTS,
    axe_serious,
    screenshot,
    wait_for_lesson,
)
from widgets.red_flags import RED_FLAGS

pytestmark = pytest.mark.browser

LESSON_08 = "/voila/render/08-when-to-worry.ipynb"
FLAG = {flag.id: flag for flag in RED_FLAGS}


def _open(recorded, voila):
    pg = recorded.page
    pg.goto(voila.url + LESSON_08)
    wait_for_lesson(pg)
    checker = pg.locator(".course-red-flags")
    expect(checker).to_be_visible()
    return pg, checker


def _shot_of_checker(pg, checker, name: str) -> None:
    """A close-up of the checker alone, beside the whole-page screenshot.

    Voila scrolls inside #rendered_cells, so the window is made as tall as the
    lesson first (as ``screenshot`` does), or the picture would be cut off.
    """
    if not SCREENSHOTS:
        return
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    size = pg.viewport_size
    height = pg.evaluate("() => document.querySelector('#rendered_cells').scrollHeight")
    pg.set_viewport_size({"width": size["width"], "height": min(max(height, 200), 16000)})
    checker.screenshot(path=str(folder / f"{name}.png"))
    pg.set_viewport_size(size)


def _focused(locator) -> bool:
    return locator.evaluate("e => e === document.activeElement")


def _tab_to(pg, locator, key: str = "Tab", limit: int = 80) -> None:
    for _ in range(limit):
        pg.keyboard.press(key)
        if _focused(locator):
            return
    pytest.fail(f"cannot reach {locator} with Tab")


def test_tick_a_flag_see_the_emergency_advice_then_clear(page, voila):
    pg, checker = _open(page, voila)
    expect(checker).to_contain_text("This course is for learning.")  # the notice, in the widget
    status = checker.get_by_role("status")
    alert = checker.get_by_role("alert")
    expect(status).to_contain_text("You have not ticked a red flag.")
    expect(status).to_contain_text("This is not a diagnosis")
    assert axe_serious(pg) == []

    box = checker.get_by_role("checkbox", name=FLAG["saddle_numbness"].question, exact=True)
    expect(box).not_to_be_checked()
    box.check()
    expect(alert).to_contain_text("Emergency: get help now.")
    expect(alert).to_contain_text(
        "999 in the UK, 112 in the EU, or 911 in the US, Canada and Mexico"
    )
    expect(alert).to_contain_text(f"You ticked 1 sign: {FLAG['saddle_numbness'].name}.")
    expect(status).to_have_text("")
    expect(
        checker.get_by_text("Emergency sign. See what to do now, below the questions.")
    ).to_be_visible()
    # What is ticked stays out of the browser's storage, cookies and address.
    kept = pg.evaluate(
        "() => JSON.stringify([Object.entries(localStorage),"
        " Object.entries(sessionStorage), document.cookie, location.href])"
    )
    for secret in ("saddle", "numbness", "tingling", *FLAG):
        assert secret not in kept
    # Colour as well as words: the emergency box has its own, strong border.
    border = alert.locator(".course-red-flags__result--emergency").evaluate(
        "e => getComputedStyle(e).borderTopColor"
    )
    assert border == "rgb(176, 0, 32)"

    why = checker.get_by_text(FLAG["saddle_numbness"].why)
    expect(why).to_be_hidden()
    checker.get_by_text("Why this matters").nth(1).click()
    expect(why).to_be_visible()
    assert axe_serious(pg) == []
    screenshot(pg, "08-when-to-worry-emergency-desktop")
    _shot_of_checker(pg, checker, "08-when-to-worry-checker-emergency-desktop")

    checker.get_by_role("button", name="Clear all answers").click()
    expect(box).not_to_be_checked()
    expect(alert).to_have_text("")
    expect(status).to_contain_text("You have not ticked a red flag.")
    expect(checker.get_by_text("Emergency sign.")).to_have_count(0)
    _shot_of_checker(pg, checker, "08-when-to-worry-checker-cleared-desktop")
    assert page.off_server() == []


def test_the_checker_with_the_keyboard_alone(page, voila):
    pg, checker = _open(page, voila)
    first = checker.get_by_role("checkbox", name=FLAG["bladder_bowel"].question, exact=True)
    _tab_to(pg, first)
    pg.keyboard.press("Space")
    expect(first).to_be_checked()
    expect(checker.get_by_role("alert")).to_contain_text("Emergency: get help now.")

    # The next stop is the link to the advice, then "Why this matters", whose name
    # says which sign it is about.
    pg.keyboard.press("Tab")
    assert _focused(checker.get_by_role("link", name="See what to do now"))
    pg.keyboard.press("Tab")
    summary = checker.locator("summary").first
    assert _focused(summary)
    expect(summary).to_have_accessible_name(f"Why this matters ({FLAG['bladder_bowel'].name})")
    pg.keyboard.press("Enter")
    expect(checker.get_by_text(FLAG["bladder_bowel"].why)).to_be_visible()

    urgent = checker.get_by_role("checkbox", name=FLAG["systemic_unwell"].question, exact=True)
    _tab_to(pg, urgent)
    pg.keyboard.press("Space")
    expect(checker.get_by_role("alert")).to_contain_text(
        f"You ticked 2 signs: {FLAG['bladder_bowel'].name}; {FLAG['systemic_unwell'].name}."
    )
    _tab_to(pg, first, key="Shift+Tab")  # back up to the first box
    pg.keyboard.press("Space")
    expect(first).not_to_be_checked()
    expect(checker.get_by_role("alert")).to_have_text("")
    expect(checker.get_by_role("status")).to_contain_text("Urgent: get a medical check today.")

    clear = checker.get_by_role("button", name="Clear all answers")
    _tab_to(pg, clear)
    pg.keyboard.press("Enter")
    expect(urgent).not_to_be_checked()
    expect(checker.get_by_role("status")).to_contain_text("You have not ticked a red flag.")


def test_the_checker_on_a_phone(phone_page, voila):
    pg, checker = _open(phone_page, voila)
    box = checker.get_by_role("checkbox", name=FLAG["cancer_history"].question, exact=True)
    box.check()
    status = checker.get_by_role("status")
    expect(status).to_contain_text("Urgent: get a medical check today.")
    widths = pg.evaluate(
        "() => { const c = document.querySelector('#rendered_cells');"
        " return [c.scrollWidth, c.clientWidth, document.documentElement.scrollWidth]; }"
    )
    assert widths[0] <= widths[1] + 1 and widths[2] <= 376, f"sideways scroll: {widths}"
    # Every question and button fits the screen and is big enough to tap.
    for control in (
        *checker.get_by_role("checkbox").all(),
        checker.get_by_role("button", name="Clear all answers"),
    ):
        rect = control.bounding_box()
        assert rect and rect["x"] >= 0 and rect["x"] + rect["width"] <= 376
    label = checker.locator(".course-red-flags__box label.widget-label-basic").first.bounding_box()
    assert label and label["height"] >= 24
    checker.get_by_role("checkbox", name=FLAG["leg_weakness"].question, exact=True).check()
    alert = checker.get_by_role("alert")
    expect(alert).to_contain_text("Emergency: get help now.")
    # The advice is far below the question on a phone: the mark beside the ticked
    # question links to it, and each emergency number can be tapped to call.
    jump = checker.get_by_role("link", name="See what to do now")
    expect(jump).to_be_visible()
    jump.click()
    expect(alert).to_be_in_viewport()
    for number in ("999", "112", "911"):
        assert alert.get_by_role("link", name=number).get_attribute("href") == f"tel:{number}"
    assert axe_serious(pg) == []
    checker.scroll_into_view_if_needed()
    screenshot(pg, "08-when-to-worry-emergency-phone")
    _shot_of_checker(pg, checker, "08-when-to-worry-checker-emergency-phone")
    checker.get_by_role("button", name="Clear all answers").click()
    expect(status).to_contain_text("You have not ticked a red flag.")
    assert phone_page.off_server() == []


def test_both_legs_gives_emergency_advice_in_the_page(page, voila):
    pg, checker = _open(page, voila)
    box = checker.get_by_role("checkbox", name=FLAG["both_legs"].question, exact=True)
    box.check()
    alert = checker.get_by_role("alert")
    expect(alert).to_contain_text("Emergency: get help now.")
    expect(alert).to_contain_text(
        "999 in the UK, 112 in the EU, or 911 in the US, Canada and Mexico"
    )
    expect(alert).to_contain_text("Do not drive yourself.")
    expect(alert).to_contain_text(f"You ticked 1 sign: {FLAG['both_legs'].name}.")
    expect(checker.get_by_role("status")).to_have_text("")


def test_inflammatory_alone_gives_gp_advice_in_the_page(page, voila):
    pg, checker = _open(page, voila)
    # The question sits under its own heading, after the emergency and urgent groups.
    expect(
        checker.get_by_role("heading", name="Not urgent, but worth a GP appointment:")
    ).to_be_visible()
    box = checker.get_by_role("checkbox", name=FLAG["inflammatory"].question, exact=True)
    box.check()
    status = checker.get_by_role("status")
    expect(status).to_contain_text("Not an emergency: book a GP appointment.")
    expect(status).to_contain_text("inflammatory back pain")
    expect(
        checker.get_by_text("Worth a GP visit. See what to do, below the questions.")
    ).to_be_visible()
    expect(checker.get_by_role("alert")).to_have_text("")  # nothing announced as an emergency
    result = status.inner_text()
    for emergency in ("999", "112", "911", "emergency department"):
        assert emergency not in result
    assert axe_serious(pg) == []
    _shot_of_checker(pg, checker, "08-when-to-worry-checker-soon-desktop")
