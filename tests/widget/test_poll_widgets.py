"""The workshop poll's pages, driven from code as participants and a facilitator would."""

from __future__ import annotations

import base64
import csv
import io
import re
import threading

import ipywidgets as ipw
import pytest

from tests.conftest import Clock
from widgets.content.poll import load_poll_items
from widgets.logic.poll_store import PollStore, WrongKey, new_participant_id
from widgets.poll import AFTER_OPEN, FacilitatorDashboard, JoinPoll

ITEMS = load_poll_items()
IDS = [item.id for item in ITEMS]


@pytest.fixture
def dash(store):
    view = FacilitatorDashboard(store=store, auto_refresh=False)
    yield view
    view.close()


def _opened(dash: FacilitatorDashboard) -> tuple[str, str]:
    """Open a workshop as a facilitator does: note the key, hide it, read the code."""
    dash.open_button.click()
    key = re.search(r'course-poll__key">([A-Z0-9-]+)<', dash.secret.value).group(1)
    dash.hide_key_button.click()
    return dash.code_text, key


def _answer_all(page: JoinPoll, answer_of) -> None:
    for i, item in enumerate(IDS):
        page.choose(item, answer_of(i))
    page.send_button.click()


def _all_values(widget: ipw.Widget) -> str:
    """Every string a widget tree holds (values, descriptions), as the page could show."""
    out = []
    stack = [widget]
    while stack:
        w = stack.pop()
        for name in ("value", "description", "placeholder", "tooltip"):
            v = getattr(w, name, None)
            if isinstance(v, str) and not v.startswith("<style>"):
                out.append(v)
        stack.extend(getattr(w, "children", ()))
    return "\n".join(out)


# ------------------------------------------------------------------- participant


def test_the_page_touches_no_database_until_someone_joins(tmp_path, monkeypatch):
    path = tmp_path / "lazy" / "poll.sqlite3"
    monkeypatch.setenv("COURSE_POLL_DB", str(path))
    JoinPoll()
    FacilitatorDashboard(auto_refresh=False).close()
    assert not path.exists()


@pytest.mark.parametrize(
    "typed, words",
    [
        ("", "Type the join code shown on the screen"),
        ("<b>hi</b>", "does not look like a join code"),
        ("ACE-F47", "No workshop has the code ACE-F47 right now"),
        ("ABC-123", "No workshop has the code ABC-123 right now"),  # well formed, just unknown
        ("x" * 300, "6 letters and numbers"),
    ],
)
def test_a_wrong_join_code_gets_a_clear_message(store, typed, words):
    page = JoinPoll(store=store, auto_refresh=False)
    page.join(typed)
    assert words in page.message_text
    assert "<b>" not in page.message.value
    assert page.phase is None and not page.cards


def test_participant_joins_answers_before_waits_then_answers_after(store, dash):
    code, _ = _opened(dash)
    page = JoinPoll(store=store, auto_refresh=False)
    page.join(code.lower())
    assert page.phase == "before" and list(page.cards) == IDS
    assert "Before the session" in page.heading.value
    assert "anonymous" in page.message_text
    assert [o for o in page.cards[IDS[0]].options] == [
        ("Myth", "myth"),
        ("Fact", "fact"),
        ("Not sure", "unsure"),
    ]

    page.choose(IDS[0], "myth")
    page.send_button.click()
    assert f"Please answer every statement ({len(IDS) - 1} still open)" in page.message_text
    _answer_all(page, lambda i: "unsure")
    assert "Your 'before' answers are in" in page.message_text
    assert "will appear here" in page.message_text
    # The 'after' button shows only once the facilitator opens that round.
    assert page.after_button.layout.display == "none"
    assert page.check_round() is False and page.after_button.layout.display == "none"
    assert "course-poll__error" not in page.message.value

    dash.phase_button.click()
    assert page.check_round() is True
    assert page.after_button.layout.display is None and AFTER_OPEN in page.message_text
    page.after_button.click()
    assert page.phase == "after" and "After the session" in page.heading.value
    assert all(radios.value is None for radios in page.cards.values())
    _answer_all(page, lambda i: ITEMS[i].answer)
    assert "Your 'after' answers are in" in page.message_text
    assert "The answers" in page.answers.value and "Source:" in page.answers.value
    assert ITEMS[1].explanation.split(".")[0] in page.visible_text


