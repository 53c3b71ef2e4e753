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
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

from .logic.my_plan import DIARY_MARKER

_ESM = Path(__file__).resolve().parent / "static" / "diary.js"
__all__ = ["DIARY_MARKER", "DiaryPlanOption", "ProgressDiary"]


class _DiaryView(anywidget.AnyWidget):
    _esm = _ESM
    # Which view the module draws. The only synced trait: it goes kernel -> browser.
    part = traitlets.Unicode("diary", read_only=True).tag(sync=True)


class ProgressDiary(_DiaryView):
    """The diary: a form for one day, charts for the last 7 days or 4 weeks, the numbers
    as a table, a CSV download and "delete my whole diary"."""


class DiaryPlanOption(_DiaryView):
    """ "Add my diary from the last 4 weeks to the plan file" (My plan, lesson 14)."""

    part = traitlets.Unicode("plan_option", read_only=True).tag(sync=True)
