"""Myth-or-fact scoring: which statement is shown, right answers, first beliefs, the summary."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from widgets.logic.myths import (
    MythAnswerError,
    MythTally,
    judge,
    right_answer,
    statement,
)


@dataclass(frozen=True)
class M:
    id: str
    number: int
    shown: str
    topic: str = "topic"
    myth: str = "a myth"
    fact: str = "a fact"
    references: tuple[str, ...] = ("osullivan2020",)
    read_more: str | None = None


SHOWS_MYTH = M("a", 1, "myth", myth="Scans find the cause.", fact="Scans rarely help.")
SHOWS_FACT = M("b", 2, "fact", myth="Rest cures flares.", fact="Flares settle with activity.")
THIRD = M("c", 3, "myth")


def test_statement_is_the_myth_or_the_fact_as_the_item_says():
    assert statement(SHOWS_MYTH) == "Scans find the cause." and right_answer(SHOWS_MYTH) == "Myth"
    assert statement(SHOWS_FACT) == "Flares settle with activity."
    assert right_answer(SHOWS_FACT) == "Fact"


@pytest.mark.parametrize(
    "item, answer, correct",
    [
        (SHOWS_MYTH, "Myth", True),
        (SHOWS_MYTH, "Fact", False),
        (SHOWS_FACT, "Fact", True),
        (SHOWS_FACT, "Myth", False),
    ],
)
def test_judge_and_held_belief(item, answer, correct):
    verdict = judge(item, answer)
    assert verdict.correct is correct
    assert verdict.held_myth is (not correct)  # a wrong answer sides with the myth either way


@pytest.mark.parametrize("answer", ["", "myth", "True", None])
def test_only_myth_or_fact_is_an_answer(answer):
    with pytest.raises(MythAnswerError, match="Choose Myth or Fact first."):
        judge(SHOWS_MYTH, answer)


def test_unknown_item_is_an_error():
    with pytest.raises(MythAnswerError, match="no myth item 'zzz'"):
        MythTally((SHOWS_MYTH,)).answer("zzz", "Myth")


def test_no_summary_until_every_item_is_answered():
    tally = MythTally((SHOWS_MYTH, SHOWS_FACT, THIRD))
    assert tally.summary() is None
    assert tally.progress() == "0 of 3 answered, 0 right. Answer all 3 to see your summary."
    tally.answer("a", "Myth")
    tally.answer("b", "Myth")
    assert tally.summary() is None and not tally.complete
    assert tally.progress() == "2 of 3 answered, 1 right. Answer all 3 to see your summary."
    tally.answer("c", "Myth")
    assert tally.complete and tally.progress() == "All 3 answered: 2 of 3 right now."
    summary = tally.summary()
    assert [item.id for item in summary.held] == ["b"]
    assert summary.right_first_time == 2 and summary.total == 3


def test_first_answer_decides_what_was_held_latest_decides_the_score():
    tally = MythTally((SHOWS_MYTH, SHOWS_FACT))
    tally.answer("a", "Fact")  # held the myth at first
    tally.forget("a")  # Try again
    assert tally.answered == 0 and tally.summary() is None
    tally.answer("a", "Myth")  # now right
    tally.answer("b", "Fact")
    assert tally.correct == 2
    summary = tally.summary()
    assert [item.id for item in summary.held] == ["a"] and summary.right_first_time == 1


def test_summary_headline_in_plain_words():
    tally = MythTally((SHOWS_MYTH, SHOWS_FACT))
    tally.answer("a", "Myth")
    tally.answer("b", "Fact")
    assert tally.summary().headline == "You spotted all 2 on your first try. Well done."

    tally = MythTally((SHOWS_MYTH, SHOWS_FACT))
    tally.answer("a", "Fact")
    tally.answer("b", "Fact")
    assert tally.summary().headline == (
        "On your first try, you sided with 1 of the 2 unhelpful belief. "
        "That is very common, and now you know what the evidence says."
    )

    tally = MythTally((SHOWS_MYTH, SHOWS_FACT))
    tally.answer("a", "Fact")
    tally.answer("b", "Myth")
    assert "2 of the 2 unhelpful beliefs." in tally.summary().headline
