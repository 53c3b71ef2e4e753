"""Quiz widget: questions with feedback, explanation, source and a running score.

The view is thin: ``widgets.logic.quiz`` does the scoring. Tests (and anyone
at a keyboard) can drive it from code::

    quiz = Quiz.for_lesson("01-what-is-chronic-back-pain")
    card = quiz.card("q01-duration")
    card.choose("More than 3 months")
    card.check_button.click()
    card.feedback_text      # what the learner reads
    quiz.score              # questions right now
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as ipw
import traitlets

from ._live import LiveRegion
from ._safe import friendly
from ._view import View, look, shared, shared_style
from .content import Content, Question, load_content
from .i18n import _, ngettext
from .logic.citations import short_cite_links
from .logic.quiz import AnswerError, Scoreboard, Verdict, check
from .logic.text import plain_text


class QuestionCard(View):
    """One question: its options, a Check button, Try again, and live feedback."""

    classes: tuple[str, ...] = ("course-quiz__card",)  # subclasses add their own

    def __init__(
        self, question: Question, number: int, total: int, content: Content, on_verdict, on_reset
    ):
        self.question = question
        self._content = content
        self._on_verdict = on_verdict
        self._on_reset = on_reset
        texts = [option.text for option in question.options]
        html_look = look(ipw.HTML)
        # Translators: the heading of each quiz question, e.g. "Question 2 of 5."
        heading = _("Question {number} of {total}.").format(number=number, total=total)
        prompt = ipw.HTML(
            f'<p class="course-quiz__prompt"><strong>{html.escape(heading)}</strong> '
            f"{html.escape(question.prompt)}</p>",
            **html_look,
        )
        options = {"_dom_classes": ("course-quiz__options",), "layout": shared(ipw.Layout)}
        if question.kind == "multiple":
            hint_text = _("Tick every answer that is right.")
            hint = ipw.HTML(
                f'<p class="course-quiz__hint">{html.escape(hint_text)}</p>', **html_look
            )
            self._boxes = [
                ipw.Checkbox(
                    value=False,
                    description=t,
                    indent=False,
                    layout=shared(ipw.Layout, width="auto"),
                    style=shared_style(ipw.Checkbox),
                )
                for t in texts
            ]
            self._choices: ipw.Widget = ipw.VBox(self._boxes, **options)
        else:
            hint_text = _("Choose one answer.")
            hint = ipw.HTML(
                f'<p class="course-quiz__hint">{html.escape(hint_text)}</p>', **html_look
            )
            self._boxes = []
            self._choices = ipw.RadioButtons(
                options=texts,
                value=None,
                layout=shared(ipw.Layout, width="auto"),
                style=shared_style(ipw.RadioButtons),
                _dom_classes=options["_dom_classes"],
            )
        self.check_button = ipw.Button(
            # Translators: the button that checks the answer to one quiz question.
            description=_("Check answer"),
            button_style="primary",
            tooltip=_("Check your answer to question {number}").format(number=number),
            **look(ipw.Button),
            _dom_classes=("course-quiz__check",),
        )
        self.retry_button = ipw.Button(  # shown after a check: a layout of its own
            # Translators: the button that clears an answer so the learner can answer again.
            description=_("Try again"),
            tooltip=_("Clear your answer to question {number}").format(number=number),
            layout=ipw.Layout(display="none"),
            style=shared_style(ipw.Button),
            _dom_classes=("course-quiz__retry",),
        )
        self.feedback = LiveRegion(
            layout=shared(ipw.Layout), _dom_classes=("course-quiz__feedback",)
        )
        self.check_button.on_click(self._on_check_click)
        self.retry_button.on_click(self._on_retry_click)
        buttons = ipw.HBox(
            [self.check_button, self.retry_button],
            layout=shared(ipw.Layout),
            _dom_classes=("course-quiz__buttons",),
        )
        super().__init__(
            [prompt, hint, self._choices, buttons, self.feedback],
            layout=shared(ipw.Layout),
            _dom_classes=self.classes,
        )

    # -- what a learner does, callable from code ---------------------------------------

    def choose(self, *answers: int | str) -> None:
        """Select options by index or by their text (replaces any earlier choice)."""
        indices = [self._index(a) for a in answers]
        if self.question.kind == "multiple":
            for i, box in enumerate(self._boxes):
                box.value = i in indices
        else:
            if len(indices) != 1:
                raise ValueError("this question takes one answer")
            self._choices.value = self.question.options[indices[0]].text

    @property
    def chosen(self) -> tuple[int, ...]:
        if self.question.kind == "multiple":
            return tuple(i for i, box in enumerate(self._boxes) if box.value)
        value = self._choices.value
        return () if value is None else (self._index(value),)

    @property
    def feedback_text(self) -> str:
        """The feedback as plain text, as a screen reader would read it."""
        return plain_text(self.feedback.value)

    def show_error(self, message: str) -> None:
        self.feedback.value = f'<p class="course-quiz__error">{html.escape(message)}</p>'

    # -- callbacks ----------------------------------------------------------------------

    @friendly
    def _on_check_click(self, _button=None) -> None:
        try:
            verdict = check(self.question, self.chosen)
        except AnswerError as exc:
            self.show_error(str(exc))
            return
        self.feedback.value = self._render(verdict)
        self.retry_button.layout.display = None
        self._on_verdict(self.question.id, verdict)

    @friendly
    def _on_retry_click(self, _button=None) -> None:
        if self.question.kind == "multiple":
            for box in self._boxes:
                box.value = False
        else:
            self._choices.value = None
        self.feedback.value = ""
        self.retry_button.layout.display = "none"
        self._on_reset(self.question.id)

    # -- helpers ------------------------------------------------------------------------

    def _index(self, answer: int | str) -> int:
        if isinstance(answer, int):
            return answer
        texts = [option.text for option in self.question.options]
        if answer not in texts:
            raise ValueError(f"no option {answer!r} in question {self.question.id!r}")
        return texts.index(answer)

    def _render(self, verdict: Verdict) -> str:
        head = verdict_html(verdict.correct)
        notes = "".join(f"<li>{html.escape(text)}</li>" for text in verdict.feedback)
        missed = ""
        if verdict.missed and self.question.kind == "multiple":
            n = len(verdict.missed)
            # Translators: after a question with several right answers, how many the learner
            # did not tick.
            missed_text = ngettext(
                "You missed {n} right answer.", "You missed {n} right answers.", n
            ).format(n=n)
            missed = f"<p>{html.escape(missed_text)}</p>"
        return (
            f'{head}<ul class="course-quiz__notes">{notes}</ul>{missed}'
            f'<p class="course-quiz__explanation">{html.escape(self.question.explanation)}</p>'
            f'<p class="course-quiz__source">'
            f"{source_html(self.question.references, self._content.references)}</p>"
        )


def verdict_html(correct: bool) -> str:
    """The first line of a card's feedback: right, or not quite."""
    if correct:
        # Translators: a quiz answer was right (after a tick mark).
        word, kind, mark = _("Right."), "right", "✓"
    else:
        # Translators: a quiz answer was wrong, said kindly (after a cross mark).
        word, kind, mark = _("Not quite."), "wrong", "✗"
    return (
        f'<p class="course-quiz__verdict course-quiz__verdict--{kind}">'
        f"{mark} {html.escape(word)}</p>"
    )


