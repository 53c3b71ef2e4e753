"""What the facilitator's dashboard shows of a workshop's answers, as HTML: pure functions
of the totals (``poll_store.Aggregate``), so they are tested without a page.

Only totals are ever shown, never one person's answers, and a round's totals only once
``THRESHOLD`` people have answered it.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from typing import Any

from .poll_store import ANSWERS, THRESHOLD, Aggregate, format_code

ANSWER_LABELS = {"myth": "Myth", "fact": "Fact", "unsure": "Not sure"}


def status_html(agg: Aggregate, now: str) -> str:
    """The dashboard's status line: the code, the open round, how many answered, when it ends."""
    ends = dt.datetime.fromtimestamp(agg.expires).strftime("%-d %B %Y at %H:%M")
    return (
        f"<p><strong>Workshop {html.escape(format_code(agg.code))}.</strong> "
        f"Round open now: <strong>{agg.phase}</strong>. People who answered: "
        f"before {agg.before.respondents}, after {agg.after.respondents}. "
        f'<span class="course-poll__time">Checked every second; last change at '
        f"{now}.</span></p>"
        f"<p>This workshop and all its answers are deleted by themselves on {ends}.</p>"
    )


def totals_table_html(agg: Aggregate, items: Mapping[str, Any]) -> str:
    """The dashboard's table: each statement's answers before and after, as totals only
    (a round is shown once ``THRESHOLD`` people answered). ``items``: poll items by id."""
    notes = []
    for phase in ("before", "after"):
        rnd = agg.round(phase)
        if not rnd.shown:
            notes.append(
                f"The '{phase}' totals appear once {THRESHOLD} people have "
                f"answered ({rnd.respondents} so far)."
            )
    rows = []
    for number, item_id in enumerate(agg.items, start=1):
        item = items.get(item_id)
        statement = html.escape(item.statement if item else item_id)
        right = item.answer if item else None
        for k, answer in enumerate(ANSWERS):
            label = ANSWER_LABELS[answer]
            if answer == right:
                label = f'<span class="course-poll__right">{label} ✓ (right answer)</span>'
            head = (
                f'<th scope="rowgroup" rowspan="{len(ANSWERS)}">{number}. {statement}</th>'
                if k == 0
                else ""
            )
            cells = "".join(_cell(agg, phase, item_id, answer) for phase in ("before", "after"))
            rows.append(f"<tr>{head}<td>{label}</td>{cells}</tr>")
    caption = "The room's answers, before and after. Only totals: nobody's own answers are shown."
    note = "".join(f"<p>{html.escape(n)}</p>" for n in notes)
    return (
        f'{note}<div class="course-poll__scroll" role="region" tabindex="0" '
        f'aria-label="Totals table">'
        f'<table class="course-poll__table"><caption>{caption}</caption>'
        '<thead><tr><th scope="col">Statement</th><th scope="col">Answer</th>'
        f'<th scope="col">Before ({agg.before.respondents} people)</th>'
        f'<th scope="col">After ({agg.after.respondents} people)</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _cell(agg: Aggregate, phase: str, item_id: str, answer: str) -> str:
    rnd = agg.round(phase)
    if rnd.counts is None:
        return '<td class="course-poll__n">not shown yet</td>'
    n = rnd.counts[item_id][answer]
    share = round(100 * n / rnd.respondents) if rnd.respondents else 0
    bar_class = (
        "course-poll__bar course-poll__bar--after" if phase == "after" else "course-poll__bar"
    )
    return (
        f'<td class="course-poll__n">{n} ({share}%)'
        f'<span class="{bar_class}" style="width:{share}%" aria-hidden="true"></span></td>'
    )


def room_totals_html(agg: Aggregate, items: Mapping[str, Any]) -> str:
    """One line per statement, before beside after: fits a 1280 x 720 projector."""

    def counts(phase: str, item_id: str, right: str | None) -> str:
        rnd = agg.round(phase)
        if rnd.counts is None:
            return "not shown yet"
        parts = []
        for answer in ANSWERS:
            label = f"{ANSWER_LABELS[answer]} {rnd.counts[item_id][answer]}"
            parts.append(f"<strong>{label} ✓</strong>" if answer == right else label)
        return " · ".join(parts)

    rows = []
    for number, item_id in enumerate(agg.items, start=1):
        item = items.get(item_id)
        statement = html.escape(item.statement if item else item_id)
        right = item.answer if item else None
        rows.append(
            f'<tr><th scope="row">{number}. {statement}</th>'
            f"<td>{counts('before', item_id, right)}</td>"
            f"<td>{counts('after', item_id, right)}</td></tr>"
        )
    return (
        '<table class="course-poll__totals"><caption>The room\'s answers '
        f"(✓ marks the right answer)</caption>"
        '<thead><tr><th scope="col">Statement</th>'
        f'<th scope="col">Before ({agg.before.respondents} people)</th>'
        f'<th scope="col">After ({agg.after.respondents} people)</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
