"""Lessons 2 and 3 in Chromium: move the age and the sliders, see the chart and the words change."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_serious, screenshot, wait_for_lesson

pytestmark = pytest.mark.browser

LESSON_02 = "/voila/render/02-why-pain-persists.ipynb"
LESSON_03 = "/voila/render/03-sensitisation.ipynb"


def _no_sideways_scroll(pg) -> None:
    widths = pg.evaluate(
        "() => { const c = document.querySelector('#rendered_cells');"
        " return [c.scrollWidth, c.clientWidth, document.documentElement.scrollWidth]; }"
    )
    assert widths[0] <= widths[1] + 1 and widths[2] <= 376, widths


def test_imaging_explorer_age_and_finding(page, voila):
    pg = page.page
    pg.goto(voila.url + LESSON_02)
    wait_for_lesson(pg)
    expect(pg.get_by_role("heading", level=1, name="2. Why pain persists")).to_be_visible()
    explorer = pg.locator(".course-imaging")
    headline = explorer.locator(".course-imaging__headline").get_by_role("status")
    chart = explorer.locator(".course-imaging__chart svg[role=img]")
    words = explorer.locator(".course-imaging__words")
    expect(headline).to_contain_text("Age 50: 4 of 8 findings")
    expect(chart.locator("title")).to_have_text("Scan findings in people aged 50 with no back pain")
    expect(words).to_contain_text("Disk degeneration: 80% (about 8 in 10; based on 311 people)")

    # The age slider is a native range input with a visible label: keyboard moves it.
    age = pg.get_by_role("slider", name="Age in years")
    expect(age).to_have_attribute("aria-valuetext", "50 years")
    age.focus()
    pg.keyboard.press("End")
    expect(age).to_have_attribute("aria-valuetext", "80 years")
    expect(explorer.locator(".course-range__value")).to_have_text("80 years")
    expect(headline).to_contain_text("Age 80: 6 of 8 findings")
    expect(headline).to_contain_text("All of these numbers are rough")
    expect(chart.locator("title")).to_have_text("Scan findings in people aged 80 with no back pain")
    expect(chart.locator('rect[data-support="few"]')).to_have_count(8 + 1)
    expect(words).to_contain_text("Disk degeneration: 96% (nearly all; based on only 19 people)")

    pg.keyboard.press("Home")
    expect(headline).to_contain_text("Age 20: 0 of 8 findings")
    expect(chart.locator('rect[data-support="none"]')).to_have_count(2 + 1)
    expect(words).to_contain_text("no one of that age was studied")
    pg.keyboard.press("ArrowRight")
    pg.keyboard.press("ArrowRight")
    expect(headline).to_contain_text("Age 40:")

    pg.get_by_role("combobox", name="Finding to show").select_option("Disk bulge")
    expect(headline).to_have_text(
        "Disk bulge at age 40: 50% of people with no back pain (about half)."
    )
    expect(chart.locator("title")).to_have_text("Disk bulge in people with no back pain, by age")
    expect(chart).to_contain_text("▶ Age 40: 50%")
    expect(chart.locator("desc")).to_contain_text("Your chosen age, 40, is marked with an arrow")

    expect(pg.locator("table.course-imaging__odds")).to_contain_text("Disc bulge")
    assert axe_serious(pg) == []
    screenshot(pg, "02-imaging-explorer-desktop")
    assert page.off_server() == []


def test_alarm_explainer_sliders(page, voila):
    pg = page.page
    pg.goto(voila.url + LESSON_03)
    wait_for_lesson(pg)
    expect(pg.get_by_role("heading", level=1, name="3. A sensitive alarm system")).to_be_visible()
    alarm = pg.locator(".course-alarm")
    note = alarm.locator(".course-alarm__note")
    expect(note).to_contain_text("An illustration, not a measurement.")
    headline = alarm.get_by_role("status").first
    chart = alarm.locator(".course-alarm__chart svg[role=img]")
    expect(headline).to_have_text(
        "Alarm sensitivity: low, close to calm. It starts to ring at 4.3 out of 10 (calm: 5)."
    )
    expect(chart).to_contain_text("Starts to hurt: 4.3")
    expect(chart.locator("title")).to_contain_text("Illustration, not a measurement")
    sensitised = chart.locator("polyline").nth(1)
    start = sensitised.get_attribute("points")

    stress = pg.get_by_role("slider", name=re.compile(r"^Stress"))
    stress.focus()
    for _ in range(6):
        pg.keyboard.press("ArrowRight")
    expect(stress).to_have_attribute("aria-valuetext", "8 out of 10")
    sleep = pg.get_by_role("slider", name=re.compile(r"^Sleep lately"))
    sleep.focus()
    for _ in range(6):
        pg.keyboard.press("ArrowLeft")
    expect(sleep).to_have_attribute("aria-valuetext", "2 out of 10")
    expect(headline).to_contain_text("Ordinary touch or movement could now hurt.")
    expect(chart).to_contain_text("Starts to hurt: 3.4")
    expect(chart.locator("desc")).to_contain_text("inside that band")
    assert sensitised.get_attribute("points") != start
    words = alarm.locator(".course-alarm__words")
    expect(words).to_contain_text("allodynia")
    expect(words).to_contain_text("Turning the volume up here: poor sleep and stress.")

    for name in ("Worry", "Recent flare-up"):
        pg.get_by_role("slider", name=re.compile("^" + name)).focus()
        pg.keyboard.press("End")
    expect(headline).to_contain_text("Alarm sensitivity: high.")

    alarm.get_by_role("button", name="Reset the sliders").click()
    expect(headline).to_contain_text("It starts to ring at 4.3 out of 10")
    expect(stress).to_have_attribute("aria-valuetext", "2 out of 10")
    expect(sensitised).to_have_attribute("points", start)  # the chart follows the headline

    assert axe_serious(pg) == []
    screenshot(pg, "03-alarm-explainer-desktop")
    assert page.off_server() == []


def test_both_tools_fit_and_work_on_a_phone(phone_page, voila):
    pg = phone_page.page
    pg.goto(voila.url + LESSON_02)
    wait_for_lesson(pg)
    _no_sideways_scroll(pg)
    age = pg.get_by_role("slider", name="Age in years")
    age.focus()
    pg.keyboard.press("ArrowLeft")
    expect(pg.locator(".course-imaging__headline").get_by_role("status")).to_contain_text("Age 40:")
    # The chart is redrawn just after the headline: measure the new drawing, not the old one.
    chart = pg.locator(".course-imaging__chart")
    expect(chart).to_contain_text("people aged 40")
    assert chart.locator("svg").bounding_box()["width"] <= 375
    assert axe_serious(pg) == []
    screenshot(pg, "02-imaging-explorer-phone")

    pg.goto(voila.url + LESSON_03)
    wait_for_lesson(pg)
    _no_sideways_scroll(pg)
    worry = pg.get_by_role("slider", name=re.compile(r"^Worry"))
    worry.focus()
    pg.keyboard.press("End")
    expect(pg.locator(".course-alarm").get_by_role("status").first).to_contain_text(
        "It starts to ring at 3.7"
    )
    chart = pg.locator(".course-alarm__chart")
    expect(chart).to_contain_text("Starts to hurt: 3.7")
    assert chart.locator("svg").bounding_box()["width"] <= 375
    assert axe_serious(pg) == []
    screenshot(pg, "03-alarm-explainer-phone")
    assert phone_page.off_server() == []
