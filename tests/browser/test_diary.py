"""The progress diary in a real browser (lesson 13), and its place in "My plan" (lesson 14):
written, charted, kept across a reload, exported, added to the plan file, deleted, and
never sent over the network (no request and no websocket frame carries it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_serious, frames_sent, screenshot, wait_for_lesson

pytestmark = pytest.mark.browser

L13 = "/voila/render/13-goals-and-staying-well.ipynb"
L14 = "/voila/render/14-next-steps.ipynb"
STORE_KEY = "backpain-course-diary-v1"
NOTE = "Long walk to the canal zq7"  # a word no page or message has by chance


def _watch_the_wire(pg) -> list[str]:
    """Every websocket frame the page sends, and every request's address and body."""
    sent = frames_sent(pg)
    pg.on("request", lambda r: sent.append(r.url + " " + (r.post_data or "")))
    return sent


def _day(pg, days_ago: int) -> str:
    return pg.evaluate(
        "(n) => { const d = new Date(); d.setDate(d.getDate() - n);"
        " const p = (x) => String(x).padStart(2, '0');"
        " return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`; }",
        days_ago,
    )


def _write(diary, day: str, pain: str, active: str, sleep: str, mood: str, note: str = ""):
    diary.get_by_label("Day", exact=True).fill(day)
    diary.get_by_label("Pain (0 = none, 10 = worst)", exact=True).fill(pain)
    diary.get_by_label("Active minutes", exact=True).fill(active)
    diary.get_by_label("Sleep (hours)", exact=True).fill(sleep)
    diary.get_by_label("Mood (1 = very low, 5 = very good)", exact=True).select_option(mood)
    diary.get_by_label("Note (up to 200 characters)", exact=True).fill(note)
    diary.get_by_role("button", name="Save this day").click()


def test_write_chart_reload_export_and_delete_the_diary(page, voila):
    pg = page.page
    sent = _watch_the_wire(pg)
    pg.goto(voila.url + L13)
    wait_for_lesson(pg)
    diary = pg.locator(".course-diary")
    status = diary.get_by_role("status")

    diary.get_by_role("button", name="Save this day").click()
    expect(status).to_have_text("Please write at least one thing for this day.")
    diary.get_by_label("Pain (0 = none, 10 = worst)", exact=True).fill("12")
    diary.get_by_role("button", name="Save this day").click()
    expect(status).to_have_text("Pain needs a number from 0 to 10.")
    expect(diary.get_by_label("Pain (0 = none, 10 = worst)", exact=True)).to_be_focused()

    today, two_ago = _day(pg, 0), _day(pg, 2)
    _write(diary, two_ago, "6", "90", "5.5", "2", "Big garden day")
    expect(status).to_contain_text("Saved for")
    expect(status).to_contain_text("kept in this browser only")
    _write(diary, today, "3", "30", "8", "4", NOTE)
    pain = diary.get_by_role("img", name=re.compile("^Pain:"))
    expect(pain).to_have_accessible_name(re.compile(r"Pain: written on 2 of 7 days\. Average 4\.5"))
    expect(diary.get_by_role("img", name=re.compile("^Sleep:"))).to_have_accessible_name(
        re.compile(r"lowest 5\.5 .*highest 8 ")
    )
    diary.get_by_label("the last 4 weeks").check()
    expect(pain).to_have_accessible_name(re.compile(r"written on 2 of 28 days"))
    diary.get_by_text("Show the numbers as a table").click()
    table = diary.get_by_role("table", name="Your diary, the last 4 weeks")
    expect(table.get_by_role("row")).to_have_count(3)
    expect(table).to_contain_text(NOTE)

    # Kept in this browser: a reload shows the same diary, and the day's form fills in.
    pg.reload()
    wait_for_lesson(pg)
    diary = pg.locator(".course-diary")
    diary.get_by_label("Day", exact=True).fill(today)
    diary.get_by_label("Day", exact=True).dispatch_event("change")
    expect(diary.get_by_label("Note (up to 200 characters)", exact=True)).to_have_value(NOTE)
    expect(diary.get_by_role("img", name=re.compile("^Mood:"))).to_have_accessible_name(
        re.compile(r"Mood: written on 2 of 7 days\. Average 3 ")
    )

    with pg.expect_download() as info:
        diary.get_by_role("link", name="Download my diary (CSV, for a spreadsheet)").click()
    assert info.value.suggested_filename == "my-back-pain-diary.csv"
    csv = Path(info.value.path()).read_text(encoding="utf-8").splitlines()
    assert csv == [
        "date,pain_0_to_10,active_minutes,sleep_hours,mood_1_to_5,note",
        f"{two_ago},6,90,5.5,2,Big garden day",
        f"{today},3,30,8,4,{NOTE}",
    ]

    assert axe_serious(pg) == []
    screenshot(pg, "diary-13-desktop")
    assert not [s for s in sent if NOTE in s or "Big garden day" in s], "the diary left the page"
    assert page.off_server() == []

    diary.get_by_role("button", name="Delete my whole diary").click()
    expect(diary.get_by_role("button", name="No, keep it")).to_be_focused()
    diary.get_by_role("button", name="Yes, delete it").click()
    expect(diary.get_by_role("status")).to_have_text("Your diary is deleted from this browser.")
    assert pg.evaluate(f"() => window.localStorage.getItem('{STORE_KEY}')") is None
    expect(diary.get_by_role("link", name=re.compile("Download my diary"))).to_be_hidden()