def test_a_participant_sees_no_totals_or_other_answers(store, dash):
    code, _ = _opened(dash)
    for _ in range(5):
        store.submit(code, new_participant_id(), "before", {x: "fact" for x in IDS})
    page = JoinPoll(store=store, auto_refresh=False)
    page.join(code)
    _answer_all(page, lambda i: "myth")
    shown = _all_values(page)
    for words in ("people", "answered:", "Before (", "%", "not shown yet", "Facilitator key"):
        assert words not in shown
    assert not hasattr(page, "table") and not hasattr(page, "refresh")


def test_joining_a_deleted_workshop_says_so(store, dash):
    code, _ = _opened(dash)
    page = JoinPoll(store=store, auto_refresh=False)
    page.join(code)
    dash.delete_button.click()
    dash.confirm_button.click()
    _answer_all(page, lambda i: "fact")
    assert "This workshop has ended" in page.message_text
    other = JoinPoll(store=store, auto_refresh=False)
    other.join(code)
    assert "No workshop has the code" in other.message_text


def test_a_database_path_inside_the_served_folder_is_refused_politely(monkeypatch):
    from widgets.logic.poll_store import REPO_ROOT

    monkeypatch.setenv("COURSE_POLL_DB", str(REPO_ROOT / "notebooks" / "poll.sqlite3"))
    page = JoinPoll()
    page.join("ACE-F47")
    assert "must not be inside" in page.message_text
    dash = FacilitatorDashboard(auto_refresh=False)
    dash.open_button.click()
    assert "must not be inside" in dash.message_text and not dash.showing_dashboard
    assert not (REPO_ROOT / "notebooks" / "poll.sqlite3").exists()


def _browser_page(store, token: str, url_code: str = "") -> JoinPoll:
    """A participant's page as a browser draws it: the page sends its token (and code)."""
    page = JoinPoll(store=store, auto_refresh=False)
    page.page.token = token
    page.page.url_code = url_code
    return page


def test_a_reload_shows_the_round_as_sent_never_a_blank_form(store, dash):
    code, key = _opened(dash)
    browser = new_participant_id()
    first = _browser_page(store, browser)
    assert first.participant == browser
    first.join(code)
    _answer_all(first, lambda i: "myth")
    # The phone slept; the participant reloads and types the code again.
    again = _browser_page(store, browser)
    again.join(code)
    assert "You already sent your 'before' answers from this browser" in again.message_text
    assert again._form.layout.display == "none" and "course-poll__error" not in again.message.value
    assert again.after_button.layout.display == "none"
    assert store.facilitator(code, key).aggregate().before.respondents == 1
    # When the facilitator opens 'after', the reloaded page offers it, once.
    dash.phase_button.click()
    assert again.check_round() is True
    again.after_button.click()
    _answer_all(again, lambda i: "fact")
    third = _browser_page(store, browser)
    third.join(code)
    assert "You already sent your 'after' answers" in third.message_text
    assert "The answers" in third.answers.value
    agg = store.facilitator(code, key).aggregate()
    assert (agg.before.respondents, agg.after.respondents) == (1, 1)


def test_two_tabs_of_one_browser_count_once(store, dash):
    code, key = _opened(dash)
    browser = new_participant_id()
    tab_a, tab_b = _browser_page(store, browser), _browser_page(store, browser)
    tab_a.join(code)
    tab_b.join(code)  # both show the form: neither has sent yet
    assert tab_b.cards
    _answer_all(tab_a, lambda i: "myth")
    _answer_all(tab_b, lambda i: "fact")
    assert "You already sent your 'before' answers" in tab_b.message_text
    assert tab_b._form.layout.display == "none"
    before = store.facilitator(code, key).aggregate().before
    assert before.respondents == 1


