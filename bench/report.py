"""Summaries, targets, ratios and the Markdown report (pure: dicts in, text out)."""

from __future__ import annotations

import json

from bench import redraw
from bench.stats import median, ratio
from bench.stats import summarize as samples

MB = 1_000_000  # the targets' "MB": 10^6 bytes (stricter than MiB)

TIMELINE = [  # (key in a browser load, label)
    ("ttfb_ms", "first byte"),
    ("fcp_ms", "first contentful paint"),
    ("lcp_ms", "largest contentful paint"),
    ("html_done_ms", "HTML complete"),
    ("dom_content_loaded_ms", "DOMContentLoaded"),
    ("load_ms", "load event"),
    ("ws_created_ms", "kernel websocket asked"),
    ("ws_open_ms", "kernel websocket open"),
    ("cells_ms", "cells shown"),
    ("first_widget_ms", "first widget drawn"),
    ("ready_ms", "first widget usable"),
]
PHASES = [  # consecutive stretches of one page load; they add up to the time-to-interactive
    ("server", "server: navigation to HTML complete"),
    ("page_load", "HTML complete to load event (scripts, styles)"),
    ("app_start", "load event to cells shown (default Voila: its front end, extensions, theme)"),
    ("connect", "cells shown to kernel websocket open"),
    ("widgets", "websocket open to first widget usable (widget state, drawing)"),
]
PAGE_WEIGHT = [
    "requests",
    "requests_before_ready",
    "transfer_bytes",
    "decoded_bytes",
    "js_decoded_bytes",
    "cached_requests",
    "network_requests",
    "layout_shift",
    "long_tasks_ms",
    "long_tasks",
]


# ---------------------------------------------------------------- summaries
def incomplete(v: dict, expected_outputs: int | None) -> bool:
    """A page that arrived but lost some of its outputs on the way (e.g. nbclient's
    "Timeout waiting for IOPub output", or a kernel restarted mid-render): its
    kernel made widgets but the page shows none, or it shows fewer outputs than
    the same lesson's complete pages."""
    if (v.get("widget_models") or 0) > 0 and v.get("widget_views") is False:
        return True
    return (
        expected_outputs is not None
        and v.get("outputs") is not None
        and v["outputs"] < expected_outputs
    )


def summarize_level(level: dict, expected_outputs: int | None = None) -> dict:
    visits = level.get("visits", [])
    ok = [v for v in visits if v.get("ok")]
    mems = level.get("memory", [])
    mem = {}
    if mems:
        keys = {k for m in mems for k in m}
        mem = {k: median([m.get(k) for m in mems]) for k in sorted(keys)}
    return {
        "visitors": len(visits),
        "errors": len(visits) - len(ok),
        "error_samples": sorted({v.get("error") for v in visits if v.get("error")})[:3],
        "render": samples([v["content_s"] for v in ok]),
        "html": samples([v["render_s"] for v in ok]),
        "ttfb": samples([v["ttfb_s"] for v in ok]),
        "render_connect": samples([v["connect_s"] for v in ok]),
        # The kernel made widgets but the page shows none: the outputs were lost
        # on the way (e.g. nbclient's "Timeout waiting for IOPub output").
        "missing_widgets": sum(
            1 for v in ok if (v.get("widget_models") or 0) > 0 and v.get("widget_views") is False
        ),
        "incomplete_pages": sum(1 for v in ok if incomplete(v, expected_outputs)),
        "widget_models": median([v["widget_models"] for v in ok]),
        "state_bytes": median([v["state_bytes"] for v in ok]),
        "memory": mem,
        "shutdown_refused": level.get("shutdown_refused", 0),
    }


def phases(load: dict) -> dict | None:
    """Split one load's time-to-interactive into consecutive phases (ms)."""
    keys = ("html_done_ms", "load_ms", "cells_ms", "ready_ms")
    if any(load.get(k) is None for k in keys):
        return None
    a, b, c, e = (load[k] for k in keys)
    b = max(a, b)
    c = max(b, c)
    d = max(c, load.get("ws_open_ms") or c)
    d = min(d, max(e, c))
    return {
        "server": a,
        "page_load": b - a,
        "app_start": c - b,
        "connect": d - c,
        "widgets": max(0.0, e - d),
    }


