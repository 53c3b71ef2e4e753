"""What the facilitator's dashboard shows of the answers: totals only, and only from three."""

from __future__ import annotations

import re
from types import SimpleNamespace

from widgets.logic.poll_store import THRESHOLD, PollStore, new_participant_id
from widgets.logic.poll_totals import room_totals_html, status_html, totals_table_html
from widgets.logic.text import plain_text

ITEMS = ("scan-cause", "rest-flare")
STATEMENTS = {
    "scan-cause": SimpleNamespace(statement="A scan shows the cause", answer="myth"),
    "rest-flare": SimpleNamespace(statement="Rest is best in a flare", answer="myth"),
}


def _aggregate(tmp_path, before: int):
    store = PollStore(tmp_path / "poll.sqlite3")
    opened = store.open_workshop(ITEMS)
    for _ in range(before):
        store.submit(opened.code, new_participant_id(), "before", dict.fromkeys(ITEMS, "myth"))
    return store.facilitator(opened.code, opened.key).aggregate()


def test_below_three_nothing_is_counted_on_screen(tmp_path):
    agg = _aggregate(tmp_path, THRESHOLD - 1)
    table = plain_text(totals_table_html(agg, STATEMENTS))
    assert f"appear once {THRESHOLD} people have answered (2 so far)" in table
    assert "not shown yet" in table and "%" not in table
    assert "not shown yet" in plain_text(room_totals_html(agg, STATEMENTS))


def test_from_three_the_totals_show_with_the_right_answer_marked(tmp_path):
    agg = _aggregate(tmp_path, THRESHOLD)
    table = totals_table_html(agg, STATEMENTS)
    assert "1. A scan shows the cause" in plain_text(table)
    assert plain_text(table).count("Myth ✓ (right answer)") == len(ITEMS)
    assert re.search(r'class="course-poll__n">3 \(100%\)', table)
    assert "Before (3 people)" in plain_text(table) and "After (0 people)" in plain_text(table)
    room = plain_text(room_totals_html(agg, STATEMENTS))
    assert "Myth 3 ✓ · Fact 0 · Not sure 0" in room


def test_the_status_line_names_the_code_the_round_and_when_it_ends(tmp_path):
    agg = _aggregate(tmp_path, 1)
    line = plain_text(status_html(agg, "10:00:00"))
    assert line.startswith(f"Workshop {agg.code[:3]}-{agg.code[3:]}.")
    assert "Round open now: before" in line and "last change at 10:00:00" in line
    assert "deleted by themselves on" in line
