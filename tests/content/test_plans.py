"""Lessons 6, 7, 10, 11, 13 and 14 say what the tools do, cite their sources, and keep
their promises."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import NOTEBOOKS, REPO
from widgets.content import load_content
from widgets.logic import pacing
from widgets.logic.written_plan import FLARE, SLEEP, STAYING_WELL, WORK

CONTENT = load_content()
LESSONS = ("06-movement-and-pacing", "07-the-mind-body-loop", "14-next-steps")


def _cells(lesson_id: str, kind: str) -> list[str]:
    nb = json.loads((NOTEBOOKS / f"{lesson_id}.ipynb").read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == kind]


def _paragraphs(lesson_id: str) -> list[str]:
    return [p for cell in _cells(lesson_id, "markdown") for p in cell.split("\n\n")]


@pytest.mark.parametrize(
    ("lesson_id", "call"),
    [
        ("06-movement-and-pacing", "PacingPlanner()"),
        ("06-movement-and-pacing", "BoomBustWeek()"),
        ("07-the-mind-body-loop", "FlarePlanBuilder()"),
        ("10-sleep", "SleepRoutineBuilder()"),
        ("11-work-and-daily-life", "EmployerTalkPlanner()"),
        ("13-goals-and-staying-well", "StayingWellPlanner()"),
        ("13-goals-and-staying-well", "ProgressDiary()"),
        ("14-next-steps", "MyPlanBuilder()"),
    ],
)
def test_each_tool_is_on_its_lesson(lesson_id, call):
    assert call in _cells(lesson_id, "code")


@pytest.mark.parametrize(
    ("lesson_id", "kind"),
    [
        ("07-the-mind-body-loop", FLARE),
        ("10-sleep", SLEEP),
        ("11-work-and-daily-life", WORK),
        ("13-goals-and-staying-well", STAYING_WELL),
    ],
    ids=lambda x: getattr(x, "key", x),
)
def test_a_plan_lesson_names_each_box_as_the_builder_does(lesson_id, kind):
    # The prose before a builder gives ideas for each box, by the box's own label.
    text = " ".join(_cells(lesson_id, "markdown"))
    for part in kind.parts:
        assert f"**{part.label}" in text, f"{lesson_id} does not name the box {part.label!r}"


def test_lesson_6_says_plainly_that_pacing_evidence_is_weak_and_cites_it():
    hits = [
        p
        for p in _paragraphs("06-movement-and-pacing")
        if "evidence" in p and "weak" in p and "(#ref-nielson2013)" in p
    ]
    assert hits, "say that pacing's trial evidence is weak, citing Nielson 2013"


def test_lesson_6_states_the_planners_conventions_as_the_code_uses_them():
    text = " ".join(_cells("06-movement-and-pacing", "markdown"))
    assert f"about {pacing.BASELINE_PERCENT}%" in text and "rounded down" in text
    assert f"suggested step is {pacing.DEFAULT_STEP}% a week" in text
    assert f"from {min(pacing.STEPS)}% to {max(pacing.STEPS)}%" in text
    assert "whole minutes" in text and "never goes past your goal" in text
    assert "illustration, not data" in text


def test_lessons_say_flares_are_not_damage():
    for lesson_id in ("06-movement-and-pacing", "07-the-mind-body-loop"):
        assert any("damage" in p and "(#ref-osullivan2020)" in p for p in _paragraphs(lesson_id))


def test_lesson_9_has_the_sections_the_issue_asks_for():
    md = "\n".join(_cells("14-next-steps", "markdown"))
    for heading in (
        "## What a doctor or physiotherapist will usually do",
        "## Questions to take to an appointment",
        "## How to find someone to work with",
        "## Common questions",
        "### How does chronic back pain feel?",
        "### What will a doctor do for chronic back pain?",
        "### What should I do next if I feel stuck?",
        "## A note on names",
        "## My plan",
    ):
        assert heading in md
    assert "(#ref-nice2016)" in md and "(#ref-chou2009)" in md


def test_no_company_is_named_or_advertised():
    seed_company = "neurowaze"
    texts = [c for lid in LESSONS for c in _cells(lid, "markdown")]
    texts += [(REPO / "data" / "quizzes" / f"{lid}.yaml").read_text() for lid in LESSONS]
    for text in texts:
        assert seed_company not in text.lower()
        assert not re.search(r"https?://", text), "lessons link sources only through citations"


def test_plan_warning_signs_come_from_the_red_flag_data_and_cover_every_flag():
    from widgets.my_plan import warning_signs
    from widgets.red_flags import RED_FLAGS, assess

    signs = warning_signs()
    levels = ("emergency", "urgent", "soon")
    assert len(signs.groups) == 3
    for level, group in zip(levels, signs.groups, strict=True):
        flags = [f for f in RED_FLAGS if f.level == level]
        assert group.signs == tuple(f.sign[:1].upper() + f.sign[1:] + "." for f in flags)
        # What to do is the checker's own advice for that level.
        assert group.advice == assess({flags[0].id}).advice
    assert sum(len(g.signs) for g in signs.groups) == 15
    assert signs.sources and all("http" in s for s in signs.sources)
    words = " ".join(s for g in signs.groups for s in g.signs).lower()
    for cue in (
        "bladder",
        "pee",
        "genitals",
        "wipe",
        "both legs",
        "foot drags",
        "sex",
        "chest pain",
        "serious injury",
        "high temperature",
        "weight",
        "cancer",
        "over 70",
        "steroid",
        "at night",
        "cough",
        "shoulder blades",
        "lump",
        "before you were 45",
    ):
        assert cue in words


@pytest.mark.parametrize("lesson_id", ["07-the-mind-body-loop", "13-goals-and-staying-well"])
def test_the_lessons_on_mood_and_setbacks_give_the_route_in_a_crisis(lesson_id):
    # Hazard H13 (docs/clinical-safety.md): where to turn with thoughts of suicide or
    # self-harm, from data/course.yaml (`make sync`), every number with its source.
    para = next(p for p in _paragraphs(lesson_id) if "**If you are in crisis.**" in p)
    for words in ("999", "112", "911", "emergency department", "116 123", "988"):
        assert words in para, words
    for ref in ("nhssuicidal", "eu112", "us911", "mx911", "samaritans", "lifeline988", "canada988"):
        assert f"(#ref-{ref})" in para