def summarize_browser(loads: list[dict]) -> dict:
    counted = [b for b in loads if not b.get("warm_up")]
    ok = [b for b in counted if b.get("ok")]
    # A warm profile's last page before the counted loads: another lesson (01, or 02 for
    # 01's own row: bench.servers.warm_up_pages), the second page of the visit, whose
    # scripts the browser still compiles (no code cache yet).
    second = [b for b in loads if b.get("warm_up") and b.get("ok")]
    return {
        "second_page_tti": samples([b["tti_s"] for b in second]),
        "loads": len(counted),
        "errors": len(counted) - len(ok),
        "error_samples": sorted({b.get("error") for b in counted if b.get("error")})[:3],
        "tti": samples([b["tti_s"] for b in ok]),
        "timeline_ms": {k: median([b.get(k) for b in ok]) for k, _ in TIMELINE},
        "phases_ms": {k: median([(phases(b) or {}).get(k) for b in ok]) for k, _ in PHASES},
        "weight": {k: median([b.get(k) for b in ok]) for k in PAGE_WEIGHT},
        "off_server": sorted({u for b in counted for u in b.get("off_server", [])}),
    }


def summarize_leak(entries: list[dict]) -> dict:
    """Tabs closed after the page connected to its kernel (the target), and apart,
    tabs closed the moment the page showed ("bounce")."""
    read = [e for e in entries if e.get("kind") != "bounce"]
    bounce = [e for e in entries if e.get("kind") == "bounce"]
    return {
        "closed": len(read),
        "alive": sum(1 for e in read if e.get("alive") is True),
        "unknown": sum(1 for e in read if e.get("alive") is None),
        "bounce_closed": len(bounce),
        "bounce_alive": sum(1 for e in bounce if e.get("alive") is True),
        "wait_s": entries[0]["checked_after_s"] if entries else None,
    }


def summarize(result: dict) -> dict:
    out: dict = {"servers": {}}
    for name, srv in result.get("servers", {}).items():
        lessons = {}
        for lesson, raw in srv.get("lessons", {}).items():
            # A lesson's pages are all the same: the most outputs any page showed.
            counts = [
                v["outputs"]
                for lv in raw.get("load", {}).values()
                for v in lv.get("visits", [])
                if v.get("ok") and v.get("outputs") is not None
            ]
            expected = max(counts) if counts else None
            lessons[lesson] = {
                "expect_widgets": raw.get("expect_widgets"),
                "expected_outputs": expected,
                "load": {n: summarize_level(lv, expected) for n, lv in raw.get("load", {}).items()},
                "browser": {
                    k: summarize_browser(v)
                    for k, v in raw.get("browser", {}).items()
                    if k != "bounce"
                },
                "lighthouse": raw.get("lighthouse"),
            }
        out["servers"][name] = {
            "idle": srv.get("idle", {}),
            "startup_s": srv.get("startup_s"),
            "first_settle_s": srv.get("first_settle_s"),
            "leak": summarize_leak(srv.get("leak", [])),
            "lessons": lessons,
        }
    out["targets"] = evaluate_targets(out)
    out["capacity"] = {name: capacity(out, name) for name in out["servers"]}
    return out


# ---------------------------------------------------------------- targets
def _max_level(lesson: dict) -> str | None:
    levels = sorted(lesson.get("load", {}), key=int)
    return levels[-1] if levels else None


def _get(d: dict | None, *path):
    for p in path:
        if not isinstance(d, dict):
            return None
        d = d.get(p)
    return d


