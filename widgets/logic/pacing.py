"""Pacing plans: a starting point below what you can do now, then small weekly steps to a goal.

The conventions, stated once and used everywhere (the lesson says them in words too):

* **Starting point (baseline).** About 80 % of the minutes the learner can usually do
  on an ordinary day, rounded *down* to a whole minute, so it is always below what
  they can do now (``BASELINE_PERCENT``). That is why the usual time must be at least
  2 minutes: 80 % of 1 minute rounds down to nothing.
* **Weekly step.** 5, 10, 15 or 20 % a week (``STEPS``), 10 % unless the learner
  chooses otherwise. Each week adds the step to last week's time, rounded to the
  nearest whole minute (halves round up), and always at least 1 minute, so a plan
  never stalls. No week passes the goal: the last week *is* the goal.
* **Whole minutes.** Every time in a plan is a whole number of minutes.
* **Length.** A plan lasts at most 52 weeks (``MAX_WEEKS``). A goal further away than
  that is refused with a kind message: set a nearer goal first.

Pacing's trial evidence is weak (Nielson et al. 2013); the lesson says so. The
boom-bust week here is an illustration with made-up numbers, not data.

Everything here is pure: no widgets, no I/O. ``PlanError`` messages are written for
the learner and never repeat what they typed.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .charts import AXIS, BLUE, GRID, INK, ORANGE, ORANGE_TINT, figure, svg

BASELINE_PERCENT = 80
STEPS = (5, 10, 15, 20)
DEFAULT_STEP = 10
MIN_USUAL = 2  # minutes; 80 % of 1 minute rounds down to 0
MAX_MINUTES = 480  # 8 hours: anything above is almost surely a typing slip
MAX_WEEKS = 52
MAX_ACTIVITY_CHARS = 40

# Okabe-Ito colours (as in widgets.logic.charts), each series also has its own fill pattern.
_BLUE, _ORANGE, _INK = BLUE, ORANGE, INK


class PlanError(ValueError):
    """Input that cannot make a plan: ``field`` names the box, ``str()`` is the message."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def round_half_up(x: float) -> int:
    """Nearest whole number, halves going up (2.5 -> 3), unlike Python's ``round``."""
    return math.floor(x + 0.5)


# ------------------------------------------------------------------ reading what was typed

_NUMBER = re.compile(
    r"^(?P<num>-?\d+(?:\.\d+)?)\s*(?P<unit>m|min|mins|minute|minutes|h|hr|hrs|hour|hours)?\.?$"
)
_ACTIVITY_PUNCTUATION = set(" -'’.,&/()+!?:")


def parse_minutes(
    text: str | int | float | None, what: str = "the time", field: str = "minutes"
) -> int:
    """Read a time typed by the learner as whole minutes.

    Accepts ``"20"``, ``"20 min"``, ``"20 minutes"``, ``"1 hour"``, ``"1.5 hours"``.
    Raises ``PlanError`` (for the box named ``field``) with a message for an empty box,
    words, a decimal number of minutes, zero, a negative number or more than 8 hours.
    """
    if text is None or (isinstance(text, str) and not text.strip()):
        raise PlanError(field, f"Please fill in {what}, as a number of minutes, for example 20.")
    raw = str(text).strip().lower()
    match = _NUMBER.match(raw) if len(raw) <= 20 else None
    if not match:
        raise PlanError(field, f"Please write {what} as a number of minutes, for example 20.")
    number = float(match.group("num"))
    unit = match.group("unit") or "min"
    hours = unit.startswith("h")
    if number < 0:
        raise PlanError(
            field, f"{_cap(what)} cannot be below zero. Please enter a number of minutes."
        )
    if not hours and not number.is_integer():
        raise PlanError(
            field,
            f"Please use whole minutes for {what}, for example 12. "
            "For hours, write for example 1.5 hours.",
        )
    minutes_exact = number * 60 if hours else number
    if round_half_up(minutes_exact) < 1:
        raise PlanError(
            field, f"{_cap(what)} needs to be more than zero. Even 2 minutes is a start."
        )
    minutes = round_half_up(minutes_exact)
    if minutes > MAX_MINUTES:
        raise PlanError(
            field,
            f"{_cap(what)} is more than 8 hours ({MAX_MINUTES} minutes). "
            "Please check the number: it is in minutes.",
        )
    return minutes


def parse_activity(text: str | None) -> str:
    """The activity's name, tidied: spaces squeezed, at most 40 characters, plain characters."""
    name = " ".join((text or "").split())
    if not name:
        raise PlanError("activity", "Please name the activity, for example walking or sitting.")
    if len(name) > MAX_ACTIVITY_CHARS:
        raise PlanError(
            "activity",
            f"Please use a shorter name for the activity (up to {MAX_ACTIVITY_CHARS} letters).",
        )
    for ch in name:
        if not (ch.isalnum() or ch in _ACTIVITY_PUNCTUATION) or unicodedata.category(ch)[0] == "C":
            raise PlanError(
                "activity",
                "Please use only letters, numbers and simple punctuation in the activity's name.",
            )
    return name


