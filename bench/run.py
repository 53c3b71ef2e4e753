"""The ``make bench`` command line: ``.venv/bin/python -m bench [options]``.

Order of work, chosen so that the course/default ratios are fair on a busy
machine: both servers run side by side, and every measurement alternates
between them (course sample, default sample, course sample, ...); before each
sample the servers' own process trees must be quiet (see ``procs.settle``), so
one measurement's kernels starting or stopping do not slow the next.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import heapq
import json
import os
import sys
import threading
import time
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load, machine, memory, procs, report, servers  # noqa: E402

REPO = servers.REPO


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure the course's Voila server beside default Voila.",
    )
    p.add_argument("--lessons", help="comma-separated lesson ids (default: every notebook)")
    p.add_argument(
        "--quick",
        action="store_true",
        help="short run for development: 3 loads, visitors 1 and 10, "
        "15 s tab-close wait, no warm-cache loads",
    )
    p.add_argument("--loads", type=int, help="page loads per figure (default 5)")
    p.add_argument("--warm-loads", type=int, help="warm-cache browser loads (default = --loads)")
    p.add_argument("--visitors", help="crowd sizes, comma-separated (default 1,10,30)")
    p.add_argument("--leak-wait", type=float, help="seconds after a tab closes (default 60)")
    p.add_argument(
        "--no-default",
        action="store_true",
        help="skip default Voila (no ratios): for quick configuration sweeps",
    )
    p.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    p.add_argument(
        "--no-lighthouse",
        action="store_true",
        help="skip Lighthouse's mobile run of each page (about 30 s a page and server)",
    )
    p.add_argument(
        "--no-kernel-cost",
        action="store_true",
        help="skip the per-lesson kernel memory breakdown (bare kernel, per cell)",
    )
    p.add_argument(
        "--course-arg",
        action="append",
        default=[],
        metavar="FLAG",
        help="extra traitlets flag for the course server, e.g. "
        "--course-arg=--VoilaConfiguration.preheat_kernel=True (repeatable)",
    )
    p.add_argument(
        "--course-config",
        metavar="JSON",
        help="voila.json settings layered over the repo's voila.json "
        "(a JSON string or a file path), e.g. kernel_pools_config",
    )
    p.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="'NAME: FLAGS'",
        help="also measure the course server with these traitlets flags, in the "
        "same run, e.g. --variant 'preheat2: --VoilaConfiguration.preheat_kernel="
        "True --VoilaConfiguration.default_pool_size=2' (repeatable)",
    )
    p.add_argument(
        "--variant-config",
        action="append",
        default=[],
        metavar="'NAME: JSON'",
        help="voila.json settings layered over the repo's for variant NAME (a JSON "
        "string or a file path); a name not given with --variant gets no flags",
    )
    p.add_argument(
        "--room",
        action="store_true",
        help="before each crowd on a course server, get the room ready for it as a "
        "workshop's facilitator would (/course/room, one ready kernel per "
        "visitor), and release it after",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=0,
        help="also measure the course as `make app WORKERS=N`: N course servers behind "
        "HAProxy (server name course-N)",
    )
    p.add_argument(
        "--soak",
        type=int,
        default=0,
        help="capacity soak: N sessions of the first lesson open at once, each answering a "
        "quiz question, the front door timed meanwhile (course servers only)",
    )
    p.add_argument("--soak-rate", type=float, default=8.0, help="soak arrivals per second")
    p.add_argument("--label", default="course", help="title of the report")
    p.add_argument(
        "--out",
        default=str(REPO / "artifacts" / "bench"),
        help="output folder (bench.json, bench.md, server logs)",
    )
    p.add_argument("--name", default="bench", help="output file stem (default: bench)")
    p.add_argument("--chromium", default="/usr/bin/chromium")
    p.add_argument("--settle-timeout", type=float, default=180.0)
    p.add_argument(
        "--visit-timeout",
        type=float,
        default=180.0,
        help="seconds a simulated visitor waits before counting as failed",
    )
    p.add_argument(
        "--from-json",
        metavar="FILE",
        help="measure nothing: re-summarize FILE (a bench.json) and rewrite its .md",
    )
    a = p.parse_args(argv)
    a.loads = a.loads or (3 if a.quick else 5)
    if a.warm_loads is None:
        a.warm_loads = 0 if a.quick else a.loads
    a.visitors = [int(x) for x in (a.visitors or ("1,10" if a.quick else "1,10,30")).split(",")]
    if 1 not in a.visitors:
        a.visitors = [1, *a.visitors]
    a.leak_wait = a.leak_wait if a.leak_wait is not None else (15.0 if a.quick else 60.0)
    a.lessons = [x.strip() for x in a.lessons.split(",")] if a.lessons else None
    a.variants = parse_variants(a.variant, a.variant_config)
    if a.course_config:
        a.course_config = _json_or_file(a.course_config)
    return a


def _json_or_file(text: str):
    text = text.strip()
    return json.loads(text if text.startswith("{") else Path(text).read_text())


def parse_variants(flags: list[str], configs: list[str]) -> dict[str, dict]:
    """{'NAME': {'args': [...], 'config': {...}}} from 'NAME: ...' options (pure)."""
    out: dict[str, dict] = {}
    for kind, items in (("args", flags), ("config", configs)):
        for item in items:
            name, sep, rest = item.partition(":")
            name = name.strip()
            if not sep or not name or not name.replace("-", "").replace("_", "").isalnum():
                raise SystemExit(f"a variant is 'NAME: ...' with a plain name, got {item!r}")
            if name in ("course", "default"):
                raise SystemExit(f"variant name {name!r} is taken")
            v = out.setdefault(name, {"args": [], "config": None})
            if kind == "args":
                v["args"] += rest.split()
            else:
                v["config"] = _json_or_file(rest)
    return out


class LeakWatcher(threading.Thread):
    """Checks each closed page's kernel ``wait_s`` after its tab closed."""

    def __init__(self, wait_s: float):
        super().__init__(daemon=True)
        self.wait_s = wait_s
        self._heap: list = []
        self._cv = threading.Condition()
        self._done = False
        self._seq = 0
        self.results: list[dict] = []

    def add(
        self, server, kernel_id: str | None, closed_at: float, lesson: str, kind: str = "cold"
    ) -> None:
        with self._cv:
            self._seq += 1
            heapq.heappush(
                self._heap, (closed_at + self.wait_s, self._seq, server, kernel_id, lesson, kind)
            )
            self._cv.notify()

    def run(self) -> None:
        while True:
            with self._cv:
                while not self._heap and not self._done:
                    self._cv.wait()
                if not self._heap and self._done:
                    return
                due = self._heap[0][0]
                delay = due - time.monotonic()
                if delay > 0:
                    self._cv.wait(timeout=min(delay, 1.0))
                    continue
                _, _, server, kid, lesson, kind = heapq.heappop(self._heap)
            entry = {
                "server": server.name,
                "lesson": lesson,
                "kernel_id": kid,
                "kind": kind,
                "checked_after_s": self.wait_s,
            }
            if kid is None:
                entry["alive"] = None
                entry["error"] = "page gave no kernel id"
            else:
                try:
                    entry["alive"] = server.kernel_alive(kid)
                except Exception as exc:
                    entry["alive"] = None
                    entry["error"] = f"{type(exc).__name__}: {exc}"
            self.results.append(entry)

    def finish(self) -> None:
        with self._cv:
            self._done = True
            self._cv.notify()
        self.join()