def source_html(ids: Sequence[str], references) -> str:
    """The line that links to the sources of an answer: "Source: ..."."""
    # Translators: before the links to the sources of a quiz answer, e.g. "Source: NHS 2023"
    return _("Source: {links}").format(links=short_cite_links(ids, references))


class Quiz(ipw.VBox):
    """A lesson's quiz: one card per question and a running score.

    Parameters
    ----------
    questions : sequence of Question
        Validated questions, in the order to ask them.
    content : Content, optional
        Where citations are looked up (default: ``load_content()``).
    """

    score = traitlets.Int(0, help="Questions answered right, counting the latest try.")
    completed = traitlets.Bool(False, help="True once every question has been checked.")

    def __init__(self, questions: Sequence[Question], content: Content | None = None, **kwargs):
        if not questions:
            raise ValueError("a quiz needs at least one question")
        content = content or load_content()
        self._board = Scoreboard(tuple(q.id for q in questions))
        self._cards = {
            q.id: QuestionCard(q, i + 1, len(questions), content, self._record, self._forget)
            for i, q in enumerate(questions)
        }
        self._score_line = ipw.HTML(
            self._score_html(),
            **look(ipw.HTML),
            _dom_classes=("course-quiz__score",),
        )
        kwargs.setdefault("layout", shared(ipw.Layout))
        classes = ("course-quiz", *kwargs.pop("_dom_classes", ()))
        super().__init__([*self._cards.values(), self._score_line], _dom_classes=classes, **kwargs)

    @classmethod
    def for_lesson(cls, lesson_id: str, **kwargs) -> Quiz:
        """Build the quiz of ``data/quizzes/`` for one lesson."""
        content = load_content()
        content.lesson(lesson_id)  # KeyError for a lesson that does not exist
        return cls(content.questions_for(lesson_id), content=content, **kwargs)

    def card(self, question_id: str) -> QuestionCard:
        return self._cards[question_id]

    @property
    def cards(self) -> tuple[QuestionCard, ...]:
        return tuple(self._cards.values())

    @property
    def summary(self) -> str:
        return self._board.summary()

    def _score_html(self) -> str:
        # The data attributes let the course page keep the score in the learner's own
        # browser (localStorage, see the template's course.js); the kernel keeps nothing.
        b = self._board
        return (
            f'<p data-course-quiz-right="{b.correct}" data-course-quiz-total="{b.total}" '
            f'data-course-quiz-answered="{b.answered}"><strong>{html.escape(b.summary())}'
            "</strong></p>"
        )

    def _record(self, question_id: str, verdict: Verdict) -> None:
        self._board.record(question_id, verdict)
        self._sync()

    def _forget(self, question_id: str) -> None:
        self._board.forget(question_id)
        self._sync()

    def _sync(self) -> None:
        self.score = self._board.correct
        self.completed = self._board.complete
        self._score_line.value = self._score_html()