def _worst(server: dict | None, fn) -> tuple[float | None, str | None]:
    """The largest value of fn(lesson summary) over lessons, with that lesson's id."""
    best = (None, None)
    for lesson, s in (server or {}).get("lessons", {}).items():
        v = fn(s)
        if v is not None and (best[0] is None or v > best[0]):
            best = (v, lesson)
    return best


TARGETS = [
    # id, description, limit, unit
    ("render_p95_crowd", "server render p95 with 30 visitors at once", 0.1, "s"),
    ("tti_p50", "browser time-to-interactive p50 (first visit)", 1.5, "s"),
    ("rss_per_session", "RSS per live session", 60 * MB, "bytes"),
    ("kernels_left", "kernels alive 60 s after the tabs closed", 0, "count"),
    ("broken_pages", "(reliability) failed visitors and pages that lost outputs", 0, "count"),
]


def _target_value(tid: str, server: dict | None):
    if server is None:
        return None, None, None
    if tid == "render_p95_crowd":
        v, lesson = _worst(server, lambda s: _get(s, "load", _max_level(s), "render", "p95"))
        levels = {_max_level(s) for s in server.get("lessons", {}).values()} - {None}
        note = ("N=" + "/".join(sorted(levels, key=int))) if levels else None
        if note and note != "N=30":
            note = f"measured at {note}, not N=30"
        return v, lesson, note
    if tid == "tti_p50":
        v, lesson = _worst(server, lambda s: _get(s, "browser", "cold", "tti", "p50"))
        return v, lesson, None
    if tid == "rss_per_session":
        v, lesson = _worst(
            server, lambda s: _get(s, "load", _max_level(s), "memory", "per_session_rss")
        )
        return v, lesson, None
    if tid == "kernels_left":
        leak = server.get("leak", {})
        if not leak.get("closed"):
            return None, None, None
        return leak.get("alive"), None, f"of {leak['closed']} tabs, after {leak['wait_s']:g} s"
    if tid == "broken_pages":
        total = 0
        seen = False
        for s in server.get("lessons", {}).values():
            for lv in s.get("load", {}).values():
                seen = True
                total += (lv.get("errors") or 0) + max(
                    lv.get("missing_widgets") or 0, lv.get("incomplete_pages") or 0
                )
            for b in s.get("browser", {}).values():
                total += b.get("errors") or 0
        return (total if seen else None), None, "all crowds and browser loads"
    raise KeyError(tid)


def evaluate_targets(summary: dict) -> list[dict]:
    """One row per target; ``values`` holds every server's figure, pass and ratio
    to default Voila; the course server's are repeated at the top level."""
    servers = summary.get("servers", {})
    rows = []
    for tid, desc, limit, unit in TARGETS:
        theirs, _, _ = _target_value(tid, servers.get("default"))
        values = {}
        for name, srv in servers.items():
            v, lesson, note = _target_value(tid, srv)
            values[name] = {
                "value": v,
                "pass": None if v is None else v <= limit,
                "worst_lesson": lesson,
                "note": note,
                "ratio": None if name == "default" else ratio(v, theirs),
            }
        course = values.get("course", {})
        rows.append(
            {
                "id": tid,
                "target": desc,
                "limit": limit,
                "unit": unit,
                "course": course.get("value"),
                "default": theirs,
                "worst_lesson": course.get("worst_lesson"),
                "ratio": course.get("ratio"),
                "pass": course.get("pass"),
                "note": course.get("note"),
                "values": values,
            }
        )
    return rows


# ---------------------------------------------------------------- formatting
def fmt_s(x: float | None) -> str:
    if x is None:
        return "–"
    if x < 0.1:
        return f"{x * 1000:.0f} ms"
    if x < 10:
        return f"{x:.2f} s"
    return f"{x:.1f} s"


def fmt_ms(x: float | None) -> str:
    return "–" if x is None else fmt_s(x / 1000)


def fmt_mb(x: float | None) -> str:
    return "–" if x is None else f"{x / MB:.1f} MB"


def fmt_ratio(r: float | None) -> str:
    if r is None:
        return "–"
    return f"{r:.2f}×" if r < 10 else f"{r:.0f}×"


