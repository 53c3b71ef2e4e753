"""Handouts: choosing lessons, the paper quiz, and static snapshots of tools (no browser)."""

from __future__ import annotations

import html
import subprocess
import sys

import pytest

from tests.conftest import REPO
from widgets.content import load_content
from widgets.handouts import HandoutError, _output_html, _Widgets, paper_quiz, pick_lessons

CONTENT = load_content()
LESSON_01 = "01-what-is-chronic-back-pain"


def test_lessons_are_picked_by_id_or_number_and_all_by_default():
    assert [x.id for x in pick_lessons(["1", LESSON_01 + ".ipynb"])] == [LESSON_01, LESSON_01]
    assert [x.id for x in pick_lessons([])] == [x.id for x in CONTENT.course.lessons if x.ready]


@pytest.mark.parametrize(
    "name, words",
    [("0", "No lesson '0'"), ("99", "No lesson '99'"), ("cats", "Use a number from 1 to 14")],
)
def test_an_unknown_lesson_is_named(name, words):
    with pytest.raises(HandoutError, match=words):
        pick_lessons([name])


def test_the_command_says_what_is_wrong_and_exits_non_zero():
    done = subprocess.run(
        [sys.executable, "-m", "widgets.handouts", "no-such-lesson"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "handouts: No lesson 'no-such-lesson'" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_paper_quiz_has_every_question_and_no_answers():
    page = paper_quiz(LESSON_01, CONTENT)
    for q in CONTENT.questions_for(LESSON_01):
        assert html.escape(q.prompt) in page
        for option in q.options:
            assert html.escape(option.feedback) not in page
    assert "✓" not in page and "answers are at the end" in page


def _state(models: dict) -> dict:
    return {"widgets": {"application/vnd.jupyter.widget-state+json": {"state": models}}}


def test_a_tool_prints_as_it_first_appears_without_controls_or_hidden_parts():
    models = {
        "root": {
            "model_name": "VBoxModel",
            "state": {
                "children": [
                    "IPY_MODEL_html",
                    "IPY_MODEL_slider",
                    "IPY_MODEL_button",
                    "IPY_MODEL_hidden",
                    "IPY_MODEL_live",
                    "IPY_MODEL_pick",
                ]
            },
        },
        "html": {
            "model_name": "HTMLModel",
            "state": {
                "value": "<style>.x{}</style>"
                "<figure><svg role='img'><title>Chart</title></svg></figure>"
            },
        },
        "slider": {"model_name": "IntSliderModel", "state": {"description": "Age", "value": 50}},
        "button": {"model_name": "ButtonModel", "state": {"description": "Check answer"}},
        "hidden": {
            "model_name": "HTMLModel",
            "state": {"value": "SECRET", "layout": "IPY_MODEL_lay"},
        },
        "lay": {"model_name": "LayoutModel", "state": {"display": "none"}},
        "live": {
            "model_name": "AnyModel",
            "state": {"value": "<p>Starts to hurt at 4.3</p>", "_esm": "function render(){}"},
        },
        "pick": {
            "model_name": "DropdownModel",
            "state": {
                "description": "Finding",
                "_options_labels": ["Disc bulge", "Disc height loss"],
                "index": 1,
            },
        },
    }
    out = _output_html(
        {"data": {"application/vnd.jupyter.widget-view+json": {"model_id": "root"}}},
        _Widgets(_state(models)),
    )
    assert "Try it in the online lesson" in out
    assert "<svg role='img'>" in out and "<style>" not in out
    assert "Age: 50" in out and "Finding: Disc height loss" in out
    assert "Starts to hurt at 4.3" in out and "function render" not in out
    assert "Check answer" not in out and "SECRET" not in out


def test_navigation_and_plain_text_reprs_are_left_out():
    widgets = _Widgets({})
    assert (
        _output_html(
            {"data": {"text/html": '<nav class="course-nav">x</nav>', "text/plain": "Previous"}},
            widgets,
        )
        == ""
    )
    assert _output_html({"data": {"text/plain": "Quiz(children=...)"}}, widgets) == ""
    assert _output_html({"data": {"text/html": ["<p>a", "b</p>"]}}, widgets) == "<p>ab</p>"


def test_the_session_summary_holds_key_points_warning_signs_and_the_address():
    from widgets.content.red_flags import load_red_flags
    from widgets.handouts import SUMMARY_POINTS, key_points, summary_html

    content = load_content()
    lessons = [content.lesson("01-what-is-chronic-back-pain"), content.lesson("08-when-to-worry")]
    page = summary_html(lessons, content, address="http://192.0.2.7:8866/")
    for lesson in lessons:
        assert lesson.title in page
        points = key_points(lesson)
        assert len(points) > SUMMARY_POINTS  # so the cut below is seen
        shown = [p for p in points if html.escape(p.split("[")[0].rstrip(" *")[:40]) in page]
        assert shown == points[:SUMMARY_POINTS], "the first key points of each lesson"
    assert "When to worry" in page and "Science and myths" not in page
    rules = load_red_flags()
    for flag in rules.flags:  # every sign, in the words of data/red_flags.yaml
        assert html.escape(flag.name) in page
    for level in ("emergency", "urgent", "soon"):
        assert html.escape(rules.advice[level].intro) in page
    assert "http://192.0.2.7:8866/" in page and content.course.disclaimer in page
    assert "<script" not in page and "default-src 'none'" in page
