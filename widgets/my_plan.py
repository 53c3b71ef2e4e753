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
from ._view import FormView
from .content import load_content
from .content.red_flags import load_red_flags
from .diary import DiaryPlanOption
from .logic.download import download_link
from .logic.my_plan import (
    FORMATS,
    GOALS_LABEL,
    MyPlanError,
    SignGroup,
    WarningSigns,
    build_my_plan,
)
from .logic.pacing import PlanError
from .logic.warning_signs import LIST_LEVELS, sign_lines
from .logic.written_plan import PlanError as WrittenPlanError
from .pacing import PacingPlanner
from .written_plan import (
    EmployerTalkPlanner,
    FlarePlanBuilder,
    SleepRoutineBuilder,
    StayingWellPlanner,
    _WrittenPlanBuilder,
)

FORMAT_OPTIONS = [
    ("Web page (.html), to open or print", "html"),
    ("Markdown text (.md)", "markdown"),
]


def _step(title: str, hint: str) -> ipw.HTML:
    return ipw.HTML(
        f'<h3 class="course-myplan__step">{html.escape(title)}</h3>'
        f'<p class="course-form__hint">{html.escape(hint)}</p>'
    )


class MyPlanBuilder(FormView):
    """Seven steps: goals, pacing plan, flare plan, sleep routine, talk with an employer,
    staying well, then make the file and download it."""

    forget_on_error = ("document",)

    def __init__(self, today: Callable[[], date] = date.today, **kwargs):
        self._today = today
        self.goals = ipw.Textarea(
            description=GOALS_LABEL,
            rows=3,
            continuous_update=False,
            placeholder="For example: walk to the shop and back. "
            "Sit through a film. Play with my grandchildren.",
        )
        self.goals.style.description_width = "initial"
        self.planner = PacingPlanner(button_label="Preview my pacing plan")
        self.flare = FlarePlanBuilder(button_label="Preview my flare plan", offer_download=False)
        # Steps 4 to 6: the plans of lessons 10, 11 and 13 (goals are step 1's own box).
        self.sleep = SleepRoutineBuilder(
            button_label="Preview my sleep routine", offer_download=False
        )
        self.work = EmployerTalkPlanner(
            button_label="Preview my talk with my employer", offer_download=False
        )
        self.staying_well = StayingWellPlanner(
            button_label="Preview my staying-well plan", offer_download=False, leave_out=("goal",)
        )
        # (step, the lesson it comes from, builder), each shown under "Step N. <section>".
        self.others: tuple[tuple[int, int, _WrittenPlanBuilder], ...] = (
            (4, 10, self.sleep),
            (5, 11, self.work),
            (6, 13, self.staying_well),
        )
        self.diary = DiaryPlanOption()  # adds the diary in the browser; the kernel never sees it
        self.format = ipw.Dropdown(options=FORMAT_OPTIONS, value="html", description="File type")
        self.format.style.description_width = "initial"
        self.make_button = ipw.Button(
            description="Make my plan file",
            button_style="primary",
            tooltip="Put every part together in one file to save",
        )
        self.make_button.on_click(self._on_make)
        self.status = LiveRegion()
        self.status.add_class("course-myplan__status")
        self.download = self.result = ipw.HTML()  # the link to save the plan
        self.document: str | None = None
        inner = ipw.VBox(
            [
                _step(
                    "Step 1. My goals",
                    "What would you like to get back to, or do more of? One goal a line.",
                ),
                self.goals,
                _step(
                    "Step 2. My pacing plan",
                    "Fill in the planner, as in lesson 6. Leave it empty to skip this part.",
                ),
                self.planner,
                _step(
                    "Step 3. My flare plan",
                    "Fill in what you can, as in lesson 7. Leave it empty to skip this part.",
                ),
                self.flare,
                *(
                    widget
                    for step, lesson, builder in self.others
                    for widget in (
                        _step(
                            f"Step {step}. {builder.kind.section}",
                            f"Fill in what you can, as in lesson {lesson}"
                            + (" (your goals go in step 1)" if builder is self.staying_well else "")
                            + ". Leave it empty to skip this part.",
                        ),
                        builder,
                    )
                ),
                _step(
                    "Step 7. Make and save my plan",
                    "The warning signs that need help at once are added for you.",
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
            *(box for _, _, builder in self.others for box in builder.boxes.values()),
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
            self.status.value = (
                "<p>You changed something. Press <strong>Make my plan file"
                "</strong> again to save the new version.</p>"
            )

    @friendly
    def _on_make(self, _button=None) -> None:
        try:
            pacing = None if self.planner.is_empty else self.planner.read()
        except PlanError as exc:
            self.show_error(f"Step 2, pacing plan: {exc}")
            return
        try:
            flare = None if self.flare.is_empty else self.flare.read(require_one=False)
        except WrittenPlanError as exc:
            self.show_error(f"Step 3, flare plan: {exc}")
            return
        others = []
        for step, _, builder in self.others:
            try:  # an empty plan is left out of the file by build_my_plan
                others.append(builder.read(require_one=False))
            except WrittenPlanError as exc:
                self.show_error(f"Step {step}, {builder.kind.noun}: {exc}")
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
            name
            for name, there in (
                ("goals", plan.goals),
                ("pacing plan", plan.pacing),
                ("flare plan", plan.flare),
                *((other.kind.noun, True) for other in plan.others),
            )
            if there
        ]
        self.status.value = (
            f'<p class="course-form__done">Your plan is ready, with your '
            f"{', '.join(parts)} and the warning signs. "
            "Use the link below to save it.</p>"
        )
        self.download.value = (
            f"<p>{download_link(filename, self.document, label, mime)}</p>"
            "<p>The file is made on this page and saved by your browser. "
            "Nothing is kept on the server.</p>"
        )


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