def parse_step(value: int | str | None) -> int:
    """The weekly step in percent: one of 5, 10, 15 or 20 (10 when nothing is chosen)."""
    if value is None or value == "":
        return DEFAULT_STEP
    try:
        step = int(str(value).strip().rstrip("%").strip())
    except ValueError:
        raise PlanError(
            "step", "Please choose a weekly step of 5, 10, 15 or 20 per cent."
        ) from None
    if step not in STEPS:
        raise PlanError("step", "Please choose a weekly step of 5, 10, 15 or 20 per cent.")
    return step


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# ------------------------------------------------------------------ the plan


def baseline_for(usual: int) -> int:
    """About 80 % of the usual time, rounded down: always below it (``usual >= 2``)."""
    if usual < MIN_USUAL:
        raise PlanError(
            "usual",
            f"The usual time needs to be at least {MIN_USUAL} minutes to plan "
            "from. If even that is too much now, a physiotherapist can help "
            "you find a starting point.",
        )
    return usual * BASELINE_PERCENT // 100


def weekly_rise(minutes: int, step: int) -> int:
    """How much next week adds: the step's share of this week, to the nearest minute, at least 1."""
    return max(1, round_half_up(minutes * step / 100))


def build_weeks(baseline: int, goal: int, step: int) -> tuple[int, ...]:
    """Minutes for week 1, 2, ...: starts at ``baseline``, ends exactly at ``goal``.

    Each week is last week plus ``weekly_rise``, but never more than the goal.
    """
    if goal <= baseline:
        raise ValueError("the goal must be above the baseline")
    weeks = [baseline]
    while weeks[-1] < goal:
        weeks.append(min(goal, weeks[-1] + weekly_rise(weeks[-1], step)))
    return tuple(weeks)


@dataclass(frozen=True)
class PacingPlan:
    """A week-by-week pacing plan for one activity.

    ``weeks[i]`` is the time, in whole minutes, for week ``i + 1``.
    """

    activity: str
    usual: int
    baseline: int
    step: int
    goal: int
    weeks: tuple[int, ...]

    @property
    def n_weeks(self) -> int:
        """The week in which the plan reaches the goal (the number of weeks it lasts)."""
        return len(self.weeks)

    def rows(self) -> list[tuple[int, int, int]]:
        """(week, minutes, rise from last week) for every week; week 1 rises by 0."""
        return [(i + 1, m, m - (self.weeks[i - 1] if i else m)) for i, m in enumerate(self.weeks)]

    def summary(self) -> str:
        """One sentence for the learner (and screen readers)."""
        return (
            f"Your plan for {self.activity}: start at {_min(self.baseline)} and build up to "
            f"{_min(self.goal)} in {self.n_weeks} weeks."
        )

    def how_made(self) -> str:
        """The conventions behind the numbers, in plain words."""
        return (
            f"You can usually do {_min(self.usual)}. The plan starts a bit below that, at "
            f"{_min(self.baseline)} (about {BASELINE_PERCENT}%, rounded down). Each week adds "
            f"about {self.step}% to the week before, rounded to whole minutes and at least 1 "
            f"minute. It stops at your goal of {_min(self.goal)} in week {self.n_weeks}."
        )


def make_plan(
    activity: str | None,
    usual: str | int | None,
    goal: str | int | None,
    step: int | str | None = DEFAULT_STEP,
) -> PacingPlan:
    """Check what the learner typed and make their plan, or raise ``PlanError``."""
    name = parse_activity(activity)
    usual_min = parse_minutes(usual, "the usual time", "usual")
    step_pc = parse_step(step)
    goal_min = parse_minutes(goal, "the goal", "goal")
    base = baseline_for(usual_min)
    if goal_min <= base:
        raise PlanError(
            "goal",
            f"Your goal needs to be more than your starting point of "
            f"{_min(base)}. Please choose a goal above {base} minutes.",
        )
    weeks = build_weeks(base, goal_min, step_pc)
    if len(weeks) > MAX_WEEKS:
        raise PlanError(
            "goal",
            f"At a {step_pc}% step, this goal would take more than "
            f"{MAX_WEEKS} weeks. Choose a nearer goal for now, or a bigger "
            "step. You can make a new plan when you get there.",
        )
    return PacingPlan(name, usual_min, base, step_pc, goal_min, weeks)


def _min(n: int) -> str:
    return f"{n} minute" if n == 1 else f"{n} minutes"


# ------------------------------------------------------------------ showing a plan


