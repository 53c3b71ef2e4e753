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

from ..i18n import N_, _, date_words, ngettext
from .poll_store import ANSWERS, PHASE_NAMES, THRESHOLD, Aggregate, format_code

# The answers as people read them (translated where shown: ``_(ANSWER_LABELS[answer])``).
ANSWER_LABELS = {
    # Translators: an answer of the workshop poll: the statement is a myth.
    "myth": N_("Myth"),
    # Translators: an answer of the workshop poll: the statement is a fact.
    "fact": N_("Fact"),
    # Translators: the third answer of the workshop poll (the lesson pages call it «No lo sé»).
    "unsure": N_("Not sure"),
}
# Translators: in the poll's totals, in place of the counts of a round that fewer than 3
# people have answered.
NOT_SHOWN = N_("not shown yet")


def _h(text: str) -> str:
    """A translated text in an HTML element's content (quotes stay as they are)."""
    return html.escape(text, quote=False)


def _ends(expires: float) -> str:
    """When a workshop is deleted, e.g. "5 December 2026 at 14:54"."""
    when = dt.datetime.fromtimestamp(expires)
    # Translators: a date and time of day, e.g. "5 December 2026 at 14:54".
    return _("{date} at {time}").format(date=date_words(when), time=when.strftime("%H:%M"))


def status_html(agg: Aggregate, now: str) -> str:
    """The dashboard's status line: the code, the open round, how many answered, when it ends."""
    # Translators: the first words of the facilitator's status line, e.g. "Workshop ACE-F47."
    workshop = _h(_("Workshop {code}.").format(code=format_code(agg.code)))
    phase = _h(_(PHASE_NAMES[agg.phase]))
    # Translators: {round} is the name of the round open now ("before" or "after").
    round_open = _h(_("Round open now: {round}.")).format(round=f"<strong>{phase}</strong>")
    # Translators: how many people answered each round of the poll so far.
    answered = _("People who answered: before {before}, after {after}.").format(
        before=agg.before.respondents, after=agg.after.respondents
    )
    # Translators: {time} is a time of day, e.g. "14:05:10".
    checked = _("Checked every second; last change at {time}.").format(time=now)
    # Translators: {date} is a date and time, e.g. "5 December 2026 at 14:54".
    deleted = _("This workshop and all its answers are deleted by themselves on {date}.").format(
        date=_ends(agg.expires)
    )
    return (
        f"<p><strong>{workshop}</strong> {round_open} {_h(answered)} "
        f'<span class="course-poll__time">{_h(checked)}</span></p>'
        f"<p>{_h(deleted)}</p>"
    )


def _people(phase: str, n: int) -> str:
    """A column's heading: "Before (3 people)" or "After (0 people)"."""
    if phase == "before":
        # Translators: a column heading of the poll's totals; English says "people" for 1
        # too, but give the singular its own form ("Antes (1 persona)").
        text = ngettext("Before ({n} people)", "Before ({n} people)", n)
    else:
        # Translators: a column heading of the poll's totals; English says "people" for 1
        # too, but give the singular its own form ("Después (1 persona)").
        text = ngettext("After ({n} people)", "After ({n} people)", n)
    return _h(text.format(n=n))


def _not_yet(phase: str, so_far: int) -> str:
    """Why a round's totals are not shown yet."""
    if phase == "before":
        # Translators: {threshold} is 3 (people); {so_far} how many have answered yet.
        text = _(
            "The 'before' totals appear once {threshold} people have answered ({so_far} so far)."
        )
    else:
        # Translators: {threshold} is 3 (people); {so_far} how many have answered yet.
        text = _(
            "The 'after' totals appear once {threshold} people have answered ({so_far} so far)."
        )
    return text.format(threshold=THRESHOLD, so_far=so_far)


def totals_table_html(agg: Aggregate, items: Mapping[str, Any]) -> str:
    """The dashboard's table: each statement's answers before and after, as totals only
    (a round is shown once ``THRESHOLD`` people answered). ``items``: poll items by id."""
    notes = []
    for phase in ("before", "after"):
        rnd = agg.round(phase)
        if not rnd.shown:
            notes.append(_not_yet(phase, rnd.respondents))
    rows = []
    for number, item_id in enumerate(agg.items, start=1):
        item = items.get(item_id)
        statement = html.escape(item.statement if item else item_id)
        right = item.answer if item else None
        for k, answer in enumerate(ANSWERS):
            label = _h(_(ANSWER_LABELS[answer]))
            if answer == right:
                # Translators: the right answer of a statement in the poll's totals,
                # e.g. "Myth ✓ (right answer)".
                right_label = _h(_("{answer} ✓ (right answer)")).format(answer=label)
                label = f'<span class="course-poll__right">{right_label}</span>'
            head = (
                f'<th scope="rowgroup" rowspan="{len(ANSWERS)}">{number}. {statement}</th>'
                if k == 0
                else ""
            )
            cells = "".join(_cell(agg, phase, item_id, answer) for phase in ("before", "after"))
            rows.append(f"<tr>{head}<td>{label}</td>{cells}</tr>")
    caption = _h(
        _("The room's answers, before and after. Only totals: nobody's own answers are shown.")
    )
    note = "".join(f"<p>{html.escape(n)}</p>" for n in notes)
    # Translators: the name screen readers give the table of the poll's totals.
    region = html.escape(_("Totals table"))
    # Translators: a column heading of the poll's totals: the statement asked.
    statement_head = _h(_("Statement"))
    # Translators: a column heading of the poll's totals: Myth, Fact or Not sure.
    answer_head = _h(_("Answer"))
    return (
        f'{note}<div class="course-poll__scroll" role="region" tabindex="0" '
        f'aria-label="{region}">'
        f'<table class="course-poll__table"><caption>{caption}</caption>'
        f'<thead><tr><th scope="col">{statement_head}</th><th scope="col">{answer_head}</th>'
        f'<th scope="col">{_people("before", agg.before.respondents)}</th>'
        f'<th scope="col">{_people("after", agg.after.respondents)}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _cell(agg: Aggregate, phase: str, item_id: str, answer: str) -> str:
    rnd = agg.round(phase)
    if rnd.counts is None:
        not_shown = _h(_(NOT_SHOWN))
        return f'<td class="course-poll__n">{not_shown}</td>'
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
            return _h(_(NOT_SHOWN))
        parts = []
        for answer in ANSWERS:
            name = _h(_(ANSWER_LABELS[answer]))
            label = f"{name} {rnd.counts[item_id][answer]}"
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
    caption = _h(_("The room's answers (✓ marks the right answer)"))
    # Translators: a column heading of the poll's totals: the statement asked.
    statement_head = _h(_("Statement"))
    return (
        f'<table class="course-poll__totals"><caption>{caption}</caption>'
        f'<thead><tr><th scope="col">{statement_head}</th>'
        f'<th scope="col">{_people("before", agg.before.respondents)}</th>'
        f'<th scope="col">{_people("after", agg.after.respondents)}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
