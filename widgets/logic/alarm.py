"""A teaching model of pain as an alarm whose sensitivity can be turned up or down.

**An illustration, not a measurement.** The shapes follow what the science
describes (Woolf 2011: once the nervous system is sensitised, touch that did not
hurt can hurt, and what hurt hurts more; both can settle again), but every
number here is made up to show the idea. Nothing in this module measures a
person, and the weights are not estimates from any study.

The model has three steps:

1. ``sensitivity(factors)``: six everyday factors, each on a 0 to 10 scale, set
   a sensitivity from 0 (calm) to 1 (very sensitised). Poor sleep, stress,
   worry and a recent flare-up turn it up; good sleep, confidence in moving and
   regular activity turn it down. It is a weighted sum, so each factor always
   pushes the same way, and the best settings give exactly the calm alarm.
2. ``threshold(s)``: the stimulus strength at which the alarm starts to ring.
   Calm: 5 of 10, above everyday touch and movement (1 to 4). It falls as the
   sensitivity rises, down to 1 (allodynia: ordinary touch hurts).
3. ``response(stimulus, s)``: the protective response (pain), 0 to 10. Zero
   below the threshold, then rising in a straight line whose slope grows with
   the sensitivity (hyperalgesia: what hurt now hurts more), capped at 10.

Properties the tests check: more sensitivity never raises the threshold and
never lowers a response; every output stays in its range; inputs outside
their range are refused.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..i18n import N_, _, number
from .charts import AXIS, BAND, BAND_EDGE, GRID, INK, LABEL, PALETTE, PAPER, figure, svg

SCALE = (0, 10)
CALM_THRESHOLD = 5.0
LOWEST_THRESHOLD = 1.0
CALM_GAIN = 1.6
EVERYDAY = (1.0, 4.0)
"""Stimulus strengths that stand for ordinary touch and movement in the illustration."""
FIRM_BUMP = 6.0
"""A stimulus that hurts a little even when calm, used to show hyperalgesia."""


@dataclass(frozen=True)
class Factor:
    """One everyday factor on a 0 to 10 slider.

    ``raises`` is True when a higher value turns the alarm up (stress), False
    when a higher value turns it down (good sleep). ``weight`` is its share of
    the full range of sensitivity; the weights add up to 1. ``label``, ``up_words``
    and ``down_words`` are English (``N_``): ``_()`` translates them where they are shown.
    """

    key: str
    label: str
    raises: bool
    weight: float
    default: int
    up_words: str
    down_words: str


# The alarm explainer's sliders (their labels), and the words that list what turns the
# alarm's volume up or down ("Turning the volume up here: poor sleep and stress.").
FACTORS: tuple[Factor, ...] = (
    Factor(
        "sleep",
        N_("Sleep lately (0 = very poor, 10 = very good)"),
        False,
        0.2,
        8,
        N_("poor sleep"),
        N_("good sleep"),
    ),
    Factor(
        "stress",
        N_("Stress (0 = none, 10 = a lot)"),
        True,
        0.2,
        2,
        # Translators: in a list of what turns the alarm up ("...: poor sleep and stress.")
        N_("stress"),
        N_("low stress"),
    ),
    Factor(
        "worry",
        N_("Worry about your back (0 = none, 10 = a lot)"),
        True,
        0.2,
        2,
        # Translators: in a list of what turns the alarm up ("...: stress and worry.")
        N_("worry"),
        N_("little worry"),
    ),
    Factor(
        "flare",
        N_("Recent flare-up (0 = none lately, 10 = a bad one this week)"),
        True,
        0.2,
        0,
        N_("a recent flare-up"),
        N_("no recent flare-up"),
    ),
    Factor(
        "confidence",
        N_("Confidence in moving (0 = none, 10 = full)"),
        False,
        0.1,
        8,
        N_("low confidence"),
        N_("confidence in moving"),
    ),
    Factor(
        "activity",
        N_("Gentle, regular activity (0 = none, 10 = most days)"),
        False,
        0.1,
        7,
        N_("little activity"),
        N_("regular activity"),
    ),
)
FACTOR_KEYS = tuple(f.key for f in FACTORS)
DEFAULTS: dict[str, int] = {f.key: f.default for f in FACTORS}
CALMEST: dict[str, int] = {f.key: (0 if f.raises else 10) for f in FACTORS}
TENSEST: dict[str, int] = {f.key: (10 if f.raises else 0) for f in FACTORS}


def _number(value: object, name: str, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number from {lo:g} to {hi:g} (got {value!r})")
    if not math.isfinite(value) or not lo <= value <= hi:
        raise ValueError(f"{name} must be a number from {lo:g} to {hi:g} (got {value!r})")
    return float(value)


def check_factors(values: Mapping[str, object]) -> dict[str, float]:
    """All six factors, each a number from 0 to 10; unknown or missing names are refused."""
    unknown = set(values) - set(FACTOR_KEYS)
    if unknown:
        raise ValueError(f"unknown factor {sorted(unknown)[0]!r}; use {', '.join(FACTOR_KEYS)}")
    missing = [k for k in FACTOR_KEYS if k not in values]
    if missing:
        raise ValueError(f"missing factor {missing[0]!r}")
    return {k: _number(values[k], k, *SCALE) for k in FACTOR_KEYS}


def pushes(values: Mapping[str, object]) -> dict[str, float]:
    """How far each factor pushes towards a sensitive alarm, 0 (calming) to 1 (alarming)."""
    checked = check_factors(values)
    out = {}
    for f in FACTORS:
        share = checked[f.key] / SCALE[1]
        out[f.key] = share if f.raises else 1 - share
    return out


def sensitivity(values: Mapping[str, object]) -> float:
    """Sensitivity from 0 (calm) to 1 (very sensitised) for six factors on 0 to 10."""
    p = pushes(values)
    s = sum(f.weight * p[f.key] for f in FACTORS)
    return min(1.0, max(0.0, round(s, 9)))


def threshold(s: float) -> float:
    """Stimulus strength (0 to 10) where the alarm starts to ring; never rises with ``s``."""
    s = _number(s, "sensitivity", 0, 1)
    return CALM_THRESHOLD - s * (CALM_THRESHOLD - LOWEST_THRESHOLD)


def gain(s: float) -> float:
    """Slope of the response above the threshold: steeper when sensitised."""
    s = _number(s, "sensitivity", 0, 1)
    return CALM_GAIN * (1 + s)


def response(stimulus: float, s: float) -> float:
    """Protective response (pain) from 0 to 10 to a stimulus from 0 to 10 at sensitivity ``s``."""
    x = _number(stimulus, "stimulus", *SCALE)
    t = threshold(s)
    return min(10.0, max(0.0, gain(s) * (x - t)))


def full_at(s: float) -> float | None:
    """The stimulus at which the response reaches 10, or None if it never does."""
    x = threshold(s) + 10 / gain(s)
    return x if x <= SCALE[1] else None


def curve(s: float, step: float = 0.25) -> tuple[tuple[float, float], ...]:
    """(stimulus, response) points from 0 to 10, including the threshold and cap corners."""
    xs = {round(i * step, 6) for i in range(int(SCALE[1] / step) + 1)}
    xs.add(round(threshold(s), 6))
    top = full_at(s)
    if top is not None:
        xs.add(round(top, 6))
    return tuple((x, response(x, s)) for x in sorted(xs))


# ------------------------------------------------------------------ words


def level_words(s: float) -> str:
    """How sensitive the alarm is, in words (the headline: "Alarm sensitivity: high")."""
    s = _number(s, "sensitivity", 0, 1)
    if s == 0:
        # Translators: how sensitive the alarm is, after "Alarm sensitivity:" (a sensitivity
        # that is calm, low, raised, high or very high).
        return _("calm")
    if s < 0.2:
        # Translators: the alarm's sensitivity (after "Alarm sensitivity:")
        return _("low, close to calm")
    if s < 0.5:
        # Translators: the alarm's sensitivity (after "Alarm sensitivity:")
        return _("raised")
    if s < 0.8:
        # Translators: the alarm's sensitivity (after "Alarm sensitivity:")
        return _("high")
    # Translators: the alarm's sensitivity (after "Alarm sensitivity:")
    return _("very high")


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    # Translators: the end of a list, e.g. "poor sleep, stress and worry" ({items} is
    # "poor sleep, stress", {last} is "worry").
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


@dataclass(frozen=True)
class Reading:
    """Everything the explainer says about one setting of the factors."""

    sensitivity: float
    threshold: float
    calm_threshold: float
    everyday_hurts: bool
    bump_response: float
    calm_bump_response: float
    turning_up: tuple[str, ...]
    turning_down: tuple[str, ...]

    @property
    def headline(self) -> str:
        # Translators: the alarm explainer's headline; {level} is calm, raised, high...
        text = _(
            "Alarm sensitivity: {level}. It starts to ring at {threshold} out of 10 (calm: {calm})."
        ).format(
            level=level_words(self.sensitivity),
            threshold=number(self.threshold, 1),
            calm=number(self.calm_threshold, 0),
        )
        if self.everyday_hurts:
            text += " " + _("Ordinary touch or movement could now hurt.")
        return text

    @property
    def sentences(self) -> list[str]:
        lo, hi = number(EVERYDAY[0], 0), number(EVERYDAY[1], 0)
        out = [
            _(
                "With these settings the alarm starts to ring at a strength of {threshold} "
                "out of 10. A calm alarm starts at {calm}."
            ).format(threshold=number(self.threshold, 1), calm=number(self.calm_threshold, 0)),
        ]
        if self.everyday_hurts:
            out.append(
                _(
                    "That is inside the range of everyday touch and movement ({low} to {high}), "
                    "so ordinary things could hurt. Pain from things that should not hurt is "
                    "called allodynia."
                ).format(low=lo, high=hi)
            )
        else:
            out.append(
                _(
                    "That is above everyday touch and movement ({low} to {high}), so ordinary "
                    "things do not set the alarm off."
                ).format(low=lo, high=hi)
            )
        if self.bump_response > self.calm_bump_response:
            out.append(
                _(
                    "A firm bump of {bump} out of 10 gives a response of {response}, against "
                    "{calm_response} when calm. Things that hurt anyway hurting more is called "
                    "hyperalgesia."
                ).format(
                    bump=number(FIRM_BUMP, 0),
                    response=number(self.bump_response, 1),
                    calm_response=number(self.calm_bump_response, 1),
                )
            )
        else:
            out.append(_("The two curves are the same: the alarm is as calm as it gets."))
        if self.turning_up:
            out.append(
                # Translators: {factors} is a list, e.g. "poor sleep and stress"
                _("Turning the volume up here: {factors}.").format(
                    factors=_join([_(words) for words in self.turning_up])
                )
            )
        if self.turning_down:
            out.append(
                # Translators: {factors} is a list, e.g. "good sleep and regular activity"
                _("Turning the volume down here: {factors}.").format(
                    factors=_join([_(words) for words in self.turning_down])
                )
            )
        out.append(_("This is an illustration of an idea, not a measurement of your body."))
        return out


def read(values: Mapping[str, object]) -> Reading:
    """Describe one setting of the six factors (see ``Reading``; its words are translated
    when they are read, ``turning_up`` and ``turning_down`` hold the English ``N_`` texts)."""
    p = pushes(values)
    s = sensitivity(values)
    t = threshold(s)
    up = tuple(f.up_words for f in FACTORS if p[f.key] > 0.5)
    down = tuple(f.down_words for f in FACTORS if p[f.key] < 0.5)
    return Reading(
        sensitivity=s,
        threshold=t,
        calm_threshold=threshold(0.0),
        everyday_hurts=t < EVERYDAY[1],
        bump_response=response(FIRM_BUMP, s),
        calm_bump_response=response(FIRM_BUMP, 0.0),
        turning_up=up,
        turning_down=down,
    )


# ------------------------------------------------------------------ the chart


# Translators: the title of the alarm explainer's chart.
TITLE = N_("Illustration, not a measurement: a calm and a sensitised alarm")


def chart_description(s: float) -> str:
    """The chart's alt text: every curve and the band in words."""
    t, top, calm_top = threshold(s), full_at(s), response(SCALE[1], 0.0)
    lo, hi = EVERYDAY
    parts = [
        _(
            "Illustration, not a measurement. Line chart of the protective response, pain from 0 "
            "to 10, against how strong a touch or movement is, from 0 to 10. "
            "The calm alarm stays at 0 until a strength of {calm_start}, then rises to "
            "{calm_top} at 10."
        ).format(calm_start=number(threshold(0.0), 0), calm_top=number(calm_top, 0))
    ]
    if s == 0:
        parts.append(_("With these settings the alarm is the same as the calm one."))
    elif top is not None:
        parts.append(
            _(
                "With these settings the alarm starts at {start} and reaches 10 at a strength "
                "of {top}."
            ).format(start=number(t, 1), top=number(top, 1))
        )
    else:
        parts.append(
            _("With these settings the alarm starts at {start} and reaches {top} at 10.").format(
                start=number(t, 1), top=number(response(SCALE[1], s), 1)
            )
        )
    if t < hi:
        band = _(
            "The band from {low} to {high} stands for everyday touch and movement; "
            "the point where it starts to hurt is inside that band."
        )
    else:
        band = _(
            "The band from {low} to {high} stands for everyday touch and movement; "
            "the point where it starts to hurt is above that band."
        )
    parts.append(band.format(low=number(lo, 0), high=number(hi, 0)))
    return " ".join(parts)