def plan_table_html(plan: PacingPlan) -> str:
    """The week-by-week table, with a caption and column headers."""
    rows = "".join(
        f'<tr><th scope="row">Week {week}</th><td>{_min(m)}</td>'
        f"<td>{'start' if week == 1 else f'+{rise}'}"
        f"{' (goal)' if m == plan.goal else ''}</td></tr>"
        for week, m, rise in plan.rows()
    )
    return (
        '<table class="course-pacing__table">'
        f"<caption>Your plan for {html.escape(plan.activity)}, week by week</caption>"
        '<thead><tr><th scope="col">Week</th><th scope="col">Time at a time</th>'
        '<th scope="col">Change</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def plan_markdown(plan: PacingPlan) -> str:
    """The plan as Markdown, for a file the learner keeps."""
    lines = [
        f"**Activity:** {md_escape(plan.activity)}",
        "",
        plan.how_made(),
        "",
        "| Week | Time at a time |",
        "|---|---|",
        *(
            f"| {week} | {_min(m)}{' (goal)' if m == plan.goal else ''} |"
            for week, m, _ in plan.rows()
        ),
    ]
    return "\n".join(lines)


def plan_description(plan: PacingPlan) -> str:
    """The chart's alt text: what it shows, with the numbers."""
    return (
        f"Bar chart of minutes of {plan.activity} in each week of the plan. Week 1 is "
        f"{_min(plan.baseline)}. Each week is a little higher, about {plan.step}% more, until "
        f"week {plan.n_weeks} reaches the goal of {_min(plan.goal)}. No week goes down and none "
        "goes past the goal."
    )


def plan_chart(plan: PacingPlan, chart_id: str = "pacing-plan") -> str:
    """An SVG bar chart of the plan, with the goal as a dashed line."""
    labels = [str(w) for w, _, _ in plan.rows()]
    return bar_chart(
        labels,
        [("Minutes that week", list(plan.weeks))],
        title=f"Your plan for {plan.activity}: minutes each week",
        description=plan_description(plan),
        x_label="Week",
        y_label="Minutes",
        chart_id=chart_id,
        goal=plan.goal,
        goal_label=f"Goal {plan.goal} min",
    )


def md_escape(text: str) -> str:
    """Escape the characters that would turn typed text into Markdown or HTML structure."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


# ------------------------------------------------------------------ boom and bust, illustrated

# A made-up week to show the pattern, not data: good days are over-used, then pain
# flares and the next days are spent resting. Factors multiply the usual time.
BOOM_BUST_DAYS: tuple[tuple[float, str], ...] = (
    (1.0, "An ordinary day."),
    (2.0, "Feels good, so does a lot more."),
    (0.25, "Pain flares, so rests."),
    (0.25, "Still sore, rests again."),
    (0.75, "Starts to pick up."),
    (1.0, "Back to usual."),
    (2.0, "A good day again, so does a lot more."),
)


@dataclass(frozen=True)
class WeekComparison:
    """Minutes each day of an illustrative boom-bust week and of a paced week."""

    usual: int
    baseline: int
    boom_bust: tuple[int, ...]
    paced: tuple[int, ...]
    notes: tuple[str, ...]

    def rows(self) -> list[tuple[str, int, int, str]]:
        return [
            (f"Day {i + 1}", b, p, n)
            for i, (b, p, n) in enumerate(zip(self.boom_bust, self.paced, self.notes, strict=True))
        ]

    def description(self) -> str:
        return (
            "Illustration with made-up numbers, not data. Bar chart of minutes of activity on "
            "each of 7 days. In the boom and bust week the time swings from "
            f"{_min(min(self.boom_bust))} to {_min(max(self.boom_bust))} a day: a lot on good "
            "days, then very little while pain flares. In the paced week it is "
            f"{_min(self.baseline)} every day, with no peaks and no crashes."
        )


def compare_weeks(usual: str | int) -> WeekComparison:
    """A boom-bust week next to a paced week, for someone who can usually do ``usual`` minutes."""
    usual_min = parse_minutes(usual, "the usual time", "usual")
    base = baseline_for(usual_min)
    boom = tuple(max(1, round_half_up(usual_min * f)) for f, _ in BOOM_BUST_DAYS)
    return WeekComparison(
        usual_min, base, boom, (base,) * len(BOOM_BUST_DAYS), tuple(n for _, n in BOOM_BUST_DAYS)
    )


def comparison_table_html(week: WeekComparison) -> str:
    rows = "".join(
        f'<tr><th scope="row">{day}</th><td>{_min(b)}<br><span class="course-pacing__note">'
        f"{html.escape(note)}</span></td><td>{_min(p)}</td></tr>"
        for day, b, p, note in week.rows()
    )
    return (
        '<table class="course-pacing__table">'
        "<caption>Illustration: the same person, two ways through a week</caption>"
        '<thead><tr><th scope="col">Day</th><th scope="col">Boom and bust</th>'
        '<th scope="col">Paced</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def comparison_chart(week: WeekComparison, chart_id: str = "boom-bust") -> str:
    return bar_chart(
        [f"Day {i + 1}" for i in range(len(week.paced))],
        [("Boom and bust", list(week.boom_bust)), ("Paced", list(week.paced))],
        title="Illustration: a boom and bust week and a paced week",
        description=week.description(),
        x_label="Day",
        y_label="Minutes",
        chart_id=chart_id,
    )


# ------------------------------------------------------------------ an accessible SVG bar chart


def _nice_step(top: float) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200):
        if top / step <= 6:
            return step
    return 500


def bar_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str,
    description: str,
    x_label: str,
    y_label: str,
    chart_id: str,
    goal: float | None = None,
    goal_label: str = "",
    width: int = 440,
    height: int = 280,
) -> str:
    """A ``<figure>`` with an SVG bar chart (one or two series) and an optional goal line.

    Same accessible pattern as ``widgets.logic.charts.line_chart``: ``role="img"``, a
    ``<title>`` and a ``<desc>`` that says the numbers in words, and a caption. The
    second series is hatched as well as coloured, so colour is never the only cue.
    """
    if not categories or not series or len(series) > 2:
        raise ValueError("a bar chart needs categories and one or two series")
    if any(len(values) != len(categories) for _, values in series):
        raise ValueError("each series needs one value per category")
    left, right, top, bottom = 52, 12, 34, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    y_top_raw = max([v for _, vs in series for v in vs] + [goal or 0]) * 1.1 or 1
    step = _nice_step(y_top_raw)
    y_top = math.ceil(y_top_raw / step) * step

    def py(v: float) -> float:
        return top + plot_h - v / y_top * plot_h

    n = len(categories)
    slot = plot_w / n
    bar_w = slot * (0.7 if len(series) == 1 else 0.38)
    every = max(1, math.ceil(n / 13))  # at most about 13 labels along the bottom
    cid = html.escape(chart_id)
    parts = [
        f'<defs><pattern id="{cid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{ORANGE_TINT}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{_ORANGE}" stroke-width="3"/></pattern></defs>',
    ]
    for k in range(0, int(y_top) + 1, step):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{py(k):.1f}" y2="{py(k):.1f}" '
            f'stroke="{GRID}"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{py(k) + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{AXIS}">{k}</text>'
        )
    fills = (f'fill="{_BLUE}"', f'fill="url(#{cid}-hatch)" stroke="{_ORANGE}" stroke-width="1.5"')
    for s, (_, values) in enumerate(series):
        for i, v in enumerate(values):
            x = left + i * slot + (slot - bar_w * len(series)) / 2 + s * bar_w
            parts.append(
                f'<rect class="course-chart__bar" x="{x:.1f}" y="{py(v):.1f}" '
                f'width="{bar_w:.1f}" height="{py(0) - py(v):.1f}" {fills[s]}/>'
            )
    for i, label in enumerate(categories):
        if i % every == 0 or i == n - 1:
            parts.append(
                f'<text x="{left + (i + 0.5) * slot:.1f}" y="{height - bottom + 16}" '
                f'text-anchor="middle" font-size="12" fill="{AXIS}">'
                f"{html.escape(label.removeprefix('Day '))}</text>"
            )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{py(0):.1f}" y2="{py(0):.1f}" '
        f'stroke="{_INK}"/>'
    )
    if goal is not None:
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{py(goal):.1f}" '
            f'y2="{py(goal):.1f}" stroke="{_INK}" stroke-width="2" '
            'stroke-dasharray="6 4"/>'
        )
        parts.append(
            f'<text x="{left + 4}" y="{py(goal) - 6:.1f}" font-size="13" '
            f'fill="{_INK}">{html.escape(goal_label)}</text>'
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.0f}" y="{height - 8}" text-anchor="middle" '
        f'font-size="13" fill="{_INK}">{html.escape(x_label)}</text>'
    )
    parts.append(
        f'<text transform="translate(14 {top + plot_h / 2:.0f}) rotate(-90)" '
        f'text-anchor="middle" font-size="13" fill="{_INK}">{html.escape(y_label)}</text>'
    )
    # Legend, top left: swatch plus name (the pattern is part of the cue).
    x = left
    for s, (name, _) in enumerate(series):
        parts.append(f'<rect x="{x}" y="6" width="16" height="14" {fills[s]}/>')
        parts.append(
            f'<text x="{x + 22}" y="18" font-size="13" fill="{_INK}">{html.escape(name)}</text>'
        )
        x += 40 + 8 * len(name)
    return figure(chart_id, svg(chart_id, width, height, title, description, "".join(parts)), title)
