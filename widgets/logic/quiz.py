"""Scoring of quiz questions: which options are right, what feedback to show.

A question is answered by choosing option indices. ``check`` returns a
``Verdict`` that says whether the choice is right and which feedback texts
belong to it; ``Scoreboard`` keeps the running score of a quiz.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..i18n import _, ngettext


class OptionLike(Protocol):
    text: str
    correct: bool
    feedback: str


class QuestionLike(Protocol):
    id: str
    kind: str
    options: Sequence[OptionLike]


@dataclass(frozen=True)
class Verdict:
    """The outcome of one attempt at one question.

    Attributes
    ----------
    correct : bool
        True when the chosen options are exactly the correct ones.
    chosen : tuple of int
        The chosen option indices, sorted.
    feedback : tuple of str
        The feedback text of each chosen option, in option order.
    missed : tuple of int
        Correct options that were not chosen (only ever non-empty for
        "several correct" questions, or a wrong single choice).
    """

    correct: bool
    chosen: tuple[int, ...]
    feedback: tuple[str, ...]
    missed: tuple[int, ...]


class AnswerError(ValueError):
    """The choice cannot be scored (nothing chosen, or an index out of range)."""


def check(question: QuestionLike, chosen: Iterable[int]) -> Verdict:
    """Score one attempt at ``question``.

    Parameters
    ----------
    question
        A validated question (see ``widgets.content.Question``).
    chosen
        Indices of the options the learner chose. Repeats are ignored.

    Raises
    ------
    AnswerError
        If nothing is chosen, an index is out of range, or a single-answer
        question gets more than one choice.
    """
    picks = tuple(sorted(set(chosen)))
    n = len(question.options)
    if not picks:
        raise AnswerError(_("Choose an answer first."))
    bad = [i for i in picks if not 0 <= i < n]
    if bad:
        raise AnswerError(f"No option number {bad[0]} in question {question.id!r}.")
    if question.kind != "multiple" and len(picks) > 1:
        raise AnswerError(_("This question has one answer: choose just one."))
    right = {i for i, option in enumerate(question.options) if option.correct}
    return Verdict(
        correct=set(picks) == right,
        chosen=picks,
        feedback=tuple(question.options[i].feedback for i in picks),
        missed=tuple(sorted(right - set(picks))),
    )


@dataclass
class Scoreboard:
    """Running score of a quiz: the latest verdict per question counts.

    Trying a question again replaces its earlier verdict, so the score always
    says how many questions the learner has right now.
    """

    question_ids: tuple[str, ...]
    _latest: dict[str, bool] = field(default_factory=dict)

    def record(self, question_id: str, verdict: Verdict) -> None:
        if question_id not in self.question_ids:
            raise KeyError(question_id)
        self._latest[question_id] = verdict.correct

    def forget(self, question_id: str) -> None:
        self._latest.pop(question_id, None)

    @property
    def answered(self) -> int:
        return len(self._latest)

    @property
    def correct(self) -> int:
        return sum(self._latest.values())

    @property
    def total(self) -> int:
        return len(self.question_ids)

    @property
    def complete(self) -> bool:
        return self.answered == self.total

    def summary(self) -> str:
        """Plain words for the running score, e.g. "2 of 4 right (3 answered)"."""
        if not self.answered:
            # Translators: the running score of a quiz before any answer; {total} is
            # the number of questions.
            return ngettext(
                "Score: none answered yet, {total} question.",
                "Score: none answered yet, {total} questions.",
                self.total,
            ).format(total=self.total)
        # Translators: the running score of a quiz, e.g. "Score: 2 of 4 right (3 answered)."
        return _("Score: {correct} of {total} right ({answered} answered).").format(
            correct=self.correct, total=self.total, answered=self.answered
        )