def fmt_num(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:.0f}" if abs(x) >= 10 or float(x).is_integer() else f"{x:.1f}"


def fmt_score(x: float | None) -> str:
    """A score between 0 and 1 (layout shift, Lighthouse): three decimals."""
    return "–" if x is None else f"{x:.3f}"


def fmt_value(x, unit: str) -> str:
    formats = {"s": fmt_s, "ms": fmt_ms, "bytes": fmt_mb, "count": fmt_num, "score": fmt_score}
    return formats.get(unit, fmt_num)(x)


def fmt_pass(p: bool | None) -> str:
    return "–" if p is None else ("pass" if p else "FAIL")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def _lesson_rows(ls: dict[str, dict | None]) -> list[tuple[str, dict, str]]:
    """(label, {server: value}, unit) for one lesson across servers."""

    def each(*path):
        return {name: _get(x, *path) for name, x in ls.items()}

    def has(*path):
        return any(v is not None for v in each(*path).values())

    rows = []
    levels = sorted({n for x in ls.values() if x for n in x.get("load", {})}, key=int)
    for n in levels:
        who = "1 visitor" if n == "1" else f"{n} at once"
        for q in ("p50", "p95"):
            rows.append((f"server render {q}, {who}", each("load", n, "render", q), "s"))
        rows.append(
            (
                f"render + websocket + widget state p95, {who}",
                each("load", n, "render_connect", "p95"),
                "s",
            )
        )
        rows.append((f"failed visitors, {who}", each("load", n, "errors"), "count"))
        rows.append(
            (
                f"pages that lost outputs (widgets, figures), {who}",
                each("load", n, "incomplete_pages"),
                "count",
            )
        )
    for kind, label in (("cold", "first visit"), ("warm", "next lesson, cached")):
        if not has("browser", kind):
            continue
        for q in ("p50", "p95"):
            rows.append(
                (f"browser time-to-interactive {q} ({label})", each("browser", kind, "tti", q), "s")
            )
    if has("browser", "warm", "second_page_tti", "p50"):
        rows.append(
            (
                "browser time-to-interactive p50 (second page of a visit, another lesson: "
                "scripts compiled again)",
                each("browser", "warm", "second_page_tti", "p50"),
                "s",
            )
        )
    if has("browser", "cold"):
        for key, label in TIMELINE:
            rows.append(
                (
                    f"timeline (first visit, median): {label}",
                    each("browser", "cold", "timeline_ms", key),
                    "ms",
                )
            )
        for key, label, unit in (
            ("requests", "requests", "count"),
            ("network_requests", "requests over the network", "count"),
            ("layout_shift", "cumulative layout shift", "score"),
            ("transfer_bytes", "bytes over the wire", "bytes"),
            ("decoded_bytes", "bytes decoded", "bytes"),
            ("js_decoded_bytes", "JavaScript decoded", "bytes"),
            ("long_tasks_ms", "main-thread long tasks before ready", "ms"),
        ):
            rows.append(
                (f"page (first visit): {label}", each("browser", "cold", "weight", key), unit)
            )
    if has("browser", "warm"):
        for key, label, unit in (
            ("transfer_bytes", "bytes over the wire", "bytes"),
            ("network_requests", "requests over the network", "count"),
        ):
            values = each("browser", "warm", "weight", key)
            rows.append((f"page (next lesson, cached): {label}", values, unit))
    if has("lighthouse", "performance"):
        for key, label, unit in (
            ("performance", "performance", "score"),
            ("accessibility", "accessibility", "score"),
            ("best_practices", "best practices", "score"),
            ("lcp_ms", "largest contentful paint", "ms"),
            ("fcp_ms", "first contentful paint", "ms"),
            ("tti_ms", "time to interactive", "ms"),
            ("tbt_ms", "total blocking time", "ms"),
            ("cls", "cumulative layout shift", "score"),
            ("bytes", "bytes over the wire", "bytes"),
            ("requests", "requests", "count"),
        ):
            rows.append((f"Lighthouse mobile: {label}", each("lighthouse", key), unit))
    if levels:
        top = levels[-1]
        for key, label in (
            ("per_session_rss", "RSS per live session"),
            ("per_session_pss", "PSS per live session"),
            ("per_session_uss", "private memory (USS) per live session"),
            ("kernel_rss", "kernel RSS"),
            ("kernel_pss", "kernel PSS"),
            ("kernel_uss", "kernel USS"),
            ("server_rss", "server RSS"),
            ("server_pss", "server PSS"),
            ("server_rss_after", "server RSS once they left (peak kept)"),
            ("other_kernels_rss", "other kernels' RSS (pool)"),
            ("total_rss", "total RSS, server + all kernels"),
            (
                "kernel_pages_counts",
                "a forked kernel's pages copied from the template for reference counts "
                "(at most 4 words changed)",
            ),
            ("kernel_pages_copied", "its pages copied from the template, more changed"),
            ("kernel_pages_new", "its new pages (none in the template)"),
        ):
            rows.append(
                (
                    f"memory with {top} live sessions: {label}",
                    each("load", top, "memory", key),
                    "bytes",
                )
            )
        rows.append(
            (
                f"CPU per session (server + kernels), {top} at once",
                each("load", top, "memory", "cpu_s_per_session"),
                "s",
            )
        )
        rows.append(("widget models on the page", each("load", "1", "widget_models"), "count"))
        rows.append(("widget state message", each("load", "1", "state_bytes"), "bytes"))
    return rows


