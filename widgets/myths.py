"""The myth-or-fact quiz of lesson 5: ten beliefs about back pain, after O'Sullivan et al. 2020.

Each statement is a card of the course quiz (``widgets.quiz.QuestionCard``, reused
as is) whose feedback adds the myth, the fact, the evidence note, how sure the
evidence is and its sources. When every card is answered, a summary says which
beliefs the learner held at first and where to read more. Driven from code::

    quiz = MythQuiz()
    card = quiz.card("m04-scan")
    card.choose("Myth")
    card.check_button.click()
    card.feedback_text          # verdict, myth, fact, evidence, how sure, source
    quiz.summary_text           # "" until all ten are answered
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as ipw
import traitlets

from ._live import LiveRegion
from ._view import shared, shared_style
from .content import Content, Option, Question, load_content
from .content.myths import SOURCE_PAPER, Myth, load_myths
from .logic.citations import short_cite_links
from .logic.myths import MythSummary, MythTally, right_answer, statement
from .logic.quiz import Verdict
from .logic.text import plain_text as _plain
from .quiz import QuestionCard

LESSON = "05-science-and-myths"

_FEEDBACK = {
    # (what the quiz shows, the learner's answer): the first line of feedback
    ("myth", "Myth"): "Yes, this is a myth.",
    ("myth", "Fact"): "Many people believe this, but it is a myth.",
    ("fact", "Fact"): "Yes, this is a fact.",
    ("fact", "Myth"): "It may sound too good to be true, but the evidence backs it. It is a fact.",
}


def as_question(item: Myth) -> Question:
    """The myth item as a two-option quiz question: Myth or Fact."""
    right = right_answer(item)
    return Question(
        id=item.id,
        lesson=LESSON,
        kind="single",
        prompt=f"\u201c{statement(item)}\u201d Myth or fact?",
        options=[
            Option(text=answer, correct=answer == right, feedback=_FEEDBACK[(item.shown, answer)])
            for answer in ("Myth", "Fact")
        ],
        explanation=item.evidence,
        references=list(item.references),
    )


class MythCard(QuestionCard):
    """A quiz card whose feedback shows the myth, the fact, the evidence and how sure it is."""

    classes = ("course-quiz__card", "course-myths__card")

    def __init__(self, item: Myth, number: int, total: int, content: Content, on_verdict, on_reset):
        self.item = item
        super().__init__(as_question(item), number, total, content, on_verdict, on_reset)

    @property
    def answer(self) -> str | None:
        """The option the learner chose ("Myth" or "Fact"), or None."""
        chosen = self.chosen
        return self.question.options[chosen[0]].text if chosen else None

    def _render(self, verdict: Verdict) -> str:
        item = self.item
        if verdict.correct:
            head = '<p class="course-quiz__verdict course-quiz__verdict--right">✓ Right.</p>'
        else:
            head = '<p class="course-quiz__verdict course-quiz__verdict--wrong">✗ Not quite.</p>'
        feedback = " ".join(html.escape(text) for text in verdict.feedback)
        return (
            f"{head}<p>{feedback}</p>"
            f'<p class="course-myths__myth"><strong>The myth:</strong> {html.escape(item.myth)}</p>'
            f'<p class="course-myths__fact"><strong>The fact:</strong> {html.escape(item.fact)}</p>'
            f'<p class="course-myths__evidence"><strong>The evidence:</strong> '
            f"{html.escape(item.evidence)}</p>"
            f'<p class="course-myths__sure"><strong>How sure is this?</strong> '
            f"{html.escape(item.how_sure)}</p>"
            '<p class="course-quiz__source">Source: '
            f"{short_cite_links(item.references, self._content.references)}</p>"
        )


class MythQuiz(ipw.VBox):
    """Ten statements, each a myth or a fact; a summary of what the learner believed at first.

    Parameters
    ----------
    items : sequence of Myth, optional
        The items, in order (default: ``load_myths()``, from ``data/myths.yaml``).
    content : Content, optional
        Where sources and lessons are looked up (default: ``load_content()``).
    """

    score = traitlets.Int(0, help="Statements judged right, counting the latest try.")
    completed = traitlets.Bool(False, help="True once every statement has an answer.")

    def __init__(
        self, items: Sequence[Myth] | None = None, content: Content | None = None, **kwargs
    ):
        items = tuple(items if items is not None else load_myths())
        if not items:
            raise ValueError("a myth quiz needs at least one item")
        self._content = content or load_content()
        self._tally = MythTally(items)
        self._cards = {
            item.id: MythCard(item, n, len(items), self._content, self._record, self._forget)
            for n, item in enumerate(items, start=1)
        }
        self._progress = ipw.HTML(
            layout=shared(ipw.Layout),
            style=shared_style(ipw.HTML),
            _dom_classes=("course-quiz__score",),
        )
        self.summary = LiveRegion(
            layout=shared(ipw.Layout), _dom_classes=("course-myths__summary",)
        )
        kwargs.setdefault("layout", shared(ipw.Layout))
        classes = ("course-quiz", "course-myths", *kwargs.pop("_dom_classes", ()))
        super().__init__(
            [*self._cards.values(), self._progress, self.summary], _dom_classes=classes, **kwargs
        )
        self._sync()

    # -- what a learner sees, readable from code -----------------------------------------

    def card(self, item_id: str) -> MythCard:
        return self._cards[item_id]

    @property
    def cards(self) -> tuple[MythCard, ...]:
        return tuple(self._cards.values())

    @property
    def progress_text(self) -> str:
        return _plain(self._progress.value)

    @property
    def summary_text(self) -> str:
        return _plain(self.summary.value)

    # -- callbacks from the cards --------------------------------------------------------

    def _record(self, item_id: str, verdict: Verdict) -> None:
        card = self._cards[item_id]
        self._tally.answer(item_id, card.question.options[verdict.chosen[0]].text)
        self._sync()

    def _forget(self, item_id: str) -> None:
        self._tally.forget(item_id)
        self._sync()

    def _sync(self) -> None:
        self.score = self._tally.correct
        self.completed = self._tally.complete
        self._progress.value = f"<p><strong>{html.escape(self._tally.progress())}</strong></p>"
        summary = self._tally.summary()
        markup = "" if summary is None else self._summary_html(summary)
        if self.summary.value != markup:
            self.summary.value = markup

    # -- the summary ---------------------------------------------------------------------

    def _lesson_html(self, lesson_id: str) -> str:
        lessons = self._content.course.lessons
        lesson = self._content.lesson(lesson_id)
        number = lessons.index(lesson) + 1
        name = f"lesson {number}, {html.escape(lesson.title)}"
        if lesson.ready:
            return f'<a href="{html.escape(lesson.notebook)}">{name}</a>'
        return f"{name} (coming soon)"

    def _summary_html(self, summary: MythSummary) -> str:
        paper = short_cite_links([SOURCE_PAPER], self._content.references)
        parts = [
            "<h3>Your summary</h3>",
            f"<p>{html.escape(summary.headline)}</p>",
            f"<p>Right on your first try: {summary.right_first_time} of {summary.total}.</p>",
        ]
        if summary.held:
            rows = []
            for item in summary.held:
                more = [self._lesson_html(item.read_more)] if item.read_more else []
                others = [r for r in item.references if r != SOURCE_PAPER] or [SOURCE_PAPER]
                more.append(short_cite_links(others, self._content.references))
                rows.append(
                    f"<li><strong>{html.escape(item.topic)}.</strong> "
                    f"The evidence: {html.escape(item.fact)} Read more: {'; '.join(more)}.</li>"
                )
            parts.append("<p>The beliefs you sided with at first, and where to read more:</p>")
            parts.append(f"<ul>{''.join(rows)}</ul>")
        parts.append(
            f"<p>All ten facts come from a paper by back pain experts ({paper}). It is free to "
            "read and comes with a one-page picture for the public.</p>"
        )
        return "".join(parts)
