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
from ._view import look, shared
from .content import Content, Option, Question, load_content
from .content.myths import SOURCE_PAPER, Myth, load_myths
from .i18n import N_, _
from .logic.citations import short_cite_links
from .logic.myths import ANSWERS, MythSummary, MythTally, right_answer, statement
from .logic.quiz import Verdict
from .logic.text import plain_text as _plain
from .quiz import QuestionCard, source_html, verdict_html

LESSON = "05-science-and-myths"

# The two answers as the learner reads them (the rules keep the English, ``ANSWERS``).
_OPTION_TEXTS = {
    # Translators: an answer of the myth-or-fact quiz: the statement is a myth.
    "Myth": N_("Myth"),
    # Translators: an answer of the myth-or-fact quiz: the statement is a fact.
    "Fact": N_("Fact"),
}

_FEEDBACK = {
    # (what the quiz shows, the learner's answer): the first line of feedback
    ("myth", "Myth"): N_("Yes, this is a myth."),
    ("myth", "Fact"): N_("Many people believe this, but it is a myth."),
    ("fact", "Fact"): N_("Yes, this is a fact."),
    ("fact", "Myth"): N_(
        "It may sound too good to be true, but the evidence backs it. It is a fact."
    ),
}


def as_question(item: Myth) -> Question:
    """The myth item as a two-option quiz question: Myth or Fact (in that order, the
    order of ``ANSWERS``; the options' texts are in the learner's language)."""
    right = right_answer(item)
    return Question(
        id=item.id,
        lesson=LESSON,
        kind="single",
        # Translators: the question of each myth-or-fact card, after the statement in quotes.
        prompt=_("\u201c{statement}\u201d Myth or fact?").format(statement=statement(item)),
        options=[
            Option(
                text=_(_OPTION_TEXTS[answer]),
                correct=answer == right,
                feedback=_(_FEEDBACK[(item.shown, answer)]),
            )
            for answer in ANSWERS
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
        """The option the learner chose ("Myth" or "Fact", in English whatever the
        language shown), or None."""
        chosen = self.chosen
        return ANSWERS[chosen[0]] if chosen else None

    def _render(self, verdict: Verdict) -> str:
        item = self.item
        feedback = " ".join(html.escape(text) for text in verdict.feedback)
        # Translators: the labels before each part of a myth-or-fact card's feedback.
        myth, fact = html.escape(_("The myth:")), html.escape(_("The fact:"))
        evidence, sure = html.escape(_("The evidence:")), html.escape(_("How sure is this?"))
        return (
            f"{verdict_html(verdict.correct)}<p>{feedback}</p>"
            f'<p class="course-myths__myth"><strong>{myth}</strong> {html.escape(item.myth)}</p>'
            f'<p class="course-myths__fact"><strong>{fact}</strong> {html.escape(item.fact)}</p>'
            f'<p class="course-myths__evidence"><strong>{evidence}</strong> '
            f"{html.escape(item.evidence)}</p>"
            f'<p class="course-myths__sure"><strong>{sure}</strong> '
            f"{html.escape(item.how_sure)}</p>"
            '<p class="course-quiz__source">'
            f"{source_html(item.references, self._content.references)}</p>"
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
            **look(ipw.HTML),
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
        # The rules judge the English answer; the option shown may be in another language.
        self._tally.answer(item_id, ANSWERS[verdict.chosen[0]])
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
        # Translators: where to read more about a belief, e.g. "lesson 3, Pain and the brain"
        name = html.escape(_("lesson {number}, {title}").format(number=number, title=lesson.title))
        if lesson.ready:
            return f'<a href="{html.escape(lesson.notebook)}">{name}</a>'
        # Translators: a lesson that is not written yet, e.g. "lesson 9, Sleep (coming soon)"
        return html.escape(_("{lesson} (coming soon)")).format(lesson=name)

    def _summary_html(self, summary: MythSummary) -> str:
        paper = short_cite_links([SOURCE_PAPER], self._content.references)
        # Translators: how many myth-or-fact statements the learner judged right at once.
        first = _("Right on your first try: {right} of {total}.").format(
            right=summary.right_first_time, total=summary.total
        )
        heading = _("Your summary")
        parts = [
            f"<h3>{html.escape(heading)}</h3>",
            f"<p>{html.escape(summary.headline)}</p>",
            f"<p>{html.escape(first)}</p>",
        ]
        if summary.held:
            rows = []
            for item in summary.held:
                more = [self._lesson_html(item.read_more)] if item.read_more else []
                others = [r for r in item.references if r != SOURCE_PAPER] or [SOURCE_PAPER]
                more.append(short_cite_links(others, self._content.references))
                # Translators: one belief in the summary; {fact} is a whole sentence and
                # {links} the lesson and sources to read, e.g. "lesson 3, ...; NHS 2023".
                row = html.escape(_("The evidence: {fact} Read more: {links}.")).format(
                    fact=html.escape(item.fact), links="; ".join(more)
                )
                rows.append(f"<li><strong>{html.escape(item.topic)}.</strong> {row}</li>")
            held = _("The beliefs you sided with at first, and where to read more:")
            parts.append(f"<p>{html.escape(held)}</p>")
            parts.append(f"<ul>{''.join(rows)}</ul>")
        # Translators: {paper} is a link to the paper, e.g. "O'Sullivan PB et al. 2020".
        closing = _(
            "All ten facts come from a paper by back pain experts ({paper}). It is free to "
            "read and comes with a one-page picture for the public."
        )
        parts.append(f"<p>{html.escape(closing).format(paper=paper)}</p>")
        return "".join(parts)
