"""Pacing planner and the boom-bust illustration (lesson 6; the planner is reused in lesson 14).

The maths lives in ``widgets.logic.pacing``; these views only read the boxes and show
the result. Driven from code as a learner would::

    planner = PacingPlanner()
    planner.fill(activity="walking", usual="20", goal="40", step=10)
    planner.make_button.click()
    planner.status_text      # what is announced: "Your plan for walking: ..."
    planner.result_text      # the table as text
"""

from __future__ import annotations

import html
import itertools

import ipywidgets as ipw

from ._live import LiveRegion
from ._safe import friendly
from ._view import FormView, look
from .i18n import N_, _
from .logic.pacing import (
    DEFAULT_STEP,
    STEPS,
    PacingPlan,
    PlanError,
    compare_weeks,
    comparison_chart,
    comparison_table_html,
    make_plan,
    plan_chart,
    plan_table_html,
)

_IDS = itertools.count(1)

# The button's words unless the page gives its own (lesson 14 does).
MAKE_MY_PLAN = N_("Make my plan")


def step_options() -> list[tuple[str, int]]:
    """The weekly steps as the menu shows them, in the page's language."""
    return [
        (
            # Translators: a choice of the pacing planner's "Weekly step" menu.
            _("{step}% a week (suggested)").format(step=step)
            if step == DEFAULT_STEP
            # Translators: a choice of the pacing planner's "Weekly step" menu.
            else _("{step}% a week").format(step=step),
            step,
        )
        for step in STEPS
    ]


class PacingPlanner(FormView):
    """Activity, usual minutes, weekly step and goal in; a week-by-week table and chart out."""

    forget_on_error = ("plan",)

    def __init__(self, button_label: str = MAKE_MY_PLAN, **kwargs):
        """``button_label``: the button's words, shown through ``_()`` (give an
        ``N_()`` text, or words already in the page's language)."""
        self._chart_id = f"pacing-plan-{next(_IDS)}"
        # continuous_update=False: the box syncs when it loses focus or on Enter. Syncing
        # on every key let a late echo from the kernel overwrite fast typing ("30" -> "3").
        self.activity = ipw.Text(
            # Translators: the name of the pacing planner's first box.
            description=_("Activity"),
            placeholder=_("for example, walking"),
            continuous_update=False,
            **look(ipw.Text, description_width="initial"),
        )
        self.usual = ipw.Text(
            description=_("Minutes you can usually do on an ordinary day"),
            placeholder=_("for example, {minutes}").format(minutes=20),
            continuous_update=False,
            **look(ipw.Text, description_width="initial"),
        )
        self.step = ipw.Dropdown(
            options=step_options(),
            value=DEFAULT_STEP,
            # Translators: the name of the pacing planner's menu of steps (lesson 6 calls
            # it "Weekly step" too).
            description=_("Weekly step"),
            **look(ipw.Dropdown, description_width="initial"),
        )
        self.goal = ipw.Text(
            description=_("Goal, in minutes"),
            placeholder=_("for example, {minutes}").format(minutes=40),
            continuous_update=False,
            **look(ipw.Text, description_width="initial"),
        )
        self.make_button = ipw.Button(
            description=_(button_label),
            button_style="primary",
            tooltip=_("Make a week-by-week plan from these numbers"),
            **look(ipw.Button),
        )
        self.make_button.on_click(self._on_make)
        self.status = LiveRegion()
        self.status.add_class("course-pacing__status")
        self.result = ipw.HTML(**look(ipw.HTML))
        self.plan: PacingPlan | None = None
        hint_text = _(
            "Type whole minutes, for example {minutes}. Nothing you type is stored."
        ).format(minutes=20)
        hint = ipw.HTML(
            f'<p class="course-form__hint">{html.escape(hint_text)}</p>', **look(ipw.HTML)
        )
        super().__init__(
            [
                hint,
                self.activity,
                self.usual,
                self.step,
                self.goal,
                self.make_button,
                self.status,
                self.result,
            ],
            **kwargs,
        )
        self.add_class("course-form")
        self.add_class("course-pacing")

    # -- what a learner does, callable from code -----------------------------------------

    def fill(
        self, activity: str = "", usual: str = "", goal: str = "", step: int = DEFAULT_STEP
    ) -> None:
        self.activity.value, self.usual.value, self.goal.value = activity, str(usual), str(goal)
        self.step.value = step

    @property
    def is_empty(self) -> bool:
        return not any(b.value.strip() for b in (self.activity, self.usual, self.goal))

    def read(self) -> PacingPlan:
        """The plan from the boxes as they are now, or ``PlanError``."""
        return make_plan(self.activity.value, self.usual.value, self.goal.value, self.step.value)

    # -- callbacks -------------------------------------------------------------------------

    @friendly
    def _on_make(self, _button=None) -> None:
        try:
            plan = self.read()
        except PlanError as exc:
            self.show_error(str(exc))
            return
        self.plan = plan
        self.status.value = f'<p class="course-form__done">{html.escape(plan.summary())}</p>'
        self.result.value = (
            f"<p>{html.escape(plan.how_made())}</p>"
            f"{plan_table_html(plan)}{plan_chart(plan, self._chart_id)}"
        )


class BoomBustWeek(FormView):
    """An illustration, labelled as one: a boom-bust week beside a paced week."""

    def __init__(self, usual: str = "20", **kwargs):
        self._chart_id = f"boom-bust-{next(_IDS)}"
        # Translators: the tag before the boom-and-bust chart's note, which says it is made up.
        tag = _("Illustration")
        note = _("The numbers are made up to show a pattern. They are not data from a study.")
        label = ipw.HTML(
            f'<p><span class="course-form__label">{html.escape(tag)}</span> {html.escape(note)}</p>'
        )
        self.usual = ipw.Text(
            value=str(usual),
            description=_("Minutes you can usually do"),
            placeholder=_("for example, {minutes}").format(minutes=20),
            continuous_update=False,
            **look(ipw.Text, description_width="initial"),
        )
        self.show_button = ipw.Button(
            description=_("Show the two weeks"),
            tooltip=_("Draw the two weeks for this number of minutes"),
        )
        self.show_button.on_click(self._on_show)
        self.status = LiveRegion()
        self.status.add_class("course-pacing__status")
        self.result = ipw.HTML()
        super().__init__([label, self.usual, self.show_button, self.status, self.result], **kwargs)
        self.add_class("course-form")
        self.add_class("course-pacing")
        self._on_show()

    @friendly
    def _on_show(self, _button=None) -> None:
        try:
            week = compare_weeks(self.usual.value)
        except PlanError as exc:
            self.show_error(str(exc))
            return
        # Translators: what the boom-and-bust chart shows, announced to screen readers;
        # the numbers are minutes.
        words = _(
            "Boom and bust: from {low} to {high} minutes a day. Paced: {paced} minutes every day."
        ).format(low=min(week.boom_bust), high=max(week.boom_bust), paced=week.baseline)
        self.status.value = f"<p>{html.escape(words)}</p>"
        self.result.value = comparison_chart(week, self._chart_id) + comparison_table_html(week)
