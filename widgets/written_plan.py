"""Builders for the plans a learner writes in their own words (one class per kind):

- ``FlarePlanBuilder`` (lesson 7): what helps, the first day or two, what to avoid,
  when to seek help, who to contact;
- ``SleepRoutineBuilder`` (lesson 10): regular times, a wind-down, if pain wakes me,
  in the day, when to ask for help;
- ``EmployerTalkPlanner`` (lesson 11): what they should know, changes that would help,
  pacing at work, questions, who and when;
- ``StayingWellPlanner`` (lesson 13): what matters, a goal, the next small step, early
  signs of slipping, what keeps me going, who can help.

"My plan" (lesson 14) shows each of them again. A button shows the plan back, tidied and
ready to save. Driven from code as a learner would::

    builder = SleepRoutineBuilder()
    builder.fill(times="Up at 7 every day")
    builder.make_button.click()
    builder.status_text     # "Your sleep routine is ready ..."
    builder.result_text     # the plan as the learner reads it
"""

from __future__ import annotations

import html

import ipywidgets as ipw

from ._live import LiveRegion
from ._safe import friendly
from ._view import FormView, look
from .i18n import _, ngettext
from .logic.download import download_link
from .logic.written_plan import (
    FLARE,
    MAX_CHARS,
    SLEEP,
    STAYING_WELL,
    WORK,
    PlanError,
    PlanKind,
    WrittenPlan,
    build_plan,
)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


class _WrittenPlanBuilder(FormView):
    """One box per part of ``kind``, a button, a live status and the plan shown back."""

    kind: PlanKind
    forget_on_error = ("plan",)

    def __init__(
        self,
        button_label: str | None = None,
        offer_download: bool = True,
        leave_out: tuple[str, ...] = (),
        **kwargs,
    ):
        """``leave_out``: part keys to show no box for ("My plan" asks for goals itself)."""
        kind = self.kind
        title = _lower_first(_(kind.title))
        self.boxes: dict[str, ipw.Textarea] = {}
        for part in kind.parts:
            if part.key in leave_out:
                continue
            box = ipw.Textarea(
                description=_(part.label),
                placeholder=_(part.example),
                rows=3,
                continuous_update=False,  # sync on blur: see widgets/pacing.py
                **look(ipw.Textarea, description_width="initial"),
            )
            self.boxes[part.key] = box
        self._offer_download = offer_download
        self.make_button = ipw.Button(
            # Translators: a button; {title} is the plan's title, e.g. "my flare plan".
            description=button_label or _("Make {title}").format(title=title),
            button_style="primary",
            # Translators: {title} is the plan's title, e.g. "my flare plan".
            tooltip=_("Show {title}, tidied and ready to save").format(title=title),
            **look(ipw.Button),
        )
        self.make_button.on_click(self._on_make)
        self.status = LiveRegion()
        self.status.add_class(f"course-{kind.block}__status")
        self.result = ipw.HTML(**look(ipw.HTML))
        self.plan: WrittenPlan | None = None
        words = _(
            "Write one idea per line, in your own words. "
            "Each box takes up to {max_chars} characters. You can leave a box empty. "
            "Nothing you type is stored."
        ).format(max_chars=MAX_CHARS)
        hint = ipw.HTML(f'<p class="course-form__hint">{html.escape(words)}</p>', **look(ipw.HTML))
        super().__init__(
            [hint, *self.boxes.values(), self.make_button, self.status, self.result], **kwargs
        )
        self.add_class("course-form")
        self.add_class(f"course-{kind.block}")

    # -- what a learner does, callable from code -----------------------------------------

    def fill(self, **answers: str) -> None:
        """Type into boxes by part key; boxes not named are left as they are."""
        for key, text in answers.items():
            self.boxes[key].value = text

    @property
    def answers(self) -> dict[str, str]:
        return {key: box.value for key, box in self.boxes.items()}

    @property
    def is_empty(self) -> bool:
        return not any(v.strip() for v in self.answers.values())

    def read(self, require_one: bool = True) -> WrittenPlan:
        """The plan from the boxes as they are now, or ``PlanError``."""
        return build_plan(self.kind, self.answers, require_one=require_one)

    # -- callbacks -------------------------------------------------------------------------

    @friendly
    def _on_make(self, _button=None) -> None:
        kind = self.kind
        try:
            plan = self.read()
        except PlanError as exc:
            self.show_error(str(exc))
            return
        self.plan = plan
        title = _(kind.title)
        # Translators: {noun} is the kind of plan, e.g. "flare plan"; {total} is how many boxes.
        done = ngettext(
            "Your {noun} is ready: {filled} of {total} part filled in.",
            "Your {noun} is ready: {filled} of {total} parts filled in.",
            len(self.boxes),
        ).format(noun=_(kind.noun), filled=len(plan.filled), total=len(self.boxes))
        self.status.value = f'<p class="course-form__done">{html.escape(done)}</p>'
        link = ""
        if self._offer_download:
            text = f"# {title}\n\n" + plan.to_markdown(level=2) + "\n"
            label = _("Download {title} (Markdown, .md)").format(title=_lower_first(title))
            kept = _("The file is made on this page. Nothing is kept on the server.")
            link = (
                "<p>"
                + download_link(_(kind.filename), text, label, "text/markdown")
                + f" {html.escape(kept)}</p>"
            )
        self.result.value = (
            f'<h3 class="course-{kind.block}__title">{html.escape(title)}</h3>'
            f"{plan.to_html()}{link}"
        )


class FlarePlanBuilder(_WrittenPlanBuilder):
    """What helps, the first day or two, what to avoid, when to seek help, who to contact."""

    kind = FLARE


class SleepRoutineBuilder(_WrittenPlanBuilder):
    """Regular times, a wind-down, if pain wakes me, in the day, when to ask for help."""

    kind = SLEEP


class EmployerTalkPlanner(_WrittenPlanBuilder):
    """What I want them to know, changes that would help, pacing, questions, who and when."""

    kind = WORK


class StayingWellPlanner(_WrittenPlanBuilder):
    """What matters, my goal, my next small step, early signs of slipping, what keeps me
    going, who can help."""

    kind = STAYING_WELL
