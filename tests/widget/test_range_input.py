"""The accessible slider: a labelled native range input whose value stays on its grid."""

from __future__ import annotations

import pytest
import traitlets

from widgets._range import _ESM, RangeInput


def test_keeps_label_bounds_and_value():
    r = RangeInput(
        label="Age in years", min=20, max=80, step=10, value=50, describe="{value} years"
    )
    assert (r.label, r.min, r.max, r.step, r.value) == ("Age in years", 20, 80, 10, 50)
    assert r.text == "50 years"


def test_value_defaults_to_min_and_describe_to_the_number():
    r = RangeInput(label="Level", min=2, max=4, step=0.5)
    assert r.value == 2 and r.text == "2"
    r.value = 3.5
    assert r.text == "3.5"


@pytest.mark.parametrize("sent, kept", [(57, 60), (54, 50), (-5, 20), (500, 80), (80, 80)])
def test_any_value_is_moved_to_the_nearest_allowed_one(sent, kept):
    r = RangeInput(label="Age", min=20, max=80, step=10, value=50)
    r.value = sent
    assert r.value == kept


def test_observers_see_each_change():
    r = RangeInput(label="Stress", value=3)
    seen = []
    r.observe(lambda change: seen.append(change["new"]), "value")
    r.value = 7
    r.value = 7
    assert seen == [7]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"label": "  "}, "needs a label"),
        ({"label": "x", "min": 5, "max": 5}, "min must be smaller"),
        ({"label": "x", "step": 0}, "step must be more than 0"),
    ],
)
def test_refuses_a_slider_without_a_name_or_with_no_range(kwargs, message):
    with pytest.raises(ValueError, match=message):
        RangeInput(**kwargs)


def test_refuses_values_that_are_not_numbers():
    r = RangeInput(label="x")
    with pytest.raises(traitlets.TraitError):
        r.value = "high"
    with pytest.raises(traitlets.TraitError):
        r.value = float("nan")


def test_front_end_draws_a_native_labelled_range_input():
    # The page gets <label for=id> + <input type=range id=id aria-valuetext=...>.
    for needle in (
        'input.type = "range"',
        "label.htmlFor = id",
        "input.id = id",
        'setAttribute("aria-valuetext"',
        'addEventListener("input"',
        'addEventListener("change"',
        "save_changes",
    ):
        assert needle in _ESM.read_text(encoding="utf-8")
