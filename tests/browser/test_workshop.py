"""Workshops in headless Chromium: the live poll, the facilitator guide and the slides."""

from __future__ import annotations

import base64
import csv
import io
import os
import re
import urllib.error
import urllib.parse
import urllib.request

import nbformat
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    RecordedPage,
    VoilaServer,
    axe_serious,
    screenshot,
    wait_for_lesson,
)
from tests.conftest import NOTEBOOKS
from widgets.content.poll import load_poll_items
from widgets.logic.poll_store import PollStore, new_participant_id

pytestmark = pytest.mark.browser

JOIN = "/voila/render/workshop/join.ipynb"
FACILITATOR = "/voila/render/workshop/facilitator.ipynb"
GUIDE = "/voila/render/workshop/facilitator-guide.ipynb"
LESSON_01 = "01-what-is-chronic-back-pain"
SLIDES = f"/voila/render/{LESSON_01}.ipynb?template=course-slides"
ITEMS = load_poll_items()


@pytest.fixture(scope="module")
def poll_server(tmp_path_factory):
    """The course served as `make app` serves it, with the poll's data home in a temp folder.

    COURSE_POLL_DB is unset, so the database lands in its default place under the data
    home ($XDG_DATA_HOME/backpain-course/poll.sqlite3), outside the served folder.
    """
    data_home = tmp_path_factory.mktemp("data-home")
    saved = {k: os.environ.get(k) for k in ("XDG_DATA_HOME", "COURSE_POLL_DB")}
    os.environ["XDG_DATA_HOME"] = str(data_home)
    os.environ.pop("COURSE_POLL_DB", None)
    try:
        server = VoilaServer(tmp_path_factory.mktemp("voila-poll") / "voila.log")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    server.db = data_home / "backpain-course" / "poll.sqlite3"
    yield server
    server.stop()


def _open(browser, server, phone: bool = False) -> RecordedPage:
    if phone:
        context = browser.new_context(
            viewport={"width": 375, "height": 740},
            is_mobile=True,
            has_touch=True,
            device_scale_factor=2,
        )
    else:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    return RecordedPage(context.new_page(), server.url)


def _goto(page: RecordedPage, path: str):
    pg = page.page
    pg.goto(page.base_url + path)
    wait_for_lesson(pg)
    return pg


def _rows(pg) -> list[list[str]]:
    return pg.evaluate("""() => [...document.querySelectorAll('.course-poll__table tbody tr')]
        .map(tr => [...tr.children].map(td => td.innerText.trim()))""")


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


# ------------------------------------------------------------------- the live poll


def test_a_workshop_from_opening_to_deleting(browser, poll_server):
    pages = []
    try:
        _workshop_journey(browser, poll_server, pages)
    finally:
        for page in pages:
            page.page.context.close()


