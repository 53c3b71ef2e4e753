"""The myth-or-fact quiz of lesson 5, as pure rules.

Each item pairs an unhelpful belief about back pain (the myth) with what the
evidence says (the fact), after O'Sullivan et al. 2020. The quiz shows one of the
two as a statement; the learner says "Myth" or "Fact".

A learner *held* a belief when their first answer to its item was wrong: they
called the myth a fact, or called the fact a myth. Trying again changes the
score (the latest answer counts), not what they believed at first; the summary
is about that first answer, because that is what the learner came in with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..i18n import _, ngettext

# The answers as the rules know them, in the order the quiz offers them; the quiz shows
# them in the learner's language (``widgets.myths``).
ANSWERS = ("Myth", "Fact")


class MythLike(Protocol):
    id: str
    number: int
    topic: str
    myth: str
    fact: str
    shown: str
    references: Sequence[str]
    read_more: str | None


class MythAnswerError(ValueError):
    """An answer that is neither "Myth" nor "Fact", or an unknown item."""


def statement(item: MythLike) -> str:
    """The sentence the learner judges: the myth or the fact, as the item says."""
    return item.myth if item.shown == "myth" else item.fact


def right_answer(item: MythLike) -> str:
    return "Myth" if item.shown == "myth" else "Fact"


@dataclass(frozen=True)
class MythVerdict:
    item_id: str
    answer: str
    correct: bool

    @property
    def held_myth(self) -> bool:
        """A wrong answer means the learner sided with the unhelpful belief."""
        return not self.correct


def judge(item: MythLike, answer: str) -> MythVerdict:
    """Judge one answer ("Myth" or "Fact") to one item."""
    if answer not in ANSWERS:
        raise MythAnswerError(_("Choose Myth or Fact first."))
    return MythVerdict(item.id, answer, answer == right_answer(item))


@dataclass(frozen=True)
class MythSummary:
    """What the learner believed at first, once every item is answered."""

    total: int
    right_first_time: int
    held: tuple[MythLike, ...]

    @property
    def headline(self) -> str:
        if not self.held:
            # Translators: the myth-or-fact summary when every first answer was right.
            return _("You spotted all {total} on your first try. Well done.").format(
                total=self.total
            )
        n = len(self.held)
        # Translators: {n} is how many unhelpful beliefs the learner sided with at first,
        # out of {total} statements.
        return ngettext(
            "On your first try, you sided with {n} of the {total} unhelpful belief. "
            "That is very common, and now you know what the evidence says.",
            "On your first try, you sided with {n} of the {total} unhelpful beliefs. "
            "That is very common, and now you know what the evidence says.",
            n,
        ).format(n=n, total=self.total)


@dataclass
class MythTally:
    """First and latest answer per item; the summary once all are answered."""

    items: tuple[MythLike, ...]
    _first: dict[str, MythVerdict] = field(default_factory=dict)
    _latest: dict[str, MythVerdict] = field(default_factory=dict)

    def _item(self, item_id: str) -> MythLike:
        for item in self.items:
            if item.id == item_id:
                return item
        raise MythAnswerError(f"no myth item {item_id!r}")

    def answer(self, item_id: str, answer: str) -> MythVerdict:
        verdict = judge(self._item(item_id), answer)
        self._first.setdefault(item_id, verdict)
        self._latest[item_id] = verdict
        return verdict

    def forget(self, item_id: str) -> None:
        """The learner cleared an answer to try again: the score drops it, the first stays."""
        self._latest.pop(item_id, None)

    @property
    def answered(self) -> int:
        return len(self._latest)

    @property
    def correct(self) -> int:
        return sum(v.correct for v in self._latest.values())

    @property
    def complete(self) -> bool:
        return all(item.id in self._latest for item in self.items)

    def progress(self) -> str:
        total = len(self.items)
        if self.complete:
            # Translators: the myth-or-fact quiz's progress once every statement is answered.
            return _("All {total} answered: {correct} of {total} right now.").format(
                total=total, correct=self.correct
            )
        # Translators: the myth-or-fact quiz's progress, e.g. "3 of 10 answered, 2 right. ..."
        return _(
            "{answered} of {total} answered, {correct} right. "
            "Answer all {total} to see your summary."
        ).format(answered=self.answered, total=total, correct=self.correct)

    def summary(self) -> MythSummary | None:
        """None until every item has an answer."""
        if not self.complete:
            return None
        held = tuple(item for item in self.items if self._first[item.id].held_myth)
        return MythSummary(
            total=len(self.items), right_first_time=len(self.items) - len(held), held=held
        )
