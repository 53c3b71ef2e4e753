"""The bench's memory maths, phase split, targets and Markdown report (pure)."""

from __future__ import annotations

import pytest

from bench import memory, report

MB = 1_000_000


def _k(rss, pss, uss):
    return {"pid": 1, "rss": rss * MB, "pss": pss * MB, "uss": uss * MB}


def test_idle_summary_counts_the_preheated_pool():
    snap = {
        "server": {"rss": 90 * MB, "pss": 70 * MB, "uss": 60 * MB},
        "kernels": {"a": _k(55, 40, 30), "b": _k(55, 40, 30)},
    }
    idle = memory.idle_summary(snap)
    assert idle["kernels"] == 2
    assert idle["kernels_rss"] == 110 * MB and idle["kernels_pss"] == 80 * MB
    assert idle["server_rss"] == 90 * MB


def test_per_session_memory_is_kernel_median_plus_server_growth_share():
    idle = {"server_rss": 100 * MB, "server_pss": 80 * MB}
    snap = {
        "server": {"rss": 130 * MB, "pss": 100 * MB, "uss": 90 * MB},
        "kernels": {
            "v1": _k(60, 45, 30),
            "v2": _k(70, 50, 35),
            "v3": _k(80, 55, 40),
            "pool": _k(58, 44, 29),
        },
    }
    s = memory.sessions_summary(snap, ["v1", "v2", "v3", "gone"], idle)
    assert s["live_sessions"] == 3  # "gone" has no process
    assert s["kernel_rss"] == 70 * MB
    assert s["per_session_rss"] == pytest.approx(70 * MB + 30 * MB / 3)
    assert s["per_session_pss"] == pytest.approx(50 * MB + 20 * MB / 3)
    assert s["per_session_uss"] == pytest.approx(35 * MB + 30 * MB / 3)
    assert s["other_kernels"] == 1 and s["other_kernels_rss"] == 58 * MB
    assert s["total_rss"] == (130 + 60 + 70 + 80 + 58) * MB


def test_server_shrinking_does_not_make_sessions_cheaper():
    idle = {"server_rss": 100 * MB, "server_pss": 80 * MB}
    snap = {"server": {"rss": 90 * MB, "pss": 70 * MB}, "kernels": {"v": _k(60, 45, 30)}}
    s = memory.sessions_summary(snap, ["v"], idle)
    assert s["per_session_rss"] == 60 * MB


def test_no_live_session_gives_no_per_session_figure():
    s = memory.sessions_summary({"server": None, "kernels": {}}, ["x"], {})
    assert s["live_sessions"] == 0 and s["per_session_rss"] is None


def test_phases_add_up_to_time_to_interactive():
    load = {
        "html_done_ms": 100,
        "load_ms": 900,
        "cells_ms": 1500,
        "ws_open_ms": 1700,
        "ready_ms": 2100,
    }
    ph = report.phases(load)
    assert ph == {"server": 100, "page_load": 800, "app_start": 600, "connect": 200, "widgets": 400}
    assert sum(ph.values()) == 2100


def test_phases_clamp_marks_out_of_order_and_need_the_main_marks():
    # websocket open before the cells are shown: no negative stretch
    ph = report.phases(
        {"html_done_ms": 50, "load_ms": 40, "cells_ms": 1000, "ws_open_ms": 800, "ready_ms": 1200}
    )
    assert min(ph.values()) >= 0 and sum(ph.values()) == 1200
    # a page without widgets: ready when the cells are shown, no websocket yet
    ph = report.phases(
        {"html_done_ms": 50, "load_ms": 500, "cells_ms": 700, "ws_open_ms": None, "ready_ms": 700}
    )
    assert ph["connect"] == 0 and ph["widgets"] == 0 and sum(ph.values()) == 700
    assert report.phases({"html_done_ms": 1}) is None


def _visit(content_s, ok=True):
    return {
        "ok": ok,
        "error": None if ok else "TimeoutError: x",
        "ttfb_s": 0.01,
        "render_s": content_s,
        "content_s": content_s,
        "connect_s": content_s + 0.1,
        "widget_models": 12,
        "state_bytes": 5000,
    }