def _workshop_journey(browser, server, pages):
    # The facilitator opens a workshop: a join code and a key shown once.
    lead = _open(browser, server)
    pages.append(lead)
    fac = _goto(lead, FACILITATOR)
    expect(fac).to_have_title("Workshop poll: facilitator | Understanding chronic back pain")
    fac.get_by_role("button", name="Open a new workshop").click()
    key = fac.locator(".course-poll__key").inner_text().strip()
    assert len(key) == 19
    # Projector-safe: the key is alone on the screen; the code comes once it is hidden.
    status = fac.locator(".course-poll__status")
    expect(status).to_be_hidden()
    fac.get_by_role("button", name="I have written the key down").click()
    expect(fac.locator(".course-poll__key")).to_have_count(0)
    expect(status).to_contain_text("Round open now: before")
    code = re.search(r"Workshop ([A-Z0-9]{3}-[A-Z0-9]{3})\.", status.inner_text()).group(1)
    table = fac.locator(".course-poll__table")
    expect(fac.get_by_text("appear once 3 people have answered (0 so far)").first).to_be_visible()

    # A participant on a phone: a wrong code first, then the right one.
    person = _open(browser, server, phone=True)
    pages.append(person)
    join = _goto(person, JOIN)
    expect(join).to_have_title("Workshop poll: join | Understanding chronic back pain")
    assert join.evaluate("() => document.documentElement.scrollWidth") <= 376
    join.get_by_label("Join code").fill("ACE-F47")
    join.get_by_role("button", name="Join the workshop").click()
    message = join.locator(".course-poll__message")
    expect(message).to_contain_text("No workshop has the code ACE-F47 right now")
    join.get_by_label("Join code").fill(code.lower())
    join.get_by_role("button", name="Join the workshop").click()
    expect(message).to_contain_text(f"You have joined workshop {code}")
    cards = join.locator(".course-poll__card")
    expect(cards).to_have_count(len(ITEMS))
    assert join.evaluate("() => document.documentElement.scrollWidth") <= 376
    assert axe_serious(join) == []
    screenshot(join, "workshop-join-form-phone")
    cards.nth(0).get_by_role("radio", name="Myth").check()
    join.get_by_role("button", name="Send my answers").click()
    expect(message).to_contain_text(f"Please answer every statement ({len(ITEMS) - 1} still open)")
    for i in range(1, len(ITEMS)):
        cards.nth(i).get_by_role("radio", name="Myth").check()
    join.get_by_role("button", name="Send my answers").click()
    expect(message).to_contain_text("Your 'before' answers are in")
    assert axe_serious(join) == []
    screenshot(join, "workshop-join-phone")

    # The phone slept: after a reload and the code again, the round shows as sent,
    # never a blank form that would count this person twice. A second tab, the same.
    join.reload()
    wait_for_lesson(join)
    join.get_by_label("Join code").fill(code)
    join.get_by_role("button", name="Join the workshop").click()
    expect(message).to_contain_text("You already sent your 'before' answers from this browser")
    expect(cards).to_have_count(0)
    tab = person.page.context.new_page()
    tab.goto(person.base_url + JOIN)
    wait_for_lesson(tab)
    tab.get_by_label("Join code").fill(code)
    tab.get_by_role("button", name="Join the workshop").click()
    expect(tab.locator(".course-poll__message")).to_contain_text("You already sent your")
    tab.close()

    # Fewer than 3 people: the dashboard shows no totals yet.
    expect(status).to_contain_text("before 1, after 0", timeout=5000)
    assert all(row[-2] == "not shown yet" for row in _rows(fac))

    # Two more participants' kernels answer (through the store, as their pages would).
    store = PollStore(server.db)
    for answer in ("fact", "unsure"):
        store.submit(code, new_participant_id(), "before", {i.id: answer for i in ITEMS})
    # The dashboard reads the totals every second: they show within a few (5 s, a busy CI).
    expect(table).to_contain_text("Before (3 people)", timeout=5000)
    rows = _rows(fac)
    assert len(rows) == 3 * len(ITEMS)
    first = rows[:3]
    assert first[0][0].startswith(f"1. {ITEMS[0].statement}")
    assert [r[-3:] for r in first] == [
        ["Myth ✓ (right answer)", "1 (33%)", "not shown yet"],
        ["Fact", "1 (33%)", "not shown yet"],
        ["Not sure", "1 (33%)", "not shown yet"],
    ]
    assert axe_serious(fac) == []

    # The participant's page shows no totals, no other answers, no way to the dashboard.
    body = join.locator("#rendered_cells").inner_text()
    for words in ("3 people", "33%", "Before (", "not shown yet"):
        assert words not in body
    expect(join.get_by_label("Facilitator key")).to_have_count(0)
    expect(join.locator(".course-poll__table")).to_have_count(0)

    # Someone with the code but a wrong key gets no dashboard.
    guesser = _open(browser, server)
    pages.append(guesser)
    other = _goto(guesser, FACILITATOR)
    other.get_by_label("Join code").fill(code)
    other.get_by_label("Facilitator key").fill("AAAA-AAAA-AAAA-AAAA")
    other.get_by_role("button", name="Show the dashboard").click()
    expect(other.locator(".course-poll__message")).to_contain_text("do not match a workshop")
    expect(other.locator(".course-poll__table")).to_have_count(0)
    expect(other.locator(".course-poll__status")).to_be_hidden()
    expect(other.locator(".course-poll__status")).to_have_text("")
    # ... and the right key brings the same dashboard back, as after a reload.
    other.get_by_label("Join code").fill(code)
    other.get_by_label("Facilitator key").fill(key)
    other.get_by_role("button", name="Show the dashboard").click()
    expect(other.locator(".course-poll__table")).to_contain_text("Before (3 people)")
    other.context.close()
    pages.remove(guesser)

    # The "after" round: no button until the facilitator opens it; then it appears by itself.
    after = join.get_by_role("button", name="Answer the 'after' questions")
    expect(after).to_be_hidden()
    fac.get_by_role("button", name="Open the 'after' questions").click()
    expect(status).to_contain_text("Round open now: after")
    expect(after).to_be_visible(timeout=10_000)
    expect(message).to_contain_text("The 'after' questions are open now")
    after.click()
    expect(join.get_by_role("heading", name="After the session")).to_be_visible()
    for i, item in enumerate(ITEMS):
        label = "Myth" if item.answer == "myth" else "Fact"
        cards.nth(i).get_by_role("radio", name=label).check()
    join.get_by_role("button", name="Send my answers").click()
    expect(message).to_contain_text("Your 'after' answers are in")
    expect(join.get_by_role("heading", name="The answers")).to_be_visible()
    for _ in range(2):
        store.submit(code, new_participant_id(), "after", {i.id: i.answer for i in ITEMS})
    expect(table).to_contain_text("After (3 people)", timeout=5000)
    rows = _rows(fac)
    right = [r for r in rows if "right answer" in r[-3]]
    assert len(right) == len(ITEMS) and all(r[-1] == "3 (100%)" for r in right)
    assert axe_serious(fac) == []
    screenshot(fac, "workshop-facilitator-desktop")

    # Export the totals: a CSV of counts only.
    fac.get_by_role("button", name="Make a CSV of the totals").click()
    link = fac.get_by_role("link", name=re.compile("Download the totals"))
    href = link.get_attribute("href")
    assert href.startswith("data:text/csv;charset=utf-8;base64,")
    text = base64.b64decode(href.split(",", 1)[1]).decode()
    exported = list(csv.DictReader(io.StringIO(text)))
    assert len(exported) == 2 * len(ITEMS)
    assert set(exported[0]) == {
        "item",
        "statement",
        "round",
        "people_answered",
        "myth",
        "fact",
        "not_sure",
    }

    # Delete: the code stops working.
    fac.get_by_role("button", name="Delete this workshop").click()
    fac.get_by_role("button", name="Yes, delete it and all answers").click()
    expect(fac.locator(".course-poll__message")).to_contain_text("all its answers are deleted")
    late = _goto(person, JOIN)
    late.get_by_label("Join code").fill(code)
    late.get_by_role("button", name="Join the workshop").click()
    expect(late.locator(".course-poll__message")).to_contain_text("No workshop has the code")

    for page in pages:
        assert page.off_server() == []