def test_a_late_joiner_answers_the_round_that_is_open(store, dash):
    code, key = _opened(dash)
    for _ in range(3):
        page = _browser_page(store, new_participant_id())
        page.join(code)
        _answer_all(page, lambda i: "myth")
    dash.phase_button.click()
    late = _browser_page(store, new_participant_id())
    late.join(code)
    assert late.phase == "after" and late.cards
    _answer_all(late, lambda i: "fact")
    agg = store.facilitator(code, key).aggregate()
    assert (agg.before.respondents, agg.after.respondents) == (3, 1)


def test_the_short_address_fills_the_code_in_and_joins(store, dash):
    code, _ = _opened(dash)
    page = _browser_page(store, new_participant_id(), url_code=code.lower())
    assert page.phase == "before" and page.code_input.value == code
    assert "You have joined workshop" in page.message_text


def test_a_token_of_another_shape_is_ignored(store):
    page = JoinPoll(store=store, auto_refresh=False)
    own = page.participant
    page.page.token = "not-a-token; DROP TABLE answers"
    assert page.participant == own


def test_the_watcher_shows_the_after_round_by_itself_and_stops(store, dash):
    code, _ = _opened(dash)
    page = JoinPoll(store=store, auto_refresh=True)
    page.join(code)
    _answer_all(page, lambda i: "myth")
    assert page.watching  # sending 'before' starts it; swap in a faster one for the test
    page.stop_watching()
    page._watch(interval=0.02)
    assert page.watching
    dash.phase_button.click()
    page._watcher.join(timeout=5)
    assert not page.watching and page.after_button.layout.display is None
    page.close()


# ------------------------------------------------------------------- facilitator


def test_the_key_is_shown_once_alone_and_the_code_only_after_it_is_hidden(store, dash):
    dash.open_button.click()
    key = re.search(r'course-poll__key">([A-Z0-9-]+)<', dash.secret.value).group(1)
    assert re.fullmatch(r"([A-Z0-9]{4}-){3}[A-Z0-9]{4}", key)
    assert "shown only this once" in dash.secret.value
    # Projector-safe: while the key is on the screen, the join code is not.
    code = dash.code_text
    assert re.fullmatch(r"[A-Z0-9]{3}-[A-Z0-9]{3}", code)
    assert not dash.showing_dashboard
    visible = "\n".join(w.value for w in (dash.secret, dash.message))
    assert code not in visible and code.replace("-", "") not in visible
    dash.hide_key_button.click()
    assert dash.showing_dashboard
    assert f"Workshop {code}." in dash.status_text and "Round open now: before" in dash.status_text
    assert "appear once 3 people have answered (0 so far)" in dash.table_text
    assert key not in _all_values(dash) and key.replace("-", "") not in _all_values(dash)
    assert store.facilitator(code, key).code == code.replace("-", "")


def test_show_the_code_to_the_room_shows_the_code_qr_and_short_address_only(store, dash):
    import segno

    code, key = _opened(dash)
    dash.page.origin, dash.page.base = "http://192.0.2.7:8866", "/"
    dash.room_button.click()
    assert dash.showing_room == "code" and not dash.showing_dashboard
    text = dash.room_text
    assert code in text and "http://192.0.2.7:8866/join" in text
    assert "Workshop" not in text and "people" not in text and key not in _all_values(dash)
    assert dash.message.value == ""
    svg = re.search(r"<svg [^>]*>", dash.room.value).group(0)
    assert 'role="img"' in svg and f"http://192.0.2.7:8866/join/{code}" in svg
    # The QR code is the one for the join address with the code (made in the kernel).
    expected = segno.make(f"http://192.0.2.7:8866/join/{code}", error="m").svg_inline(
        scale=8, border=4, dark="#000", light="#fff", omitsize=True
    )
    assert expected.split(">", 1)[1] in dash.room.value
    dash.back_button.click()
    assert dash.showing_room is None and dash.showing_dashboard


