"""Scoring rules of widgets.logic.quiz, on small hand-made questions."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from widgets.logic.quiz import AnswerError, Scoreboard, check


@dataclass(frozen=True)
class Opt:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Q:
    id: str
    kind: str
    options: tuple[Opt, ...]


SINGLE = Q("s", "single", (Opt("a", False, "fa"), Opt("b", True, "fb"), Opt("c", False, "fc")))
MULTI = Q("m", "multiple", (Opt("a", True, "fa"), Opt("b", False, "fb"), Opt("c", True, "fc")))


def test_single_right_answer():
    v = check(SINGLE, [1])
    assert v.correct and v.chosen == (1,) and v.feedback == ("fb",) and v.missed == ()


def test_single_wrong_answer_names_the_missed_right_one():
    v = check(SINGLE, [0])
    assert not v.correct and v.feedback == ("fa",) and v.missed == (1,)


def test_single_rejects_two_choices():
    with pytest.raises(AnswerError, match="just one"):
        check(SINGLE, [0, 1])


@pytest.mark.parametrize("chosen", [[], [3], [-1]])
def test_nothing_or_out_of_range_is_refused(chosen):
    with pytest.raises(AnswerError):
        check(SINGLE, chosen)


@pytest.mark.parametrize(
    ("chosen", "correct", "missed"),
    [([0, 2], True, ()), ([0], False, (2,)), ([0, 1, 2], False, ()), ([1], False, (0, 2))],
)
def test_multiple_needs_exactly_the_right_set(chosen, correct, missed):
    v = check(MULTI, chosen)
    assert v.correct is correct and v.missed == missed


def test_repeats_are_ignored_and_feedback_follows_option_order():
    v = check(MULTI, [2, 0, 2])
    assert v.chosen == (0, 2) and v.feedback == ("fa", "fc")


def test_scoreboard_counts_the_latest_try():
    board = Scoreboard(("s", "m"))
    assert board.summary() == "Score: none answered yet, 2 questions."
    board.record("s", check(SINGLE, [0]))
    assert (board.correct, board.answered, board.complete) == (0, 1, False)
    board.record("s", check(SINGLE, [1]))
    board.record("m", check(MULTI, [0, 2]))
    assert (board.correct, board.complete) == (2, True)
    assert board.summary() == "Score: 2 of 2 right (2 answered)."
    board.forget("m")
    assert (board.correct, board.answered) == (1, 1)


def test_scoreboard_refuses_unknown_question():
    with pytest.raises(KeyError):
        Scoreboard(("s",)).record("zzz", check(SINGLE, [1]))
