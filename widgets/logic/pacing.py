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
the learner and never repeat what they typed. Every word a learner reads goes through
``_()`` when it is made (``widgets.i18n``), so it comes in the page's language.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ..i18n import N_, SOURCE, _, conventions, current, ngettext
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

_NUMBER = re.compile(r"^(?P<num>-?\d+(?:[.,]\d+)?)\s*(?P<unit>[^\W\d_]+)?\.?$")
_MINUTE_UNITS = frozenset({"m", "min", "mins", "minute", "minutes"})
_HOUR_UNITS = frozenset({"h", "hr", "hrs", "hour", "hours"})
# Translators: the words a learner may type after a number of minutes ("20 minutes"),
# separated by "|", without spaces. The English words (min, minutes...) are understood too.
MINUTE_WORDS = N_("minute|minutes")
# Translators: the words a learner may type after a number of hours ("1.5 hours"),
# separated by "|", without spaces. The English words (h, hours...) are understood too.
HOUR_WORDS = N_("hour|hours")
_ACTIVITY_PUNCTUATION = set(" -'’.,&/()+!?:")

# What parse_minutes says about each box, whole sentences for each (``what`` names the
# box). Keys: empty, not a number, below zero, decimal minutes, zero, more than 8 hours.
_TIME_MESSAGES: dict[str, tuple[str, str, str, str, str, str]] = {
    "the time": (
        N_("Please fill in the time, as a number of minutes, for example 20."),
        N_("Please write the time as a number of minutes, for example 20."),
        N_("The time cannot be below zero. Please enter a number of minutes."),
        N_(
            "Please use whole minutes for the time, for example 12. "
            "For hours, write for example 1.5 hours."
        ),
        N_("The time needs to be more than zero. Even 2 minutes is a start."),
        N_(
            "The time is more than {hours} hours ({minutes} minutes). "
            "Please check the number: it is in minutes."
        ),
    ),
    "the usual time": (
        N_("Please fill in the usual time, as a number of minutes, for example 20."),
        N_("Please write the usual time as a number of minutes, for example 20."),
        N_("The usual time cannot be below zero. Please enter a number of minutes."),
        N_(
            "Please use whole minutes for the usual time, for example 12. "
            "For hours, write for example 1.5 hours."
        ),
        N_("The usual time needs to be more than zero. Even 2 minutes is a start."),
        N_(
            "The usual time is more than {hours} hours ({minutes} minutes). "
            "Please check the number: it is in minutes."
        ),
    ),
    "the goal": (
        N_("Please fill in the goal, as a number of minutes, for example 20."),
        N_("Please write the goal as a number of minutes, for example 20."),
        N_("The goal cannot be below zero. Please enter a number of minutes."),
        N_(
            "Please use whole minutes for the goal, for example 12. "
            "For hours, write for example 1.5 hours."
        ),
        N_("The goal needs to be more than zero. Even 2 minutes is a start."),
        N_(
            "The goal is more than {hours} hours ({minutes} minutes). "
            "Please check the number: it is in minutes."
        ),
    ),
}


def _units(words: str, english: frozenset[str]) -> frozenset[str]:
    """The English units and the page language's own (``"minuto|minutos"``)."""
    if current() == SOURCE:
        return english
    return english | {w.strip().lower() for w in _(words).split("|") if w.strip()}