def _run_async(coro_fn, *args, **kwargs):
    """Run a coroutine in its own thread and event loop (Playwright owns the main one)."""
    with concurrent.futures.ThreadPoolExecutor(1) as ex:
        return ex.submit(lambda: asyncio.run(coro_fn(*args, **kwargs))).result()


def room(server, method: str, body: dict | None = None) -> dict:
    """Ask the course server's /course/room as the facilitator page does."""
    import urllib.request

    from widgets.logic.room import KEY_ENV, KEY_HEADER, ROUTE

    request = urllib.request.Request(
        f"{server.url}/{ROUTE}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={KEY_HEADER: server.env[KEY_ENV], "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.load(reply)


def ready_room(server, lesson: str, n: int, timeout: float) -> float:
    """Get the room ready for ``n`` visitors of ``lesson``; seconds until it was."""
    t0 = time.monotonic()
    room(server, "POST", {"pages": [f"{lesson}.ipynb"], "size": n})
    while time.monotonic() - t0 < timeout:
        pages = room(server, "GET")["pages"]
        if pages and all(p["ready"] >= p["size"] for p in pages.values()):
            return time.monotonic() - t0
        time.sleep(0.5)  # poll interval while the server starts the kernels
    raise RuntimeError(f"the room for {lesson} was not ready within {timeout:g} s")


def kernel_pages(snapshot: dict, kernel_ids: list[str] | None = None, most: int = 3) -> dict:
    """What the private memory of up to ``most`` forked kernels is made of (bench.cow):
    the median bytes of pages copied from the template for a few reference counts,
    copied with more changed, and new. Empty for kernels not forked from a template
    (default Voila, spawned kernels) or without root."""
    from bench import cow
    from bench.stats import median

    kernels = snapshot.get("kernels", {})
    templates = {p["pid"] for p in snapshot.get("other", [])}
    found = []
    for kernel_id, entry in kernels.items():
        if kernel_ids is not None and kernel_id not in kernel_ids:
            continue
        template = procs.parent_pid(entry["pid"])
        if template in templates:
            pages = cow.breakdown(entry["pid"], template)
            if pages is not None:
                found.append(pages)
        if len(found) >= most:
            break
    if not found:
        return {}
    return {
        f"kernel_pages_{kind}": median(p[kind] for p in found)
        for kind in ("counts", "copied", "new")
    }


def crowd_once(server, lesson: str, n: int, idle: dict, timeout: float) -> dict:
    holder: dict = {}
    visits_box: list = []

    cpu_before = procs.tree_cpu_seconds(server.pid)[0]
    before = set(procs.kernel_pids(server.pid))  # ready kernels of other pages, not the crowd's

    def at_peak():
        holder["snapshot"] = procs.snapshot(server.pid)
        holder["cpu"] = procs.tree_cpu_seconds(server.pid)[0]
        crowd = [k for k in holder["snapshot"].get("kernels", {}) if k not in before]
        holder["pages"] = kernel_pages(holder["snapshot"], crowd)

    visits = _run_async(
        load.crowd, server.url, lesson, n, timeout=timeout, on_all_connected=at_peak
    )
    visits_box.extend(visits)
    ids = [v.kernel_id for v in visits if v.kernel_id]
    mem = memory.sessions_summary(holder.get("snapshot", {}), ids, idle)
    mem.update(holder.get("pages") or {})
    if "cpu" in holder and ids:
        # CPU the server and its kernels used to serve this crowd, per visitor.
        mem["cpu_s_per_session"] = (holder["cpu"] - cpu_before) / len(ids)
    refused = [v for v in visits if v.kernel_id and v.shutdown_status not in (200, 204)]
    for v in refused:  # the tab-close request was refused: the harness cleans up
        server.force_shutdown(v.kernel_id)
    if n > 1:
        # What the server keeps once the crowd has gone: growth that stays is the
        # peak of serving N at once (or a leak, if it climbs crowd after crowd).
        procs.settle([server.pid], timeout=60)
        after = procs.proc_mem(server.pid)
        mem["server_rss_after"] = after.rss if after else None
    return {
        "visits": [load.visit_dict(v) for v in visits],
        "memory": mem,
        "shutdown_refused": len(refused),
    }


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def rewrite_report(path: Path) -> int:
    result = json.loads(path.read_text())
    result["summary"] = report.summarize(result)
    path.write_text(json.dumps(result, indent=1, default=str))
    md = report.markdown(result)
    path.with_suffix(".md").write_text(md)
    print(md)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.from_json:
        return rewrite_report(Path(args.from_json))
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    lesson_ids = servers.lessons(args.lessons)
    t_run = time.monotonic()
    info = machine.describe(REPO)
    log(
        f"lessons: {', '.join(lesson_ids)}; loads {args.loads}, visitors {args.visitors}, "
        f"tab-close wait {args.leak_wait:g} s"
    )

    srvs = [servers.make_course_server(out_dir, args.course_arg, args.course_config)]
    for name, v in args.variants.items():
        srvs.append(
            servers.make_course_server(
                out_dir,
                [*args.course_arg, *v["args"]],
                {**(args.course_config or {}), **(v["config"] or {})} or None,
                name=name,
            )
        )
    if args.workers > 1:
        srvs.append(servers.make_balanced_server(out_dir, args.workers, args.course_arg))
    if not args.no_default:
        srvs.append(servers.make_default_server(out_dir, []))
    result: dict = {
        "machine": info,
        "options": {k: v for k, v in vars(args).items() if k not in ("out",)},
        "label": args.label,
        "servers": {},
    }
    if not args.no_kernel_cost:
        from bench import kernel_cost

        log("kernel cost: a fresh kernel per lesson, RSS after each cell")
        result["kernel_cost"] = kernel_cost.measure(servers.NOTEBOOKS, lesson_ids)
    from bench import redraw

    log("redraws: the alarm and imaging tools driven from code, each redraw timed")
    result["redraw"] = redraw.measure()
    browser = None
    watcher = LeakWatcher(args.leak_wait)
    watcher.start()
    try:
        started = {}
        for s in srvs:
            log(f"starting {s.name}: {' '.join(s.command)}")
            started[s.name] = time.monotonic()
            s.start()
        pids = [s.pid for s in srvs]
        for s in srvs:  # each one's own pool filled (the others keep filling meanwhile)
            st = procs.settle([s.pid], timeout=args.settle_timeout)
            quiet_after = time.monotonic() - started[s.name]
            log(f"{s.name} quiet {quiet_after:.1f} s after its start (settled: {st['settled']})")
            result["servers"][s.name] = {
                "command": s.command,
                "config": s.config,
                "startup_s": s.started_s,
                "first_settle_s": quiet_after,
                "lessons": {},
            }
        procs.settle(pids, timeout=args.settle_timeout)
        for s in srvs:
            result["servers"][s.name]["idle"] = memory.idle_summary(procs.snapshot(s.pid))
        if not args.no_browser:
            from bench.browser import Browser

            browser = Browser(args.chromium)
            info["chromium"] = browser.version

        for lesson in lesson_ids:
            for s in srvs:
                result["servers"][s.name]["lessons"][lesson] = {"load": {}, "browser": {}}
            # 1 visitor at a time, alternating servers, quiet server before each.
            for n in args.visitors:
                rounds = args.loads if n == 1 else 1
                for _ in range(rounds):
                    for s in srvs:
                        readied = args.room and n > 1 and s.name != "default"
                        if readied:
                            took = ready_room(s, lesson, n, args.settle_timeout)
                            log(f"{lesson} {s.name:10s} room ready for {n} in {took:.1f} s")
                        procs.settle(pids, timeout=args.settle_timeout)
                        sv = result["servers"][s.name]
                        r = crowd_once(s, lesson, n, sv["idle"], args.visit_timeout)
                        if readied:
                            r["memory"]["room_ready_s"] = took
                            room(s, "DELETE")
                        lvl = sv["lessons"][lesson]["load"].setdefault(
                            str(n), {"visits": [], "memory": [], "shutdown_refused": 0}
                        )
                        lvl["visits"] += r["visits"]
                        lvl["memory"].append(r["memory"])
                        lvl["shutdown_refused"] += r["shutdown_refused"]
                        ok = [v for v in r["visits"] if v["ok"]]
                        worst = max((v["content_s"] for v in ok), default=float("nan"))
                        most = max((v["outputs"] or 0 for v in ok), default=0)
                        lost = sum(1 for v in ok if report.incomplete(v, most))
                        log(
                            f"{lesson} {s.name:10s} {n:2d} at once: {len(ok)}/{n} ok, "
                            f"slowest render {worst:.2f} s"
                            + (f", {lost} page(s) lost outputs" if lost else "")
                        )
                        if n == 1 and ok:
                            # Pages that show a widget are ready when one is usable; others
                            # when the cells are shown. Any of the lesson's pages showing one
                            # counts, so a page that lost its widget outputs cannot pass as
                            # ready. (Not from the kernel's widget models: the landing page's
                            # kernel makes shared layouts but shows no widget.)
                            seen = sv["lessons"][lesson].get("expect_widgets", False)
                            sv["lessons"][lesson]["expect_widgets"] = seen or any(
                                v["widget_views"] for v in ok
                            )
            if browser is not None:
                for kind, count in (("cold", args.loads), ("warm", args.warm_loads)):
                    if count <= 0:
                        continue
                    for i in range(count + (1 if kind == "warm" else 0)):
                        for s in srvs:
                            procs.settle(pids, timeout=args.settle_timeout)
                            sv = result["servers"][s.name]
                            expect = sv["lessons"][lesson].get("expect_widgets", True)
                            url = f"{s.url}/voila/render/{lesson}.ipynb"
                            key = f"{s.name}:{lesson}" if kind == "warm" else None
                            warm_up = kind == "warm" and i == 0
                            if warm_up:
                                # "Warm" is a move from another lesson to this one: the
                                # caches are filled by the landing page and a different
                                # lesson (with widgets), in a browser profile on disk.
                                *before, other = servers.warm_up_pages(lesson)
                                for page in before:
                                    b = browser.load(
                                        f"{s.url}/voila/render/{page}.ipynb", False, warm_key=key
                                    )
                                    watcher.add(
                                        s, b.get("kernel_id"), b.pop("closed_at"), lesson, kind
                                    )
                                    if not b.get("ok"):
                                        log(
                                            f"{lesson} {s.name:10s} warm-up page {page} "
                                            f"failed: {b.get('error')}"
                                        )
                                url = f"{s.url}/voila/render/{other}.ipynb"
                            b = browser.load(url, expect or warm_up, warm_key=key)
                            watcher.add(s, b.get("kernel_id"), b.pop("closed_at"), lesson, kind)
                            if kind == "warm" and i == 0:
                                b["warm_up"] = True  # fills the cache, not counted
                            if not (kind == "cold" and i == 0):
                                b.pop("resources", None)  # one waterfall per lesson is enough
                            sv["lessons"][lesson]["browser"].setdefault(kind, []).append(b)
                            tti = b.get("tti_s")
                            log(
                                f"{lesson} {s.name:10s} browser {kind} #{i + 1}: "
                                + (f"ready in {tti:.2f} s" if tti else f"failed: {b.get('error')}")
                            )
                    if kind == "warm":
                        for s in srvs:  # its own browser: none left running for the next lesson
                            browser.close_warm(f"{s.name}:{lesson}")
                if not args.no_lighthouse:
                    from bench import lighthouse

                    for s in srvs:
                        procs.settle(pids, timeout=args.settle_timeout)
                        url = f"{s.url}/voila/render/{lesson}.ipynb"
                        lh = lighthouse.run(url, args.chromium)
                        result["servers"][s.name]["lessons"][lesson]["lighthouse"] = lh
                        log(
                            f"{lesson} {s.name:10s} Lighthouse mobile: "
                            + (
                                f"performance {lh['performance']}, LCP {lh['lcp_ms']:.0f} ms"
                                if "error" not in lh
                                else f"not run ({lh['error']})"
                            )
                        )
                # A visitor who leaves the moment the page shows: is the kernel still shut?
                for s in srvs:
                    procs.settle(pids, timeout=args.settle_timeout)
                    sv = result["servers"][s.name]
                    expect = sv["lessons"][lesson].get("expect_widgets", True)
                    b = browser.load(f"{s.url}/voila/render/{lesson}.ipynb", expect, bounce=True)
                    watcher.add(s, b.get("kernel_id"), b.pop("closed_at"), lesson, kind="bounce")
                    b.pop("resources", None)
                    sv["lessons"][lesson]["browser"].setdefault("bounce", []).append(b)
        if browser is not None:
            log(f"waiting for the tab-close checks ({args.leak_wait:g} s after the last tab)")
        watcher.finish()
        if args.soak:
            from bench import soak

            for s in srvs:
                if s.name == "default" or s.name in args.variants:
                    continue
                procs.settle(pids, timeout=args.settle_timeout)
                log(f"soak {s.name}: {args.soak} sessions arriving {args.soak_rate:g}/s")
                r = soak.measure(
                    s,
                    lesson_ids[0],
                    args.soak,
                    args.soak_rate,
                    result["servers"][s.name]["idle"],
                    args.leak_wait,
                )
                result.setdefault("soak", {})[s.name] = r
                log(
                    f"soak {s.name}: {r['ok']}/{r['sessions']} ok, all open after "
                    f"{r['all_open_s']:.0f} s, front door p95 {r['probe_p95_s']:.3f} s, "
                    f"{r['kernels_alive_after']} kernels alive {args.leak_wait:g} s after"
                )
        for s in srvs:
            result["servers"][s.name]["leak"] = [
                r for r in watcher.results if r["server"] == s.name
            ]
    finally:
        if browser is not None:
            browser.close()
        for s in srvs:
            try:
                s.stop()
            except Exception as exc:  # never leave a server behind because another failed
                log(f"stopping {s.name}: {exc}")
    info["load_average_end"] = os.getloadavg()
    result["duration_s"] = time.monotonic() - t_run
    raw_path = out_dir / f"{args.name}.json"
    raw_path.write_text(json.dumps(result, indent=1, default=str))  # kept even if a summary fails
    result["summary"] = report.summarize(result)
    raw_path.write_text(json.dumps(result, indent=1, default=str))
    md = report.markdown(result)
    (out_dir / f"{args.name}.md").write_text(md)
    print(md)
    log(
        f"wrote {out_dir / (args.name + '.json')} and {args.name}.md "
        f"in {result['duration_s']:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
