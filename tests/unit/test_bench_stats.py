"""The bench's percentile maths (pure; no timing)."""

from __future__ import annotations

import pytest

from bench.stats import median, percentile, ratio, summarize


def test_percentile_interpolates_between_ranks_like_numpy():
    xs = [5, 1, 4, 2, 3]  # order does not matter
    assert percentile(xs, 0) == 1
    assert percentile(xs, 50) == 3
    assert percentile(xs, 100) == 5
    # numpy.percentile([1..5], 95) == 4.8: 80 % of the way from 4 to 5
    assert percentile(xs, 95) == pytest.approx(4.8)
    assert percentile([1, 2], 50) == pytest.approx(1.5)


def test_percentile_of_one_sample_is_that_sample():
    assert percentile([0.25], 95) == 0.25


def test_percentile_skips_missing_values_and_is_none_without_samples():
    assert percentile([None, 2.0, None, 4.0], 50) == 3.0
    assert percentile([], 50) is None
    assert percentile([None], 95) is None


def test_percentile_rejects_a_quantile_out_of_range():
    with pytest.raises(ValueError):
        percentile([1, 2, 3], 101)
    with pytest.raises(ValueError):
        percentile([1, 2, 3], -1)


def test_summarize_gives_n_p50_p95_min_max_mean():
    s = summarize([0.1, 0.2, 0.3, 0.4, 1.0, None])
    assert s["n"] == 5
    assert s["p50"] == pytest.approx(0.3)
    assert s["p95"] == pytest.approx(0.4 + 0.8 * 0.6)
    assert (s["min"], s["max"]) == (0.1, 1.0)
    assert s["mean"] == pytest.approx(0.4)


def test_summarize_of_nothing_is_all_none():
    assert summarize([]) == {
        "n": 0,
        "p50": None,
        "p95": None,
        "min": None,
        "max": None,
        "mean": None,
    }


def test_median_and_ratio():
    assert median([3, None, 1, 2]) == 2
    assert ratio(1.0, 4.0) == 0.25
    assert ratio(1.0, 0) is None
    assert ratio(None, 2.0) is None
    assert ratio(2.0, None) is None