def _fmt(v: float) -> str:
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.1f}"


def alarm_chart(s: float, chart_id: str, width: int = 420, height: int = 352) -> str:
    """A ``<figure>`` with the calm and the sensitised curves, the everyday band and the
    point where it starts to hurt; colour plus line style plus words, never colour alone."""
    s = _number(s, "sensitivity", 0, 1)
    left, right, top, bottom = 44, 14, 52, 96
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(x: float) -> float:
        return left + x / 10 * plot_w

    def py(y: float) -> float:
        return top + plot_h - y / 10 * plot_h

    (calm_colour, calm_dash), (tense_colour, tense_dash) = PALETTE[0], PALETTE[1]
    t = threshold(s)
    description = chart_description(s)
    lo, hi = EVERYDAY
    # Translators: the alarm chart's labels (the shaded band, the two axes, the point where
    # it starts to hurt, and the legend of the two lines).
    shaded = _("Shaded: everyday touch and movement")
    x_label = _("How strong the touch or movement is")
    y_label = _("Pain (protective response)")
    starts = _("Starts to hurt: {threshold}").format(threshold=number(t, 1))
    parts = [
        f'<rect x="{px(lo):.1f}" y="{top}" width="{px(hi) - px(lo):.1f}" height="{plot_h}" '
        f'fill="{BAND}" stroke="{BAND_EDGE}" stroke-dasharray="2 2"/>',
        f'<text x="{px(lo):.1f}" y="{top - 30}" text-anchor="start" '
        f'font-size="13" fill="{LABEL}">{html.escape(shaded)}</text>',
    ]
    for v in range(0, 11, 2):
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{py(v):.1f}" y2="{py(v):.1f}" '
            f'stroke="{GRID}"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{py(v) + 4:.1f}" text-anchor="end" font-size="13" '
            f'fill="{AXIS}">{v}</text>'
        )
        parts.append(
            f'<text x="{px(v):.1f}" y="{top + plot_h + 17}" text-anchor="middle" '
            f'font-size="13" fill="{AXIS}">{v}</text>'
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.0f}" y="{top + plot_h + 36}" '
        f'text-anchor="middle" font-size="13" fill="{LABEL}">'
        f"{html.escape(x_label)}</text>"
    )
    parts.append(
        f'<text transform="translate(13 {top + plot_h / 2:.0f}) rotate(-90)" '
        f'text-anchor="middle" font-size="13" fill="{LABEL}">'
        f"{html.escape(y_label)}</text>"
    )
    for s_line, colour, dash, width_px in (
        (0.0, calm_colour, calm_dash, 3),
        (s, tense_colour, tense_dash, 3.5),
    ):
        pts = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in curve(s_line))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<polyline points="{pts}" fill="none" stroke="{colour}" '
            f'stroke-width="{width_px}"{dash_attr} data-sensitivity="{s_line:.3f}"/>'
        )
    # Where it starts to hurt: a dotted line up from the point, labelled in words above the plot.
    anchor = "start" if t < 6 else "end"
    dx = -4 if anchor == "start" else 4
    parts.append(
        f'<line x1="{px(t):.1f}" x2="{px(t):.1f}" y1="{py(0):.1f}" y2="{top - 4}" '
        f'stroke="{tense_colour}" stroke-width="1.5" stroke-dasharray="1 3"/>'
    )
    parts.append(
        f'<circle cx="{px(t):.1f}" cy="{py(0):.1f}" r="6" fill="{PAPER}" '
        f'stroke="{tense_colour}" stroke-width="3" class="course-alarm__point"/>'
    )
    parts.append(
        f'<text x="{px(t) + dx:.1f}" y="{top - 8}" text-anchor="{anchor}" '
        f'font-size="13" font-weight="700" fill="{INK}">'
        f"{html.escape(starts)}</text>"
    )
    legend_y = top + plot_h + 58
    for i, (label, colour, dash) in enumerate(
        (
            (_("Calm alarm (solid line)"), calm_colour, calm_dash),
            (_("With these settings (dashed line)"), tense_colour, tense_dash),
        )
    ):
        y = legend_y + i * 20
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{left}" x2="{left + 34}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{colour}" stroke-width="3"{dash_attr}/>'
        )
        parts.append(
            f'<text x="{left + 42}" y="{y + 4:.1f}" font-size="13" fill="{LABEL}">'
            f"{html.escape(label)}</text>"
        )
    title = _(TITLE)
    # Translators: the alarm chart's caption, after its title.
    caption = _(
        "{title}. Starts to hurt at {threshold} out of 10 with these settings; {calm} when calm."
    ).format(title=title, threshold=number(t, 1), calm=number(threshold(0.0), 0))
    drawing = svg(chart_id, width, height, title, description, "".join(parts))
    return figure(chart_id, drawing, caption, css_class="course-chart course-alarm__figure")
