"""Small accessible SVG charts, made without matplotlib.

A chart is an SVG string with ``role="img"``, a ``<title>`` and a ``<desc>``
that says in words what it shows, wrapped in a ``<figure>`` with a caption.
Drawing our own SVG keeps each kernel light (matplotlib alone adds about
40 MB per visitor) and makes the alt text part of the chart, not an afterthought.

The words of a chart (title, description, labels) come in from the caller, already in
the page's language; the numbers the chart writes itself (axis ticks, the value at the
end of a line) are written as that language writes them (``widgets.i18n.number``).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from ..i18n import number

# One palette for every chart. Okabe-Ito hues (colour-blind safe), each readable on white,
# and in PALETTE with distinct dash patterns, so colour is never the only cue.
BLUE, ORANGE, GREEN, PINK = "#0072B2", "#D55E00", "#009E73", "#CC79A7"
COURSE_BLUE, DARK_ORANGE = "#005A9C", "#B34700"  # the course's blue; orange readable as text
INK, LABEL, AXIS, STRING, BASE, GRID = "#1b1b1b", "#222", "#333", "#444", "#555", "#ddd"
PAPER, OUTLINE = "#fff", "#000"
ORANGE_TINT, BLUE_TINT, BAND, BAND_EDGE = "#fbe3d4", "#dbe9f6", "#eef3f7", "#9fb3c8"
PALETTE = ((BLUE, ""), (ORANGE, "6 4"), (GREEN, "2 3"), (PINK, "8 3 2 3"))

_FIT = "max-width:100%;height:auto"


def svg(
    chart_id: str,
    width: int,
    height: int,
    title: str,
    description: str,
    body: str,
    *,
    css_class: str = "course-chart__svg",
    style: str = _FIT,
    sized: bool = False,
) -> str:
    """The skeleton of every course chart: an ``<svg role="img">`` named by its ``<title>``
    and described by its ``<desc>`` (the alt text: what it shows, in words), around
    ``body`` (the drawing). Ids inside ``body`` must come from ``chart_id`` escaped with
    ``html.escape``, as the title's and description's ids are here."""
    cid = html.escape(chart_id)
    size = f' width="{width}" height="{height}"' if sized else ""
    return (
        f'<svg viewBox="0 0 {width} {height}"{size} role="img" class="{html.escape(css_class)}" '
        f'aria-labelledby="{cid}-title {cid}-desc" preserveAspectRatio="xMidYMid meet" '
        f'style="{html.escape(style)}">'
        f'<title id="{cid}-title">{html.escape(title)}</title>'
        f'<desc id="{cid}-desc">{html.escape(description)}</desc>'
        f"{body}</svg>"
    )


def figure(chart_id: str, drawing: str, caption: str, *, css_class: str = "course-chart") -> str:
    """A chart (``svg(...)``) in a ``<figure>`` with a caption that sighted readers see."""
    return (
        f'<figure class="{html.escape(css_class)}" id="{html.escape(chart_id)}">{drawing}'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


@dataclass(frozen=True)
class Series:
    label: str
    points: tuple[tuple[float, float], ...]


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    step = (hi - lo) / (n - 1)
    return [lo + i * step for i in range(n)]


def _fmt(v: float) -> str:
    """A tick or a value: whole, or with one decimal, in the page's language (4.5, 4,5)."""
    return number(v, 0 if float(v).is_integer() else 1)


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    x_label: str,
    y_label: str,
    y_range: tuple[float, float],
    chart_id: str,
    width: int = 560,
    height: int = 320,
) -> str:
    """Return a ``<figure>`` holding an SVG line chart.

    ``description`` is the alt text: say what the chart shows, with the numbers
    that matter, so that someone who cannot see it learns the same thing.
    """
    if not series or any(len(s.points) < 2 for s in series):
        raise ValueError("each series needs at least two points")
    left, right, top, bottom = 56, 150, 20, 48
    xs = [x for s in series for x, _ in s.points]
    x_lo, x_hi = min(xs), max(xs)
    y_lo, y_hi = y_range

    def px(x: float) -> float:
        return left + (x - x_lo) / (x_hi - x_lo) * (width - left - right)

    def py(y: float) -> float:
        return height - bottom - (y - y_lo) / (y_hi - y_lo) * (height - top - bottom)

    parts = []
    for y in _ticks(y_lo, y_hi):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{py(y):.1f}" y2="{py(y):.1f}" '
            f'stroke="{GRID}"/>'
        )
        parts.append(
            f'<text x="{left - 8}" y="{py(y) + 4:.1f}" text-anchor="end" '
            f'font-size="12" fill="{AXIS}">{_fmt(y)}</text>'
        )
    for x in sorted(set(xs)):
        parts.append(
            f'<text x="{px(x):.1f}" y="{height - bottom + 18}" text-anchor="middle" '
            f'font-size="12" fill="{AXIS}">{_fmt(x)}</text>'
        )
    parts.append(
        f'<text x="{(left + width - right) / 2:.0f}" y="{height - 8}" '
        f'text-anchor="middle" font-size="13" fill="{LABEL}">{html.escape(x_label)}</text>'
    )
    parts.append(
        f'<text transform="translate(14 {(top + height - bottom) / 2:.0f}) rotate(-90)" '
        f'text-anchor="middle" font-size="13" fill="{LABEL}">{html.escape(y_label)}</text>'
    )
    for i, s in enumerate(series):
        colour, dash = PALETTE[i % len(PALETTE)]
        pts = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in s.points)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="3"{dash_attr}/>'
        )
        for x, y in s.points:
            parts.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="4" fill="{colour}"/>')
        lx, ly = s.points[-1]
        parts.append(
            f'<text x="{px(lx) + 8:.1f}" y="{py(ly) + 4:.1f}" font-size="13" '
            f'fill="{colour}">{html.escape(s.label)} ({_fmt(ly)})</text>'
        )
    drawing = svg(chart_id, width, height, title, description, "".join(parts))
    return figure(chart_id, drawing, title)
