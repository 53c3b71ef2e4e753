"""The alarm explainer driven from code: move the sliders, read the words, see the chart change."""

from __future__ import annotations

import re

import pytest

from widgets import LiveRegion
from widgets._range import RangeInput
from widgets.alarm import AlarmExplainer
from widgets.logic.alarm import DEFAULTS, FACTORS


@pytest.fixture
def alarm() -> AlarmExplainer:
    return AlarmExplainer()


def _point(chart: str) -> float:
    return float(re.search(r"Starts to hurt: ([\d.]+)", chart).group(1))


def test_starts_calmish_and_says_it_is_an_illustration(alarm):
    assert alarm.values == {k: float(v) for k, v in DEFAULTS.items()}
    assert alarm.headline_text == (
        "Alarm sensitivity: low, close to calm. It starts to ring at 4.3 out of 10 (calm: 5)."
    )
    assert "An illustration, not a measurement." in alarm.children[0].value
    assert "Illustration, not a measurement" in alarm.chart.value
    assert "ordinary things do not set the alarm off" in alarm.words


def test_moving_sliders_turns_the_alarm_up_and_the_chart_follows(alarm):
    chart_before = alarm.chart.value
    alarm.sliders["stress"].value = 8  # what dragging a slider does
    alarm.sliders["sleep"].value = 2
    assert alarm.headline_text.endswith("Ordinary touch or movement could now hurt.")
    assert alarm.chart.value != chart_before
    assert _point(alarm.chart.value) < _point(chart_before)
    assert _point(alarm.chart.value) < 4
    assert "allodynia" in alarm.words and "hyperalgesia" in alarm.words
    assert "Turning the volume up here: poor sleep and stress." in alarm.words
    assert "inside that band" in alarm.chart_description


def test_every_slider_moves_the_curve_the_right_way(alarm):
    for factor in FACTORS:
        alarm.reset_button.click()
        before = alarm.sensitivity
        alarm.set(**{factor.key: 10 if factor.raises else 0})
        assert alarm.sensitivity > before, factor.key
        assert f'data-sensitivity="{alarm.sensitivity:.3f}"' in alarm.chart.value


def test_reset_puts_every_slider_back(alarm):
    start_chart = alarm.chart.value
    alarm.set(stress=10, worry=10, flare=10)
    assert alarm.chart.value != start_chart
    alarm.reset_button.click()
    assert alarm.values == {k: float(v) for k, v in DEFAULTS.items()}
    assert alarm.chart.value == start_chart


def test_starting_values_can_be_given_and_reset_returns_to_them():
    alarm = AlarmExplainer(sleep=1, flare=9)
    assert alarm.sliders["sleep"].value == 1 and alarm.sliders["flare"].value == 9
    alarm.set(sleep=9)
    alarm.reset_button.click()
    assert alarm.sliders["sleep"].value == 1
    with pytest.raises(ValueError, match="unknown factor"):
        AlarmExplainer(mood=3)


@pytest.mark.parametrize(
    "values, message",
    [
        ({"stress": 11}, "Each slider goes from 0 to 10."),
        ({"stress": -1}, "Each slider goes from 0 to 10."),
        ({"stress": "a lot"}, "Each slider goes from 0 to 10."),
        ({"mood": 3}, "There is no slider called 'mood'."),
    ],
)
def test_bad_values_get_a_plain_message_and_change_nothing(alarm, values, message):
    before = alarm.values
    alarm.set(**values)
    assert alarm.error_text == message and alarm.values == before
    alarm.set(stress=4)
    assert alarm.error_text == ""


def test_sliders_stay_inside_0_to_10_whatever_they_are_sent(alarm):
    alarm.sliders["worry"].value = 42
    assert alarm.sliders["worry"].value == 10
    alarm.sliders["worry"].value = 3.4
    assert alarm.sliders["worry"].value == 3


def test_every_slider_has_a_name_and_the_words_are_announced(alarm):
    assert set(alarm.sliders) == {f.key for f in FACTORS}
    for factor in FACTORS:
        slider = alarm.sliders[factor.key]
        assert isinstance(slider, RangeInput) and slider.label == factor.label
        assert "0 =" in slider.label and "10 =" in slider.label
        assert slider.text.endswith("out of 10")
    assert isinstance(alarm.headline, LiveRegion) and alarm.error.urgent
    assert alarm.reset_button.description == "Reset the sliders"
