"""Scan findings in people without back pain (Brinjikji 2015): lookups, words and a bar chart.

The numbers are Table 2 of Brinjikji et al. 2015 (AJNR 36:811-816): the share of
people *without* back pain in whom a scan shows each of eight findings, at ages
20 to 80. They are estimates from a statistical model fitted to 33 studies, not
raw counts. Table 1 of the same paper says how many people of each age stand
behind each estimate; ``support_level`` turns that into three plain levels.

Why "few" means fewer than 50 people
------------------------------------
For a share measured in ``n`` people the usual 95% margin of error is at most
``1.96 * sqrt(0.25 / n)`` (its largest value, at a share of 50%). At 50 people
that is about 14 percentage points; below 50 it is wider (26 points at 14
people). The estimates rise by a median of about 8.5 points from one decade of
age to the next, so an estimate resting on fewer than 50 people cannot tell
one decade from its neighbour: we call it rough and mark it. The model pools
studies, so this margin is a guide, not the paper's own interval. Estimates
resting on no one at all (facet degeneration and spondylolisthesis at ages 20
and 30) are the model's line extended beyond the data, and are marked apart.

Nothing here imports a UI library: the view is ``widgets.imaging``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..i18n import N_, _, ngettext, number
from .charts import AXIS, BLUE, GRID, INK, LABEL, PAPER, figure, svg

AGES: tuple[int, ...] = (20, 30, 40, 50, 60, 70, 80)
FEW_PEOPLE = 50
"""Estimates resting on fewer people than this are marked as rough (see the module notes)."""

NONE, FEW, ENOUGH = "none", "few", "enough"

COLOUR = BLUE  # Okabe-Ito blue: 5.2:1 on white

# The findings as data/tables/imaging_prevalence.csv and imaging_odds_ratios.csv name them
# (in English: the tables are the same in every language), and the names a learner reads,
# translated where they are shown (``finding_name``). Lesson 2 explains each one.
FINDINGS = {
    # Translators: a scan finding (Brinjikji 2015): a disc that has worn or dried out.
    "Disk degeneration": N_("Disk degeneration"),
    # Translators: a scan finding: a disc that looks darker on MRI (it holds less water).
    "Disk signal loss": N_("Disk signal loss"),
    # Translators: a scan finding: a disc that has become thinner.
    "Disk height loss": N_("Disk height loss"),
    # Translators: a scan finding: a disc that spreads a little past its usual edge.
    "Disk bulge": N_("Disk bulge"),
    # Translators: a scan finding: a disc that pushes out a bit more in one spot.
    "Disk protrusion": N_("Disk protrusion"),
    # Translators: a scan finding: a small crack in the tough outer ring of a disc.
    "Annular fissure": N_("Annular fissure"),
    # Translators: a scan finding: wear in the small joints at the back of the spine.
    "Facet degeneration": N_("Facet degeneration"),
    # Translators: a scan finding: one bone of the spine has slipped forward a little.
    "Spondylolisthesis": N_("Spondylolisthesis"),
    # Translators: a scan finding more common with back pain (Brinjikji 2015b), as lesson 2
    # names it ("Disk bulge" in the other table).
    "Disc bulge": N_("Disc bulge"),
    # Translators: a scan finding: a small crack in a thin piece of bone at the back of
    # one of the bones of the spine.
    "Spondylolysis": N_("Spondylolysis"),
    # Translators: a scan finding: part of a disc that has pushed out further than a
    # protrusion, through its tough outer ring.
    "Disc extrusion": N_("Disc extrusion"),
    # Translators: a scan finding: a change in the bone next to a disc that shows up on MRI.
    "Modic type 1 change": N_("Modic type 1 change"),
    # Translators: a scan finding ("Disk protrusion" in the other table).
    "Disc protrusion": N_("Disc protrusion"),
    # Translators: a scan finding ("Disk degeneration" in the other table).
    "Disc degeneration": N_("Disc degeneration"),
}


def finding_name(finding: str) -> str:
    """A finding's name as the learner reads it (``finding`` as the tables write it; one
    that ``FINDINGS`` does not know is shown as it is)."""
    return _(FINDINGS.get(finding, finding))


def _g(value: float) -> str:
    """A number as ``f"{value:g}"`` writes it, in the current language's style."""
    shown = f"{value:g}"
    digits = len(shown.partition(".")[2]) if "e" not in shown else 0
    return number(value, digits)