def test_the_room_totals_are_one_line_per_statement(store, dash):
    code, _ = _opened(dash)
    for n in range(3):
        page = _browser_page(store, new_participant_id())
        page.join(code)
        _answer_all(page, lambda i, n=n: ("myth", "fact", "unsure")[n])
    dash.totals_button.click()
    assert dash.showing_room == "totals"
    rows = re.findall(r"<tr><th scope=\"row\">", dash.room.value)
    assert len(rows) == len(IDS)
    assert "Before (3 people)" in dash.room_text and "Myth 1 · Fact 1 · Not sure 1" in re.sub(
        r"</?strong>| ✓", "", dash.room.value
    )
    assert "not shown yet" in dash.room_text  # the 'after' round has nobody yet
    # It follows the totals as they change.
    dash.phase_button.click()
    for _ in range(3):
        page = _browser_page(store, new_participant_id())
        page.join(code)
        _answer_all(page, lambda i: "myth")
    dash.refresh()
    assert "After (3 people)" in dash.room_text


def test_totals_appear_only_once_three_people_answered_before_beside_after(store, dash):
    code, _ = _opened(dash)
    people = [JoinPoll(store=store, auto_refresh=False) for _ in range(3)]
    for page in people[:2]:
        page.join(code)
        _answer_all(page, lambda i: "myth")
    dash.refresh()
    assert "before 2, after 0" in dash.status_text
    assert "(2 so far)" in dash.table_text and "Myth ✓" in dash.table_text
    assert dash.table_text.count("not shown yet") == 2 * len(IDS) * 3
    assert not re.search(r"\b2 \(100%\)", dash.table_text)

    people[2].join(code)
    _answer_all(people[2], lambda i: "fact")
    dash.refresh()
    rows = re.findall(r"<tr>(.*?)</tr>", dash.table.value)
    first_item = [_cells(r) for r in rows[1:4]]  # after the header: Myth, Fact, Not sure
    assert first_item[0][-3:] == ["Myth ✓ (right answer)", "2 (67%)", "not shown yet"]
    assert first_item[1][-3:] == ["Fact", "1 (33%)", "not shown yet"]
    assert first_item[2][-3:] == ["Not sure", "0 (0%)", "not shown yet"]
    assert "Before (3 people)" in dash.table_text and "After (0 people)" in dash.table_text

    dash.phase_button.click()
    assert "Round open now: after" in dash.status_text
    for page in people:
        page.after_button.click()
        _answer_all(page, lambda i: ITEMS[i].answer)
    dash.refresh()
    rows = re.findall(r"<tr>(.*?)</tr>", dash.table.value)
    exercise = IDS.index("exercise-helps")
    fact_row = _cells(rows[1 + 3 * exercise + 1])
    assert fact_row[-3:] == ["Fact ✓ (right answer)", "1 (33%)", "3 (100%)"]
    assert "not shown yet" not in dash.table_text


def _cells(row: str) -> list[str]:
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in cells]


def test_a_wrong_key_shows_no_dashboard(store, dash):
    code, key = _opened(dash)
    other = FacilitatorDashboard(store=store, auto_refresh=False)
    other.code_input.value = code
    other.key_input.value = "AAAA-AAAA-AAAA-AAAA"
    other.show_button.click()
    assert "do not match a workshop" in other.message_text
    assert not other.showing_dashboard and other.table.value == "" and other.status.value == ""
    assert other.key_input.value == ""  # a mistyped key does not stay on screen

    other.code_input.value = code
    other.key_input.value = key.lower()
    other.show_button.click()
    assert other.showing_dashboard and f"Workshop {code}" in other.status_text
    assert other.key_input.value == "" and key not in _all_values(other)
    other.close()


def test_export_gives_a_csv_of_the_totals_only(store, dash):
    code, _ = _opened(dash)
    dash.export_button.click()
    assert "nothing to export until 3 people" in dash.message_text and dash.download.value == ""
    ids = []
    for n in range(3):
        page = JoinPoll(store=store, auto_refresh=False)
        ids.append(page.participant)
        page.join(code)
        _answer_all(page, lambda i, n=n: ("myth", "fact", "unsure")[n])
    dash.export_button.click()
    link = dash.download.value
    assert 'download="workshop-' in link and "totals.csv" in link
    text = base64.b64decode(re.search(r"base64,([^\"]+)\"", link).group(1)).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(IDS)
    assert {(r["myth"], r["fact"], r["not_sure"], r["people_answered"]) for r in rows} == {
        ("1", "1", "1", "3")
    }
    assert rows[0]["statement"] == ITEMS[0].statement
    for who in ids:
        assert who not in text


