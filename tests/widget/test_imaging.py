"""The imaging explorer driven from code as a learner drives it: move the age, pick a finding."""

from __future__ import annotations

import re

import ipywidgets as ipw
import pytest

from widgets import LiveRegion
from widgets._range import RangeInput
from widgets.imaging import ImagingExplorer, odds_ratio_table


@pytest.fixture
def explorer() -> ImagingExplorer:
    return ImagingExplorer()


def test_starts_at_age_50_with_every_finding(explorer):
    assert explorer.age.value == 50 and explorer.finding.value == "all"
    assert explorer.headline_text == (
        "Age 50: 4 of 8 findings were seen in half or more of people with no back pain."
    )
    # every estimate at 50 rests on 50 or more people: only the legend shows the other patterns
    assert explorer.chart.value.count('data-support="few"') == 1
    assert explorer.chart.value.count('data-support="none"') == 1
    assert 'role="img"' in explorer.chart.value
    assert "Scan findings in people aged 50 with no back pain" in explorer.chart.value
    assert "Disk degeneration: 80% (about 8 in 10; based on 311 people)." in explorer.words
    assert "not counts from one group of people" in explorer.words


def test_moving_the_age_changes_the_words_and_the_chart(explorer):
    before_chart, before_words = explorer.chart.value, explorer.words
    explorer.age.value = 20  # what dragging the slider does
    assert explorer.headline_text.startswith("Age 20: 0 of 8 findings")
    assert explorer.chart.value != before_chart and explorer.words != before_words
    assert "Scan findings in people aged 20" in explorer.chart.value
    assert "Disk degeneration 37%" in explorer.chart_description
    assert "no one of that age was studied" in explorer.words
    assert explorer.chart.value.count('data-support="none"') == 2 + 1  # two bars + legend
    explorer.set_age(80)
    assert "All of these numbers are rough" in explorer.headline_text
    assert explorer.chart.value.count('data-support="few"') == 8 + 1


def test_picking_a_finding_shows_it_across_ages_with_the_chosen_age_marked(explorer):
    explorer.set_age(70)
    explorer.pick("Disk bulge")
    assert explorer.headline_text == (
        "Disk bulge at age 70: 77% of people with no back pain "
        "(about 8 in 10). This number is rough."
    )
    assert "Disk bulge in people with no back pain, by age" in explorer.chart.value
    assert "▶ Age 70: 77% (few people)" in explorer.chart.value
    assert "Your chosen age, 70, is marked with an arrow" in explorer.chart_description
    explorer.age.value = 30
    assert "▶ Age 30: 40%" in explorer.chart.value
    explorer.pick(None)
    assert explorer.headline_text.startswith("Age 30:")


def test_the_slider_snaps_and_stays_in_range(explorer):
    explorer.age.value = 57
    assert explorer.age.value == 60 and explorer.headline_text.startswith("Age 60")
    explorer.age.value = 200
    assert explorer.age.value == 80


@pytest.mark.parametrize("bad", ["fifty", 55, 15, None, True])
def test_a_bad_age_gets_a_plain_message_and_changes_nothing(explorer, bad):
    before = explorer.chart.value
    explorer.set_age(bad)
    assert explorer.error_text == "Choose an age from 20 to 80, in steps of 10 years."
    assert explorer.chart.value == before and explorer.age.value == 50
    explorer.set_age(40)
    assert explorer.error_text == "" and explorer.headline_text.startswith("Age 40")


def test_an_unknown_finding_gets_a_plain_message(explorer):
    explorer.pick("<b>Broken</b>")
    assert explorer.error_text == "Choose one of the findings in the list."
    assert explorer.finding.value == "all"


def test_controls_have_names_and_the_headline_is_announced(explorer):
    assert isinstance(explorer.age, RangeInput) and explorer.age.label == "Age in years"
    assert explorer.age.text == "50 years"
    assert isinstance(explorer.finding, ipw.Dropdown) and explorer.finding.description
    assert isinstance(explorer.headline, LiveRegion) and not explorer.headline.urgent
    assert explorer.error.urgent
    labels = [label for label, _ in explorer.finding.options]
    assert labels[0] == "All eight findings" and len(labels) == 9


def test_two_explorers_on_one_page_use_different_chart_ids():
    a, b = ImagingExplorer(), ImagingExplorer()
    id_a = re.search(r'<figure class="course-chart" id="([^"]+)"', a.chart.value).group(1)
    id_b = re.search(r'<figure class="course-chart" id="([^"]+)"', b.chart.value).group(1)
    assert id_a != id_b


def test_odds_ratio_table_gives_the_counterweight_in_a_table_and_in_words():
    out = odds_ratio_table()
    assert out.html.count('<th scope="row">') == 6
    assert (
        '<th scope="row">Disc bulge</th><td>7.5</td><td>1.3 to 45</td><td>very unsure</td>'
    ) in out.html
    assert "<caption>Findings more common in adults up to 50 with back pain" in out.html
    assert repr(out).startswith("Disc bulge: more common with back pain, about 7.5 times")