def rough_margin_pct(n_patients: int, prevalence_pct: float = 50.0) -> float:
    """Half-width, in percentage points, of a simple 95% interval for a share in ``n`` people.

    A guide to how rough an estimate is, used to choose ``FEW_PEOPLE``;
    infinite when no one was observed.
    """
    if n_patients < 0:
        raise ValueError("the number of people cannot be negative")
    if not 0 <= prevalence_pct <= 100:
        raise ValueError("a share in percent lies between 0 and 100")
    if n_patients == 0:
        return math.inf
    p = prevalence_pct / 100
    return 100 * 1.96 * math.sqrt(p * (1 - p) / n_patients)


def support_level(n_patients: int) -> str:
    """``"none"`` (no one observed), ``"few"`` (under ``FEW_PEOPLE``) or ``"enough"``."""
    if isinstance(n_patients, bool) or not isinstance(n_patients, int) or n_patients < 0:
        raise ValueError(
            f"the number of people must be a whole number 0 or more (got {n_patients!r})"
        )
    if n_patients == 0:
        return NONE
    return FEW if n_patients < FEW_PEOPLE else ENOUGH


@dataclass(frozen=True)
class Estimate:
    """How common one finding is at one age in people without back pain."""

    finding: str
    age: int
    prevalence_pct: float
    n_patients: int
    n_studies: int

    @property
    def support(self) -> str:
        return support_level(self.n_patients)

    @property
    def thin(self) -> bool:
        """True when the estimate rests on few or no observed people."""
        return self.support != ENOUGH


def check_age(age: object) -> int:
    """Return ``age`` as one of ``AGES``, or raise ValueError with a message for the learner."""
    if isinstance(age, bool) or not isinstance(age, (int, float)) or not math.isfinite(age):
        raise ValueError(_("Choose an age from 20 to 80, in steps of 10 years."))
    if age != int(age) or int(age) not in AGES:
        raise ValueError(_("Choose an age from 20 to 80, in steps of 10 years."))
    return int(age)


class ImagingTable:
    """All estimates, checked complete: every finding at every age in ``AGES``."""

    def __init__(self, estimates: Iterable[Estimate]):
        self._by_key: dict[tuple[str, int], Estimate] = {}
        findings: list[str] = []
        for est in estimates:
            key = (est.finding, est.age)
            if key in self._by_key:
                raise ValueError(f"two estimates for {est.finding} at age {est.age}")
            if est.age not in AGES:
                raise ValueError(f"age {est.age} is not one of {AGES}")
            if not 0 <= est.prevalence_pct <= 100:
                raise ValueError(f"{est.finding} at age {est.age}: a share must be 0 to 100")
            self._by_key[key] = est
            if est.finding not in findings:
                findings.append(est.finding)
        if not findings:
            raise ValueError("no estimates")
        for finding in findings:
            missing = [a for a in AGES if (finding, a) not in self._by_key]
            if missing:
                raise ValueError(f"{finding} has no estimate for age {missing[0]}")
        self.findings: tuple[str, ...] = tuple(findings)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ImagingTable) and self._by_key == other._by_key

    __hash__ = None  # type: ignore[assignment]  (equal by value, and mutable in principle)

    def get(self, finding: str, age: object) -> Estimate:
        age = check_age(age)
        if finding not in self.findings:
            raise ValueError(_("Choose one of the findings in the list."))
        return self._by_key[(finding, age)]

    def at_age(self, age: object) -> tuple[Estimate, ...]:
        age = check_age(age)
        return tuple(self._by_key[(f, age)] for f in self.findings)

    def for_finding(self, finding: str) -> tuple[Estimate, ...]:
        if finding not in self.findings:
            raise ValueError(_("Choose one of the findings in the list."))
        return tuple(self._by_key[(finding, a)] for a in AGES)

    def thin(self) -> tuple[Estimate, ...]:
        """Every estimate resting on few or no observed people, in table order."""
        return tuple(e for f in self.findings for e in self.for_finding(f) if e.thin)


def prevalence(table: ImagingTable, finding: str, age: object) -> float:
    """Percent of people without back pain whose scan shows ``finding`` at ``age``."""
    return table.get(finding, age).prevalence_pct


