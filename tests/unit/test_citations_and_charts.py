"""Citation finding and the SVG chart builder."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pytest

from widgets.logic import charts
from widgets.logic.charts import Series, line_chart
from widgets.logic.citations import cited_ids, sources_html


@dataclass(frozen=True)
class Ref:
    id: str
    link: str
    text: str

    def citation(self) -> str:
        return self.text


def test_cited_ids_in_order_of_first_use():
    texts = [
        "See [(A 2019)](#ref-a2019) and [(B)](#ref-b).",
        "Again [(A)](#ref-a2019), [C](#ref-c).",
    ]
    assert cited_ids(texts) == ["a2019", "b", "c"]


def test_plain_links_are_not_citations():
    assert cited_ids(["[next](02-x.ipynb) [top](#top) [x](#reference-y)"]) == []


def test_sources_list_has_anchor_citation_and_escaped_link():
    refs = {"a": Ref("a", "https://doi.org/10.1/x<y", "A & B (2020). T. V.")}
    out = sources_html(["a"], refs)
    assert '<li id="ref-a">A &amp; B (2020). T. V.' in out
    assert "https://doi.org/10.1/x&lt;y" in out and "<y" not in out


def test_sources_list_names_an_unknown_id():
    with pytest.raises(KeyError, match="nope"):
        sources_html(["nope"], {})


def test_line_chart_is_an_accessible_figure():
    svg = line_chart(
        [Series("New", ((0, 50), (6, 20))), Series("Old", ((0, 50), (6, 40)))],
        title="T & t",
        description="Pain falls from 50 to 20.",
        x_label="Weeks",
        y_label="Pain",
        y_range=(0, 60),
        chart_id="c1",
    )
    assert 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">T &amp; t</title>' in svg
    assert '<desc id="c1-desc">Pain falls from 50 to 20.</desc>' in svg
    assert svg.count("<polyline") == 2 and "stroke-dasharray" in svg  # not colour alone
    assert "<figcaption>T &amp; t</figcaption>" in svg


def test_line_chart_needs_two_points():
    with pytest.raises(ValueError):
        line_chart(
            [Series("x", ((0, 1),))],
            title="t",
            description="d",
            x_label="x",
            y_label="y",
            y_range=(0, 1),
            chart_id="c",
        )


# ------------------------------------------------------------- one skeleton for every chart

ODD_ID = 'chart"<&>'


def _every_chart(chart_id: str) -> dict[str, str]:
    from widgets.content.imaging import load_imaging
    from widgets.logic import alarm, balance, imaging, pacing

    table = load_imaging()
    line = charts.line_chart(
        [charts.Series("a", ((0, 1), (1, 2)))],
        title="T",
        description="D",
        x_label="x",
        y_label="y",
        y_range=(0, 3),
        chart_id=chart_id,
    )
    return {
        "line": line,
        "alarm": alarm.alarm_chart(0.5, chart_id),
        "imaging": imaging.age_chart(table, 40, chart_id)[0],
        "pacing": pacing.plan_chart(pacing.make_plan("walking", "20", "40"), chart_id),
        "balance": balance.balance_svg(balance.Weighing(danger=1, safety=2), svg_id=chart_id),
    }


@pytest.mark.parametrize("name", ["line", "alarm", "imaging", "pacing", "balance"])
def test_every_chart_is_an_image_named_and_described_in_words(name):
    markup = _every_chart("c1")[name]
    assert markup.count('role="img"') == 1 and 'aria-labelledby="c1-title c1-desc"' in markup
    assert '<title id="c1-title">' in markup and '<desc id="c1-desc">' in markup
    if name != "balance":  # the balance is a drawing beside its verdict, not a figure
        assert markup.startswith('<figure class="course-chart') and "<figcaption>" in markup


@pytest.mark.parametrize("name", ["line", "alarm", "imaging", "pacing", "balance"])
def test_every_id_in_a_chart_is_escaped(name):
    markup = _every_chart(ODD_ID)[name]
    assert ODD_ID not in markup and html.escape(ODD_ID) in markup


def test_every_chart_draws_with_the_one_palette():
    palette = {
        value.lower()
        for key, value in vars(charts).items()
        if key.isupper() and isinstance(value, str) and value.startswith("#")
    }
    for name, markup in _every_chart("c1").items():
        used = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{3,6}\b", markup)}
        assert used <= palette, f"{name}: {used - palette}"