def _table(rows: list[tuple[str, dict, str]], names: list[str]) -> list[str]:
    """A Markdown table: a column per server, then each one's ratio to default Voila."""
    others = [n for n in names if n != "default"] if "default" in names else []
    head = ["figure", *(_title(n) for n in names), *(f"{n}/default" for n in others)]
    out = [_row(head), _row(["---"] * len(head))]
    for label, values, unit in rows:
        cells = [label, *(fmt_value(values.get(n), unit) for n in names)]
        for n in others:
            cells.append(
                "–" if unit == "count" else fmt_ratio(ratio(values.get(n), values.get("default")))
            )
        out.append(_row(cells))
    return out


def _title(name: str) -> str:
    return "default Voila" if name == "default" else name


def _server_rows(servers: dict) -> list[tuple[str, dict, str]]:
    def each(*path):
        return {n: _get(x, *path) for n, x in servers.items()}

    wait = next(
        (x["leak"]["wait_s"] for x in servers.values() if _get(x, "leak", "wait_s") is not None), 60
    )
    return [
        ("start-up (until static files served)", each("startup_s"), "s"),
        ("quiet after start (preheated pool filled)", each("first_settle_s"), "s"),
        ("idle server RSS", each("idle", "server_rss"), "bytes"),
        ("idle server PSS", each("idle", "server_pss"), "bytes"),
        ("idle kernels (preheated pool)", each("idle", "kernels"), "count"),
        ("idle kernels' RSS", each("idle", "kernels_rss"), "bytes"),
        ("idle kernels' PSS", each("idle", "kernels_pss"), "bytes"),
        ("idle processes besides kernels (forking template)", each("idle", "others"), "count"),
        ("their RSS", each("idle", "others_rss"), "bytes"),
        ("their PSS", each("idle", "others_pss"), "bytes"),
        (
            "tabs closed in the browser, once the page had connected",
            each("leak", "closed"),
            "count",
        ),
        (f"their kernels still alive after {wait:g} s", each("leak", "alive"), "count"),
        ("tabs closed the moment the page showed (bounce)", each("leak", "bounce_closed"), "count"),
        (f"their kernels still alive after {wait:g} s", each("leak", "bounce_alive"), "count"),
    ]


