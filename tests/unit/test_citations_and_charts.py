"""Citation finding and the SVG chart builder."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

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
