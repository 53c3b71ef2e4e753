"""Flare plan builder (lesson 7; reused in lesson 14's "My plan").

Five boxes, one for each part of the plan; a button shows the plan back, tidied and
ready to save. Driven from code as a learner would::

    builder = FlarePlanBuilder()
    builder.fill(helps="A warm shower", contacts="My physio")
    builder.make_button.click()
    builder.status_text     # "Your flare plan is ready ..."
    builder.result_text     # the plan as the learner reads it
"""

from __future__ import annotations

import ipywidgets as ipw

from ._live import LiveRegion
from ._safe import friendly
from ._view import FormView
from .logic.download import download_link
from .logic.flare_plan import MAX_CHARS, PARTS, FlarePlan, FlarePlanError, build_flare_plan


class FlarePlanBuilder(FormView):
    """What helps, the first day or two, what to avoid, when to seek help, who to contact."""

    forget_on_error = ("plan",)

    def __init__(
        self, button_label: str = "Make my flare plan", offer_download: bool = True, **kwargs
    ):
        self.boxes: dict[str, ipw.Textarea] = {}
        for part in PARTS:
            box = ipw.Textarea(
                description=part.label, placeholder=part.example, rows=3, continuous_update=False
            )  # sync on blur: see widgets/pacing.py
            box.style.description_width = "initial"
            self.boxes[part.key] = box
        self._offer_download = offer_download
        self.make_button = ipw.Button(
            description=button_label,
            button_style="primary",
            tooltip="Show my flare plan, tidied and ready to save",
        )
        self.make_button.on_click(self._on_make)
        self.status = LiveRegion()
        self.status.add_class("course-flare__status")
        self.result = ipw.HTML()
        self.plan: FlarePlan | None = None
        hint = ipw.HTML(
            '<p class="course-form__hint">Write one idea per line, in your own words. '
            f"Each box takes up to {MAX_CHARS} characters. You can leave a box empty. "
            "Nothing you type is stored.</p>"
        )
        super().__init__(
            [hint, *self.boxes.values(), self.make_button, self.status, self.result], **kwargs
        )
        self.add_class("course-form")
        self.add_class("course-flare")

    # -- what a learner does, callable from code -----------------------------------------

    def fill(self, **answers: str) -> None:
        """Type into boxes by part key (``helps``, ``first_days``, ``avoid``, ``seek_help``,
        ``contacts``); boxes not named are left as they are."""
        for key, text in answers.items():
            self.boxes[key].value = text

    @property
    def answers(self) -> dict[str, str]:
        return {key: box.value for key, box in self.boxes.items()}

    @property
    def is_empty(self) -> bool:
        return not any(v.strip() for v in self.answers.values())

    def read(self, require_one: bool = True) -> FlarePlan:
        """The plan from the boxes as they are now, or ``FlarePlanError``."""
        return build_flare_plan(self.answers, require_one=require_one)

    # -- callbacks -------------------------------------------------------------------------

    @friendly
    def _on_make(self, _button=None) -> None:
        try:
            plan = self.read()
        except FlarePlanError as exc:
            self.show_error(str(exc))
            return
        self.plan = plan
        n = len(plan.filled)
        self.status.value = (
            f'<p class="course-form__done">Your flare plan is ready: '
            f"{n} of {len(PARTS)} parts filled in.</p>"
        )
        link = ""
        if self._offer_download:
            text = "# My flare plan\n\n" + plan.to_markdown(level=2) + "\n"
            link = (
                "<p>"
                + download_link(
                    "my-flare-plan.md",
                    text,
                    "Download my flare plan (Markdown, .md)",
                    "text/markdown",
                )
                + " The file is made on this page. Nothing is kept on the server.</p>"
            )
        self.result.value = (
            f'<h3 class="course-flare__title">My flare plan</h3>{plan.to_html()}{link}'
        )