def parse_minutes(
    text: str | int | float | None, what: str = "the time", field: str = "minutes"
) -> int:
    """Read a time typed by the learner as whole minutes.

    Accepts ``"20"``, ``"20 min"``, ``"20 minutes"``, ``"1 hour"``, ``"1.5 hours"``
    (and, in another language, its own words for minutes and hours and its decimal
    sign: ``"1,5 horas"``). ``what`` names the box in the messages: ``"the time"``,
    ``"the usual time"`` or ``"the goal"``. Raises ``PlanError`` (for the box named
    ``field``) with a message for an empty box, words, a decimal number of minutes,
    zero, a negative number or more than 8 hours.
    """
    if what not in _TIME_MESSAGES:
        raise ValueError(f"what is one of {sorted(_TIME_MESSAGES)}, not {what!r}")
    empty, not_number, below_zero, decimal, zero, too_long = _TIME_MESSAGES[what]
    if text is None or (isinstance(text, str) and not text.strip()):
        raise PlanError(field, _(empty))
    raw = str(text).strip().lower()
    match = _NUMBER.match(raw) if len(raw) <= 20 else None
    comma = current() != SOURCE and conventions()["decimal"] == ","
    if match and "," in match.group("num") and not comma:
        match = None  # "1,5" is a decimal only where the language writes decimals so
    unit = (match.group("unit") or "min") if match else ""
    hours = unit in _units(HOUR_WORDS, _HOUR_UNITS)
    if not match or not (hours or unit in _units(MINUTE_WORDS, _MINUTE_UNITS)):
        raise PlanError(field, _(not_number))
    number = float(match.group("num").replace(",", "."))
    if number < 0:
        raise PlanError(field, _(below_zero))
    if not hours and not number.is_integer():
        raise PlanError(field, _(decimal))
    minutes_exact = number * 60 if hours else number
    if round_half_up(minutes_exact) < 1:
        raise PlanError(field, _(zero))
    minutes = round_half_up(minutes_exact)
    if minutes > MAX_MINUTES:
        raise PlanError(field, _(too_long).format(hours=MAX_MINUTES // 60, minutes=MAX_MINUTES))
    return minutes


def parse_activity(text: str | None) -> str:
    """The activity's name, tidied: spaces squeezed, at most 40 characters, plain characters."""
    name = " ".join((text or "").split())
    if not name:
        raise PlanError("activity", _("Please name the activity, for example walking or sitting."))
    if len(name) > MAX_ACTIVITY_CHARS:
        raise PlanError(
            "activity",
            _("Please use a shorter name for the activity (up to {limit} letters).").format(
                limit=MAX_ACTIVITY_CHARS
            ),
        )
    for ch in name:
        if not (ch.isalnum() or ch in _ACTIVITY_PUNCTUATION) or unicodedata.category(ch)[0] == "C":
            raise PlanError(
                "activity",
                _(
                    "Please use only letters, numbers and simple punctuation "
                    "in the activity's name."
                ),
            )
    return name


def parse_step(value: int | str | None) -> int:
    """The weekly step in percent: one of 5, 10, 15 or 20 (10 when nothing is chosen)."""
    if value is None or value == "":
        return DEFAULT_STEP
    try:
        step = int(str(value).strip().rstrip("%").strip())
    except ValueError:
        raise PlanError("step", _(_STEP_MESSAGE)) from None
    if step not in STEPS:
        raise PlanError("step", _(_STEP_MESSAGE))
    return step


_STEP_MESSAGE = N_("Please choose a weekly step of 5, 10, 15 or 20 per cent.")


# ------------------------------------------------------------------ the plan


def baseline_for(usual: int) -> int:
    """About 80 % of the usual time, rounded down: always below it (``usual >= 2``)."""
    if usual < MIN_USUAL:
        raise PlanError(
            "usual",
            _(
                "The usual time needs to be at least {least} minutes to plan "
                "from. If even that is too much now, a physiotherapist can help "
                "you find a starting point."
            ).format(least=MIN_USUAL),
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
        # Translators: {start} and {goal} are times such as "16 minutes"; {activity} is
        # what the learner typed; a plan always lasts 2 weeks or more.
        return _(
            "Your plan for {activity}: start at {start} and build up to {goal} in {weeks} weeks."
        ).format(
            activity=self.activity,
            start=_min(self.baseline),
            goal=_min(self.goal),
            weeks=self.n_weeks,
        )

    def how_made(self) -> str:
        """The conventions behind the numbers, in plain words."""
        # Translators: {usual}, {start} and {goal} are times such as "16 minutes";
        # {percent} and {step} are numbers of per cent.
        return _(
            "You can usually do {usual}. The plan starts a bit below that, at "
            "{start} (about {percent}%, rounded down). Each week adds "
            "about {step}% to the week before, rounded to whole minutes and at least 1 "
            "minute. It stops at your goal of {goal} in week {weeks}."
        ).format(
            usual=_min(self.usual),
            start=_min(self.baseline),
            percent=BASELINE_PERCENT,
            step=self.step,
            goal=_min(self.goal),
            weeks=self.n_weeks,
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
            # Translators: {start} is a time such as "16 minutes"; {base} is its number.
            _(
                "Your goal needs to be more than your starting point of "
                "{start}. Please choose a goal above {base} minutes."
            ).format(start=_min(base), base=base),
        )
    weeks = build_weeks(base, goal_min, step_pc)
    if len(weeks) > MAX_WEEKS:
        raise PlanError(
            "goal",
            _(
                "At a {step}% step, this goal would take more than "
                "{weeks} weeks. Choose a nearer goal for now, or a bigger "
                "step. You can make a new plan when you get there."
            ).format(step=step_pc, weeks=MAX_WEEKS),
        )
    return PacingPlan(name, usual_min, base, step_pc, goal_min, weeks)


def _min(n: int) -> str:
    """A whole number of minutes in words: "1 minute", "16 minutes"."""
    return ngettext("{n} minute", "{n} minutes", n).format(n=n)


# ------------------------------------------------------------------ showing a plan


def _goal_mark(text: str, reached: bool) -> str:
    """A week's time or change, marked when that week reaches the goal."""
    # Translators: a week's time or change in the plan's table ("40 minutes", "+1") in
    # the week that reaches the goal.
    return _("{text} (goal)").format(text=text) if reached else text


def _week_header() -> str:
    # Translators: a column header of the pacing plan's table: the week's number.
    return _("Week")


def _time_header() -> str:
    # Translators: a column header of the pacing plan's table: how long to do the
    # activity each time in that week.
    return _("Time at a time")


def plan_table_html(plan: PacingPlan) -> str:
    """The week-by-week table, with a caption and column headers."""
    # Translators: the change in the pacing plan's table for week 1, where the plan starts.
    start = _("start")
    rows = "".join(
        '<tr><th scope="row">{week}</th><td>{time}</td><td>{change}</td></tr>'.format(
            # Translators: a row header of the pacing plan's table.
            week=html.escape(_("Week {number}").format(number=week)),
            time=html.escape(_min(m)),
            change=html.escape(_goal_mark(start if week == 1 else f"+{rise}", m == plan.goal)),
        )
        for week, m, rise in plan.rows()
    )
    caption = _("Your plan for {activity}, week by week").format(activity=plan.activity)
    # Translators: a column header of the pacing plan's table: how much that week adds.
    change = _("Change")
    return (
        '<table class="course-pacing__table">'
        f"<caption>{html.escape(caption)}</caption>"
        f'<thead><tr><th scope="col">{html.escape(_week_header())}</th>'
        f'<th scope="col">{html.escape(_time_header())}</th>'
        f'<th scope="col">{html.escape(change)}</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def plan_markdown(plan: PacingPlan) -> str:
    """The plan as Markdown, for a file the learner keeps."""
    lines = [
        # Translators: the first line of the pacing plan in the learner's plan file.
        _("**Activity:** {activity}").format(activity=md_escape(plan.activity)),
        "",
        plan.how_made(),
        "",
        f"| {md_escape(_week_header())} | {md_escape(_time_header())} |",
        "|---|---|",
        *(
            f"| {week} | {md_escape(_goal_mark(_min(m), m == plan.goal))} |"
            for week, m, _rise in plan.rows()
        ),
    ]
    return "\n".join(lines)


def plan_description(plan: PacingPlan) -> str:
    """The chart's alt text: what it shows, with the numbers."""
    # Translators: the pacing plan's chart in words (its alt text); {start} and {goal}
    # are times such as "16 minutes", {step} a number of per cent.
    return _(
        "Bar chart of minutes of {activity} in each week of the plan. Week 1 is "
        "{start}. Each week is a little higher, about {step}% more, until "
        "week {weeks} reaches the goal of {goal}. No week goes down and none "
        "goes past the goal."
    ).format(
        activity=plan.activity,
        start=_min(plan.baseline),
        step=plan.step,
        weeks=plan.n_weeks,
        goal=_min(plan.goal),
    )


def plan_chart(plan: PacingPlan, chart_id: str = "pacing-plan") -> str:
    """An SVG bar chart of the plan, with the goal as a dashed line."""
    labels = [str(w) for w, _m, _rise in plan.rows()]
    return bar_chart(
        labels,
        # Translators: the name of the bars in the pacing plan's chart.
        [(_("Minutes that week"), list(plan.weeks))],
        title=_("Your plan for {activity}: minutes each week").format(activity=plan.activity),
        description=plan_description(plan),
        # Translators: the label of the pacing charts' bottom axis.
        x_label=_("Week"),
        # Translators: the label of the pacing charts' side axis.
        y_label=_("Minutes"),
        chart_id=chart_id,
        goal=plan.goal,
        # Translators: the label of the goal's dashed line on the pacing plan's chart.
        goal_label=_("Goal {minutes} min").format(minutes=plan.goal),
    )


def md_escape(text: str) -> str:
    """Escape the characters that would turn typed text into Markdown or HTML structure."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


# ------------------------------------------------------------------ boom and bust, illustrated

# A made-up week to show the pattern, not data: good days are over-used, then pain
# flares and the next days are spent resting. Factors multiply the usual time. The notes
# are in English here and translated where they are shown (``comparison_table_html``).
BOOM_BUST_DAYS: tuple[tuple[float, str], ...] = (
    # Translators: the notes on each day of the made-up boom-and-bust week (lesson 6);
    # they describe one made-up person, without a subject ("Feels good, so does a lot more.").
    (1.0, N_("An ordinary day.")),
    (2.0, N_("Feels good, so does a lot more.")),
    (0.25, N_("Pain flares, so rests.")),
    (0.25, N_("Still sore, rests again.")),
    (0.75, N_("Starts to pick up.")),
    (1.0, N_("Back to usual.")),
    (2.0, N_("A good day again, so does a lot more.")),
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
        """(day, boom-bust minutes, paced minutes, note) for each day, in the page's words."""
        return [
            (_day(i + 1), b, p, _(n))
            for i, (b, p, n) in enumerate(zip(self.boom_bust, self.paced, self.notes, strict=True))
        ]

    def description(self) -> str:
        # Translators: the boom-and-bust chart in words (its alt text); {low}, {high} and
        # {paced} are times such as "16 minutes".
        return _(
            "Illustration with made-up numbers, not data. Bar chart of minutes of activity on "
            "each of 7 days. In the boom and bust week the time swings from "
            "{low} to {high} a day: a lot on good "
            "days, then very little while pain flares. In the paced week it is "
            "{paced} every day, with no peaks and no crashes."
        ).format(
            low=_min(min(self.boom_bust)),
            high=_min(max(self.boom_bust)),
            paced=_min(self.baseline),
        )


def _day(number: int) -> str:
    # Translators: a day of the made-up week in the boom-and-bust table.
    return _("Day {number}").format(number=number)


def compare_weeks(usual: str | int) -> WeekComparison:
    """A boom-bust week next to a paced week, for someone who can usually do ``usual`` minutes."""
    usual_min = parse_minutes(usual, "the usual time", "usual")
    base = baseline_for(usual_min)
    boom = tuple(max(1, round_half_up(usual_min * f)) for f, _note in BOOM_BUST_DAYS)
    return WeekComparison(
        usual_min,
        base,
        boom,
        (base,) * len(BOOM_BUST_DAYS),
        tuple(note for _f, note in BOOM_BUST_DAYS),
    )


def _boom_bust_name() -> str:
    # Translators: the boom-and-bust week (lesson 6 calls the pattern "boom and bust"),
    # a column header and the name of its bars in the chart.
    return _("Boom and bust")


def _paced_name() -> str:
    # Translators: the paced week, a column header and the name of its bars in the chart.
    return _("Paced")


def comparison_table_html(week: WeekComparison) -> str:
    rows = "".join(
        f'<tr><th scope="row">{html.escape(day)}</th><td>{html.escape(_min(b))}<br>'
        f'<span class="course-pacing__note">{html.escape(note)}</span></td>'
        f"<td>{html.escape(_min(p))}</td></tr>"
        for day, b, p, note in week.rows()
    )
    caption = _("Illustration: the same person, two ways through a week")
    # Translators: a column header of the boom-and-bust table.
    day = _("Day")
    return (
        '<table class="course-pacing__table">'
        f"<caption>{html.escape(caption)}</caption>"
        f'<thead><tr><th scope="col">{html.escape(day)}</th>'
        f'<th scope="col">{html.escape(_boom_bust_name())}</th>'
        f'<th scope="col">{html.escape(_paced_name())}</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def comparison_chart(week: WeekComparison, chart_id: str = "boom-bust") -> str:
    return bar_chart(
        # The days' numbers, shown under the bars.
        [str(i + 1) for i in range(len(week.paced))],
        [(_boom_bust_name(), list(week.boom_bust)), (_paced_name(), list(week.paced))],
        title=_("Illustration: a boom and bust week and a paced week"),
        description=week.description(),
        # Translators: the label of the boom-and-bust chart's bottom axis.
        x_label=_("Day"),
        y_label=_("Minutes"),
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
    if any(len(values) != len(categories) for _name, values in series):
        raise ValueError("each series needs one value per category")
    left, right, top, bottom = 52, 12, 34, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    y_top_raw = max([v for _name, vs in series for v in vs] + [goal or 0]) * 1.1 or 1
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
    for s, (_name, values) in enumerate(series):
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
                f"{html.escape(label)}</text>"
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
    for s, (name, _values) in enumerate(series):
        parts.append(f'<rect x="{x}" y="6" width="16" height="14" {fills[s]}/>')
        parts.append(
            f'<text x="{x + 22}" y="18" font-size="13" fill="{_INK}">{html.escape(name)}</text>'
        )
        x += 40 + 8 * len(name)
    return figure(chart_id, svg(chart_id, width, height, title, description, "".join(parts)), title)