def test_the_facilitator_gets_the_room_ready_from_the_page(browser, poll_server):
    """The panel's request goes from the page's kernel to the server with the room key
    the server gave that kernel; the server prepares the pages, then puts them back."""
    lead = _open(browser, poll_server)
    try:
        fac = _goto(lead, FACILITATOR)
        people = fac.get_by_label("People in the room")
        people.fill("2")
        people.press("Enter")
        fac.get_by_role("button", name="Get the room ready").click()
        line = fac.locator(".course-room__status")
        expect(line).to_contain_text("Getting the room ready (the join page:")
        expect(line).to_have_text(
            "The room is ready (the join page: 2 of 2; What is chronic back pain?: 2 of 2). "
            "It lasts 120 more minutes.",
            timeout=120_000,
        )
        assert axe_serious(fac) == []
        mark = len(poll_server.log())
        fac.get_by_role("button", name="Release the room").click()
        expect(line).to_contain_text("No room is being prepared.")
        # A quiet server: releasing the room (it shuts the surplus pages down) logs no
        # error a facilitator watching the terminal would take for trouble.
        released = poll_server.log()[mark:]
        assert "ERROR |" not in released and "Kernel died" not in released, released
    finally:
        lead.page.context.close()


def test_the_poll_database_cannot_be_downloaded(poll_server):
    PollStore(poll_server.db)  # make sure the file is there to be tried
    assert poll_server.db.read_bytes().startswith(b"SQLite format 3")
    db = str(poll_server.db)
    rel_home = os.path.relpath(db, str(NOTEBOOKS))
    default = "~/.local/share/backpain-course/poll.sqlite3"
    paths = [
        f"/voila/files{db}",
        f"/voila/files/{rel_home}",
        "/voila/files/" + urllib.parse.quote(rel_home, safe=""),
        "/voila/files/" + rel_home.replace("..", "%2e%2e"),
        f"/voila/files/{default}",
        "/voila/files/../../.local/share/backpain-course/poll.sqlite3",
        f"/voila/render/{rel_home}",
        f"/voila/tree/{rel_home}",
        f"/voila/api/contents/{rel_home}",
        f"/voila/static/{rel_home}",
        f"/voila/templates/course/static/{rel_home}",
        f"/voila/templates/course/static/{urllib.parse.quote(db, safe='')}",
    ]
    for path in paths:
        status, body = _get(poll_server.url + path)
        # 404/403 as a rule; Voila's template-static handler answers a path that leaves
        # its folder with a 500 (its own error page), which serves nothing either.
        assert status in (400, 403, 404, 500), f"{path} -> {status}"
        assert b"SQLite format 3" not in body, path


