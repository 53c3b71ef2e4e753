"""Slide breaks from a lesson's own structure: every ``#`` and ``##`` heading starts a slide.

Lessons carry no slide metadata (their authors write pages, not decks). Instead
the slides template runs ``widgets.slides.HeadingSlides``, which calls
``heading_slides`` here: a Markdown cell holding several such headings is split
so that each heading begins its own cell, and each of those cells is marked as a
new slide. Every other cell (code, text under a heading) joins the slide before
it, except a cell that draws a chart: it gets a slide of its own, titled with its
section's heading and "(chart)" (in the lesson's language), so the chart starts at the
top of the slide and fits a 1280 x 720 projector instead of sitting below the section's
text. Headings inside fenced code blocks do not count.

Cells are plain mappings (``cell_type``, ``source``, ``metadata``), as in nbformat.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..i18n import N_, _

SLIDE_HEADING = re.compile(r"^#{1,2}\s+\S")
# Code cells that draw a chart (a figure or a tool built around one).
CHART_CELL = re.compile(
    r"^\s*(lesson\.\w+_chart|BoomBustWeek|ImagingExplorer|AlarmExplainer|"
    r"PacingPlanner)\("
)
# Translators: the title of a slide that shows a chart; {heading} is its section's heading.
CHART_TITLE = N_("{heading} (chart)")
CHART_SUFFIX = CHART_TITLE.removeprefix("{heading}")  # the English title's end
_FENCE = re.compile(r"^\s*(```|~~~)")


def split_at_headings(markdown: str) -> list[str]:
    """``markdown`` cut before every ``#``/``##`` heading (outside code fences)."""
    pieces: list[list[str]] = [[]]
    in_fence = False
    for line in markdown.splitlines(keepends=True):
        if _FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and SLIDE_HEADING.match(line) and any(s.strip() for s in pieces[-1]):
            pieces.append([])
        pieces[-1].append(line)
    return ["".join(p).strip("\n") for p in pieces if "".join(p).strip()]


def starts_slide(markdown: str) -> bool:
    first = next((line for line in markdown.splitlines() if line.strip()), "")
    return bool(SLIDE_HEADING.match(first))


def heading_slides(cells: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """New cells with ``metadata.slideshow.slide_type`` set: "slide" at each heading, else "-".

    The first cell always starts a slide. Cell ids stay unique when a cell is split.
    A chart's own title is in the language this process speaks (``widgets.i18n``).
    """
    out: list[dict[str, Any]] = []
    heading = ""
    for cell in cells:
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        if cell.get("cell_type") == "code" and CHART_CELL.match(source) and out:
            title = {
                "cell_type": "markdown",
                "source": "## " + _(CHART_TITLE).format(heading=heading),
                "metadata": {"slideshow": {"slide_type": "slide"}},
            }
            if "id" in cell:
                title["id"] = f"{cell['id']}-chart"
            out.append(title)
        pieces = split_at_headings(source) if cell.get("cell_type") == "markdown" else [source]
        for n, piece in enumerate(pieces or [source]):
            new = copy.deepcopy(dict(cell))
            new["source"] = piece
            if n and "id" in new:
                new["id"] = f"{new['id']}-{n}"
            meta = dict(new.get("metadata") or {})
            is_start = cell.get("cell_type") == "markdown" and starts_slide(piece)
            if is_start:
                heading = piece.splitlines()[0].lstrip("#").strip()
            meta["slideshow"] = {"slide_type": "slide" if is_start or not out else "-"}
            new["metadata"] = meta
            out.append(new)
    return out