# ------------------------------------------------------------------ plain words


def _pct(value: float) -> str:
    # Translators: a share in percent, e.g. "37%" (Spanish: "37 %", with a no-break space).
    return _("{percent}%").format(percent=_g(value))


def as_people(pct: float) -> str:
    """A share in everyday words: 'about 8 in 10', 'about 4 in 100', 'nearly all'."""
    if not 0 <= pct <= 100:
        raise ValueError("a share in percent lies between 0 and 100")
    if pct >= 95:
        # Translators: a share of people, e.g. "96%, nearly all"
        return _("nearly all")
    if pct >= 10:
        tens = round(pct / 10)
        if tens == 5:
            # Translators: a share of people, e.g. "52%, about half"
            return _("about half")
        # Translators: a share of people, e.g. "80%, about 8 in 10"
        return _("about {count} in 10").format(count=number(tens))
    if pct >= 1:
        # Translators: a share of people, e.g. "4%, about 4 in 100"
        return _("about {count} in 100").format(count=number(round(pct)))
    # Translators: a share of people, e.g. "0.5%, fewer than 1 in 100"
    return _("fewer than 1 in 100")


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    # Translators: the end of a list, e.g. "Disk signal loss, Disk height loss and
    # Spondylolisthesis" ({items} is all but the last, {last} the last).
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def _support_words(est: Estimate) -> str:
    if est.support == NONE:
        # Translators: after a share, e.g. "Age 20: 4% (no one this age studied)."
        return _("no one this age studied")
    if est.support == FEW:
        return ngettext(
            "based on only {count} person", "based on only {count} people", est.n_patients
        ).format(count=number(est.n_patients))
    return ngettext("based on {count} person", "based on {count} people", est.n_patients).format(
        count=number(est.n_patients)
    )


def thin_sentences(estimates: Sequence[Estimate]) -> list[str]:
    """Plain sentences naming the ``estimates`` that rest on few or no people, and why."""
    few = [e for e in estimates if e.support == FEW]
    none = [e for e in estimates if e.support == NONE]
    out = []

    def name(e: Estimate, by: str) -> str:
        if by == "finding":
            return finding_name(e.finding)
        # Translators: in a list of the ages whose numbers are rough, e.g. "age 70 (24 people)"
        return _("age {age}").format(age=e.age)

    by = "finding" if len({e.age for e in estimates}) == 1 else "age"
    if few:
        names = _join(
            [
                # Translators: in a list of rough numbers, e.g. "Disk height loss (15 people)"
                ngettext("{name} ({count} person)", "{name} ({count} people)", e.n_patients).format(
                    name=name(e, by), count=number(e.n_patients)
                )
                for e in few
            ]
        )
        out.append(
            # Translators: {names} is a list of findings or ages, e.g. "Disk signal loss (46
            # people) and Disk height loss (15 people)"; the singular is for one of them.
            ngettext(
                "Rough: {names} rests on fewer than {few} people, so the true figure could be "
                "quite a bit higher or lower. These bars are striped.",
                "Rough: {names} rest on fewer than {few} people, so the true figure could be "
                "quite a bit higher or lower. These bars are striped.",
                len(few),
            ).format(names=names, few=number(FEW_PEOPLE))
        )
    if none:
        names = _join([name(e, by) for e in none])
        out.append(
            # Translators: {names} is a list of findings or ages.
            _(
                "No one: for {names}, no one of that age was studied. The number comes from "
                "stretching the trend from older people. These bars have a dashed outline and "
                "no fill."
            ).format(names=names)
        )
    return out


