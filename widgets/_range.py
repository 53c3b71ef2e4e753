"""A slider with a real name: a native ``<label>`` tied to an ``<input type="range">``.

ipywidgets' sliders draw a ``div role="slider"`` that has no accessible name
(axe-core: ``aria-input-field-name``, serious), so a screen reader announces
"slider, 5" and not what it sets. This small anywidget draws the browser's own
range input instead: it has a visible label linked with ``for=``, works with the
keyboard (arrows, Page Up/Down, Home/End) and on touch screens, and shows its
value as text next to it.

Use it like an ipywidgets slider::

    from widgets._range import RangeInput

    sleep = RangeInput(label="Sleep lately (0 = very poor, 10 = very good)",
                       min=0, max=10, step=1, value=7, describe="{value} out of 10")
    sleep.observe(lambda change: print(change["new"]), "value")
    sleep.value = 3          # what dragging the slider does

Traits (all synced with the page):

``value``, ``min``, ``max``, ``step``
    Numbers. ``value`` is kept inside ``min``..``max`` and on the ``step`` grid:
    anything else is moved to the nearest allowed value, whoever sets it.
``label``
    The visible name, read out by screen readers. Required: a slider with an
    empty label is refused.
``describe``
    The value in words, shown next to the slider and given to screen readers
    as ``aria-valuetext``. ``{value}`` is replaced by the current value, so
    ``"{value} years"`` reads "50 years". Default ``"{value}"``. Both words are
    given already in the page's language (the caller translates them with ``_()``).
``language``
    The page's language (``widgets.i18n.current()`` when the slider is made): the
    value is written with its decimal sign, so Spanish shows ``4,5`` where English
    shows ``4.5`` (no thousands separator in either).
"""

from __future__ import annotations

import math
from pathlib import Path

import anywidget
import traitlets

from .i18n import SOURCE, conventions, current

# The view, an ES module in the browser (anywidget reads the file).
_ESM = Path(__file__).resolve().parent / "static" / "range.js"


class RangeInput(anywidget.AnyWidget):
    """A labelled native range slider (see the module notes for the traits)."""

    _esm = _ESM
    # Its look is in widgets/static/widgets.css (.course-range), with every other tool's.
    value = traitlets.Float(0.0, help="The current value.").tag(sync=True)
    min = traitlets.Float(0.0, help="Smallest value.").tag(sync=True)
    max = traitlets.Float(10.0, help="Largest value.").tag(sync=True)
    step = traitlets.Float(1.0, help="Distance between allowed values.").tag(sync=True)
    label = traitlets.Unicode(help="Visible name, tied to the input.").tag(sync=True)
    describe = traitlets.Unicode("{value}", help="Value in words; {value} is replaced.").tag(
        sync=True
    )
    language = traitlets.Unicode(SOURCE, help="The page's language, for the decimal sign.").tag(
        sync=True
    )

    def __init__(
        self,
        *,
        label: str,
        min: float = 0,
        max: float = 10,  # noqa: A002
        step: float = 1,
        value: float | None = None,
        describe: str = "{value}",
        **kwargs,
    ):
        if not str(label).strip():
            raise ValueError("a slider needs a label that says what it sets")
        if not (math.isfinite(min) and math.isfinite(max) and min < max):
            raise ValueError("min must be smaller than max")
        if not (math.isfinite(step) and step > 0):
            raise ValueError("step must be more than 0")
        kwargs.setdefault("language", current())
        # Bounds first, so that the value is checked against them.
        super().__init__(label=label, min=min, max=max, step=step, describe=describe, **kwargs)
        self.value = min if value is None else value

    @traitlets.validate("value")
    def _snap(self, proposal):
        v = proposal["value"]
        if not math.isfinite(v):
            raise traitlets.TraitError("the value must be a finite number")
        v = min(max(v, self.min), self.max)
        steps = round((v - self.min) / self.step)
        snapped = min(self.min + steps * self.step, self.max)
        return round(snapped, 10)

    @property
    def text(self) -> str:
        """The value in words, as shown next to the slider."""
        return (self.describe or "{value}").replace("{value}", _show(self.value, self.language))


def _show(v: float, language: str = SOURCE) -> str:
    """A number as the page writes it (range.js): JavaScript's String() (7.0 -> "7",
    3.5 -> "3.5"), with the language's decimal sign (Spanish: "3,5")."""
    shown = str(int(v)) if float(v).is_integer() else repr(float(v))
    if language == SOURCE or "." not in shown:
        return shown
    return shown.replace(".", conventions(language)["decimal"])
