"""The imaging explorer: how common scan findings are in people *without* back pain.

The learner picks an age (20 to 80) and, if they like, one finding. A bar chart
and the same facts in words show how common each finding is (Brinjikji 2015);
estimates resting on few or no observed people are marked in words and by
pattern. Drive it from code as a learner would::

    explorer = ImagingExplorer()
    explorer.set_age(70)
    explorer.pick("Disk bulge")
    explorer.headline_text      # what the live region announces
    explorer.words              # every sentence shown under the chart
"""

from __future__ import annotations

import html
import itertools

import ipywidgets as ipw

from ._range import RangeInput
from ._safe import friendly
from ._view import ChartView
from .content.imaging import load_imaging, load_odds_ratios
from .i18n import _, number
from .lesson import Html
from .logic.imaging import (
    FEW_PEOPLE,
    age_chart,
    age_summary,
    check_age,
    finding_chart,
    finding_name,
    finding_summary,
    odds_certainty,
    odds_number,
    odds_words,
)

ALL = "all"
_ids = itertools.count(1)
ODDS_PEOPLE = 3097  # people in the 14 studies behind the odds ratios (Brinjikji 2015b)


class ImagingExplorer(ChartView):
    """Pick an age and, optionally, a finding; see a chart and the same facts in words."""

    def __init__(self, age: int = 50, finding: str | None = None, data_dir=None, **kwargs):
        self._table = load_imaging(data_dir)
        self._chart_id = f"imaging-{next(_ids)}"
        self.age = RangeInput(
            label=_("Age in years"),
            min=20,
            max=80,
            step=10,
            value=check_age(age),
            # Translators: an age in words, e.g. "50 years" ({value} is written in by the page).
            describe=_("{value} years"),
        )
        # The finding's name (translated) is shown; its English name (as the tables write
        # it) is the value, so pick("Disk bulge") works in every language.
        options = [(_("All eight findings"), ALL)] + [
            (finding_name(f), f) for f in self._table.findings
        ]
        self.finding = ipw.Dropdown(
            options=options,
            value=finding or ALL,
            description=_("Finding to show"),
            style={"description_width": "initial"},
        )
        self._chart_parts("imaging")
        self.headline.add_class("course-imaging__headline")
        intro = ipw.HTML(
            '<p class="course-imaging__intro">'
            + _(
                "Move the age slider, or choose one finding, to see how often scans of people "
                "<strong>without</strong> back pain show it. Striped bars rest on fewer than "
                "{few} people; dashed, empty bars on no one of that age."
            ).format(few=number(FEW_PEOPLE))
            + "</p>"
        )
        self.age.observe(self._on_change, "value")
        self.finding.observe(self._on_change, "value")
        super().__init__(
            [intro, self.age, self.finding, self.error, self.headline, self.chart, self.details],
            **kwargs,
        )
        self.add_class("course-imaging")
        self.redraw()

    # -- what a learner does, callable from code ---------------------------------------

    def set_age(self, age) -> None:
        """Move the age slider (20 to 80, in tens); anything else shows a message."""
        try:
            self.age.value = check_age(age)
        except ValueError as exc:
            self.show_error(str(exc))

    def pick(self, finding: str | None) -> None:
        """Choose one finding by name, or None for all of them."""
        value = finding or ALL
        if value not in dict(self.finding.options).values():
            self.show_error(_("Choose one of the findings in the list."))
            return
        self.finding.value = value

    # -- drawing ------------------------------------------------------------------------

    @friendly
    def _on_change(self, _change=None) -> None:
        self.redraw()

    def redraw(self) -> None:
        age = int(self.age.value)
        finding = self.finding.value
        if finding == ALL:
            headline, sentences = age_summary(self._table, age)
            figure, self._description = age_chart(self._table, age, self._chart_id)
        else:
            headline, sentences = finding_summary(self._table, finding, age)
            figure, self._description = finding_chart(self._table, finding, age, self._chart_id)
        self.error.value = ""
        self.headline.value = f"<p>{html.escape(headline)}</p>"
        self.chart.value = figure
        items = "".join(f"<li>{html.escape(s)}</li>" for s in sentences)
        heading = html.escape(_("The same facts in words"))
        caveat = html.escape(
            _(
                "These numbers are estimates from a model that pooled 33 studies. They are not "
                "counts from one group of people."
            )
        )
        self.details.value = f"<p><strong>{heading}</strong></p><ul>{items}</ul><p>{caveat}</p>"


def odds_ratio_table() -> Html:
    """The counterweight: findings more common with back pain (Brinjikji 2015b), as a table."""
    rows = load_odds_ratios()
    # Translators: a range of two numbers in the odds-ratio table, e.g. "1.3 to 45"
    to = _("{low} to {high}")
    body = "".join(
        f'<tr><th scope="row">{html.escape(finding_name(r.finding))}</th>'
        f"<td>{odds_number(r.odds_ratio)}</td>"
        f"<td>{html.escape(to.format(low=odds_number(r.ci_low), high=odds_number(r.ci_high)))}</td>"
        f"<td>{html.escape(odds_certainty(r))}</td></tr>"
        for r in rows
    )
    caption = _(
        "Findings more common in adults up to 50 with back pain than without "
        "(14 studies, {people} people)"
    ).format(people=number(ODDS_PEOPLE))
    # Translators: the headings of the odds-ratio table's columns.
    heads = (_("Finding"), _("Odds ratio"), _("Likely range"), _("How sure is the size?"))
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in heads)
    table = (
        '<table class="course-imaging__odds">'
        f"<caption>{html.escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )
    text = "\n".join(odds_words(r) for r in rows)
    return Html(table, text)