def age_summary(table: ImagingTable, age: object) -> tuple[str, list[str]]:
    """A short headline and the full list of sentences for one age, all findings."""
    rows = table.at_age(age)
    age = rows[0].age
    half = [e for e in rows if e.prevalence_pct >= 50]
    top = max(rows, key=lambda e: e.prevalence_pct)
    thin = [e for e in rows if e.thin]
    headline = _(
        "Age {age}: {count} of {total} findings were seen in half or more of "
        "people with no back pain."
    ).format(age=age, count=number(len(half)), total=number(len(rows)))
    if len(thin) == len(rows):
        headline += " " + _("All of these numbers are rough: few people this age were studied.")
    elif thin:
        headline += " " + ngettext(
            "{count} of the {total} numbers is rough or based on no one.",
            "{count} of the {total} numbers are rough or based on no one.",
            len(thin),
        ).format(count=number(len(thin)), total=number(len(rows)))
    sentences = [
        # Translators: {finding} is a finding's name in lower case, {people} a share in
        # words, e.g. "...was disk degeneration: 37%, about 4 in 10."
        _(
            "Among people aged {age} with no back pain, the most common finding was "
            "{finding}: {percent}, {people}."
        ).format(
            age=age,
            finding=finding_name(top.finding).lower(),
            percent=_pct(top.prevalence_pct),
            people=as_people(top.prevalence_pct),
        ),
    ]
    sentences += [
        # Translators: e.g. "Disk degeneration: 37% (about 4 in 10; based on 273 people)."
        _("{finding}: {percent} ({people}; {support}).").format(
            finding=finding_name(e.finding),
            percent=_pct(e.prevalence_pct),
            people=as_people(e.prevalence_pct),
            support=_support_words(e),
        )
        for e in rows
    ]
    sentences += thin_sentences(rows)
    return headline, sentences


def finding_summary(table: ImagingTable, finding: str, age: object) -> tuple[str, list[str]]:
    """A short headline and sentences for one finding across ages, with ``age`` picked out."""
    rows = table.for_finding(finding)
    chosen = table.get(finding, age)
    first, last = rows[0], rows[-1]
    name = finding_name(finding)
    headline = _(
        "{finding} at age {age}: {percent} of people with no back pain ({people})."
    ).format(
        finding=name,
        age=chosen.age,
        percent=_pct(chosen.prevalence_pct),
        people=as_people(chosen.prevalence_pct),
    )
    if chosen.thin:
        headline += " " + (
            _("This number is rough.")
            if chosen.support == FEW
            else _("No one this age was studied for it.")
        )
    if last.prevalence_pct > first.prevalence_pct:
        trend = _(
            "{finding} in people with no back pain: {first} at age {first_age}, "
            "rising to {last} at age {last_age}."
        )
    else:
        trend = _(
            "{finding} in people with no back pain: {first} at age {first_age}, "
            "changing to {last} at age {last_age}."
        )
    sentences = [
        trend.format(
            finding=name,
            first=_pct(first.prevalence_pct),
            first_age=first.age,
            last=_pct(last.prevalence_pct),
            last_age=last.age,
        ),
    ]
    for e in rows:
        if e.age == chosen.age:
            # Translators: e.g. "Age 60: 50% (based on only 35 people; your chosen age)."
            line = _("Age {age}: {percent} ({support}; your chosen age).")
        else:
            # Translators: e.g. "Age 20: 4% (no one this age studied)."
            line = _("Age {age}: {percent} ({support}).")
        sentences.append(
            line.format(age=e.age, percent=_pct(e.prevalence_pct), support=_support_words(e))
        )
    sentences += thin_sentences(rows)
    return headline, sentences


# ------------------------------------------------------------------ the bar chart


@dataclass(frozen=True)
class Bar:
    """One bar: ``support`` sets its pattern; ``emphasis`` picks it out in bold with a marker."""

    label: str
    value: float
    support: str = ENOUGH
    emphasis: bool = False


# After a bar's share when the estimate rests on few or no people, e.g. "77% (few people)".
_NOTE = {
    ENOUGH: "",
    # Translators: after a bar's share, e.g. "Age 70: 77% (few people)"
    FEW: N_("(few people)"),
    # Translators: after a bar's share, e.g. "Age 20: 4% (no one studied)"
    NONE: N_("(no one studied)"),
}
# The legend's words, one per pattern (50 is ``FEW_PEOPLE``).
LEGEND = (
    # Translators: the bar chart's legend: what a solid bar means.
    (ENOUGH, N_("Solid: 50 or more people")),
    # Translators: the bar chart's legend: what a striped bar means.
    (FEW, N_("Striped: fewer than 50 people, rough")),
    # Translators: the bar chart's legend: what a bar with a dashed outline and no fill means.
    (NONE, N_("Dashed, empty: no one this age, trend stretched")),
)
# Translators: the bar chart's axis: a share of people, from 0% to 100%.
AXIS_LABEL = N_("People with no back pain (%)")