def test_level_summary_counts_failed_visitors_apart():
    lv = report.summarize_level(
        {
            "visits": [_visit(0.05), _visit(0.07), _visit(9, ok=False)],
            "memory": [{"per_session_rss": 55 * MB}],
            "shutdown_refused": 2,
        }
    )
    assert lv["visitors"] == 3 and lv["errors"] == 1
    assert lv["error_samples"] == ["TimeoutError: x"]
    assert lv["render"]["n"] == 2 and lv["render"]["p50"] == pytest.approx(0.06)
    assert lv["memory"]["per_session_rss"] == 55 * MB
    assert lv["shutdown_refused"] == 2


def _result(course_p95=0.05, tti=1.2, rss=58, alive=0, levels=("1", "30")):
    def server(scale):
        load = {
            n: {
                "visits": [_visit(course_p95 * scale)] * 5,
                "memory": [
                    {
                        "per_session_rss": rss * MB * scale,
                        "per_session_pss": 40 * MB,
                        "per_session_uss": 25 * MB,
                        "cpu_s_per_session": 0.5,
                    }
                ],
            }
            for n in levels
        }
        browser = {
            "cold": [
                {
                    "ok": True,
                    "tti_s": tti * scale,
                    "html_done_ms": 10,
                    "load_ms": 500,
                    "cells_ms": 800,
                    "ws_open_ms": 900,
                    "ready_ms": tti * scale * 1000,
                    "requests": 99,
                    "off_server": [],
                }
            ]
            * 5
        }
        return {
            "idle": {"server_rss": 90 * MB},
            "startup_s": 2.0,
            "lessons": {"00-index": {"expect_widgets": True, "load": load, "browser": browser}},
            "leak": [
                {
                    "server": "x",
                    "lesson": "00-index",
                    "kernel_id": f"k{i}",
                    "alive": i < alive,
                    "checked_after_s": 60,
                }
                for i in range(5)
            ],
        }

    return {
        "label": "t",
        "machine": {
            "cpus": 2,
            "cpu_model": "AMD EPYC",
            "ram_bytes": 2**34,
            "python": "3.11.7",
            "voila": "0.5.13",
            "date": "2026-11-25T22:00:00+00:00",
        },
        "options": {"loads": 5, "visitors": [1, 30], "course_arg": []},
        "servers": {"course": server(1.0), "default": server(2.0)},
        "duration_s": 600,
    }


def test_targets_pass_when_every_figure_is_within_its_limit():
    s = report.summarize(_result())
    t = {row["id"]: row for row in s["targets"]}
    assert all(row["pass"] for row in s["targets"])
    assert t["render_p95_crowd"]["course"] == pytest.approx(0.05)
    assert t["render_p95_crowd"]["ratio"] == pytest.approx(0.5)
    assert t["render_p95_crowd"]["note"] == "N=30"
    assert t["kernels_left"]["course"] == 0
    assert t["kernels_left"]["note"] == "of 5 tabs, after 60 s"


def test_every_server_gets_its_own_target_figures_and_ratio():
    result = _result()
    result["servers"]["preheat"] = result["servers"]["course"]
    rows = report.summarize(result)["targets"]
    row = next(r for r in rows if r["id"] == "tti_p50")
    assert set(row["values"]) == {"course", "default", "preheat"}
    assert row["values"]["preheat"]["ratio"] == pytest.approx(0.5)
    assert row["values"]["default"]["ratio"] is None
    md = report.markdown(result)
    assert "| figure | course | default Voila | preheat | course/default | preheat/default |" in md


def test_targets_fail_one_by_one():
    s = report.summarize(_result(course_p95=0.2, tti=1.6, rss=61, alive=1))
    assert [row["pass"] for row in s["targets"]] == [False, False, False, False, True]


def test_lost_widget_outputs_and_failed_visitors_break_the_reliability_row():
    result = _result()
    visits = result["servers"]["course"]["lessons"]["00-index"]["load"]["30"]["visits"]
    visits[0] = {**visits[0], "widget_views": False}  # models made, view lost
    visits[1] = {**visits[1], "widget_views": True}
    visits[2] = {**visits[2], "widget_models": 0, "widget_views": False}  # no widgets at all
    visits[3] = {**visits[3], "ok": False, "error": "HTTPTimeoutError: x"}
    s = report.summarize(result)
    assert s["servers"]["course"]["lessons"]["00-index"]["load"]["30"]["missing_widgets"] == 1
    row = next(r for r in s["targets"] if r["id"] == "broken_pages")
    assert row["course"] == 2 and row["pass"] is False
    assert (
        "| pages that lost outputs (widgets, figures), 30 at once | 1 | 0 | – |"
        in report.markdown(result)
    )


