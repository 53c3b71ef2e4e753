"""Lessons 6, 7, 10, 11, 13 and 14 in a real browser: the pacing planner, the written plans
(flare, sleep, work, staying well) and "My plan".

Each journey types into the tools as a visitor would, checks what appears (and what is
announced), downloads the file and reads it, runs axe-core, checks that nothing was
requested from another host, and saves desktop and phone screenshots.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    ARTIFACTS,
    axe_serious,
    save_shot,
    screenshot,
    wait_for_lesson,
)
from widgets.content.red_flags import load_red_flags
from widgets.logic.warning_signs import sign_lines

pytestmark = pytest.mark.browser

L06 = "/voila/render/06-movement-and-pacing.ipynb"
L07 = "/voila/render/07-the-mind-body-loop.ipynb"
L14 = "/voila/render/14-next-steps.ipynb"


def _planner(pg, button: str = "Make my plan"):
    return pg.locator(".course-pacing").filter(has=pg.get_by_role("button", name=button))


def _fill_planner(planner, activity: str, usual: str, goal: str) -> None:
    planner.get_by_label("Activity").fill(activity)
    planner.get_by_label("Minutes you can usually do on an ordinary day").fill(usual)
    planner.get_by_label("Goal, in minutes").fill(goal)


def _no_sideways_scroll(pg) -> None:
    widths = pg.evaluate(
        "() => { const c = document.querySelector('#rendered_cells');"
        " return [c.scrollWidth, c.clientWidth, document.documentElement.scrollWidth,"
        " window.innerWidth]; }"
    )
    assert widths[0] <= widths[1] + 1 and widths[2] <= widths[3] + 1, widths


def test_pacing_planner_bad_input_then_a_plan(page, voila):
    pg = page.page
    pg.goto(voila.url + L06)
    wait_for_lesson(pg)
    expect(pg.get_by_role("heading", level=1, name="6. Movement and pacing")).to_be_visible()

    planner = _planner(pg)
    status = planner.locator(".course-pacing__status").get_by_role("status")
    _fill_planner(planner, "walking", "lots", "40")
    planner.get_by_role("button", name="Make my plan").click()
    expect(status).to_contain_text("Please write the usual time as a number of minutes")
    expect(planner.get_by_role("table")).to_have_count(0)

    planner.get_by_label("Minutes you can usually do on an ordinary day").fill("20")
    planner.get_by_label("Goal, in minutes").fill("10")
    planner.get_by_role("button", name="Make my plan").click()
    expect(status).to_contain_text("Your goal needs to be more than your starting point of 16")

    planner.get_by_label("Goal, in minutes").fill("40")
    expect(planner.get_by_label("Weekly step").locator("option:checked")).to_have_text(
        "10% a week (suggested)"
    )
    planner.get_by_role("button", name="Make my plan").click()
    expect(status).to_have_text(
        "Your plan for walking: start at 16 minutes and build up to 40 minutes in 11 weeks."
    )
    table = planner.get_by_role("table", name="Your plan for walking, week by week")
    expect(table.get_by_role("row")).to_have_count(12)  # header and 11 weeks
    expect(table.get_by_role("row").nth(1)).to_contain_text("Week 1")
    expect(table.get_by_role("row").nth(1)).to_contain_text("16 minutes")
    expect(table.get_by_role("row").last).to_contain_text("40 minutes")
    expect(table.get_by_role("row").last).to_contain_text("(goal)")
    chart = planner.get_by_role("img", name=re.compile("Your plan for walking: minutes each week"))
    expect(chart).to_be_visible()

    planner.get_by_label("Weekly step").select_option(label="20% a week")
    planner.get_by_role("button", name="Make my plan").click()
    expect(status).to_contain_text("in 6 weeks")

    boom = _planner(pg, "Show the two weeks")
    expect(boom).to_contain_text("Illustration")
    expect(
        boom.get_by_role("img", name=re.compile("a boom and bust week and a paced week"))
    ).to_be_visible()
    boom.get_by_label("Minutes you can usually do").fill("10")
    boom.get_by_role("button", name="Show the two weeks").click()
    expect(boom.locator(".course-pacing__status").get_by_role("status")).to_have_text(
        "Boom and bust: from 3 to 20 minutes a day. Paced: 8 minutes every day."
    )

    assert axe_serious(pg) == []
    screenshot(pg, "plans-06-movement-and-pacing-desktop")
    assert page.off_server() == []


def test_pacing_planner_with_the_keyboard_alone(page, voila):
    pg = page.page
    pg.goto(voila.url + L06)
    wait_for_lesson(pg)
    planner = _planner(pg)
    planner.get_by_label("Activity").focus()
    pg.keyboard.type("sitting")
    pg.keyboard.press("Tab")
    expect(planner.get_by_label("Minutes you can usually do on an ordinary day")).to_be_focused()
    pg.keyboard.type("30")
    pg.keyboard.press("Tab")
    expect(planner.get_by_label("Weekly step")).to_be_focused()
    pg.keyboard.press("Tab")
    expect(planner.get_by_label("Goal, in minutes")).to_be_focused()
    pg.keyboard.type("60")
    pg.keyboard.press("Tab")
    expect(planner.get_by_role("button", name="Make my plan")).to_be_focused()
    pg.keyboard.press("Enter")
    expect(planner.locator(".course-pacing__status").get_by_role("status")).to_contain_text(
        "Your plan for sitting: start at 24 minutes and build up to 60 minutes"
    )


def test_build_a_flare_plan_and_download_it(page, voila, tmp_path):
    pg = page.page
    pg.goto(voila.url + L07)
    wait_for_lesson(pg)
    expect(pg.get_by_role("heading", level=1, name="7. The mind-body loop")).to_be_visible()
    flare = pg.locator(".course-flare")
    status = flare.locator(".course-flare__status").get_by_role("status")

    flare.get_by_role("button", name="Make my flare plan").click()
    expect(status).to_contain_text("Please fill in at least one part of the plan first")

    flare.get_by_label("What helps me").fill("A warm shower\nSlow breathing")
    flare.get_by_label("What I will do in the first day or two").fill("Keep moving gently")
    flare.get_by_label("Who I can contact").fill("My physio <Sam>")
    flare.get_by_role("button", name="Make my flare plan").click()
    expect(status).to_have_text("Your flare plan is ready: 3 of 5 parts filled in.")
    expect(flare.get_by_role("heading", name="What helps me")).to_be_visible()
    expect(flare.get_by_role("listitem").filter(has_text="Slow breathing")).to_be_visible()
    expect(flare.get_by_role("listitem").filter(has_text="My physio <Sam>")).to_be_visible()

    with pg.expect_download() as info:
        flare.get_by_role("link", name="Download my flare plan (Markdown, .md)").click()
    download = info.value
    assert download.suggested_filename == "my-flare-plan.md"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith(
        "# My flare plan\n\n## What helps me\n\n- A warm shower\n- Slow breathing"
    )
    assert "## Who I can contact\n\n- My physio \\<Sam\\>" in text

    assert axe_serious(pg) == []
    screenshot(pg, "plans-07-the-mind-body-loop-desktop")
    assert page.off_server() == []


def test_make_my_plan_download_it_and_read_it(page, voila):
    pg = page.page
    pg.goto(voila.url + L14)
    wait_for_lesson(pg)
    expect(pg.get_by_role("heading", level=1, name="14. Next steps")).to_be_visible()
    maker = pg.locator(".course-myplan")
    status = maker.locator(".course-myplan__status").get_by_role("status")

    maker.get_by_role("button", name="Make my plan file").click()
    expect(status).to_contain_text("Please fill in at least one part first")

    maker.get_by_label("My goals").fill("Walk to the shop and back\nSit through a film")
    _fill_planner(maker, "walking", "20", "40")
    maker.get_by_label("What helps me").fill("A warm shower")
    maker.get_by_label("When I will seek help").fill("If it is not easing after two weeks")
    maker.get_by_role("button", name="Preview my pacing plan").click()
    expect(maker.get_by_role("table", name="Your plan for walking, week by week")).to_be_visible()

    maker.get_by_label("File type").select_option(label="Web page (.html), to open or print")
    maker.get_by_role("button", name="Make my plan file").click()
    expect(status).to_contain_text("Your plan is ready, with your goals, pacing plan, flare plan")
    link = maker.get_by_role("link", name="Download my plan (web page, .html)")
    href = link.get_attribute("href")
    assert href.startswith("data:text/html;charset=utf-8;base64,")
    from_href = base64.b64decode(href.split(",", 1)[1]).decode("utf-8")

    with pg.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "my-back-pain-plan.html"
    content = Path(download.path()).read_text(encoding="utf-8")
    assert content == from_href
    for expected in (
        "<title>My back pain plan</title>",
        "<li>Walk to the shop and back</li>",
        '<th scope="row">Week 11</th><td>40 minutes</td>',
        "<li>A warm shower</li>",
        "<li>If it is not easing after two weeks</li>",
        "Warning signs: when to get help fast",
    ):
        assert expected in content
    # Every warning sign, in the words of data/red_flags.yaml, with what to do.
    rules = load_red_flags()
    for level in ("emergency", "urgent", "soon"):
        for sign in sign_lines(rules, level):
            assert f"<li>{html.escape(sign)}</li>" in content
        assert html.escape(rules.advice[level].text) in content

    assert axe_serious(pg) == []
    screenshot(pg, "plans-14-next-steps-desktop")
    assert page.off_server() == []

    # The downloaded page itself reads well and is accessible, with nothing fetched.
    pg.set_content(content)
    expect(pg.get_by_role("heading", level=1, name="My back pain plan")).to_be_visible()
    expect(
        pg.get_by_role("heading", level=2, name="Warning signs: when to get help fast")
    ).to_be_visible()
    assert axe_serious(pg) == []
    save_shot(pg, ARTIFACTS / "screenshots" / "plans-14-downloaded-plan.png", full_page=True)
    assert page.off_server() == []


def test_markdown_download_of_my_plan(page, voila):
    pg = page.page
    pg.goto(voila.url + L14)
    wait_for_lesson(pg)
    maker = pg.locator(".course-myplan")
    maker.get_by_label("My goals").fill("Garden for an hour")
    maker.get_by_label("File type").select_option(label="Markdown text (.md)")
    maker.get_by_role("button", name="Make my plan file").click()
    with pg.expect_download() as info:
        maker.get_by_role("link", name="Download my plan (Markdown, .md)").click()
    assert info.value.suggested_filename == "my-back-pain-plan.md"
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# My back pain plan\n") and "- Garden for an hour" in text
    assert text.count("Not filled in yet.") == 2


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (L06, "plans-06-movement-and-pacing"),
        (L07, "plans-07-the-mind-body-loop"),
        (L14, "plans-14-next-steps"),
    ],
)
def test_phone_width_tools_fit_and_work(phone_page, voila, path, name):
    pg = phone_page.page
    pg.goto(voila.url + path)
    wait_for_lesson(pg)
    if path == L07:
        flare = pg.locator(".course-flare")
        flare.get_by_label("What helps me").fill("A warm shower")
        flare.get_by_role("button", name="Make my flare plan").click()
        expect(flare.get_by_role("link", name=re.compile("Download my flare plan"))).to_be_visible()
    else:
        button = "Make my plan" if path == L06 else "Preview my pacing plan"
        planner = _planner(pg, button)
        _fill_planner(planner, "walking", "20", "40")
        planner.get_by_role("button", name=button).click()
        expect(planner.get_by_role("table", name=re.compile("week by week"))).to_be_visible()
        if path == L14:
            pg.get_by_role("button", name="Make my plan file").click()
            expect(pg.get_by_role("link", name=re.compile("Download my plan"))).to_be_visible()
    _no_sideways_scroll(pg)
    assert axe_serious(pg) == []
    screenshot(pg, f"{name}-phone")
    assert phone_page.off_server() == []


@pytest.mark.parametrize(
    ("lesson", "block", "first", "button", "filename"),
    [
        ("10-sleep", "sleep", "My regular times", "Make my sleep routine", "my-sleep-routine.md"),
        (
            "11-work-and-daily-life",
            "work",
            "What I want them to know",
            "Make my talk with my employer",
            "my-talk-with-my-employer.md",
        ),
        (
            "13-goals-and-staying-well",
            "staying-well",
            "What matters to me",
            "Make my goals and staying-well plan",
            "my-goals-and-staying-well-plan.md",
        ),
    ],
)
def test_a_written_plan_with_the_keyboard_then_its_download(
    page, voila, lesson, block, first, button, filename
):
    pg = page.page
    pg.goto(f"{voila.url}/voila/render/{lesson}.ipynb")
    wait_for_lesson(pg)
    builder = pg.locator(f".course-{block}")
    box = builder.get_by_label(first)
    box.focus()
    pg.keyboard.type("One small thing <b>")
    pg.keyboard.press("Tab")  # leaves the box (it syncs on blur); on to the next box
    button_ = builder.get_by_role("button", name=button)
    button_.focus()
    pg.keyboard.press("Enter")
    status = builder.locator(f".course-{block}__status").get_by_role("status")
    expect(status).to_contain_text("is ready: 1 of")
    expect(builder.get_by_role("heading", name=first)).to_be_visible()
    expect(builder.get_by_role("listitem").filter(has_text="One small thing <b>")).to_be_visible()
    with pg.expect_download() as info:
        builder.get_by_role("link", name=re.compile(r"\(Markdown, \.md\)")).click()
    assert info.value.suggested_filename == filename
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert f"## {first}\n\n- One small thing \\<b\\>" in text
    assert axe_serious(pg) == []
    screenshot(pg, f"plans-{lesson}-desktop")
    assert page.off_server() == []


def test_my_plan_takes_the_sleep_work_and_staying_well_steps(phone_page, voila):
    pg = phone_page.page
    pg.goto(voila.url + L14)
    wait_for_lesson(pg)
    maker = pg.locator(".course-myplan")
    maker.locator(".course-sleep").get_by_label("If pain wakes me").fill("Get up and read")
    maker.locator(".course-work").get_by_label("Changes that would help").fill("Shorter shifts")
    staying = maker.locator(".course-staying-well")
    expect(staying.get_by_label("My goal", exact=True)).to_have_count(0)  # step 1 has goals
    staying.get_by_label("Early signs I am slipping").fill("Skipping my walks")
    maker.get_by_label("File type").select_option(label="Markdown text (.md)")
    maker.get_by_role("button", name="Make my plan file").click()
    expect(maker.locator(".course-myplan__status").get_by_role("status")).to_contain_text(
        "with your sleep routine, plan for talking with your employer"
    )
    with pg.expect_download() as info:
        maker.get_by_role("link", name="Download my plan (Markdown, .md)").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    for heading, line in (
        ("## My sleep routine", "- Get up and read"),
        ("## My talk with my employer", "- Shorter shifts"),
        ("## Staying well", "- Skipping my walks"),
    ):
        assert heading in text and line in text
    _no_sideways_scroll(pg)
    assert axe_serious(pg) == []
    screenshot(pg, "plans-14-next-steps-more-steps-phone")
    assert phone_page.off_server() == []