def _note(support: str) -> str:
    """The note after a share: " (few people)", " (no one studied)" or nothing."""
    note = _NOTE[support]
    return " " + _(note) if note else ""


def _bar_rect(
    x: float, y: float, w: float, h: float, support: str, chart_id: str, emphasis: bool = False
) -> str:
    stroke_w = 3 if emphasis else 1.5
    stroke = "{OUTLINE}" if emphasis else COLOUR
    if support == ENOUGH:
        return (
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h}" fill="{COLOUR}" '
            f'stroke="{stroke}" stroke-width="{stroke_w}"/>'
        )
    if support == FEW:
        return (
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h}" '
            f'fill="url(#{html.escape(chart_id)}-stripes)" stroke="{stroke}" '
            f'stroke-width="{stroke_w}" '
            'data-support="few"/>'
        )
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h}" fill="{PAPER}" '
        f'stroke="{stroke}" stroke-width="{max(stroke_w, 2)}" stroke-dasharray="4 3" '
        'data-support="none"/>'
    )


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str,
    chart_id: str,
    axis_label: str | None = None,
    width: int = 400,
) -> str:
    """A ``<figure>`` with an accessible horizontal SVG bar chart on a 0-100% scale.

    Each bar's label sits above it with its value, so the chart stays readable
    when a phone shrinks it. Support is shown by pattern *and* words: solid,
    striped ("few people") or dashed and empty ("no one studied"); a legend
    explains the patterns. ``description`` is the alt text; ``axis_label`` is
    ``AXIS_LABEL`` in the page's language unless given.
    """
    if axis_label is None:
        axis_label = _(AXIS_LABEL)
    if not bars:
        raise ValueError("a bar chart needs at least one bar")
    for bar in bars:
        if not 0 <= bar.value <= 100:
            raise ValueError(f"{bar.label}: a share must be 0 to 100")
        if bar.support not in _NOTE:
            raise ValueError(f"{bar.label}: unknown support level {bar.support!r}")
    left, right, top, row = 10, 16, 12, 46
    plot_w = width - left - right
    axis_y = top + row * len(bars) + 4
    height = axis_y + 40 + 24 * len(LEGEND) + 8

    def px(v: float) -> float:
        return left + v / 100 * plot_w

    cid = html.escape(chart_id)
    parts = [
        f'<defs><pattern id="{cid}-stripes" width="7" height="7" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="7" height="7" fill="{PAPER}"/>'
        f'<line x1="0" y1="0" x2="0" y2="7" stroke="{COLOUR}" stroke-width="3"/></pattern></defs>',
    ]
    for tick in (0, 25, 50, 75, 100):
        parts.append(
            f'<line x1="{px(tick):.1f}" x2="{px(tick):.1f}" y1="{top}" y2="{axis_y}" '
            f'stroke="{GRID}"/>'
        )
        anchor = "start" if tick == 0 else ("end" if tick == 100 else "middle")
        parts.append(
            f'<text x="{px(tick):.1f}" y="{axis_y + 16}" text-anchor="{anchor}" '
            f'font-size="13" fill="{AXIS}">{html.escape(_pct(tick))}</text>'
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.0f}" y="{axis_y + 34}" text-anchor="middle" '
        f'font-size="13" fill="{LABEL}">{html.escape(axis_label)}</text>'
    )
    for i, bar in enumerate(bars):
        y = top + i * row
        weight = ' font-weight="700"' if bar.emphasis else ""
        marker = "▶ " if bar.emphasis else ""
        text = f"{marker}{bar.label}: {_pct(bar.value)}{_note(bar.support)}"
        parts.append(
            f'<text x="{left}" y="{y + 14}" font-size="15" fill="{INK}"{weight}>'
            f"{html.escape(text)}</text>"
        )
        parts.append(
            _bar_rect(
                left, y + 20, max(px(bar.value) - left, 2), 16, bar.support, chart_id, bar.emphasis
            )
        )
    legend_y = axis_y + 50
    for j, (support, text) in enumerate(LEGEND):
        y = legend_y + j * 24
        words = html.escape(_(text))
        parts.append(_bar_rect(left, y, 28, 14, support, chart_id))
        parts.append(
            f'<text x="{left + 36}" y="{y + 12}" font-size="13" fill="{LABEL}">{words}</text>'
        )
    return figure(chart_id, svg(chart_id, width, height, title, description, "".join(parts)), title)


