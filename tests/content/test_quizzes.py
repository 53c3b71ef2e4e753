"""The quizzes test understanding: scenarios to apply, no idea asked twice, every option
explained (issue 17)."""

from __future__ import annotations

import difflib
import itertools
import re

import pytest

from widgets.content import load_content

CONTENT = load_content()
READY = [lesson for lesson in CONTENT.course.lessons if lesson.ready]
QUESTIONS = list(CONTENT.questions.values())

# Words that every prompt in a back pain course may share without asking the same thing.
_COMMON = set(
    """a an the of to in on at for and or but if is are be was were it its this that these
    those which what who when where why how do does did can could will would should your you
    my i we they them their there then than with as by from about into over not no yes true
    false many much most some any all one back pain sam""".split()
)
NEAR = 0.6  # share of the content words, in order, that two prompts may have in common


def content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+", text.lower()) if w not in _COMMON]


def likeness(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, content_words(a), content_words(b)).ratio()


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s]


@pytest.mark.parametrize("lesson", READY, ids=lambda lesson: lesson.id)
def test_at_least_a_third_of_each_quiz_is_a_scenario(lesson):
    questions = CONTENT.questions_for(lesson.id)
    scenarios = [q.id for q in questions if q.scenario]
    assert 3 * len(scenarios) >= len(questions), (
        f"{lesson.id}: {len(scenarios)} scenario(s) of {len(questions)} questions"
    )


@pytest.mark.parametrize("question", [q for q in QUESTIONS if q.scenario], ids=lambda q: q.id)
def test_a_scenario_sets_a_situation_then_asks(question):
    # "Sam has had back pain for a year. ... What would you tell Sam?": at least one
    # sentence of situation before the question itself.
    parts = sentences(question.prompt)
    assert len(parts) >= 2 and parts[-1].endswith("?"), question.prompt
    assert question.kind != "true_false", "a scenario asks what to do, not true or false"


def test_no_two_prompts_are_near_duplicates():
    close = [
        (a.id, b.id, round(likeness(a.prompt, b.prompt), 2))
        for a, b in itertools.combinations(QUESTIONS, 2)
        if likeness(a.prompt, b.prompt) >= NEAR
    ]
    assert close == []


def test_the_likeness_check_can_fail():
    assert (
        likeness(
            "True or false: if your scan is normal but your back hurts, the pain is not real.",
            "True or false: if your scan is normal, your pain cannot be real.",
        )
        >= NEAR
    )
    assert (
        likeness(
            "In people aged 50 with no back pain, how many have signs of disc wear on a scan?",
            "Among people over 60 with no back pain, how many show signs of disc wear on a scan?",
        )
        >= NEAR
    )


def test_is_pain_real_is_asked_once_in_the_course():
    asking = [q.id for q in QUESTIONS if re.search(r"\b(not|cannot be|isn't) real\b", q.prompt)]
    assert len(asking) <= 1, asking


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_every_option_says_why(question):
    # Feedback that only says "Right." or "No." teaches nothing: each option's feedback
    # gives a reason, so it is more than a verdict.
    for option in question.options:
        reason = re.sub(
            r"^(yes|no|right|correct|wrong|not quite|not so)[.!,]?\s*",
            "",
            option.feedback.strip(),
            flags=re.I,
        )
        assert len(content_words(reason)) >= 3, (question.id, option.text, option.feedback)


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_options_are_distinct(question):
    texts = [o.text.strip().lower() for o in question.options]
    assert len(set(texts)) == len(texts)
    assert any(o.correct for o in question.options)