# ------------------------------------------------------------------- the facilitator guide


def test_the_facilitator_guide_reads_and_links_like_the_course(page, phone_page, voila):
    pg = page.page
    pg.goto(voila.url + GUIDE)
    wait_for_lesson(pg)
    expect(pg).to_have_title("Facilitator guide | Understanding chronic back pain")
    expect(
        pg.get_by_role("heading", level=1, name="Facilitator guide: running a workshop")
    ).to_be_visible()
    expect(pg.locator("table.course-guide__plan caption").first).to_have_text(
        "The 90-minute session"
    )
    expect(pg.get_by_text("--Voila.ip=0.0.0.0").first).to_be_visible()
    expect(pg.locator(".course-guide__key").first).to_contain_text("✓ (right)")
    lesson_link = pg.locator("table.course-guide__plan a", has_text="Lesson 1:").first
    assert lesson_link.get_attribute("href") == f"../{LESSON_01}.ipynb"
    assert axe_serious(pg) == []
    screenshot(pg, "workshop-guide-desktop")
    # The plan's lesson links open in a new tab, which keeps the guide open beside the lesson.
    with pg.context.expect_page() as opened:
        lesson_link.click()
    lesson = opened.value
    lesson.wait_for_url(re.compile(re.escape(f"/voila/render/{LESSON_01}.ipynb")))
    wait_for_lesson(lesson)
    expect(
        lesson.get_by_role("heading", level=1, name="1. What is chronic back pain?")
    ).to_be_visible()
    assert page.off_server() == []

    ph = phone_page.page
    ph.goto(voila.url + GUIDE)
    wait_for_lesson(ph)
    overflow = ph.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= 376, overflow
    screenshot(ph, "workshop-guide-phone")
    assert phone_page.off_server() == []


# ------------------------------------------------------------------- slides


