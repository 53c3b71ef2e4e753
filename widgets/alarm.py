"""The alarm explainer: everyday factors turn the sensitivity of pain's alarm up or down.

An illustration, not a measurement (see ``widgets.logic.alarm``). Six sliders
(sleep, stress, worry, a recent flare-up, confidence, activity) set the
sensitivity; a chart shows the calm and the sensitised curves and the point
where touch or movement starts to hurt, and the same facts appear in words.
Drive it from code as a learner would::

    alarm = AlarmExplainer()
    alarm.set(stress=9, sleep=2)
    alarm.headline_text         # what the live region announces
    alarm.reset_button.click()
"""

from __future__ import annotations

import html
import itertools

import ipywidgets as ipw

from ._range import RangeInput
from ._safe import friendly
from ._view import ChartView
from .i18n import _
from .logic.alarm import (
    DEFAULTS,
    FACTORS,
    SCALE,
    alarm_chart,
    chart_description,
    check_factors,
    read,
    sensitivity,
)

_ids = itertools.count(1)

_UP = ("stress", "worry", "flare")
_DOWN = ("sleep", "confidence", "activity")


class AlarmExplainer(ChartView):
    """Sliders for six everyday factors, a chart of the alarm and the same facts in words."""

    def __init__(self, **start: float):
        self._chart_id = f"alarm-{next(_ids)}"
        self._quiet = False
        # The rules say what a factor is and its range (ValueError for an unknown one).
        self._start = check_factors({**DEFAULTS, **start})
        low, high = SCALE
        self.sliders: dict[str, RangeInput] = {
            f.key: RangeInput(
                label=_(f.label),
                min=low,
                max=high,
                step=1,
                value=self._start[f.key],
                # Translators: a slider's value in words, e.g. "7 out of 10" ({value} is
                # written in by the page).
                describe=_("{value} out of 10"),
            )
            for f in FACTORS
        }
        for slider in self.sliders.values():
            slider.observe(self._on_change, "value")
        self.reset_button = ipw.Button(
            description=_("Reset the sliders"),
            tooltip=_("Put every slider back where it started"),
            layout=ipw.Layout(width="auto", align_self="flex-start"),
        )
        self.reset_button.on_click(self._on_reset)
        self._chart_parts("alarm")
        note = ipw.HTML(
            '<p class="course-alarm__note">'
            + _(
                "<strong>An illustration, not a measurement.</strong> This shows an idea with "
                "made-up numbers. It cannot measure your own nervous system or tell you why "
                "you hurt."
            )
            + "</p>"
        )
        groups = ipw.Box(
            [
                self._group(_("Things that can turn the volume up"), _UP),
                self._group(_("Things that can turn the volume down"), _DOWN),
            ]
        )
        groups.add_class("course-alarm__groups")
        super().__init__(
            [note, groups, self.reset_button, self.error, self.headline, self.chart, self.details]
        )
        self.add_class("course-alarm")
        self.redraw()

    def _group(self, title: str, keys: tuple[str, ...]) -> ipw.VBox:
        box = ipw.VBox(
            [
                ipw.HTML(f'<p class="course-alarm__group-title">{html.escape(title)}</p>'),
                *(self.sliders[k] for k in keys),
            ]
        )
        box.add_class("course-alarm__group")
        return box

    # -- what a learner does, callable from code ---------------------------------------

    def set(self, **values: float) -> None:
        """Move sliders by name, e.g. ``set(stress=8)``; bad names or values show a message."""
        for key, value in values.items():
            if key not in self.sliders:
                self.show_error(_("There is no slider called {name}.").format(name=repr(key)))
                return
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not number or not 0 <= value <= 10:
                self.show_error(_("Each slider goes from 0 to 10."))
                return
        for key, value in values.items():
            self.sliders[key].value = value

    @property
    def values(self) -> dict[str, float]:
        return {key: slider.value for key, slider in self.sliders.items()}

    @property
    def sensitivity(self) -> float:
        return sensitivity(self.values)

    @property
    def chart_description(self) -> str:
        return chart_description(self.sensitivity)

    # -- callbacks ----------------------------------------------------------------------

    @friendly
    def _on_change(self, _change=None) -> None:
        if not self._quiet:
            self.redraw()

    @friendly
    def _on_reset(self, _button=None) -> None:
        self._quiet = True  # one redraw for six slider moves
        try:
            for key, slider in self.sliders.items():
                slider.value = self._start[key]
        finally:
            self._quiet = False
        self.redraw()

    def redraw(self) -> None:
        reading = read(self.values)
        self.error.value = ""
        self.headline.value = f"<p>{html.escape(reading.headline)}</p>"
        self.chart.value = alarm_chart(reading.sensitivity, self._chart_id)
        items = "".join(f"<li>{html.escape(s)}</li>" for s in reading.sentences)
        heading = html.escape(_("The same facts in words"))
        self.details.value = f"<p><strong>{heading}</strong></p><ul>{items}</ul>"
