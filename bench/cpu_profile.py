"""Where a server's CPU goes while a crowd opens one page: the CPU profile's top
entries, default Voila beside the course (issue 15).

    .venv/bin/python -m bench.cpu_profile [--lesson 01-what-is-chronic-back-pain] [--visitors 30]

Starts default Voila and then the course's server (as ``make bench`` does, from
``bench.servers``), each under cProfile (``bench/_profiled.py``). It waits until the
server is quiet (ready kernels filled), profiles only while N visitors open the lesson
at once (no browser: ``bench.load.crowd``), and prints, per page, the server's busy
time, its own time by package and a fixed list of the functions that made the
difference (Markdown, with ``--out`` also JSON).

cProfile times the server's main thread by the wall clock and adds its own cost to
every Python call, so the figures are two to three times what the work costs without it,
and time the thread spent waiting for a core counts too (more for default Voila, whose
spawned kernels compete for the cores). Compare the two columns with each other, not with
the bench's CPU figures. Time spent waiting for events (``epoll``) is left out. (Timing
by the thread's CPU clock instead slows the server so much that the visitors time out.)
The course's forks run in a worker thread and the kernels are other processes: neither
is in this profile (``make bench`` measures their CPU).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pstats
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench import load, procs, servers

# (file fragment, function, what it is): the functions named in the report, the same
# list for every server, so that the two columns can be read side by side. Times are
# cumulative; "of which" rows are inside the row above. cProfile's cumulative time for
# a coroutine counts only its own steps, not what it awaited, so the rows do not add up.
ENTRIES = [
    ("voila/exporter.py", "generate_from_notebook_node", "the page's template, run"),
    ("jinja2/environment.py", "compile", "  of which: Jinja templates compiled"),
    ("mistune/markdown.py", "parse", "Markdown made into HTML (mistune)"),
    ("nbformat/validator.py", "validate", "the notebook checked against its schema"),
    ("jupyter_server/services/kernels/kernelmanager.py", "start_kernel", "starting a kernel"),
    (
        "jupyter_server/services/kernels/kernelmanager.py",
        "_default_event_logger",
        "an event logger made for each kernel",
    ),
    ("~", "<built-in method _posixsubprocess.fork_exec>", "a kernel's process spawned"),
    ("nbclient/client.py", "async_execute_cell", "running the cells (nbclient)"),
    ("nbclient/client.py", "_async_poll_output_msg", "waiting for and reading the cells' messages"),
    ("jupyter_client/session.py", "deserialize", "kernel messages read (jupyter_client)"),
    ("jupyter_client/jsonutil.py", "extract_dates", "  of which: dates parsed"),
    ("jupyter_server/services/kernels/kernelmanager.py", "record_activity", "activity recorded"),
    ("jupyter_client/session.py", "send", "messages sent to kernels"),
]


def _package(filename: str) -> str:
    if filename == "~":
        return "built-in calls"
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0]
    if "/lib/python3" in filename:
        return "standard library"
    if "/share/jupyter/" in filename:
        return "templates (Jinja)"
    if filename.startswith(str(servers.REPO / "widgets")):
        return "course (widgets/)"
    return "other"


def summarize(stats: pstats.Stats, pages: int, top: int = 10) -> dict:
    """Per page, in milliseconds: busy time (waiting in epoll left out), own time by
    package (the ``top`` largest), and each of ``ENTRIES`` (cumulative time and calls;
    None when the server never called it). Pure: reads ``stats`` only."""
    waiting = 0.0
    by_package: Counter[str] = Counter()
    entries: dict[str, dict | None] = {label: None for *_, label in ENTRIES}
    for (filename, _line, name), (_cc, calls, own, cumulative, _callers) in stats.stats.items():
        if filename == "~" and name == "<method 'poll' of 'select.epoll' objects>":
            waiting += own
            continue
        by_package[_package(filename)] += own
        for fragment, function, label in ENTRIES:
            if name == function and (filename == fragment or filename.endswith(fragment)):
                found = entries[label] or {"ms": 0.0, "calls": 0}
                # the same function may be listed once per file (a copy elsewhere):
                # keep the largest cumulative time and add the calls
                found["ms"] = max(found["ms"], 1000 * cumulative / pages)
                found["calls"] += calls
                entries[label] = found
    busy = sum(by_package.values())
    return {
        "pages": pages,
        "busy_ms": 1000 * busy / pages,
        "by_package": [
            {"package": p, "ms": 1000 * t / pages, "share": t / busy if busy else 0.0}
            for p, t in by_package.most_common(top)
        ],
        "entries": entries,
    }


def report(results: dict[str, dict]) -> str:
    """Markdown: the busy time, the named entries and the packages, one column per server."""
    names = list(results)

    def ms(value) -> str:
        return "–" if value is None else f"{value:.1f} ms"

    lines = [
        "| per page (cProfile) | " + " | ".join(names) + " |",
        "| --- |" + " --- |" * len(names),
        "| the server busy | " + " | ".join(ms(results[n]["busy_ms"]) for n in names) + " |",
    ]
    for *_, label in ENTRIES:
        cells = [results[n]["entries"][label] for n in names]
        text = label.replace("  of which", "… of which")
        lines.append(f"| {text} | " + " | ".join(ms(c and c["ms"]) for c in cells) + " |")
    lines += ["", "Own time by package (the largest first):", ""]
    for n in names:
        parts = ", ".join(
            f"{p['package']} {p['ms']:.0f} ms ({100 * p['share']:.0f} %)"
            for p in results[n]["by_package"]
        )
        lines.append(f"- **{n}**: {parts}")
    return "\n".join(lines) + "\n"


def profile_server(server: servers.Server, lesson: str, visitors: int, out: Path) -> dict:
    """Start ``server`` under cProfile, profile one crowd, stop it; the summary."""
    python = str(servers.VENV_BIN / "python")
    command = server.command
    if command[1:3] == ["-m", "widgets.server"]:
        module, args = "widgets.server", command[3:]
    else:  # default Voila's console script
        module, args = "voila", command[1:]
    runner = str(servers.REPO / "bench" / "_profiled.py")
    server.command = [python, runner, str(out), module, *args]
    try:
        server.start()
        procs.settle([server.pid], timeout=180)
        os.kill(server.pid, signal.SIGUSR2)
        visits = asyncio.run(load.crowd(server.url, lesson, visitors))
        os.kill(server.pid, signal.SIGUSR1)
        deadline = time.monotonic() + 60
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        server.stop()
    failed = [v.error for v in visits if v.error]
    if failed:
        raise SystemExit(f"{server.name}: {len(failed)} visitors failed: {failed[:3]}")
    if not out.exists():  # e.g. a server that installs its own SIGUSR1 handler
        raise SystemExit(f"{server.name}: no profile written within 60 s ({server.log_path})")
    return summarize(pstats.Stats(str(out)), visitors)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(
        prog="python -m bench.cpu_profile", description=__doc__.split("\n\n")[0]
    )
    p.add_argument("--lesson", default="01-what-is-chronic-back-pain")
    p.add_argument("--visitors", type=int, default=30)
    p.add_argument("--top", type=int, default=8, help="packages listed per server")
    p.add_argument("--out", help="also write the summaries as JSON to this file")
    args = p.parse_args(argv)
    logs = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    made = {
        "default Voila": servers.make_default_server(logs, []),
        "course": servers.make_course_server(logs, [], None),
    }
    results = {}
    for name, server in made.items():
        print(f"[profile] {name}: {args.visitors} open {args.lesson} at once", file=sys.stderr)
        out = logs / f"{server.name}.prof"
        results[name] = profile_server(server, args.lesson, args.visitors, out)
    for r in results.values():
        r["by_package"] = r["by_package"][: args.top]
    print(report(results))
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