def _slide_headings() -> list[str]:
    """The lesson's slide titles: each heading, and each chart's own slide."""
    from widgets.slides import HeadingSlides

    nb = nbformat.read(NOTEBOOKS / f"{LESSON_01}.ipynb", as_version=4)
    out, _ = HeadingSlides().preprocess(nb, {})
    return [
        c.source.splitlines()[0].lstrip("#").strip()
        for c in out.cells
        if c.metadata.slideshow.slide_type == "slide"
    ]


def test_a_lesson_as_slides_one_per_section_from_this_server_only(page, voila):
    status, body = _get(voila.url + SLIDES)
    assert status == 200
    text = body.decode()
    for host in ("unpkg.com", "cdn.jsdelivr", "cdnjs", "https://fonts."):
        assert host not in text

    pg = page.page
    pg.emulate_media(reduced_motion="reduce")  # no slide transition: screenshots are still
    pg.goto(voila.url + SLIDES)
    pg.wait_for_selector("#rendered_cells", state="visible")
    pg.wait_for_function("() => document.querySelector('.reveal.ready') !== null")
    headings = _slide_headings()
    slides = pg.locator(".reveal .slides > section")
    expect(slides).to_have_count(len(headings))
    firsts = pg.evaluate("""() => [...document.querySelectorAll('.reveal .slides > section')]
        .map(s => (s.querySelector('h1, h2') || {}).textContent || '')""")
    assert [re.sub(r"¶$", "", f).strip() for f in firsts] == headings
    expect(pg.locator(".reveal .slide-number")).to_have_text(
        re.compile(rf"^\s*1\s*/\s*{len(headings)}\s*$")
    )
    assert axe_serious(pg) == []
    screenshot(pg, "workshop-slides-desktop")

    chart = headings.index("What usually happens over time (chart)")
    for _ in range(chart):
        pg.keyboard.press("ArrowRight")
    present = pg.locator(".reveal .slides > section.present")
    expect(present.get_by_role("heading", level=2)).to_have_text(
        re.compile(r"What usually happens over time \(chart\)")
    )
    figure = present.locator("figure.course-chart svg[role=img]")
    figure.scroll_into_view_if_needed()
    expect(figure).to_be_visible()
    expect(present).to_have_css("opacity", "1")
    screenshot(pg, "workshop-slides-chart-desktop")

    quiz = headings.index("Check what you have learned")
    for _ in range(quiz - chart):
        pg.keyboard.press("ArrowRight")
    card = present.locator(".course-quiz__card").first
    card.get_by_role("radio", name="When it has lasted more than 3 months").check()
    card.get_by_role("button", name="Check answer").click()
    expect(card.get_by_role("status")).to_contain_text("Right.")
    assert page.off_server() == []


