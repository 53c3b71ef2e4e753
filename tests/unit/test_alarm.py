"""The alarm model: its properties over the whole input space, its bounds, its words and chart."""

from __future__ import annotations

import itertools
import math
import random
import re

import pytest

from widgets.logic import alarm as A
from widgets.logic.alarm import (
    CALMEST,
    DEFAULTS,
    EVERYDAY,
    FACTOR_KEYS,
    FACTORS,
    TENSEST,
    check_factors,
    curve,
    read,
    response,
    sensitivity,
    threshold,
)

S_GRID = [i / 40 for i in range(41)]
X_GRID = [i / 8 for i in range(81)]


def _random_settings(n: int, seed: int = 3) -> list[dict[str, float]]:
    rng = random.Random(seed)
    return [
        {k: rng.choice([rng.randint(0, 10), round(rng.uniform(0, 10), 2)]) for k in FACTOR_KEYS}
        for _ in range(n)
    ]


# ------------------------------------------------------------------ properties


def test_more_sensitivity_never_raises_the_threshold():
    for lo, hi in itertools.combinations(S_GRID, 2):
        assert threshold(hi) <= threshold(lo)
    assert threshold(0) == A.CALM_THRESHOLD and threshold(1) == A.LOWEST_THRESHOLD


def test_more_sensitivity_never_lowers_the_response():
    for x in X_GRID:
        values = [response(x, s) for s in S_GRID]
        assert values == sorted(values), x


def test_a_stronger_stimulus_never_gives_a_weaker_response():
    for s in S_GRID:
        values = [response(x, s) for x in X_GRID]
        assert values == sorted(values), s


def test_outputs_stay_in_range():
    for s in S_GRID:
        assert 0 <= threshold(s) <= 10 and A.gain(s) > 0
        for x in X_GRID:
            assert 0 <= response(x, s) <= 10
    for settings in _random_settings(2000):
        s = sensitivity(settings)
        assert 0 <= s <= 1
        assert threshold(s) <= A.CALM_THRESHOLD


def test_below_the_threshold_nothing_hurts_and_above_it_something_does():
    for s in S_GRID:
        t = threshold(s)
        assert response(t, s) == 0
        assert response(max(0, t - 0.01), s) == 0
        assert response(min(10, t + 0.01), s) > 0


def test_each_factor_always_pushes_the_same_way():
    for base in _random_settings(300, seed=11) + [DEFAULTS, CALMEST, TENSEST]:
        for factor in FACTORS:
            values = [sensitivity({**base, factor.key: v}) for v in range(11)]
            if factor.raises:
                assert values == sorted(values), factor.key
            else:
                assert values == sorted(values, reverse=True), factor.key
            assert values[0] != values[-1]  # every factor matters


def test_the_calmest_settings_give_the_calm_alarm_and_the_tensest_the_most_sensitive():
    assert sensitivity(CALMEST) == 0.0
    assert sensitivity(TENSEST) == 1.0
    assert math.isclose(sum(f.weight for f in FACTORS), 1.0)


def test_the_starting_settings_are_calmish_and_outside_the_everyday_band():
    s = sensitivity(DEFAULTS)
    assert 0 < s < 0.2
    assert threshold(s) > EVERYDAY[1]


def test_poor_sleep_and_stress_bring_pain_into_everyday_movement():
    s = sensitivity({**DEFAULTS, "sleep": 2, "stress": 8})
    assert threshold(s) < EVERYDAY[1]


def test_curve_runs_from_0_to_10_and_includes_the_corners():
    for s in (0.0, 0.37, 1.0):
        points = curve(s)
        xs = [x for x, _ in points]
        assert xs == sorted(xs) and xs[0] == 0 and xs[-1] == 10
        assert any(math.isclose(x, threshold(s), abs_tol=1e-6) for x in xs)
        assert all(0 <= y <= 10 for _, y in points)
    assert A.full_at(0.0) is None  # a calm alarm never reaches 10
    assert A.full_at(1.0) == pytest.approx(1 + 10 / 3.2)


