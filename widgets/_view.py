"""The base of every tool's view: quiz cards, the checker, planners, explainers, workshop pages.

A view is an ``ipywidgets.VBox`` that a notebook shows and a test drives from code: set a
value, click, then read what a learner would read. What every view shares is here:

- ``show_error(message)``: where the view puts a kind message when one of its callbacks
  fails (``widgets._safe.friendly`` calls it). Each view says where, and what to clear.
- ``text``: everything the view shows, as plain text, in order (what a sighted learner
  reads; alt text and styles left out), so a test can read any view the same way.

It adds no import a view did not already have (every view shows a ``LiveRegion``).
"""

from __future__ import annotations

from collections.abc import Iterator

import ipywidgets as ipw

from ._live import LiveRegion
from .logic.text import plain_text


class View(ipw.VBox):
    """A tool's view (see the module's text)."""

    def show_error(self, message: str) -> None:
        raise NotImplementedError(f"{type(self).__name__} must say where its errors show")

    @property
    def text(self) -> str:
        """Everything the view shows, as plain text, one part per line."""
        return "\n".join(part for part in _texts(self) if part)


def _texts(widget: ipw.Widget) -> Iterator[str]:
    if isinstance(widget, ipw.Box):
        for child in widget.children:
            yield from _texts(child)
        return
    if isinstance(widget, ipw.HTML | ipw.HTMLMath | ipw.Label | LiveRegion):
        yield plain_text(widget.value or "", skip_hidden=True)
    elif isinstance(widget, ipw.Button | ipw.Checkbox):
        yield widget.description
