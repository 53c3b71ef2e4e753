"""Processes of a server we started: memory (RSS, PSS, USS), kernels, settling.

Reads Linux's /proc directly (no psutil): parsing is pure
(``parse_smaps_rollup``, ``parse_stat``, ``kernel_id_from_cmdline``), and only
the server we started and its descendants are ever looked at.
"""

from __future__ import annotations

import itertools
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
_KERNEL_FILE = re.compile(
    r"kernel-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.json"
)
_SMAPS_LINE = re.compile(r"^(\w+):\s+(\d+)\s*kB\s*$")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def parse_smaps_rollup(text: str) -> dict[str, int]:
    """Fields of /proc/<pid>/smaps_rollup in bytes, e.g. {"Rss": ..., "Pss": ...}."""
    out = {}
    for line in text.splitlines():
        m = _SMAPS_LINE.match(line.strip())
        if m:
            out[m.group(1)] = int(m.group(2)) * 1024
    return out


def unique_bytes(fields: dict[str, int]) -> int | None:
    """USS: memory only this process holds (private clean + private dirty)."""
    if "Private_Clean" not in fields and "Private_Dirty" not in fields:
        return None
    return fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)


def parse_stat(text: str) -> dict:
    """ppid, state, CPU seconds (user + system) and the CPU seconds of the children it
    has waited for (reaped), from /proc/<pid>/stat.

    The command name (field 2) may hold spaces and parentheses, so fields are
    counted from the last ')'.
    """
    rest = text[text.rindex(")") + 2 :].split()
    # rest[0] is field 3 (state); utime and stime are fields 14 and 15, cutime and
    # cstime (reaped children, and theirs) 16 and 17
    return {
        "state": rest[0],
        "ppid": int(rest[1]),
        "cpu_s": (int(rest[11]) + int(rest[12])) / CLOCK_TICKS,
        "children_cpu_s": (int(rest[13]) + int(rest[14])) / CLOCK_TICKS,
    }


def kernel_id_from_cmdline(cmdline: list[str]) -> str | None:
    """The kernel id of a kernel process, from the connection file it was started
    with (``-f .../kernel-<id>.json``: ipykernel_launcher, or the course's own
    kernel launcher in share/course-kernel)."""
    for flag, value in itertools.pairwise(cmdline):
        if flag == "-f":
            m = _KERNEL_FILE.search(value)
            if m:
                return m.group(1)
    return None


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except (OSError, ValueError):
        return None


def _stat(pid: int) -> dict | None:
    text = _read(PROC / str(pid) / "stat")
    if not text:
        return None
    try:
        st = parse_stat(text)
    except (ValueError, IndexError):
        return None
    return None if st["state"] in ("Z", "X") else st


def cmdline(pid: int) -> list[str]:
    raw = _read(PROC / str(pid) / "cmdline") or ""
    return [p for p in raw.split("\0") if p]


def alive(pid: int) -> bool:
    return _stat(pid) is not None


def parent_pid(pid: int) -> int | None:
    st = _stat(pid)
    return None if st is None else st["ppid"]


def descendants(pid: int) -> list[int]:
    """Every live process below pid (children, grandchildren, ...)."""
    parents: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        st = _stat(int(entry.name))
        if st:
            parents.setdefault(st["ppid"], []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


@dataclass
class ProcMem:
    pid: int
    rss: int
    pss: int | None
    uss: int | None
    kernel_id: str | None


def proc_mem(pid: int) -> ProcMem | None:
    """RSS, PSS and USS of one process (from smaps_rollup), None if it is gone."""
    text = _read(PROC / str(pid) / "smaps_rollup")
    if not text:
        return None
    fields = parse_smaps_rollup(text)
    if "Rss" not in fields:
        return None
    return ProcMem(
        pid,
        fields["Rss"],
        fields.get("Pss"),
        unique_bytes(fields),
        kernel_id_from_cmdline(cmdline(pid)),
    )


def snapshot(server_pid: int) -> dict:
    """Memory of the server process and of every kernel under it."""
    server = proc_mem(server_pid)
    if server is None:
        return {"server": None, "kernels": {}, "other": []}
    kernels, other = {}, []
    for pid in descendants(server_pid):
        mem = proc_mem(pid)
        if mem is None:
            continue
        entry = {"pid": mem.pid, "rss": mem.rss, "pss": mem.pss, "uss": mem.uss}
        if mem.kernel_id:
            kernels[mem.kernel_id] = entry
        else:
            other.append(entry)
    return {
        "server": {"rss": server.rss, "pss": server.pss, "uss": server.uss},
        "kernels": kernels,
        "other": other,
    }


def kernel_pids(server_pid: int) -> dict[str, int]:
    """Kernel id -> pid of the kernels under the server."""
    out = {}
    for pid in descendants(server_pid):
        kid = kernel_id_from_cmdline(cmdline(pid))
        if kid:
            out[kid] = pid
    return out


def cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user + system) one process has used so far, None if it is gone."""
    st = _stat(pid)
    return None if st is None else st["cpu_s"]


def tree_cpu_seconds(server_pid: int) -> tuple[float, int]:
    """CPU seconds used so far by the server and its descendants, and how many are live.

    A process that has exited counts once its parent has reaped it (a kernel the
    forking template or the server waited for): its CPU is then in its parent's
    children's time. So kernels that have shut down between two readings still count.
    """
    total, count = 0.0, 0
    for pid in [server_pid, *descendants(server_pid)]:
        st = _stat(pid)
        if st:
            total += st["cpu_s"] + st["children_cpu_s"]
            count += 1
    return total, count


def settle(
    server_pids: list[int],
    *,
    window: float = 1.0,
    quiet_cpu: float = 0.1,
    quiet_windows: int = 4,
    timeout: float = 120.0,
) -> dict:
    """Wait until the servers' process trees are quiet.

    Quiet means: in ``quiet_windows`` consecutive windows of ``window`` seconds the
    trees used less than ``quiet_cpu`` CPU seconds per window in total, and the
    number of processes did not change (the course's preheated pool refills 3 s
    after a kernel is used, ``fill_delay`` in voila.json, so four 1 s windows
    cover that gap). Other programs on the machine do
    not count: only our servers' own CPU time is read.
    """
    start = time.monotonic()
    quiet = 0
    last_cpu, last_n = _tree_totals(server_pids)
    while True:
        time.sleep(window)
        cpu, n = _tree_totals(server_pids)
        if cpu - last_cpu < quiet_cpu and n == last_n:
            quiet += 1
        else:
            quiet = 0
        last_cpu, last_n = cpu, n
        waited = time.monotonic() - start
        if quiet >= quiet_windows:
            return {"waited_s": waited, "settled": True}
        if waited >= timeout:
            return {"waited_s": waited, "settled": False}


def _tree_totals(server_pids: list[int]) -> tuple[float, int]:
    cpu, n = 0.0, 0
    for pid in server_pids:
        c, k = tree_cpu_seconds(pid)
        cpu += c
        n += k
    return cpu, n
