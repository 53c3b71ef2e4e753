"""The progress diary (lesson 13): a daily log of pain, active minutes, sleep, mood and a
note, with week and month charts and a CSV download, kept only in the learner's browser.

Both views are drawn by ``widgets/static/diary.js`` (an anywidget module). What the
learner writes is stored in the browser's ``localStorage`` and never sent to the kernel
or the server: the module reads the model and never writes to it, so these classes
hold no entry and the kernel cannot see one (``tests/unit/test_diary.py`` checks the
module; a browser test watches every request and websocket frame).

- ``ProgressDiary()`` is the diary itself.
- ``DiaryPlanOption()`` is the box in "My plan" (lesson 14) that adds the last four
  weeks of the diary to the plan file, in the browser: the kernel makes the file with a
  marker (``DIARY_MARKER``) and the page puts the diary in its place.

The module speaks the kernel's language: when a view is made, its module is sent with
the language and the translations of ``TEXTS`` and ``PLURALS`` (``page_words``) written
into its ``LOCALE`` line, so the views still sync nothing but ``part``. The stored diary
and its key are the same in every language: a learner's diary is kept across them.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import anywidget
import traitlets

from .i18n import N_, SOURCE, _, current, ngettext
from .logic.my_plan import DIARY_MARKER

_ESM = Path(__file__).resolve().parent / "static" / "diary.js"
# The line of diary.js that holds the page's language and words (English as it stands).
LOCALE_LINE = 'const LOCALE = { language: "en", words: {}, plurals: {} };'
__all__ = ["DIARY_MARKER", "DiaryPlanOption", "ProgressDiary"]

# Every text diary.js shows, in English exactly as it is written there (in N_(), t() or
# tn()); the page shows a text in English when it has no translation.
TEXTS = (
    # Translators: the progress diary's form (lesson 13): the date box's label.
    N_("Day"),
    # Translators: the diary's mood list, when no mood is chosen.
    N_("Not written"),
    # Translators: the diary's moods, from 1 to 5 (shown as "1: very low" ... "5: very good").
    N_("very low"),
    # Translators: a mood in the diary, 2 of 5
    N_("low"),
    # Translators: a mood in the diary, 3 of 5
    N_("OK"),
    # Translators: a mood in the diary, 4 of 5
    N_("good"),
    # Translators: a mood in the diary, 5 of 5
    N_("very good"),
    # Translators: the diary's four numbers: their names (charts, table, messages) and the
    # labels of their boxes in the form.
    N_("Pain"),
    N_("Pain (0 = none, 10 = worst)"),
    N_("Active minutes"),
    N_("Sleep"),
    N_("Sleep (hours)"),
    N_("Mood"),
    N_("Mood (1 = very low, 5 = very good)"),
    # Translators: the label of the diary's note box; {max} is 200.
    N_("Note (up to {max} characters)"),
    # Translators: a column of the diary's table, and the note's name.
    N_("Note"),
    # Translators: the diary's buttons (lesson 13 says "Save this day").
    N_("Save this day"),
    N_("Clear this day"),
    # Translators: what a screen reader calls the diary's form.
    N_("Diary entry"),
    # Translators: the diary's messages when a day cannot be saved.
    N_("Please choose a day first."),
    N_("Please choose today or a day before it."),
    # Translators: {name} is one of "Pain", "Active minutes", "Sleep", "Mood".
    N_("{name} needs a number from {min} to {max}."),
    N_("Please write at least one thing for this day."),
    # Translators: the diary's messages once a day is saved or cleared; {day} is a date
    # such as "Mon 5 January", as the page's language writes it.
    N_("Saved for {day}. It is kept in this browser only."),
    N_(
        "Saved for {day}. This browser does not let the page keep it, so it will be lost "
        "when you close the page."
    ),
    N_("Nothing is written for {day}."),
    N_("Nothing is written for that day."),
    N_("Cleared {day}."),
    N_("Your diary is deleted from this browser."),
    # Translators: where the diary is kept (under its heading).
    N_(
        "Your diary is kept in this browser only, on this device. It is never sent to the "
        "course's server. Anyone who uses this browser can see it."
    ),
    N_(
        "This browser does not let the page keep a diary (it may be in private mode). You "
        "can still fill it in, but it is lost when you close the page."
    ),
    # Translators: the heading over the diary's charts.
    N_("Your diary, as charts"),
    # Translators: the choice of the charts' days: "Show: the last 7 days / the last 4 weeks".
    N_("Show"),
    N_("the last 7 days"),
    N_("the last 4 weeks"),
    # Translators: each chart in words (its alt text). {count} days of {days} (7 or 28) have
    # a number; {average}, {low} and {high} are numbers; {low_day} and {high_day} are
    # dates such as "Mon 5 January".
    N_(
        "Pain: written on {count} of {days} days. Average {average} out of 10; lowest {low} "
        "({low_day}), highest {high} ({high_day})."
    ),
    N_(
        "Active minutes: written on {count} of {days} days. Average {average} minutes; "
        "lowest {low} ({low_day}), highest {high} ({high_day})."
    ),
    N_(
        "Sleep: written on {count} of {days} days. Average {average} hours; lowest {low} "
        "({low_day}), highest {high} ({high_day})."
    ),
    N_(
        "Mood: written on {count} of {days} days. Average {average} out of 5; lowest {low} "
        "({low_day}), highest {high} ({high_day})."
    ),
    # Translators: a chart in words when none of its days has a number ({days} is 7 or 28).
    N_("Pain: nothing written in these {days} days."),
    N_("Active minutes: nothing written in these {days} days."),
    N_("Sleep: nothing written in these {days} days."),
    N_("Mood: nothing written in these {days} days."),
    # Translators: the diary's table (the same numbers as the charts).
    N_("Show the numbers as a table"),
    N_("Your diary, the last 7 days"),
    N_("Your diary, the last 4 weeks"),
    N_("Nothing written in these days yet."),
    # Translators: the diary's download link and its "delete" buttons.
    N_("Download my diary (CSV, for a spreadsheet)"),
    N_("Delete my whole diary"),
    N_("Delete every day of your diary from this browser? This cannot be undone."),
    N_("Yes, delete it"),
    N_("No, keep it"),
    # Translators: the header row of the diary's CSV file (for a spreadsheet): one column
    # name each, in lower case with "_" for spaces; no commas.
    N_("date"),
    N_("pain_0_to_10"),
    N_("active_minutes"),
    N_("sleep_hours"),
    N_("mood_1_to_5"),
    N_("note"),
    # Translators: "My plan" (lesson 14): the box that adds the diary to the plan file.
    N_("Add my diary from the last 4 weeks to the plan file"),
    N_("Your diary has nothing written in the last 4 weeks. You can keep one in lesson 13."),
    # Translators: the diary's part of the plan file: a heading, a line and a table.
    N_("My diary, the last 4 weeks"),
    N_("Written on {count} of the last {days} days. Pain is out of 10, mood out of 5."),
    N_("Nothing written in the last {days} days."),
    N_("My diary, day by day"),
    # Translators: a column of the plan file's diary table.
    N_("Date"),
)


def _plurals() -> dict[str, list[str]]:
    """diary.js's texts that change with a number, by their English singular: the forms
    for 1 and for 2 in the current language (the page picks one with ``Intl.PluralRules``:
    right for a language whose plural is gettext's "n != 1", as English and Spanish)."""
    days_written = [
        # Translators: "My plan" (lesson 14), under the box that adds the diary.
        ngettext(
            "Your diary has {n} day written in the last 4 weeks. It is added here, in your "
            "browser; it is not sent anywhere.",
            "Your diary has {n} days written in the last 4 weeks. It is added here, in your "
            "browser; it is not sent anywhere.",
            n,
        )
        for n in (1, 2)
    ]
    return {
        "Your diary has {n} day written in the last 4 weeks. It is added here, in your "
        "browser; it is not sent anywhere.": days_written,
    }


def page_words() -> dict:
    """The language the page's diary speaks and its words in it (the texts whose
    translation differs from the English), for the module's ``LOCALE`` line."""
    words = {text: _(text) for text in TEXTS if _(text) != text}
    return {"language": current(), "words": words, "plurals": _plurals()}


@cache
def _source() -> str:
    text = _ESM.read_text(encoding="utf-8")
    if text.count(LOCALE_LINE) != 1:
        raise RuntimeError(f"{_ESM.name} must hold this line once: {LOCALE_LINE}")
    return text


def module_source() -> str:
    """diary.js as the page runs it: its ``LOCALE`` line holding the current language and
    its words (English: the file as it is written)."""
    if current() == SOURCE:
        return _source()
    locale = json.dumps(page_words(), ensure_ascii=True, sort_keys=True)
    return _source().replace(LOCALE_LINE, f"const LOCALE = {locale};", 1)


class _DiaryView(anywidget.AnyWidget):
    _esm = _ESM
    # Which view the module draws. The only synced trait: it goes kernel -> browser.
    part = traitlets.Unicode("diary", read_only=True).tag(sync=True)

    def __init__(self, **kwargs):
        # The module in the kernel's language, made now (a kernel knows its language only
        # after the modules are imported).
        kwargs.setdefault("_esm", module_source())
        super().__init__(**kwargs)


class ProgressDiary(_DiaryView):
    """The diary: a form for one day, charts for the last 7 days or 4 weeks, the numbers
    as a table, a CSV download and "delete my whole diary"."""


class DiaryPlanOption(_DiaryView):
    """ "Add my diary from the last 4 weeks to the plan file" (My plan, lesson 14)."""

    part = traitlets.Unicode("plan_option", read_only=True).tag(sync=True)