def test_a_page_with_fewer_outputs_than_its_lesson_lost_some():
    assert report.incomplete({"outputs": 3, "widget_models": 0}, 4)
    assert not report.incomplete({"outputs": 4, "widget_models": 0}, 4)
    assert not report.incomplete({"outputs": None}, 4)  # not counted (older runs)
    assert report.incomplete({"outputs": 4, "widget_models": 5, "widget_views": False}, 4)
    result = _result()
    visits = result["servers"]["course"]["lessons"]["00-index"]["load"]["1"]["visits"]
    visits[:] = [{**v, "outputs": 4} for v in visits]
    visits[0] = {**visits[0], "outputs": 2}  # a chart went missing
    s = report.summarize(result)
    lesson = s["servers"]["course"]["lessons"]["00-index"]
    assert lesson["expected_outputs"] == 4
    assert lesson["load"]["1"]["incomplete_pages"] == 1
    assert next(r for r in s["targets"] if r["id"] == "broken_pages")["course"] == 1


def test_a_crowd_smaller_than_30_is_flagged_in_the_target_note():
    s = report.summarize(_result(levels=("1", "10")))
    row = next(r for r in s["targets"] if r["id"] == "render_p95_crowd")
    assert "not N=30" in row["note"]


def test_capacity_from_the_largest_crowd():
    cap = report.summarize(_result())["capacity"]["course"]
    assert cap["sessions_per_gb_pss"] == pytest.approx(25)
    assert cap["sessions_per_gb_uss"] == pytest.approx(40)
    assert cap["new_sessions_per_core_minute"] == pytest.approx(120)


def test_markdown_shows_machine_targets_and_a_row_per_figure():
    md = report.markdown(_result())
    assert md.startswith("# Bench: t")
    assert "2 CPUs (AMD EPYC), 16.0 GiB RAM; Python 3.11.7, Voila 0.5.13" in md
    assert (
        "| server render p95 with 30 visitors at once | 0.10 s | 50 ms pass "
        "(0.50× default; 00-index; N=30) | 0.10 s pass (00-index; N=30) |" in md
    )
    assert "| server render p95, 30 at once | 50 ms | 0.10 s | 0.50× |" in md
    assert "## 00-index" in md and "## Capacity" in md
    assert "## Where a first visit's time goes" in md
    # every table row has as many cells as its header
    for block in md.split("\n\n"):
        rows = [r for r in block.splitlines() if r.startswith("|")]
        if rows:
            assert len({r.count(" | ") for r in rows}) == 1, block


@pytest.mark.parametrize(
    "x, text", [(None, "–"), (0.0123, "12 ms"), (0.25, "0.25 s"), (12.34, "12.3 s")]
)
def test_seconds_formatting(x, text):
    assert report.fmt_s(x) == text


def test_other_formatting():
    assert report.fmt_mb(60 * MB) == "60.0 MB"
    assert report.fmt_ratio(0.0234) == "0.02×" and report.fmt_ratio(None) == "–"
    assert report.fmt_ratio(42.0) == "42×"
    assert report.fmt_pass(True) == "pass" and report.fmt_pass(False) == "FAIL"
    assert report.fmt_num(3) == "3" and report.fmt_num(2.5) == "2.5"
    assert report._row(["a|b", "c"]) == "| a\\|b | c |"


def test_tabs_closed_at_once_are_counted_apart_from_the_target():
    result = _result()
    result["servers"]["course"]["leak"] += [
        {
            "server": "course",
            "lesson": "00-index",
            "kernel_id": "b1",
            "kind": "bounce",
            "alive": True,
            "checked_after_s": 60,
        },
        {
            "server": "course",
            "lesson": "00-index",
            "kernel_id": "b2",
            "kind": "bounce",
            "alive": False,
            "checked_after_s": 60,
        },
    ]
    s = report.summarize(result)
    leak = s["servers"]["course"]["leak"]
    assert (leak["closed"], leak["alive"]) == (5, 0)
    assert (leak["bounce_closed"], leak["bounce_alive"]) == (2, 1)
    assert next(r for r in s["targets"] if r["id"] == "kernels_left")["pass"] is True
    assert "| tabs closed the moment the page showed (bounce) | 2 | 0 | – |" in report.markdown(
        result
    )


