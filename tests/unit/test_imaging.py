"""Scan findings in people without back pain: lookups, support levels, words and the bar chart."""

from __future__ import annotations

import itertools
import math
import re
import statistics

import pytest

from widgets.content.imaging import load_imaging
from widgets.logic import imaging as L
from widgets.logic.imaging import (
    AGES,
    FEW_PEOPLE,
    Bar,
    Estimate,
    ImagingTable,
    as_people,
    bar_chart,
    check_age,
    prevalence,
    rough_margin_pct,
    support_level,
)


@pytest.fixture(scope="module")
def table() -> ImagingTable:
    return load_imaging()


def _est(finding="A", age=20, pct=10.0, n=100, studies=2) -> Estimate:
    return Estimate(finding, age, pct, n, studies)


# ------------------------------------------------------------------ support and the cut


@pytest.mark.parametrize(
    "n, level", [(0, "none"), (1, "few"), (14, "few"), (49, "few"), (50, "enough"), (604, "enough")]
)
def test_support_level_has_three_steps(n, level):
    assert support_level(n) == level


@pytest.mark.parametrize("bad", [-1, True, 3.5, "50", None])
def test_support_level_refuses_what_is_not_a_count(bad):
    with pytest.raises(ValueError):
        support_level(bad)


def test_the_cut_at_50_is_where_the_margin_passes_14_points():
    assert FEW_PEOPLE == 50
    assert rough_margin_pct(49) >= 14.0 > rough_margin_pct(50)
    assert rough_margin_pct(14) == pytest.approx(26.2, abs=0.1)
    assert rough_margin_pct(0) == math.inf
    # A share near 0% or 100% is less uncertain than one near 50%.
    assert rough_margin_pct(40, 10) < rough_margin_pct(40, 50)


def test_below_the_cut_an_estimate_cannot_tell_one_decade_from_the_next(table):
    steps = [
        b.prevalence_pct - a.prevalence_pct
        for f in table.findings
        for a, b in itertools.pairwise(table.for_finding(f))
    ]
    assert statistics.median(steps) == pytest.approx(8.5)
    assert rough_margin_pct(FEW_PEOPLE - 1) > statistics.median(steps)


@pytest.mark.parametrize("bad", [(-1, 50), (10, -1), (10, 101)])
def test_rough_margin_refuses_impossible_inputs(bad):
    with pytest.raises(ValueError):
        rough_margin_pct(*bad)


# ------------------------------------------------------------------ lookups


@pytest.mark.parametrize("age", AGES)
def test_check_age_takes_each_decade(age):
    assert check_age(age) == age
    assert check_age(float(age)) == age


@pytest.mark.parametrize("bad", [19, 25, 90, 0, -20, "50", True, None, math.nan, math.inf, 50.5])
def test_check_age_refuses_anything_else_with_a_plain_message(bad):
    with pytest.raises(ValueError, match="Choose an age from 20 to 80"):
        check_age(bad)


@pytest.mark.parametrize(
    "finding, age, pct",
    [
        ("Disk degeneration", 20, 37),
        ("Disk degeneration", 50, 80),
        ("Disk degeneration", 80, 96),
        ("Disk bulge", 40, 50),
        ("Annular fissure", 80, 29),
        ("Spondylolisthesis", 80, 50),
        ("Facet degeneration", 20, 4),
    ],
)
def test_prevalence_lookup(table, finding, age, pct):
    assert prevalence(table, finding, age) == pct


def test_lookup_of_an_unknown_finding_or_age_is_refused(table):
    with pytest.raises(ValueError, match="findings in the list"):
        prevalence(table, "Broken back", 50)
    with pytest.raises(ValueError, match="Choose an age"):
        prevalence(table, "Disk bulge", 55)


def test_every_finding_becomes_more_common_with_age(table):
    # The lesson says so; the data must agree.
    for finding in table.findings:
        values = [e.prevalence_pct for e in table.for_finding(finding)]
        assert values == sorted(values) and values[-1] > values[0], finding


def test_thin_estimates_are_the_ones_resting_on_few_or_no_people(table):
    none = {(e.finding, e.age) for e in table.thin() if e.support == "none"}
    assert none == {
        ("Facet degeneration", 20),
        ("Facet degeneration", 30),
        ("Spondylolisthesis", 20),
        ("Spondylolisthesis", 30),
    }
    assert all(e.thin for e in table.at_age(70)) and all(e.thin for e in table.at_age(80))
    assert not table.get("Disk degeneration", 60).thin  # 80 people
    assert table.get("Disk bulge", 70).support == "few"  # 24 people
    assert len(table.thin()) == 28


def test_table_refuses_gaps_and_repeats():
    full = [_est("A", a) for a in AGES]
    with pytest.raises(ValueError, match="no estimate for age 60"):
        ImagingTable([e for e in full if e.age != 60])
    with pytest.raises(ValueError, match="two estimates"):
        ImagingTable(full + [_est("A", 20)])
    with pytest.raises(ValueError, match="not one of"):
        ImagingTable(full + [_est("A", 25)])
    with pytest.raises(ValueError, match="0 to 100"):
        ImagingTable([_est("B", a, pct=120 if a == 40 else 5) for a in AGES])


# ------------------------------------------------------------------ words


@pytest.mark.parametrize(
    "pct, words",
    [
        (96, "nearly all"),
        (80, "about 8 in 10"),
        (52, "about half"),
        (17, "about 2 in 10"),
        (10, "about 1 in 10"),
        (4, "about 4 in 100"),
        (0.5, "fewer than 1 in 100"),
    ],
)
def test_shares_in_everyday_words(pct, words):
    assert as_people(pct) == words


