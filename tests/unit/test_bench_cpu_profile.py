"""The server profile's summary (bench.cpu_profile): pure, from a made-up profile."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bench.cpu_profile import ENTRIES, report, summarize

SITE = "/x/.venv/lib/python3.11/site-packages/"


def _stats(rows: dict) -> SimpleNamespace:
    """pstats-like: {(file, line, function): (primitive calls, calls, own, cumulative, callers)}."""
    return SimpleNamespace(
        stats={key: (calls, calls, own, cum, {}) for key, (calls, own, cum) in rows.items()}
    )


PROFILE = _stats(
    {
        ("~", 0, "<method 'poll' of 'select.epoll' objects>"): (10, 5.0, 5.0),  # waiting
        (SITE + "jinja2/environment.py", 1, "compile"): (4, 1.0, 2.0),
        (SITE + "jinja2/lexer.py", 1, "tokenize"): (4, 1.0, 1.0),
        (SITE + "voila/exporter.py", 1, "generate_from_notebook_node"): (2, 0.5, 3.0),
        (SITE + "jupyter_client/session.py", 1, "deserialize"): (6, 0.25, 0.5),
        # the same function in a second copy of the file: calls add up, the larger time counts
        ("/y/site-packages/jupyter_client/session.py", 1, "deserialize"): (4, 0.25, 0.25),
        ("/usr/lib/python3.11/json/decoder.py", 1, "decode"): (6, 1.0, 1.0),
    }
)


def test_busy_time_leaves_out_waiting_and_is_per_page():
    s = summarize(PROFILE, pages=2)
    assert s["busy_ms"] == pytest.approx(1000 * 4.0 / 2)  # 1 + 1 + 0.5 + 0.25 + 0.25 + 1


def test_own_time_is_grouped_by_package_largest_first():
    s = summarize(PROFILE, pages=2)
    rows = {r["package"]: r for r in s["by_package"]}
    assert s["by_package"][0]["package"] == "jinja2"
    assert rows["jinja2"]["ms"] == pytest.approx(1000)  # (1 + 1) / 2 pages
    assert rows["standard library"]["ms"] == pytest.approx(500)
    assert rows["jinja2"]["share"] == pytest.approx(0.5)
    assert "built-in calls" not in rows  # the only built-in was waiting


def test_named_entries_take_the_larger_copy_and_add_calls_and_are_none_when_never_called():
    entries = summarize(PROFILE, pages=2)["entries"]
    label = {function: label for _file, function, label in ENTRIES}
    assert entries[label["deserialize"]] == {"ms": pytest.approx(250), "calls": 10}
    assert entries[label["compile"]] == {"ms": pytest.approx(1000), "calls": 4}
    assert entries[label["record_activity"]] is None


def test_the_report_puts_servers_side_by_side_and_marks_what_one_never_did():
    text = report({"before": summarize(PROFILE, 2), "after": summarize(_stats({}), 2)})
    assert "| per page (cProfile) | before | after |" in text
    assert "| the server busy | 2000.0 ms | 0.0 ms |" in text
    assert "| … of which: Jinja templates compiled | 1000.0 ms | – |" in text
    assert "- **before**: jinja2 1000 ms (50 %)" in text


def test_a_function_of_the_same_name_in_another_file_is_not_taken_for_a_named_entry():
    decoy = _stats(
        {
            ("/usr/lib/python3.11/re/_compiler.py", 1, "compile"): (50, 1.0, 1.0),
            (SITE + "nbclient/client.py", 1, "send"): (5, 0.5, 0.5),
        }
    )
    entries = summarize(decoy, pages=1)["entries"]
    label = {(file, function): label for file, function, label in ENTRIES}
    assert entries[label[("jinja2/environment.py", "compile")]] is None
    assert entries[label[("jupyter_client/session.py", "send")]] is None


def test_templates_and_the_courses_own_code_are_grouped_apart():
    from bench.servers import REPO

    rows = _stats(
        {
            ("/x/.venv/share/jupyter/voila/templates/lab/index.html.j2", 1, "root"): (1, 0.5, 0.5),
            (str(REPO / "widgets/server/render.py"), 1, "get_bucket"): (1, 0.25, 0.25),
            ("<string>", 1, "validate"): (1, 0.25, 0.25),
        }
    )
    shares = {r["package"]: r["ms"] for r in summarize(rows, pages=1)["by_package"]}
    assert shares == {"templates (Jinja)": 500, "course (widgets/)": 250, "other": 250}
