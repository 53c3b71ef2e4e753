"""The machine a run happened on (parsers are pure)."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path


def cpu_model(cpuinfo: str) -> str | None:
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name":
            return value.strip()
    return None


def mem_total_bytes(meminfo: str) -> int | None:
    for line in meminfo.splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    return None


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def describe(repo: Path) -> dict:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=repo,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        commit = None
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model(_read("/proc/cpuinfo")),
        "ram_bytes": mem_total_bytes(_read("/proc/meminfo")),
        "python": platform.python_version(),
        "os": platform.platform(),
        "voila": _version("voila"),
        "ipywidgets": _version("ipywidgets"),
        "jupyter_server": _version("jupyter_server"),
        "ipykernel": _version("ipykernel"),
        "playwright": _version("playwright"),
        "commit": commit or None,
        "load_average_start": os.getloadavg(),
    }