def markdown(result: dict) -> str:
    m = result.get("machine", {})
    s = result.get("summary") or summarize(result)
    servers = s.get("servers", {})
    names = list(servers)
    lines = [f"# Bench: {result.get('label', 'course')}", ""]
    ram = m.get("ram_bytes")
    lines += [
        f"Machine: {m.get('cpus')} CPUs ({m.get('cpu_model')}), "
        f"{(ram or 0) / 2**30:.1f} GiB RAM; Python {m.get('python')}, Voila {m.get('voila')}, "
        f"ipywidgets {m.get('ipywidgets')}, jupyter_server {m.get('jupyter_server')}, "
        f"Chromium {m.get('chromium', '–')}. Date {m.get('date')}, commit {m.get('commit')}. "
        f"Load average at start {_loadavg(m.get('load_average_start'))}, at end "
        f"{_loadavg(m.get('load_average_end'))}. Run took {result.get('duration_s', 0):.0f} s.",
        "",
    ]
    for name in names:
        raw = result.get("servers", {}).get(name, {})
        if name == "default":
            lines.append(
                "- **default Voila**: `voila notebooks/ --VoilaConfiguration."
                "template=lab`, run outside the repo (no voila.json)."
            )
            continue
        cfg = raw.get("config", {})
        flags = " ".join(cfg.get("extra_args") or []) or "none"
        over = cfg.get("voila_json_overrides") or {}
        lines.append(
            f"- **{name}**: `python -m widgets.server` (the repo's voila.json); extra "
            f"flags: `{flags}`"
            + (f"; voila.json overrides: `{json.dumps(over)}`" if over else "")
            + "."
        )
    opts = result.get("options", {})
    lines += [
        "",
        f"Loads per figure: {opts.get('loads')}; crowds: {opts.get('visitors')}. "
        "p95 of 5 samples lies between the two slowest. Timings are noisy when other work "
        "shares the CPUs; every sample alternates between the servers, so the ratios to "
        "default Voila are the steadier figures.",
        "",
    ]

    lines += ["## Targets (worst lesson)", ""]
    head = ["target", "limit", *(_title(n) for n in names)]
    lines += [_row(head), _row(["---"] * len(head))]
    for t in s.get("targets", []):
        cells = [t["target"], fmt_value(t["limit"], t["unit"])]
        for n in names:
            v = t.get("values", {}).get(n, {})
            text = f"{fmt_value(v.get('value'), t['unit'])} {fmt_pass(v.get('pass'))}"
            extra = [x for x in (v.get("worst_lesson"), v.get("note")) if x]
            if v.get("ratio") is not None and t["unit"] != "count":
                extra.insert(0, f"{fmt_ratio(v['ratio'])} default")
            cells.append(text + (f" ({'; '.join(extra)})" if extra else ""))
        lines.append(_row(cells))
    lines.append("")

    lines += ["## Servers", "", *_table(_server_rows(servers), names), ""]
    lines += _capacity(s)
    lines += _kernel_cost(result.get("kernel_cost"))
    lines += _language_cost(result.get("kernel_cost"))
    from bench import soak

    lines += soak.lines(result.get("soak") or {})
    lines += redraw.report_lines(result.get("redraw"))
    lines += _phase_table(servers)
    lessons = sorted({lesson for x in servers.values() for lesson in x.get("lessons", {})})
    for lesson in lessons:
        ls = {n: servers[n].get("lessons", {}).get(lesson) for n in names}
        lines += [f"## {lesson}", "", *_table(_lesson_rows(ls), names)]
        errs = [
            e
            for x in ls.values()
            if x
            for lv in x.get("load", {}).values()
            for e in lv.get("error_samples", [])
        ]
        errs += [
            e
            for x in ls.values()
            if x
            for b in x.get("browser", {}).values()
            for e in b.get("error_samples", [])
        ]
        off = sorted(
            {
                u
                for x in ls.values()
                if x
                for b in x.get("browser", {}).values()
                for u in b.get("off_server", [])
            }
        )
        if errs:
            lines += ["", "Errors seen: " + "; ".join(f"`{e}`" for e in errs[:5])]
        if off:
            lines += ["", "Requests to other hosts: " + ", ".join(f"`{u}`" for u in off[:5])]
        lines.append("")
    return "\n".join(lines)