def test_the_room_joins_from_the_short_address_and_sees_only_the_code(browser, poll_server):
    lead = _open(browser, poll_server)
    lead.page.set_viewport_size({"width": 1280, "height": 720})  # a projector
    person = _open(browser, poll_server, phone=True)
    try:
        fac = _goto(lead, FACILITATOR)
        fac.get_by_role("button", name="Open a new workshop").click()
        key = fac.locator(".course-poll__key").inner_text().strip()
        fac.get_by_role("button", name="I have written the key down").click()
        status = fac.locator(".course-poll__status")
        expect(status).to_contain_text("Round open now: before")
        code = re.search(r"Workshop ([A-Z0-9]{3}-[A-Z0-9]{3})\.", status.inner_text()).group(1)

        # "Show the code to the room": the code, the short address and a QR code, nothing else.
        fac.get_by_role("button", name="Show the code to the room").click()
        room = fac.locator(".course-poll__room")
        expect(room.locator(".course-poll__code")).to_have_text(code)
        address = f"{poll_server.url}/join"
        expect(room).to_contain_text(address)
        qr = room.get_by_role("img", name=re.compile("QR code that opens"))
        expect(qr).to_be_visible()
        expect(status).to_be_hidden()
        assert key not in fac.locator("body").inner_text()
        view = fac.locator(".course-poll__room").locator("xpath=..")
        box = view.bounding_box()
        assert box and box["height"] <= 720 and box["width"] <= 1280, box
        assert axe_serious(fac) == []
        view.scroll_into_view_if_needed()
        screenshot(fac, "workshop-room-code-projector")

        # A phone opens the short address with the code: the page joins by itself.
        join = person.page
        join.goto(f"{address}/{code}")
        wait_for_lesson(join)
        assert "/voila/render/workshop/join.ipynb?code=" in join.url
        expect(join.locator(".course-poll__message")).to_contain_text(
            f"You have joined workshop {code}"
        )
        expect(join.locator(".course-poll__card")).to_have_count(len(ITEMS))
        for card in join.locator(".course-poll__card").all():
            card.get_by_role("radio", name="Fact").check()
        join.get_by_role("button", name="Send my answers").click()
        expect(join.locator(".course-poll__message")).to_contain_text("answers are in")
        store = PollStore(poll_server.db)
        for answer in ("myth", "unsure"):
            store.submit(code, new_participant_id(), "before", {i.id: answer for i in ITEMS})

        # The totals for the room: one line per statement, all on a 1280 x 720 screen.
        fac.get_by_role("button", name="Back to the dashboard").click()
        expect(fac.locator(".course-poll__table")).to_contain_text("Before (3 people)")
        fac.get_by_role("button", name="Show the totals to the room").click()
        totals = fac.locator(".course-poll__totals")
        expect(totals).to_contain_text("Before (3 people)")
        expect(totals.locator("tbody tr")).to_have_count(len(ITEMS))
        view.scroll_into_view_if_needed()
        box = view.bounding_box()
        assert box and box["height"] <= 720 and box["width"] <= 1280, box
        assert axe_serious(fac) == []
        screenshot(fac, "workshop-room-totals-projector")
        assert lead.off_server() == [] and person.off_server() == []
    finally:
        lead.page.context.close()
        person.page.context.close()


def test_the_join_page_on_a_phone_puts_the_code_box_first(browser, poll_server):
    person = _open(browser, poll_server, phone=True)
    person.page.set_viewport_size({"width": 390, "height": 844})
    try:
        opened = PollStore(poll_server.db).open_workshop([i.id for i in ITEMS])
        join = _goto(person, JOIN)
        box = join.get_by_label("Join code").bounding_box()
        button = join.get_by_role("button", name="Join the workshop").bounding_box()
        assert box and button and button["y"] + button["height"] <= 844, (box, button)
        # The notice is said once on the page.
        text = join.locator("body").inner_text()
        assert text.count("This course is for learning.") == 1
        join.get_by_label("Join code").fill(opened.code_text)
        join.get_by_role("button", name="Join the workshop").click()
        cards = join.locator(".course-poll__card")
        expect(cards).to_have_count(len(ITEMS))
        expect(cards.first).to_be_visible()  # (the form is shown after its cards are made)
        for name in ("Myth", "Fact", "Not sure"):
            label = cards.first.locator("label", has_text=name).bounding_box()
            assert label and label["height"] >= 44, (name, label)
        assert join.evaluate("() => document.documentElement.scrollWidth") <= 391
        assert axe_serious(join) == []
        screenshot(join, "workshop-join-first-screen-phone")
    finally:
        person.page.context.close()


def test_a_workshop_leaves_no_error_in_the_server_log(browser, poll_server):
    """Run last in this module: everything the workshop tests did left no ERROR line and
    no "Notebook JSON is invalid" in the log of the server they shared."""
    log = poll_server.log()
    assert "Notebook JSON is invalid" not in log
    errors = [line for line in log.splitlines() if "ERROR |" in line]
    assert errors == [], "\n".join(errors)