def test_age_summary_counts_and_names_the_rough_numbers(table):
    headline, sentences = L.age_summary(table, 20)
    assert headline.startswith("Age 20: 0 of 8 findings were seen in half or more")
    assert "4 of the 8 numbers are rough or based on no one." in headline
    text = " ".join(sentences)
    assert "the most common finding was disk degeneration: 37%, about 4 in 10." in text
    assert "Disk height loss: 24% (about 2 in 10; based on only 15 people)." in text
    assert "Disk degeneration: 37% (about 4 in 10; based on 273 people)." in text
    assert (
        "Rough: Disk signal loss (46 people) and Disk height loss (15 people) rest on fewer"
    ) in text
    assert "No one: for Facet degeneration and Spondylolisthesis, no one of that age" in text


def test_age_summary_at_40_names_one_rough_number_in_the_singular(table):
    headline, sentences = L.age_summary(table, 40)
    assert headline.endswith("1 of the 8 numbers is rough or based on no one.")
    text = " ".join(sentences)
    assert "Rough: Spondylolisthesis (31 people) rests on fewer than 50 people" in text


def test_age_summary_at_80_says_every_number_is_rough(table):
    headline, _ = L.age_summary(table, 80)
    assert headline.startswith("Age 80: 6 of 8 findings")
    assert "All of these numbers are rough" in headline


def test_age_summary_with_no_thin_estimates_says_nothing_about_roughness():
    t = ImagingTable([_est("A", a, pct=10 + a / 2) for a in AGES])
    headline, sentences = L.age_summary(t, 40)
    assert "rough" not in headline and not any(s.startswith(("Rough", "No one")) for s in sentences)


def test_finding_summary_picks_out_the_chosen_age(table):
    headline, sentences = L.finding_summary(table, "Facet degeneration", 60)
    assert headline == (
        "Facet degeneration at age 60: 50% of people with no back pain "
        "(about half). This number is rough."
    )
    assert sentences[0] == (
        "Facet degeneration in people with no back pain: 4% at age 20, rising to 83% at age 80."
    )
    assert "Age 60: 50% (based on only 35 people; your chosen age)." in sentences
    assert "Age 20: 4% (no one this age studied)." in sentences
    headline, _ = L.finding_summary(table, "Facet degeneration", 20)
    assert headline.endswith("No one this age was studied for it.")


# ------------------------------------------------------------------ chart


def test_bar_chart_is_an_accessible_figure_with_patterns_and_words():
    svg = bar_chart(
        [
            Bar("Solid", 60),
            Bar("Rough", 40, "few"),
            Bar("Empty", 5, "none"),
            Bar("Mine", 30, emphasis=True),
        ],
        title="T & co",
        description="Alt <text>",
        chart_id="c9",
    )
    assert svg.startswith('<figure class="course-chart" id="c9">')
    assert 'role="img"' in svg and 'aria-labelledby="c9-title c9-desc"' in svg
    assert '<title id="c9-title">T &amp; co</title>' in svg
    assert '<desc id="c9-desc">Alt &lt;text&gt;</desc>' in svg
    assert 'fill="url(#c9-stripes)"' in svg and '<pattern id="c9-stripes"' in svg
    assert 'stroke-dasharray="4 3" data-support="none"' in svg
    assert "Rough: 40% (few people)" in svg and "Empty: 5% (no one studied)" in svg
    assert "▶ Mine: 30%" in svg and 'font-weight="700"' in svg
    # the legend explains each pattern in words
    for _, words in L.LEGEND:
        assert words in svg
    assert "<figcaption>T &amp; co</figcaption>" in svg


@pytest.mark.parametrize("bars", [[], [Bar("x", 101)], [Bar("x", -1)], [Bar("x", 5, "odd")]])
def test_bar_chart_refuses_bad_bars(bars):
    with pytest.raises(ValueError):
        bar_chart(bars, title="t", description="d", chart_id="c")


def test_bar_lengths_follow_the_values():
    svg = bar_chart([Bar("a", 25), Bar("b", 100)], title="t", description="d", chart_id="c")
    bar = r'<rect x="10.0" y="[\d.]+" width="([\d.]+)" height="16"'
    widths = [float(w) for w in re.findall(bar, svg)]
    assert widths[1] == pytest.approx(4 * widths[0], rel=0.01)


def test_age_chart_alt_text_holds_every_number(table):
    svg, description = L.age_chart(table, 70, "c")
    for e in table.at_age(70):
        assert f"{e.finding} {e.prevalence_pct:g}% (few people)" in description
    assert f'<desc id="c-desc">{description}</desc>' in svg
    assert svg.count('data-support="few"') == 8 + 1  # eight bars and the legend swatch


def test_finding_chart_marks_the_chosen_age(table):
    svg, description = L.finding_chart(table, "Disk bulge", 30, "c")
    assert "age 30 40%" in description and "Your chosen age, 30, is marked" in description
    assert "▶ Age 30: 40%" in svg and svg.count("▶") == 1


def test_odds_ratio_in_words():
    row = L.OddsRatio("Disc bulge", 7.54, 1.28, 44.56, "0.03")
    assert L.odds_words(row) == (
        "Disc bulge: more common with back pain, about 7.5 times the odds "
        "(likely range 1.3 to 45). How big the difference is: very unsure."
    )


@pytest.mark.parametrize(
    "low, high, words",
    [
        (1.28, 44.56, "very unsure"),
        (1.98, 9.68, "unsure"),
        (1.52, 4.62, "unsure"),
        (1.5, 2.9, "fairly sure"),
    ],
)
def test_how_sure_the_size_of_an_odds_ratio_is(low, high, words):
    assert L.odds_certainty(L.OddsRatio("x", 2.0, low, high, "0.01")) == words