def capacity(summary: dict, server: str = "course") -> dict:
    """Participants one GB and one core carry, from the largest crowd (worst lesson)."""
    srv = summary.get("servers", {}).get(server)
    if not srv:
        return {}
    pss, _ = _worst(srv, lambda s: _get(s, "load", _max_level(s), "memory", "per_session_pss"))
    uss, _ = _worst(srv, lambda s: _get(s, "load", _max_level(s), "memory", "per_session_uss"))
    cpu, _ = _worst(srv, lambda s: _get(s, "load", _max_level(s), "memory", "cpu_s_per_session"))
    return {
        "per_session_pss": pss,
        "per_session_uss": uss,
        "sessions_per_gb_pss": 1e9 / pss if pss else None,
        "sessions_per_gb_uss": 1e9 / uss if uss else None,
        "cpu_s_per_session": cpu,
        "new_sessions_per_core_minute": 60 / cpu if cpu else None,
        "idle_server_rss": _get(srv, "idle", "server_rss"),
        "idle_pool_pss": _get(srv, "idle", "kernels_pss"),
    }


def _capacity(summary: dict) -> list[str]:
    rows = []
    for name in summary.get("servers", {}):
        cap = capacity(summary, name)
        if not cap:
            continue
        rows.append(
            _row(
                [
                    name,
                    fmt_mb(cap["per_session_pss"]),
                    fmt_mb(cap["per_session_uss"]),
                    fmt_num(cap["sessions_per_gb_pss"]),
                    fmt_num(cap["sessions_per_gb_uss"]),
                    fmt_s(cap["cpu_s_per_session"]),
                    fmt_num(cap["new_sessions_per_core_minute"]),
                    fmt_mb(cap["idle_server_rss"]),
                    fmt_mb(cap["idle_pool_pss"]),
                ]
            )
        )
    if not rows:
        return []
    head = [
        "server",
        "PSS per session",
        "USS per session",
        "sessions per GB (PSS)",
        "sessions per GB (USS)",
        "CPU per new session",
        "new sessions per core-minute",
        "server alone (RSS)",
        "preheated pool (PSS)",
    ]
    return [
        "## Capacity (largest crowd, worst lesson)",
        "",
        "PSS shares library pages among the kernels that use them, so it is the fair "
        "per-session figure; USS (private memory) is what one more visitor adds. CPU per "
        "new session is what the server and kernels used from the crowd's arrival until "
        "every visitor had its widget state, divided by its size. A preheated pool spent "
        "that CPU before the crowd came and spends it again refilling after it (the "
        "refill starts 1 s later and is mostly not counted here), so for pooled pages "
        "the cold figure of the same lesson is the better capacity guide.",
        "",
        _row(head),
        _row(["---"] * len(head)),
        *rows,
        "",
    ]


def _language_cost(kc: dict | None) -> list[str]:
    """Each translation's lessons beside the English ones: what a language costs a session."""
    languages = (kc or {}).get("languages") or {}
    english = (kc or {}).get("lessons") or {}
    out = []
    for code, lessons in sorted(languages.items()):
        rows = []
        for lesson, x in sorted(lessons.items()):
            en = english.get(lesson, {})
            extra = None if x.get("rss") is None or en.get("rss") is None else x["rss"] - en["rss"]
            rows.append(
                _row(
                    [
                        lesson,
                        fmt_mb(en.get("rss")),
                        fmt_mb(x.get("rss")),
                        fmt_mb(extra),
                        str(len(x.get("errors") or [])),
                    ]
                )  # fmt: skip
            )
        extras = [
            x["rss"] - english[lesson]["rss"]
            for lesson, x in lessons.items()
            if x.get("rss") is not None and english.get(lesson, {}).get("rss") is not None
        ]
        worst = max(extras) if extras else None
        verdict = "pass" if worst is not None and worst <= 2 * MB else "FAIL"
        out += [
            f"## A session in another language: {code}",
            "",
            f"Each lesson's kernel in {code} (`notebooks/{code}/`) beside the English one "
            f"(issue 16's target: the language machinery costs at most 2 MB RSS per session). "
            f"Worst extra: {fmt_mb(worst)}: {verdict}.",
            "",
            _row(["lesson", "RSS, English", f"RSS, {code}", "extra", "errors"]),
            _row(["---"] * 5),
            *rows,
            "",
        ]
    return out


