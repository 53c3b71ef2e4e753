"""The capacity soak: N lessons open at once, each answering a quiz question, while a
light request keeps being timed (``make bench ARGS="--soak 400"``).

Visitors arrive at a steady rate (``--soak-rate`` a second), each opens the lesson,
answers its first question and keeps the page open with its kernel's websocket
connected, until all N are there. Meanwhile ``/`` (the site's front door: a redirect,
no kernel) is fetched twice a second and timed. The CPU of the server's process tree
(server, template, kernels) is read when the first visitor comes and once all are open,
before any tab closes. Then every tab closes, and the kernels still alive 60 s later are
counted.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time

from bench import memory, procs
from bench.stats import percentile

PROBE = "/"


def measure(server, lesson: str, n: int, per_second: float, idle: dict, leak_wait: float) -> dict:
    from bench import quiz_client
    from widgets.content import load_content

    questions = load_content().questions_for(lesson)
    snapshots: list[dict] = []
    cpu_open: list[float] = []  # CPU of the server's tree once every page is open
    cpu0, _ = procs.tree_cpu_seconds(server.pid)

    def all_open() -> None:
        cpu_open.append(procs.tree_cpu_seconds(server.pid)[0])
        snapshots.append(procs.snapshot(server.pid))

    async def run() -> dict:
        return await quiz_client.soak(
            server.url,
            lesson,
            n,
            questions,
            per_second=per_second,
            probe=PROBE,
            timeout=max(600.0, n / per_second * 3),
            on_all_open=all_open,
        )

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        result = pool.submit(asyncio.run, run()).result()
    visits = result["visits"]
    ok = [v for v in visits if v.ok]
    kernel_ids = [v.kernel_id for v in visits if v.kernel_id]
    deadline = time.monotonic() + leak_wait
    alive = list(kernel_ids)
    while True:
        alive = [k for k in alive if server.kernel_alive(k)]
        if not alive or time.monotonic() >= deadline:
            break
        time.sleep(1)
    mem = (
        memory.sessions_summary(snapshots[0], [v.kernel_id for v in ok], idle) if snapshots else {}
    )
    probes = result["probe_s"]
    return {
        "sessions": n,
        "per_second": per_second,
        "ok": len(ok),
        "errors": sorted({v.error for v in visits if not v.ok})[:5],
        "failed": n - len(ok),
        "all_open_s": result["all_open_s"],
        "probe": PROBE,
        "probe_count": len(probes),
        "probe_p50_s": percentile(probes, 50),
        "probe_p95_s": percentile(probes, 95),
        "probe_max_s": max(probes, default=None),
        "probe_errors": result["probe_errors"][:5],
        # from the first arrival until every page was open, its question answered:
        # the server, the template and every kernel (also one that has exited since)
        "cpu_s": cpu_open[0] - cpu0 if cpu_open else None,
        "memory": mem,
        "kernels_alive_after_s": leak_wait,
        "kernels_alive_after": len(alive),
    }


def lines(soaks: dict) -> list[str]:
    """The report's section (pure)."""
    if not soaks:
        return []
    out = [
        "## Capacity soak: lessons open at once, each answering a quiz question",
        "",
        f"Visitors arrive at a steady rate, open the lesson, answer its first question and stay "
        f"connected until all are there; `{PROBE}` is timed twice a second meanwhile. CPU is the "
        "server's, the template's and the kernels' from the first arrival until all were open; "
        "sessions per core-minute is the number of sessions over that CPU in minutes.",
        "",
        "| server | sessions | arrival | failed | all open after | front door p50 / p95 / max "
        "| PSS per session | total RSS | CPU | sessions per core-minute | kernels alive after |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, r in soaks.items():
        m = r.get("memory") or {}
        pss = m.get("per_session_pss")
        total = m.get("total_rss")
        cpu = r.get("cpu_s")
        rate = f"{r['ok'] / (cpu / 60):.0f}" if cpu else "–"
        out.append(
            f"| {name} | {r['sessions']} | {r['per_second']:g}/s | {r['failed']} "
            f"| {r['all_open_s']:.0f} s "
            f"| {r['probe_p50_s']:.3f} / {r['probe_p95_s']:.3f} / {r['probe_max_s']:.3f} s "
            f"| {pss / 1e6 if pss else float('nan'):.1f} MB "
            f"| {total / 1e9 if total else float('nan'):.1f} GB "
            f"| {f'{cpu:.0f} s' if cpu else '–'} | {rate} "
            f"| {r['kernels_alive_after']} after {r['kernels_alive_after_s']:g} s |"
        )
    errors = {n: r["errors"] for n, r in soaks.items() if r["errors"]}
    if errors:
        out += ["", f"Errors: {errors}"]
    return out + [""]
