"""What the facilitator guide shows: plans, answer keys, the poll key and red-flag advice."""

from __future__ import annotations

import re
import shutil

import pytest

import widgets.content.course as content_module
from tests.conftest import NOTEBOOKS
from widgets import workshop
from widgets.content import load_content
from widgets.content.poll import load_poll_items

CONTENT = load_content()
LESSON_01 = "01-what-is-chronic-back-pain"


@pytest.fixture
def only_lesson_01(tmp_path, monkeypatch):
    """A course where only lesson 1 (and the home page) exists yet."""
    folder = tmp_path / "notebooks"
    (folder / "workshop").mkdir(parents=True)
    for name in ("00-index.ipynb", f"{LESSON_01}.ipynb"):
        shutil.copy(NOTEBOOKS / name, folder / name)
    monkeypatch.setattr(content_module, "NOTEBOOKS_DIR", folder)
    return folder


def test_the_90_minute_plan_is_one_table_with_times_links_and_prompts():
    shown = workshop.session_plan("one-90")
    assert shown.html.count("<table") == 1 and "The 90-minute session" in shown.html
    assert "0–10 min" in shown.html and "80–90 min" in shown.html
    assert f'href="../{LESSON_01}.ipynb"' in shown.html
    assert f'href="../{LESSON_01}.ipynb?template=course-slides"' in shown.html
    assert "Has your pain come in waves?" in shown.html
    assert shown.text.startswith("One 90-minute session")


def test_the_two_meeting_plan_has_a_table_per_meeting():
    shown = workshop.session_plan("two-60")
    captions = re.findall(r"<caption>(.*?)</caption>", shown.html)
    assert captions == ["Meeting 1 of 2 (60 minutes)", "Meeting 2 of 2 (60 minutes)"]
    assert shown.html.count("–60 min<br>") == 2 and "–65 min" not in shown.html


def test_lessons_that_do_not_exist_yet_are_named_not_linked(only_lesson_01):
    shown = workshop.session_plan("one-90")
    assert f'href="../{LESSON_01}.ipynb"' in shown.html
    assert "02-why-pain-persists.ipynb" not in shown.html
    assert "Lesson 2: Why pain persists <em" in shown.html and "not in the course yet" in shown.html
    keys = workshop.answer_keys()
    assert "Lesson 1. What is chronic back pain?" in keys.html
    assert "Lesson 2." not in keys.html
    missing = ", ".join(str(n) for n in range(2, 15))
    assert f"Lessons {missing} are not in the course yet" in keys.html


def test_an_answer_key_marks_every_right_option_and_explains_it():
    key = workshop.answer_key(LESSON_01)
    questions = CONTENT.questions_for(LESSON_01)
    right = [o.text for q in questions for o in q.options if o.correct]
    assert key.html.count("✓ (right)") == len(right)
    for q in questions:
        assert q.explanation.split(".")[0].replace('"', "&quot;") in key.html
    # Each source once, after the lesson's questions.
    assert key.html.count("Source: <a") == 1
    for ref_id in dict.fromkeys(r for q in questions for r in q.references):
        assert key.html.count(f'href="{CONTENT.references[ref_id].link}"') == 1
    assert "Answer: When it has lasted more than 3 months." in key.text


def test_every_existing_lesson_has_its_key_in_course_order():
    keys = workshop.answer_keys()
    titles = re.findall(r"<h3>Lesson (\d+)\. ", keys.html)
    ready = [
        n
        for n, x in enumerate(CONTENT.course.lessons, 1)
        if x.ready and CONTENT.questions_for(x.id)
    ]
    assert [int(t) for t in titles] == ready


def test_the_poll_key_gives_each_answer_with_its_source():
    key = workshop.poll_key()
    for item in load_poll_items():
        assert (
            f"Answer: <strong>{item.answer.title()}.</strong>" in key.html
            or f"{item.statement} {item.answer.title()}." in key.text
        )
        assert item.statement in key.text
    assert key.html.count("Source: <a") == len(load_poll_items())


def test_red_flag_advice_comes_from_the_checker_with_the_emergency_numbers():
    from widgets.red_flags import RED_FLAGS, assess

    shown = workshop.red_flag_advice()
    # Three groups, most urgent first, each with the checker's advice said once.
    levels = re.findall(r'course-guide__flags--(\w+)"', shown.html)
    assert levels == ["emergency", "urgent", "soon"]
    for level in levels:
        flags = [f for f in RED_FLAGS if f.level == level]
        advice = assess({flags[0].id}).advice
        assert shown.text.count(advice) == 1
    assert shown.html.count("<li>") == len(RED_FLAGS)
    for number in ("999", "112", "911"):
        assert shown.text.count(number) == 1


def test_the_guide_lists_every_source_it_cites():
    sources = workshop.guide_sources()
    for ref_id in ("henschke2009", "nhsbackpain", "nice2016", "osullivan2020", "hayden2021"):
        assert f'id="ref-{ref_id}"' in sources.html


def test_the_guide_cites_as_the_quizzes_do():
    # One rule for short citations: "et al." only after a person, never after a body.
    ids = ["treede2019", "girft2023"]
    cited = workshop.cite(CONTENT, ids)
    assert cited.startswith("Source: <a href=")
    assert ">Treede RD et al. 2019</a>" in cited
    assert ">Getting It Right First Time (GIRFT) 2023</a>" in cited
    assert "GIRFT) et al." not in cited