def _kernel_cost(kc: dict | None) -> list[str]:
    if not kc or not kc.get("lessons"):
        return []
    bare, widgets = kc.get("bare_kernel", {}), kc.get("ipywidgets_kernel", {})
    out = [
        "## What a kernel costs (fresh kernel, lesson's cells run as Voila runs them)",
        "",
        f"The course's kernel (share/course-kernel: no debugger library, no input history). "
        f"Bare kernel: RSS {fmt_mb(bare.get('rss'))}, PSS {fmt_mb(bare.get('pss'))}; "
        f"after `import ipywidgets`: RSS {fmt_mb(widgets.get('rss'))}, "
        f"PSS {fmt_mb(widgets.get('pss'))}.",
        "",
    ]
    start = kc.get("start") or {}
    if start.get("forked") and start.get("spawned"):
        forked, spawned = start["forked"], start["spawned"]
        out += [
            "Starting one kernel until it answers (median of "
            f"{forked['starts']}): forked from the template "
            f"{forked['cpu_s']:.3f} s of CPU, {forked['wall_s']:.2f} s; spawned "
            f"{spawned['cpu_s']:.3f} s of CPU, {spawned['wall_s']:.2f} s.",
            "",
        ]
    head = [
        "lesson",
        "RSS",
        "PSS",
        "USS",
        "over ipywidgets alone",
        "costliest cell",
        "cells run in",
        "packages beyond ipywidgets",
    ]
    out += [_row(head), _row(["---"] * len(head))]
    for lesson, x in sorted(kc["lessons"].items()):
        top = x.get("costliest_cell") or {}
        over = (
            None
            if x.get("rss") is None or widgets.get("rss") is None
            else x["rss"] - widgets["rss"]
        )
        cell = (
            f"#{top.get('cell')} `{top.get('code')}` +{fmt_mb(top.get('rss_added'))}"
            if top
            else "–"
        )
        pkgs = ", ".join(p for p in x.get("packages_beyond_ipywidgets", []) if p != "widgets")
        out.append(
            _row(
                [
                    lesson,
                    fmt_mb(x.get("rss")),
                    fmt_mb(x.get("pss")),
                    fmt_mb(x.get("uss")),
                    fmt_mb(over),
                    cell,
                    fmt_s(x.get("run_s")),
                    pkgs or "–",
                ]
            )
        )
    out.append("")
    return out


def _phase_table(servers: dict) -> list[str]:
    """Where a first visit's time-to-interactive goes, per lesson and server (medians)."""
    rows = []
    for name, srv in servers.items():
        for lesson, ls in sorted(srv.get("lessons", {}).items()):
            ph = _get(ls, "browser", "cold", "phases_ms")
            tti = _get(ls, "browser", "cold", "tti", "p50")
            if not ph or tti is None:
                continue
            rows.append(_row([lesson, name, *(fmt_ms(ph.get(k)) for k, _ in PHASES), fmt_s(tti)]))
    if not rows:
        return []
    head = ["lesson", "server", *(label for _, label in PHASES), "time-to-interactive p50"]
    return [
        "## Where a first visit's time goes (median of each phase)",
        "",
        _row(head),
        _row(["---"] * len(head)),
        *rows,
        "",
    ]


def _loadavg(v) -> str:
    if not v:
        return "–"
    return " / ".join(f"{x:.2f}" for x in v)