def test_my_plan_adds_the_diary_only_when_asked_and_in_the_browser(phone_page, voila):
    pg = phone_page.page
    sent = _watch_the_wire(pg)
    pg.goto(voila.url + L13)
    wait_for_lesson(pg)
    _write(pg.locator(".course-diary"), _day(pg, 1), "4", "45", "7", "3", NOTE)
    expect(pg.locator(".course-diary").get_by_role("status")).to_contain_text("Saved for")

    pg.goto(voila.url + L14)
    wait_for_lesson(pg)
    maker = pg.locator(".course-myplan")
    maker.get_by_label("My goals").fill("Walk to the park")
    maker.get_by_label("File type").select_option(label="Markdown text (.md)")
    add = maker.get_by_label("Add my diary from the last 4 weeks to the plan file")
    expect(maker.locator(".course-diary-plan")).to_contain_text("1 day written")
    maker.get_by_role("button", name="Make my plan file").click()
    link = maker.get_by_role("link", name="Download my plan (Markdown, .md)")

    def downloaded() -> str:
        with pg.expect_download() as info:
            link.click()
        return Path(info.value.path()).read_text(encoding="utf-8")

    without = downloaded()
    assert NOTE not in without and "My diary" not in without
    add.check()
    with_diary = downloaded()
    assert "## My diary, the last 4 weeks" in with_diary
    assert f"| {NOTE} |" in with_diary
    assert with_diary.index("My diary") < with_diary.index("## Warning signs")
    # A new file from the kernel (a change, then "Make" again) still gets the diary.
    # (The old link stays until the kernel's answer replaces it: wait for the new file.)
    old_file = link.get_attribute("href")
    maker.get_by_label("My goals").fill("Walk to the park and back")
    maker.get_by_role("button", name="Make my plan file").click()
    expect(link).to_be_visible()
    expect(link).not_to_have_attribute("href", old_file)
    again = downloaded()
    assert "- Walk to the park and back" in again and NOTE in again

    assert not [s for s in sent if NOTE in s], "the diary left the page"
    assert axe_serious(pg) == []
    screenshot(pg, "diary-14-my-plan-phone")
    assert phone_page.off_server() == []


def test_the_diary_with_the_keyboard_alone(page, voila):
    pg = page.page
    pg.goto(voila.url + L13)
    wait_for_lesson(pg)
    diary = pg.locator(".course-diary")
    # The day is today unless changed (the browser's own date box, segments and all).
    diary.get_by_label("Pain (0 = none, 10 = worst)", exact=True).focus()
    pg.keyboard.type("5")
    pg.keyboard.press("Tab")
    pg.keyboard.type("40")
    pg.keyboard.press("Tab")
    pg.keyboard.type("7.5")
    pg.keyboard.press("Tab")  # the mood list: arrow keys choose
    expect(diary.get_by_label("Mood (1 = very low, 5 = very good)", exact=True)).to_be_focused()
    pg.keyboard.press("Tab")
    pg.keyboard.type("Swam 10 lengths")
    pg.keyboard.press("Enter")  # sends the form, as the save button does
    expect(diary.get_by_role("status")).to_contain_text("Saved for")
    expect(diary.get_by_role("img", name=re.compile("^Sleep:"))).to_have_accessible_name(
        re.compile(r"Sleep: written on 1 of 7 days\. Average 7\.5 hours")
    )
    pg.keyboard.press("Tab")  # save
    pg.keyboard.press("Tab")  # clear this day
    pg.keyboard.press("Tab")  # the range: arrows move between its two choices
    expect(diary.get_by_label("the last 7 days")).to_be_focused()
    pg.keyboard.press("ArrowRight")
    expect(diary.get_by_label("the last 4 weeks")).to_be_checked()
    expect(diary.get_by_role("img", name=re.compile("^Pain:"))).to_have_accessible_name(
        re.compile(r"written on 1 of 28 days")
    )
