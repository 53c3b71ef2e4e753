"""The progress diary keeps what the learner writes in the browser: its module cannot
send anything, and the plan file has a place the page fills in."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import anywidget

from widgets.diary import DIARY_MARKER, DiaryPlanOption, ProgressDiary
from widgets.logic.my_plan import build_my_plan
from widgets.my_plan import warning_signs

JS = (Path(__file__).resolve().parents[2] / "widgets" / "static" / "diary.js").read_text(
    encoding="utf-8"
)


def test_the_module_never_writes_to_the_model_or_the_network():
    code = re.sub(r"//[^\n]*", "", JS)  # comments may name what the code never does
    for call in (
        "model.set",
        "save_changes",
        "model.send",
        "fetch(",
        "XMLHttpRequest",
        "sendBeacon",
        "WebSocket",
        "EventSource",
        "import(",
    ):
        assert call not in code, call


def test_the_views_sync_nothing_but_which_view_they_are():
    base = anywidget.AnyWidget()
    common = set(base.trait_names(sync=True))
    for view, part in ((ProgressDiary(), "diary"), (DiaryPlanOption(), "plan_option")):
        assert set(view.trait_names(sync=True)) - common == {"part"}
        assert view.part == part
        view.close()
    base.close()


def test_the_page_and_the_kernel_agree_on_the_plan_files_marker():
    assert f'const PLAN_MARKER = "{DIARY_MARKER}";' in JS


def test_both_plan_files_carry_the_marker_once():
    plan = build_my_plan("Walk to the park", None, None, date(2026, 12, 5), warning_signs())
    for fmt in ("html", "markdown"):
        text = plan.render(fmt)
        assert text.count(DIARY_MARKER) == 1
        assert text.index(DIARY_MARKER) < text.index("Warning signs: when to get help fast")


def test_the_diary_is_kept_under_its_own_key():
    # Not the progress key: "forget my progress" on the landing page leaves the diary be,
    # and the diary has its own "delete my whole diary".
    assert 'export const STORE_KEY = "backpain-course-diary-v1";' in JS


def test_every_text_of_the_diarys_script_is_listed_for_translation():
    """diary.js cannot call gettext: its words are translated from diary.py's lists
    (TEXTS and the plurals) into the script's LOCALE line. A text the script shows that
    the lists lack would stay English on a translated page."""
    import re

    from widgets import diary

    code = re.sub(r"//[^\n]*", "", diary._ESM.read_text(encoding="utf-8"))
    singles = set(re.findall(r'\b(?:N_|t)\(\s*"((?:[^"\\]|\\.)*)"', code))
    plurals = {
        p[0] for p in re.findall(r'\btn\(\s*"((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)"', code)
    }
    assert singles == set(diary.TEXTS)
    assert plurals == set(diary._plurals())
    assert len(diary.TEXTS) == len(set(diary.TEXTS))
