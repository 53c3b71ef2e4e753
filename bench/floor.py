"""The floor of a page: what N visitors opening a page at once cost when the page does
nothing, beside a lesson (issue 15: the limit of "30 at once within 2 s").

    .venv/bin/python -m bench.floor [--lesson L] [--visitors 30] [--rounds 2] [--out F.json]

Two course servers (``python -m widgets.server``, as ``make app``): one serving the
lessons, one serving a folder made for the run that holds a single page whose only code
cell is ``x = 1``, on the lesson's kernel. In each round, N visitors open the empty page
at once, then N open the lesson (no browser: ``bench.load.crowd``). For each crowd it
reads from ``/proc``, while every visitor still holds its websocket: the server's CPU,
the new kernels' CPU and their PSS, per page. Whatever its code does, a page run for
each visitor cannot cost less than the empty page (named so that it is run for each
visitor); a lesson made once (``widgets.server.prepared``) runs nothing and goes under it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path

from bench import load, procs, servers
from bench.stats import percentile

FLOOR = "floor"  # the empty page's name (floor.ipynb)


def floor_notebook(lesson: dict) -> dict:
    """An nbformat 4 notebook with one code cell, ``x = 1``, and the lesson's metadata
    (its kernelspec), so that it runs on the same kernel. Pure."""
    return {
        "nbformat": 4,
        "nbformat_minor": 4,  # 4.4: cells without ids
        "metadata": {"kernelspec": lesson["metadata"]["kernelspec"], "title": "The floor"},
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "A page."},
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": "x = 1",
            },
        ],
    }


def crowd_cost(server: servers.Server, page: str, visitors: int) -> dict:
    """N visitors open ``page`` at once. Per page: render p95, the server's CPU and the
    new kernels' CPU (what they used until every visitor had its widgets) and PSS.

    Each kernel started during the crowd ran the page once: the visitors' own, and the
    ready kernel's refill if the page has one (the visitor who took the ready kernel got
    a page run before the crowd came). So the server's CPU and the kernels' are divided
    by the number of those kernels, the pages run meanwhile.
    """
    before = set(procs.descendants(server.pid))
    server_before = procs.cpu_seconds(server.pid)
    seen: dict = {}

    def read() -> None:
        new = [p for p in procs.descendants(server.pid) if p not in before]
        kernels = [p for p in new if procs.kernel_id_from_cmdline(procs.cmdline(p))]
        cpu = [c for c in map(procs.cpu_seconds, kernels) if c is not None]
        pss = [m.pss for m in map(procs.proc_mem, kernels) if m and m.pss is not None]
        seen.update(server=procs.cpu_seconds(server.pid), kernel_cpu=cpu, kernel_pss=pss)

    visits = asyncio.run(load.crowd(server.url, page, visitors, on_all_connected=read))
    failed = [v.error for v in visits if v.error]
    if failed:
        raise SystemExit(f"{page}: {len(failed)} of {visitors} visitors failed: {failed[:3]}")
    pages = len(seen["kernel_cpu"])
    if not pages or not seen["kernel_pss"] or seen["server"] is None:
        raise SystemExit(
            f"{page}: no kernel started during the crowd (more visitors than ready kernels?)"
        )
    return {
        "render_p95_s": percentile([v.render_s for v in visits], 95),
        "server_cpu_s": (seen["server"] - server_before) / pages,
        "kernel_cpu_s": sum(seen["kernel_cpu"]) / pages,
        "kernel_pss_mb": sum(seen["kernel_pss"]) / len(seen["kernel_pss"]) / 1e6,
        "kernels": pages,
    }


def report(samples: dict[str, list[dict]], visitors: int) -> str:
    """Markdown: one row per page, each figure as the range over the rounds. Pure."""

    def span(values: list[float], digits: int, unit: str) -> str:
        lo, hi = (f"{v:.{digits}f}" for v in (min(values), max(values)))
        return f"{lo} {unit}" if lo == hi else f"{lo}–{hi} {unit}"

    lines = [
        f"| page | render p95, {visitors} at once | server CPU per page | kernel CPU per page "
        "| CPU per page, both | kernel PSS |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for page, runs in samples.items():
        both = [r["server_cpu_s"] + r["kernel_cpu_s"] for r in runs]
        lines.append(
            f"| {page} | {span([r['render_p95_s'] for r in runs], 2, 's')} "
            f"| {span([r['server_cpu_s'] for r in runs], 3, 's')} "
            f"| {span([r['kernel_cpu_s'] for r in runs], 3, 's')} "
            f"| {span(both, 3, 's')} "
            f"| {span([r['kernel_pss_mb'] for r in runs], 1, 'MB')} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.floor", description=__doc__.split("\n\n")[0])
    p.add_argument("--lesson", default="01-what-is-chronic-back-pain")
    p.add_argument("--visitors", type=int, default=30)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--out", help="also write the samples as JSON to this file")
    args = p.parse_args(argv)
    lesson = json.loads((servers.NOTEBOOKS / f"{args.lesson}.ipynb").read_text())
    root = Path(tempfile.mkdtemp(prefix="bench-floor-"))
    (root / f"{FLOOR}.ipynb").write_text(json.dumps(floor_notebook(lesson), indent=1))
    logs = Path(tempfile.mkdtemp(prefix="bench-floor-logs-"))
    empty = servers.make_course_server(logs, [str(root)], None, name="course-floor")
    course = servers.make_course_server(logs, [], None)
    pages = {
        "a page with one code cell, `x = 1`": (empty, FLOOR),
        args.lesson: (course, args.lesson),
    }
    samples: dict[str, list[dict]] = {name: [] for name in pages}
    try:
        for server, _ in pages.values():
            server.start()
        for round_ in range(args.rounds):
            for name, (server, page) in pages.items():
                procs.settle([empty.pid, course.pid], timeout=180)
                print(f"[floor] round {round_ + 1}: {args.visitors} open {page}", file=sys.stderr)
                samples[name].append(crowd_cost(server, page, args.visitors))
    finally:
        for server, _ in pages.values():
            server.stop()
    if args.out:
        Path(args.out).write_text(json.dumps(samples, indent=1))
    print(report(samples, args.visitors))


if __name__ == "__main__":
    main()