def test_what_the_server_keeps_after_a_crowd_left_is_its_own_row():
    result = _result()
    for name, kept in (("course", 150), ("default", 300)):
        mem = result["servers"][name]["lessons"]["00-index"]["load"]["30"]["memory"][0]
        mem["server_rss_after"] = kept * MB
    md = report.markdown(result)
    assert (
        "| memory with 30 live sessions: server RSS once they left (peak kept) "
        "| 150.0 MB | 300.0 MB | 0.50× |"
    ) in md


def test_the_redraw_section_times_both_tools():
    from bench import redraw

    measured = redraw.measure()
    assert set(measured) == {"alarm explainer", "imaging explorer"}
    assert measured["alarm explainer"]["redraws"] == 22
    assert measured["imaging explorer"]["redraws"] == 22
    lines = redraw.report_lines(measured)
    assert lines[0].startswith("## Redrawing a tool") and len(lines) == 7
    assert redraw.report_lines(None) == []


def test_the_soak_section_says_what_a_reader_needs():
    from bench import soak

    row = {
        "sessions": 400,
        "per_second": 8.0,
        "ok": 399,
        "failed": 1,
        "errors": ["TimeoutError: x"],
        "all_open_s": 61.2,
        "probe_p50_s": 0.004,
        "probe_p95_s": 0.2,
        "probe_max_s": 0.9,
        "cpu_s": 120.0,
        "memory": {"per_session_pss": 21.5e6, "total_rss": 17.9e9},
        "kernels_alive_after": 0,
        "kernels_alive_after_s": 60,
    }
    text = "\n".join(soak.lines({"course": row}))
    assert "| course | 400 | 8/s | 1 | 61 s | 0.004 / 0.200 / 0.900 s | 21.5 MB | 17.9 GB" in text
    assert "| 120 s | 200 | 0 after 60 s |" in text  # 399 open sessions over 2 core-minutes
    assert "TimeoutError: x" in text
    row["cpu_s"] = None  # a run where not every page opened: no CPU figure, no rate
    assert "| 17.9 GB | – | – | 0 after 60 s |" in "\n".join(soak.lines({"course": row}))
    assert soak.lines({}) == []


def test_a_language_section_compares_each_lesson_with_english_and_judges_2_mb():
    mb = report.MB
    kc = {
        "lessons": {"01-a": {"rss": 60 * mb}, "02-b": {"rss": 61 * mb}},
        "languages": {"es": {"01-a": {"rss": 61 * mb}, "02-b": {"rss": 61.5 * mb}}},
    }
    text = "\n".join(report._language_cost(kc))
    assert "A session in another language: es" in text
    assert "| 01-a | 60.0 MB | 61.0 MB | 1.0 MB | 0 |" in text
    assert "Worst extra: 1.0 MB: pass" in text
    kc["languages"]["es"]["02-b"]["rss"] = 64 * mb
    assert "Worst extra: 3.0 MB: FAIL" in "\n".join(report._language_cost(kc))
    assert report._language_cost({"lessons": {}}) == []


def test_warm_up_pages_are_left_out_of_the_next_lesson_and_reported_as_the_second_page():
    loads = [
        {"ok": True, "tti_s": 0.9, "warm_up": True},  # another lesson, second page of a visit
        {"ok": True, "tti_s": 0.3},
        {"ok": True, "tti_s": 0.4},
    ]
    summary = report.summarize_browser(loads)
    assert summary["loads"] == 2
    assert summary["tti"]["p50"] == pytest.approx(0.35)
    assert summary["second_page_tti"]["p50"] == pytest.approx(0.9)


def test_warm_loads_start_from_the_landing_page_and_another_lesson():
    from bench import servers

    pages = servers.warm_up_pages("02-why-pain-persists")
    assert pages[0] == "00-index"
    assert pages[1] != "02-why-pain-persists" and pages[1][:2].isdigit()
