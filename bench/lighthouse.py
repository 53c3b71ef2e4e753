"""Lighthouse's mobile scores for a page, as an outside judge (issue 20).

Lighthouse comes from the npm registry (``bench/lighthouse/package.json`` pins it; ``make
lighthouse`` installs it there, ignored by git) and drives Debian's chromium headless with
``--no-sandbox``: its default mobile profile (a mid-range phone, simulated slow 4G and a
4x slower CPU), no network beyond the server measured. One run per page gives the four
category scores the issue names and the timings behind performance.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent / "lighthouse"
CLI = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
CATEGORIES = ("performance", "accessibility", "best-practices")
AUDITS = {  # audit id -> key in the summary (numeric value, ms unless said)
    "first-contentful-paint": "fcp_ms",
    "largest-contentful-paint": "lcp_ms",
    "interactive": "tti_ms",
    "total-blocking-time": "tbt_ms",
    "speed-index": "speed_index_ms",
    "cumulative-layout-shift": "cls",
    "network-requests": None,
    "total-byte-weight": "bytes",
}


def available() -> str | None:
    """Why Lighthouse cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed (Debian's nodejs package)"
    if not CLI.is_file():
        return "Lighthouse is not installed: run make lighthouse"
    return None


def summarize(report: dict) -> dict:
    """The scores (0 to 1) and timings of one Lighthouse report (pure)."""
    out: dict = {
        key.replace("-", "_"): (report["categories"].get(key) or {}).get("score")
        for key in CATEGORIES
    }
    audits = report.get("audits", {})
    for audit, key in AUDITS.items():
        found = audits.get(audit) or {}
        if audit == "network-requests":
            items = (found.get("details") or {}).get("items") or []
            out["requests"] = len(items) or None
        elif key is not None:
            out[key] = found.get("numericValue")
    failed = sorted(
        a["id"]
        for a in audits.values()
        if a.get("scoreDisplayMode") == "binary" and a.get("score") == 0
    )
    out["failed_audits"] = failed[:20]
    return out


def run(url: str, chromium: str, timeout: float = 240) -> dict:
    """Lighthouse's mobile run of ``url``: its summary, or ``{"error": ...}``."""
    why = available()
    if why:
        return {"error": why}
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as tmp:
        out = Path(tmp) / "report.json"
        cmd = [
            "node",
            str(CLI),
            url,
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--quiet",
        ]
        env = {**os.environ, "CHROME_PATH": chromium, "TMPDIR": tmp}
        try:
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"error": f"Lighthouse took longer than {timeout:g} s"}
        if done.returncode != 0 or not out.is_file():
            return {"error": (done.stderr or done.stdout).strip()[-300:] or "no report"}
        report = json.loads(out.read_text())
    if report.get("runtimeError"):
        return {"error": report["runtimeError"].get("message", "runtime error")}
    return summarize(report)
