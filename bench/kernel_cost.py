"""What one visitor's kernel costs, and what makes it cost that (lazy-import check).

For each lesson, a fresh kernel (jupyter_client, the same python3 kernel the
course server starts: its lean kernelspec in share/course-kernel) runs the lesson's
code cells, as Voila does; its RSS and PSS are read before and after, and the
packages the lesson imported are listed. Reference points: a bare kernel, and a
kernel that only imported ipywidgets. The heaviest newly imported packages are then
imported alone in a fresh kernel each, to show what each one adds.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from bench import procs
from bench.stats import median

_MODULES = "sorted({m.split('.')[0] for m in __import__('sys').modules})"


def _course_kernelspecs():
    """The kernelspecs the course server sees (its lean ``python3`` first), without
    changing this process's JUPYTER_PATH (default Voila is started from here too)."""
    from jupyter_client.kernelspec import KernelSpecManager

    from widgets.server import app as serve

    ksm = KernelSpecManager()
    ksm.kernel_dirs = [str(p / "kernels") for p in serve.SHARED] + list(ksm.kernel_dirs)
    return ksm


def _start(cwd: Path, fork: bool = True):
    from jupyter_client.manager import KernelManager
    from traitlets.config import Config

    config = Config()
    config.ForkingProvisioner.enabled = fork
    km = KernelManager(
        kernel_name="python3", kernel_spec_manager=_course_kernelspecs(), config=config
    )
    km.start_kernel(cwd=str(cwd), stderr=subprocess.DEVNULL)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return km, kc


def _stop(km, kc) -> None:
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def _run(kc, code: str, timeout: float = 120) -> dict:
    reply = kc.execute_interactive(
        code,
        timeout=timeout,
        store_history=False,
        user_expressions={"mods": _MODULES},
        output_hook=lambda msg: None,
    )
    return reply["content"]


def _modules(kc) -> set[str]:
    content = _run(kc, "")
    data = content["user_expressions"]["mods"]["data"]["text/plain"]
    return set(json.loads(data.replace("'", '"')))


def _mem(km) -> dict:
    m = procs.proc_mem(km.provisioner.pid)
    return {"rss": m.rss if m else None, "pss": m.pss if m else None, "uss": m.uss if m else None}


def code_cells(notebook: Path) -> list[str]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    out = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            src = cell.get("source", "")
            out.append(src if isinstance(src, str) else "".join(src))
    return out


def new_packages(before: set[str], after: set[str]) -> list[str]:
    """Top-level packages imported by the lesson, private ones left out (pure)."""
    return sorted(m for m in after - before if not m.startswith("_"))


def _cpu(pid: int | None) -> float:
    return (procs.cpu_seconds(pid) if pid else None) or 0.0


def start_cost(notebooks: Path, starts: int = 5) -> dict:
    """CPU and wall time from asking for a kernel until it answers, forked and spawned.

    A forked kernel's CPU is its own since the fork plus what its template spent
    meanwhile (the fork itself); a spawned kernel's is all of its own. Medians of
    ``starts`` kernels each, the first forked one (which also starts the template)
    left out.
    """
    from widgets.server import forking

    out = {}
    key = _template_key()
    for name, fork in (("forked", True), ("spawned", False)):
        cpu, wall = [], []
        for i in range(starts + (1 if fork else 0)):
            template = forking.template_for(*key) if fork else None
            before = _cpu(template.process.pid) if template and template.alive() else 0.0
            t = time.perf_counter()
            km, kc = _start(notebooks, fork=fork)
            took = time.perf_counter() - t
            spent = _cpu(km.provisioner.pid)
            if template is not None and template.alive():
                spent += _cpu(template.process.pid) - before
            _stop(km, kc)
            if fork and i == 0:
                continue
            cpu.append(spent)
            wall.append(took)
        out[name] = {"cpu_s": median(cpu), "wall_s": median(wall), "starts": len(cpu)}
    return out


def _template_key() -> tuple:
    spec = _course_kernelspecs().get_kernel_spec("python3")
    config = spec.metadata["kernel_provisioner"]["config"]
    return sys.executable, config.get("preload", []), config.get("blocked_modules", [])


def _lesson_cost(cwd: Path, notebook: Path, widget_mods: set[str]) -> dict:
    """One lesson's code cells run in a fresh kernel: its memory, each cell's cost."""
    km, kc = _start(cwd)
    try:
        errors, cells = [], []
        before = _mem(km)["rss"] or 0
        for i, src in enumerate(code_cells(notebook)):
            t = time.perf_counter()
            content = _run(kc, src)
            took = time.perf_counter() - t
            if content.get("status") != "ok":
                errors.append(f"{content.get('ename')}: {content.get('evalue')}")
            now = _mem(km)["rss"] or 0
            cells.append(
                {
                    "cell": i + 1,
                    "code": src.strip().splitlines()[0][:80] if src.strip() else "",
                    "rss_added": now - before,
                    "seconds": took,
                }
            )
            before = now
        mods = _modules(kc)
        mem = _mem(km)
    finally:
        _stop(km, kc)
    top = max(cells, key=lambda c: c["rss_added"], default=None)
    return {
        **mem,
        "cells": cells,
        "costliest_cell": top,
        "run_s": sum(c["seconds"] for c in cells),
        "packages_beyond_ipywidgets": new_packages(widget_mods, mods),
        "errors": errors[:3],
    }


def measure(notebooks: Path, lessons: list[str]) -> dict:
    t0 = time.monotonic()
    out: dict = {"lessons": {}, "start": start_cost(notebooks)}
    km, kc = _start(notebooks)
    try:
        out["bare_kernel"] = _mem(km)
        _run(kc, "import ipywidgets")
        out["ipywidgets_kernel"] = _mem(km)
        widget_mods = _modules(kc)
    finally:
        _stop(km, kc)
    for lesson in lessons:
        out["lessons"][lesson] = _lesson_cost(notebooks, notebooks / f"{lesson}.ipynb", widget_mods)
    # Each translation: the same lessons from notebooks/<code>/ (the kernel speaks the
    # language), so the report shows what a language costs a session beside English.
    from widgets.i18n import catalogs

    out["languages"] = {}
    for code in catalogs.translations():
        folder = notebooks / code
        if folder.is_dir():
            out["languages"][code] = {
                lesson: _lesson_cost(folder, folder / f"{lesson}.ipynb", widget_mods)
                for lesson in lessons
                if (folder / f"{lesson}.ipynb").is_file()
            }
    out["duration_s"] = time.monotonic() - t0
    return out