def test_delete_asks_first_then_ends_the_workshop(store, dash):
    code, key = _opened(dash)
    dash.delete_button.click()
    assert "cannot be undone" in dash.message_text
    dash.cancel_button.click()
    assert "not deleted" in dash.message_text and dash.showing_dashboard
    dash.delete_button.click()
    dash.confirm_button.click()
    assert "all its answers are deleted" in dash.message_text
    assert not dash.showing_dashboard and not dash.refreshing
    with pytest.raises(WrongKey):
        store.facilitator(code, key)


def test_an_ended_workshop_leaves_nothing_on_the_page_and_only_the_start_panel(store, dash):
    _opened(dash)
    dash.totals_button.click()  # the room view showing the totals
    dash.back_button.click()
    dash.export_button.click()
    dash.delete_button.click()
    dash.confirm_button.click()
    shown = [w for w in (dash.start, dash.totals, dash.room_view) if w.layout.display != "none"]
    assert shown == [dash.start] and dash.showing_room is None
    assert dash.hide_key_button.layout.display == "none"
    left = [dash.status, dash.table, dash.download, dash.room, dash.secret]
    assert [w.value for w in left] == [""] * len(left)
    assert dash.totals.confirm_row.layout.display == "none"
    assert dash.phase_button.description == "Open the 'after' questions"


def test_the_dashboard_ends_when_the_workshop_expires(tmp_path):
    clock = Clock()
    store = PollStore(tmp_path / "poll.sqlite3", clock=clock)
    dash = FacilitatorDashboard(store=store, auto_refresh=False)
    _opened(dash)
    clock.now += 7 * 24 * 3600
    dash.refresh()
    assert "the time it was kept for has ended" in dash.message_text
    assert not dash.showing_dashboard and dash.table.value == ""


def test_the_background_refresh_updates_the_page_and_stops_on_close(store):
    dash = FacilitatorDashboard(store=store, auto_refresh=True)
    code, _ = _opened(dash)
    assert dash.refreshing
    shown = threading.Event()
    original = dash.refresh

    def watched() -> None:
        original()
        if "3 (100%)" in dash.table_text:
            shown.set()

    dash.refresh = watched  # the thread looks the method up on each tick
    dash.stop_refresh()
    dash.start_refresh(interval=0.05)
    for _ in range(3):
        store.submit(code, new_participant_id(), "before", {x: "myth" for x in IDS})
    assert shown.wait(timeout=10), "the thread never showed the new totals"
    thread = dash._poller._thread
    dash.close()
    assert not dash.refreshing and not thread.is_alive()


def test_a_weekly_group_keeps_its_workshop_for_the_weeks_chosen(tmp_path):
    import datetime as dt

    clock = Clock()
    store = PollStore(tmp_path / "poll.sqlite3", clock=clock)
    dash = FacilitatorDashboard(store=store, auto_refresh=False)
    assert dash.keep_for.value == 7 and ("8 weeks", 56) in dash.keep_for.options
    dash.keep_for.value = 14
    code, _ = _opened(dash)
    ends = dt.datetime.fromtimestamp(clock.now + 14 * 24 * 3600).strftime("%-d %B %Y")
    assert f"deleted by themselves on {ends}" in dash.status_text
    clock.now += 13 * 24 * 3600  # the next meeting, two weeks on less a day
    page = JoinPoll(store=store, auto_refresh=False)
    page.join(code)
    assert page.phase == "before"
    dash.close()


def test_the_poller_stops_when_its_step_says_so_and_survives_a_failing_step():
    from widgets._poller import Poller

    calls, errors = [], []

    def step() -> bool:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("a passing fault")
        return len(calls) >= 4

    poller = Poller("test")
    poller.start(step, 0.01, 10, lambda exc: errors.append(exc) or False)
    poller.join(timeout=5)
    assert len(calls) == 4 and len(errors) == 1 and not poller.running
    poller.start(lambda: False, 0.01, 0.05)  # a forgotten page stops by itself
    poller.join(timeout=5)
    assert not poller.running
