"""How long a tool takes to redraw after a learner moves a control, in the kernel.

The alarm explainer and the imaging explorer redraw an SVG chart and its words on every
change. This drives each from code, as a learner's page would, and times every redraw
(the kernel's side only: no page, no network). It replaces the wall-clock budgets the
widget tests used to carry: a timing belongs in the bench, where the machine is described.
"""

from __future__ import annotations

import statistics
import time


def _times(changes) -> dict[str, float]:
    took = []
    for change in changes:
        start = time.perf_counter()
        change()
        took.append((time.perf_counter() - start) * 1000)
    return {
        "redraws": len(took),
        "p50_ms": statistics.median(took),
        "max_ms": max(took),
    }


def measure() -> dict[str, dict[str, float]]:
    """Per tool: how many redraws were timed, their median and their slowest, in ms."""
    from widgets.alarm import AlarmExplainer
    from widgets.imaging import ImagingExplorer

    alarm = AlarmExplainer()
    alarm_changes = []
    for v in range(11):
        alarm_changes.append(lambda v=v: setattr(alarm.sliders["stress"], "value", v))
        alarm_changes.append(lambda v=v: setattr(alarm.sliders["sleep"], "value", 10 - v))
    explorer = ImagingExplorer()
    imaging_changes = [
        (lambda age=age: setattr(explorer.age, "value", age))
        for age in (20, 30, 40, 50, 60, 70, 80) * 3
    ]
    imaging_changes.append(lambda: explorer.pick("Facet degeneration"))
    return {"alarm explainer": _times(alarm_changes), "imaging explorer": _times(imaging_changes)}


def report_lines(redraw: dict | None) -> list[str]:
    """The report's section (Markdown)."""
    if not redraw:
        return []
    out = [
        "## Redrawing a tool (in the kernel, after each change)",
        "",
        "| tool | redraws timed | median | slowest |",
        "| --- | --- | --- | --- |",
    ]
    for tool, x in redraw.items():
        out.append(f"| {tool} | {x['redraws']} | {x['p50_ms']:.1f} ms | {x['max_ms']:.1f} ms |")
    return [*out, ""]