# ------------------------------------------------------------------ bounded inputs


@pytest.mark.parametrize("bad", [-1, 10.5, 11, math.nan, math.inf])
def test_a_factor_outside_0_to_10_is_refused(bad):
    with pytest.raises(ValueError, match="from 0 to 10"):
        sensitivity({**DEFAULTS, "stress": bad})


@pytest.mark.parametrize("bad", ["5", None, True, [5]])
def test_a_factor_that_is_not_a_number_is_refused(bad):
    with pytest.raises(TypeError, match="must be a number"):
        sensitivity({**DEFAULTS, "sleep": bad})


def test_missing_and_unknown_factors_are_refused():
    with pytest.raises(ValueError, match="missing factor 'flare'"):
        check_factors({k: v for k, v in DEFAULTS.items() if k != "flare"})
    with pytest.raises(ValueError, match="unknown factor 'mood'"):
        check_factors({**DEFAULTS, "mood": 3})


@pytest.mark.parametrize(
    "call",
    [
        lambda: response(-0.1, 0.5),
        lambda: response(10.1, 0.5),
        lambda: response(5, 1.01),
        lambda: threshold(-0.01),
        lambda: threshold(math.nan),
        lambda: A.gain(2),
    ],
)
def test_stimulus_and_sensitivity_are_bounded(call):
    with pytest.raises(ValueError):
        call()


# ------------------------------------------------------------------ words


def test_reading_of_a_sensitised_setting_names_allodynia_and_hyperalgesia():
    r = read({**DEFAULTS, "sleep": 2, "stress": 8})
    assert r.everyday_hurts and r.threshold == pytest.approx(3.36)
    assert r.headline == (
        "Alarm sensitivity: raised. It starts to ring at 3.4 out of 10 "
        "(calm: 5). Ordinary touch or movement could now hurt."
    )
    text = " ".join(r.sentences)
    assert "allodynia" in text and "hyperalgesia" in text
    assert "Turning the volume up here: poor sleep and stress." in text
    assert "Turning the volume down here: little worry, no recent flare-up" in text
    assert r.sentences[-1] == "This is an illustration of an idea, not a measurement of your body."


def test_reading_of_the_calmest_setting():
    r = read(CALMEST)
    assert r.headline.startswith("Alarm sensitivity: calm.")
    assert "The two curves are the same" in " ".join(r.sentences)
    assert "ordinary things do not set the alarm off" in " ".join(r.sentences)
    assert not r.turning_up


@pytest.mark.parametrize(
    "s, words",
    [(0, "calm"), (0.1, "low, close to calm"), (0.3, "raised"), (0.6, "high"), (0.9, "very high")],
)
def test_level_words(s, words):
    assert A.level_words(s) == words


# ------------------------------------------------------------------ chart


def test_chart_shows_both_curves_the_band_and_the_point_with_alt_text():
    s = sensitivity({**DEFAULTS, "worry": 9})
    svg = A.alarm_chart(s, "al1")
    assert 'role="img"' in svg and 'aria-labelledby="al1-title al1-desc"' in svg
    assert '<title id="al1-title">Illustration, not a measurement' in svg
    assert svg.count("<polyline") == 2
    assert 'data-sensitivity="0.000"' in svg and f'data-sensitivity="{s:.3f}"' in svg
    assert 'stroke-dasharray="6 4"' in svg  # the sensitised line is dashed, not only coloured
    assert f"Starts to hurt: {threshold(s):.1f}" in svg
    assert "Shaded: everyday touch and movement" in svg
    desc = re.search(r'<desc id="al1-desc">(.*?)</desc>', svg).group(1)
    assert desc == A.chart_description(s)
    assert "Illustration, not a measurement." in desc
    assert f"starts at {threshold(s):.1f}" in desc and "inside that band" in desc


def test_chart_description_of_the_calm_alarm():
    text = A.chart_description(0.0)
    assert "the same as the calm one" in text and "above that band" in text
    assert "rises to 8 at 10" in text
