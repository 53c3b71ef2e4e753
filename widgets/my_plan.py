""" "My plan" (lesson 14): goals, a pacing plan, a flare plan, a sleep routine, a talk
with an employer, a staying-well plan and safety cues in one download.

In Voila every lesson page has its own kernel and the server keeps nothing, so this
page cannot read what was typed in lessons 6, 7, 10, 11 and 13. Instead the learner
fills in (or pastes) each part here, in the same boxes they met before.
The file is made in the kernel and handed to the browser inside the link
(``download_link``): nothing is written on the server.

Driven from code::

    maker = MyPlanBuilder()
    maker.goals.value = "Walk to the shop"
    maker.planner.fill(activity="walking", usual="20", goal="40")
    maker.flare.fill(helps="A warm shower")
    maker.format.value = "markdown"
    maker.make_button.click()
    maker.document        # the file's text
    maker.download.value  # the <a download> link
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

import ipywidgets as ipw

from ._live import LiveRegion
from ._safe import friendly
from ._view import FormView, look
from .content import load_content
from .content.red_flags import load_red_flags
from .diary import DiaryPlanOption
from .i18n import N_, _
from .logic.download import download_link
from .logic.my_plan import (
    FORMATS,
    GOALS_LABEL,
    PACING_LABEL,
    MyPlanError,
    SignGroup,
    WarningSigns,
    build_my_plan,
)
from .logic.pacing import PlanError
from .logic.warning_signs import LIST_LEVELS, sign_lines
from .logic.written_plan import FLARE
from .logic.written_plan import PlanError as WrittenPlanError
from .pacing import PacingPlanner
from .written_plan import (
    EmployerTalkPlanner,
    FlarePlanBuilder,
    SleepRoutineBuilder,
    StayingWellPlanner,
    _WrittenPlanBuilder,
)

# (label, value); the labels are translated where the menu is made.
FORMAT_OPTIONS = [
    (N_("Web page (.html), to open or print"), "html"),
    (N_("Markdown text (.md)"), "markdown"),
]
# Translators: the button that makes the plan file (lesson 14 calls it by this name).
MAKE_LABEL = N_("Make my plan file")
# Translators: a part of My plan named in a message, e.g. "Step 2, pacing plan: ...".
PACING_NOUN = N_("pacing plan")
PLANNER_HINT = N_("Fill in the planner, as in lesson {lesson}. Leave it empty to skip this part.")
SAME_HINT = N_("Fill in what you can, as in lesson {lesson}. Leave it empty to skip this part.")
STAYING_WELL_HINT = N_(
    "Fill in what you can, as in lesson {lesson} (your goals go in step 1). "
    "Leave it empty to skip this part."
)


def _step(number: int, section: str, hint: str) -> ipw.HTML:
    # Translators: a step's heading in My plan, e.g. "Step 2. My pacing plan".
    title = _("Step {number}. {section}").format(number=number, section=section)
    return ipw.HTML(
        f'<h3 class="course-myplan__step">{html.escape(title)}</h3>'
        f'<p class="course-form__hint">{html.escape(hint)}</p>',
        **look(ipw.HTML),
    )


def _problem(step: int, part: str, problem: object) -> str:
    # Translators: a problem in one step of My plan, e.g. "Step 2, pacing plan: <what is wrong>".
    return _("Step {number}, {part}: {problem}").format(number=step, part=part, problem=problem)


class MyPlanBuilder(FormView):
    """Seven steps: goals, pacing plan, flare plan, sleep routine, talk with an employer,
    staying well, then make the file and download it."""

    forget_on_error = ("document",)

    def __init__(self, today: Callable[[], date] = date.today, **kwargs):
        self._today = today
        self.goals = ipw.Textarea(
            description=_(GOALS_LABEL),
            rows=3,
            continuous_update=False,
            placeholder=_(
                "For example: walk to the shop and back. "
                "Sit through a film. Play with my grandchildren."
            ),
            **look(ipw.Textarea, description_width="initial"),
        )
        # Translators: buttons that show one part of My plan back before the file is made.
        self.planner = PacingPlanner(button_label=_("Preview my pacing plan"))
        self.flare = FlarePlanBuilder(button_label=_("Preview my flare plan"), offer_download=False)
        # Steps 4 to 6: the plans of lessons 10, 11 and 13 (goals are step 1's own box).
        self.sleep = SleepRoutineBuilder(
            button_label=_("Preview my sleep routine"), offer_download=False
        )
        self.work = EmployerTalkPlanner(
            button_label=_("Preview my talk with my employer"), offer_download=False
        )
        self.staying_well = StayingWellPlanner(
            button_label=_("Preview my staying-well plan"),
            offer_download=False,
            leave_out=("goal",),
        )
        # (step, the lesson it comes from, builder), each shown under "Step N. <section>".
        self.others: tuple[tuple[int, int, _WrittenPlanBuilder], ...] = (
            (4, 10, self.sleep),
            (5, 11, self.work),
            (6, 13, self.staying_well),
        )
        self.diary = DiaryPlanOption()  # adds the diary in the browser; the kernel never sees it
        self.format = ipw.Dropdown(
            options=[(_(label), value) for label, value in FORMAT_OPTIONS],
            value="html",
            # Translators: the menu to choose the plan file's format.
            description=_("File type"),
            **look(ipw.Dropdown, description_width="initial"),
        )
        self.make_button = ipw.Button(
            description=_(MAKE_LABEL),
            button_style="primary",
            tooltip=_("Put every part together in one file to save"),
            **look(ipw.Button),
        )
        self.make_button.on_click(self._on_make)
        self.status = LiveRegion()
        self.status.add_class("course-myplan__status")
        self.download = self.result = ipw.HTML()  # the link to save the plan
        self.document: str | None = None
        inner = ipw.VBox(
            [
                _step(
                    1,
                    _(GOALS_LABEL),
                    _("What would you like to get back to, or do more of? One goal a line."),
                ),
                self.goals,
                _step(
                    2,
                    _(PACING_LABEL),
                    _(PLANNER_HINT).format(lesson=6),
                ),
                self.planner,
                _step(3, _(FLARE.title), _(SAME_HINT).format(lesson=7)),
                self.flare,
                *(
                    widget
                    for step, lesson, builder in self.others
                    for widget in (
                        _step(
                            step,
                            _(builder.kind.section),
                            _(
                                STAYING_WELL_HINT if builder is self.staying_well else SAME_HINT
                            ).format(lesson=lesson),
                        ),
                        builder,
                    )
                ),
                _step(
                    7,
                    _("Make and save my plan"),
                    _("The warning signs that need help at once are added for you."),
                ),
                self.diary,
                self.format,
                self.make_button,
                self.status,
                self.download,
            ]
        )
        super().__init__([inner], **kwargs)
        self.add_class("course-form")
        self.add_class("course-myplan")
        watched = [
            self.goals,
            self.format,
            self.planner.activity,
            self.planner.usual,
            self.planner.step,
            self.planner.goal,
            *self.flare.boxes.values(),
            *(box for _step, _lesson, builder in self.others for box in builder.boxes.values()),
        ]
        for box in watched:
            box.observe(self._on_change, names="value")

    # -- what a learner sees ----------------------------------------------------------------

    # -- callbacks -------------------------------------------------------------------------

    @friendly
    def _on_change(self, _change=None) -> None:
        if self.document is not None:
            self.document = None
            self.download.value = ""
            # Translators: {button} is the button "Make my plan file", shown in bold.
            words = _("You changed something. Press {button} again to save the new version.")
            button = "<strong>" + html.escape(_(MAKE_LABEL)) + "</strong>"
            self.status.value = "<p>" + html.escape(words).format(button=button) + "</p>"

    @friendly
    def _on_make(self, _button=None) -> None:
        try:
            pacing = None if self.planner.is_empty else self.planner.read()
        except PlanError as exc:
            self.show_error(_problem(2, _(PACING_NOUN), exc))
            return
        try:
            flare = None if self.flare.is_empty else self.flare.read(require_one=False)
        except WrittenPlanError as exc:
            self.show_error(_problem(3, _(FLARE.noun), exc))
            return
        others = []
        for step, _lesson, builder in self.others:
            try:  # an empty plan is left out of the file by build_my_plan
                others.append(builder.read(require_one=False))
            except WrittenPlanError as exc:
                self.show_error(_problem(step, _(builder.kind.noun), exc))
                return
        try:
            plan = build_my_plan(
                self.goals.value,
                pacing,
                flare,
                self._today(),
                warning_signs(),
                others=tuple(others),
            )
        except MyPlanError as exc:
            self.show_error(str(exc))
            return
        filename, mime, label = FORMATS[self.format.value]
        self.document = plan.render(self.format.value)
        parts = [
            _(name)
            for name, there in (
                # Translators: a part of My plan, in the list "with your goals, flare plan and...".
                (N_("goals"), plan.goals),
                (PACING_NOUN, plan.pacing),
                (FLARE.noun, plan.flare),
                *((other.kind.noun, True) for other in plan.others),
            )
            if there
        ]
        # Translators: {parts} is a list such as "goals, pacing plan, flare plan".
        ready = _(
            "Your plan is ready, with your {parts} and the warning signs. "
            "Use the link below to save it."
        ).format(parts=", ".join(parts))
        self.status.value = f'<p class="course-form__done">{html.escape(ready)}</p>'
        link = download_link(_(filename), self.document, _(label), mime)
        kept = _(
            "The file is made on this page and saved by your browser. "
            "Nothing is kept on the server."
        )
        self.download.value = f"<p>{link}</p><p>{html.escape(kept)}</p>"


def warning_signs() -> WarningSigns:
    """The red flags of ``data/red_flags.yaml`` in the learner's words, with their sources."""
    rules = load_red_flags()
    references = load_content().references
    ref_ids: list[str] = []
    for flag in rules.flags:
        ref_ids += [r for r in flag.sources if r not in ref_ids]
    groups = tuple(
        SignGroup(rules.advice[level].intro, sign_lines(rules, level), rules.advice[level].text)
        for level in LIST_LEVELS
    )
    return WarningSigns(
        groups=groups,
        sources=tuple(f"{references[r].citation()} {references[r].link}" for r in ref_ids),
    )
