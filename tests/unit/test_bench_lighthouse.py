"""Reading a Lighthouse report for make bench (bench/lighthouse.py), without Lighthouse."""

from __future__ import annotations

from bench import lighthouse, report


def _report() -> dict:
    return {
        "categories": {
            "performance": {"score": 0.91},
            "accessibility": {"score": 1},
            "best-practices": {"score": 1},
        },
        "audits": {
            "largest-contentful-paint": {"numericValue": 2100.5, "scoreDisplayMode": "numeric"},
            "first-contentful-paint": {"numericValue": 900.0},
            "interactive": {"numericValue": 5200.0},
            "total-blocking-time": {"numericValue": 150.0},
            "speed-index": {"numericValue": 1500.0},
            "cumulative-layout-shift": {"numericValue": 0.02},
            "total-byte-weight": {"numericValue": 950_000},
            "network-requests": {"details": {"items": [{}] * 27}},
            "document-title": {"id": "document-title", "scoreDisplayMode": "binary", "score": 1},
            "color-contrast": {"id": "color-contrast", "scoreDisplayMode": "binary", "score": 0},
        },
    }


def test_a_report_gives_the_scores_timings_requests_and_failed_audits():
    got = lighthouse.summarize(_report())
    assert got["performance"] == 0.91 and got["accessibility"] == 1
    assert got["best_practices"] == 1
    assert got["lcp_ms"] == 2100.5 and got["cls"] == 0.02 and got["tti_ms"] == 5200.0
    assert got["requests"] == 27 and got["bytes"] == 950_000
    assert got["failed_audits"] == ["color-contrast"]


def test_the_bench_table_shows_lighthouse_beside_default_voila():
    lesson = {"lighthouse": lighthouse.summarize(_report())}
    rows = report._lesson_rows({"course": lesson, "default": {"lighthouse": {"performance": 0.27}}})
    perf = next(r for r in rows if r[0] == "Lighthouse mobile: performance")
    assert perf[1] == {"course": 0.91, "default": 0.27} and perf[2] == "score"
    assert report.fmt_value(0.91, "score") == "0.910"


def test_without_node_or_lighthouse_the_bench_says_why(monkeypatch, tmp_path):
    monkeypatch.setattr(lighthouse, "CLI", tmp_path / "missing.js")
    assert "make lighthouse" in (lighthouse.available() or "") or "node" in lighthouse.available()
    assert "error" in lighthouse.run("http://127.0.0.1:1/", "/usr/bin/chromium")