def age_chart(table: ImagingTable, age: object, chart_id: str) -> tuple[str, str]:
    """The chart of all findings at one age, and its alt text."""
    rows = table.at_age(age)
    age = rows[0].age
    title = _("Scan findings in people aged {age} with no back pain").format(age=age)
    parts = [f"{finding_name(e.finding)} {_pct(e.prevalence_pct)}{_note(e.support)}" for e in rows]
    # Translators: the chart's alt text; {items} is e.g. "Disk degeneration 80%; Disk bulge
    # 60%; Spondylolisthesis 14% (few people)".
    description = _(
        "Bar chart. Share of people aged {age} with no back pain whose scan shows each "
        "finding: {items}. Estimates from Brinjikji 2015."
    ).format(age=age, items="; ".join(parts))
    bars = [Bar(finding_name(e.finding), e.prevalence_pct, e.support) for e in rows]
    return bar_chart(bars, title=title, description=description, chart_id=chart_id), description


def finding_chart(table: ImagingTable, finding: str, age: object, chart_id: str) -> tuple[str, str]:
    """The chart of one finding at every age, with ``age`` picked out, and its alt text."""
    rows = table.for_finding(finding)
    chosen = table.get(finding, age).age
    name = finding_name(finding)
    title = _("{finding} in people with no back pain, by age").format(finding=name)
    parts = [
        # Translators: one bar in the chart's alt text, e.g. "age 70 77% (few people)"
        _("age {age} {percent}").format(age=e.age, percent=_pct(e.prevalence_pct))
        + _note(e.support)
        for e in rows
    ]
    # Translators: the chart's alt text; {finding} is a finding's name in lower case, {items}
    # e.g. "age 20 4% (no one studied); age 30 9% (no one studied); age 40 18%".
    description = _(
        "Bar chart. Share of people with no back pain whose scan shows {finding}, "
        "by age: {items}. Your chosen age, {age}, is marked with an arrow. "
        "Estimates from Brinjikji 2015."
    ).format(finding=name.lower(), items="; ".join(parts), age=chosen)
    bars = [
        # Translators: a bar's label in the chart of one finding by age, e.g. "Age 70"
        Bar(_("Age {age}").format(age=e.age), e.prevalence_pct, e.support, emphasis=e.age == chosen)
        for e in rows
    ]
    return bar_chart(bars, title=title, description=description, chart_id=chart_id), description


# ------------------------------------------------------------------ the counterweight


@dataclass(frozen=True)
class OddsRatio:
    """A finding more common with back pain than without (Brinjikji 2015b, adults up to 50)."""

    finding: str
    odds_ratio: float
    ci_low: float
    ci_high: float
    p_value: str


def odds_number(x: float) -> str:
    """A ratio for lay readers: one decimal below 10, whole numbers above (7.5, 45)."""
    return number(x, 0) if x >= 10 else number(x, 1)


def odds_certainty(row: OddsRatio) -> str:
    """How sure the size of the difference is, from how wide the likely range is.

    The lower end above 1 is what makes the finding "more common with pain"; the
    width says how much more is known: a range whose top is 8 or more times its
    bottom is "very unsure", 3 or more "unsure", else "fairly sure".
    """
    spread = row.ci_high / row.ci_low
    if spread >= 8:
        # Translators: how sure the size of a difference is ("How sure is the size?")
        return _("very unsure")
    if spread >= 3:
        # Translators: how sure the size of a difference is ("How sure is the size?")
        return _("unsure")
    # Translators: how sure the size of a difference is ("How sure is the size?")
    return _("fairly sure")


def odds_words(row: OddsRatio) -> str:
    """One plain sentence per odds ratio: rounded, with how sure its size is."""
    # Translators: {certainty} is "very unsure", "unsure" or "fairly sure".
    return _(
        "{finding}: more common with back pain, about {ratio} times the odds (likely range "
        "{low} to {high}). How big the difference is: {certainty}."
    ).format(
        finding=finding_name(row.finding),
        ratio=odds_number(row.odds_ratio),
        low=odds_number(row.ci_low),
        high=odds_number(row.ci_high),
        certainty=odds_certainty(row),
    )
