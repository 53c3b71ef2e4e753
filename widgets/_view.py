"""The base of every tool's view: quiz cards, the checker, planners, explainers, workshop pages.

A view is an ``ipywidgets.VBox`` that a notebook shows and a test drives from code: set a
value, click, then read what a learner would read. What every view shares is here:

- ``show_error(message)``: where the view puts a kind message when one of its callbacks
  fails (``widgets._safe.friendly`` calls it). Each view says where, and what to clear.
- ``text``: everything the view shows, as plain text, in order (what a sighted learner
  reads; alt text and styles left out), so a test can read any view the same way.

It adds no import a view did not already have (every view shows a ``LiveRegion``).

``shared(kind, **traits)`` gives one ``Layout`` or style per kernel for each set of
values, for widgets that never change theirs: each widget otherwise makes its own
layout and style models, about 60 % of a lesson's models, each sent to the page and
processed by the server (``make bench``: lesson 01 went from 121 models to 60, lesson 08
from 248 to 150). ``look(kind, **style)`` gives both as keyword arguments. A widget whose
layout changes (shown, hidden) keeps a layout of its own.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

import ipywidgets as ipw

from ._live import LiveRegion
from .logic.text import plain_text

_SHARED: dict[tuple, ipw.Widget] = {}


def shared(kind: type[ipw.Widget], **traits) -> ipw.Widget:
    """One ``kind`` (a Layout or a style) with these values, shared by every widget
    that asks; never change it (give a widget whose layout changes its own)."""
    key = (kind, tuple(sorted(traits.items())))
    widget = _SHARED.get(key)
    if widget is None or widget.comm is None:  # none yet, or closed (ipw.Widget.close_all)
        widget = _SHARED[key] = kind(**traits)
    return widget


def shared_style(widget: type[ipw.DOMWidget], **traits) -> ipw.Widget:
    """The shared style of a kind of widget with these values (the default without any):
    ``shared_style(ipw.HTML)``, ``shared_style(ipw.Text, description_width="initial")``."""
    return shared(widget.class_traits()["style"].klass, **traits)


def look(widget: type[ipw.DOMWidget], **style) -> dict[str, ipw.Widget]:
    """A shared default layout and a shared style for a kind of widget, as keyword
    arguments: ``ipw.Text(description=..., **look(ipw.Text, description_width="initial"))``."""
    return {"layout": shared(ipw.Layout), "style": shared_style(widget, **style)}


class View(ipw.VBox):
    """A tool's view (see the module's text)."""

    def show_error(self, message: str) -> None:
        raise NotImplementedError(f"{type(self).__name__} must say where its errors show")

    @property
    def text(self) -> str:
        """Everything the view shows, as plain text, one part per line."""
        return "\n".join(part for part in _texts(self) if part)


def visible_text(value: str) -> str:
    """What a sighted learner reads of some HTML (no style, no chart alt text)."""
    return plain_text(value, skip_hidden=True)


def error_html(message: str) -> str:
    """A form's kind error message, marked so it looks like one in every theme."""
    return (
        f'<p class="course-form__error"><span aria-hidden="true">⚠ </span>'
        f"{html.escape(message)}</p>"
    )


class FormView(View):
    """A form: the learner fills it in and presses a button; ``status`` (a live region)
    says what happened (done, or a kind error) and ``result`` holds what was made.

    A subclass makes both widgets and names in ``forget_on_error`` what a failed try
    drops (the last plan, the last document), so nothing stale can be downloaded.
    """

    status: LiveRegion
    result: ipw.HTML
    forget_on_error: tuple[str, ...] = ()

    @property
    def status_text(self) -> str:
        return visible_text(self.status.value)

    @property
    def result_text(self) -> str:
        return visible_text(self.result.value)

    def show_error(self, message: str) -> None:
        for name in self.forget_on_error:
            setattr(self, name, None)
        self.status.value = error_html(message)
        self.result.value = ""


class ChartView(View):
    """An explainer: controls, then a headline, a chart and the same facts in words.

    ``_chart_parts(block)`` makes the four parts a subclass lays out: ``headline`` and
    ``error`` (live regions, so a screen reader hears a change), ``chart`` and
    ``details``, with the classes ``course-<block>__chart`` and ``course-<block>__words``.
    """

    _block = "chart"
    _description = ""  # the chart's alt text (its ``<desc>``), set when it is drawn

    def _chart_parts(self, block: str) -> None:
        self._block = block
        self.headline = LiveRegion()
        self.error = LiveRegion(urgent=True)
        self.chart = ipw.HTML()
        self.chart.add_class(f"course-{block}__chart")
        self.details = ipw.HTML()
        self.details.add_class(f"course-{block}__words")

    @property
    def headline_text(self) -> str:
        return plain_text(self.headline.value)

    @property
    def words(self) -> str:
        """Every sentence under the chart, as plain text."""
        return plain_text(self.details.value)

    @property
    def chart_description(self) -> str:
        """The chart's alt text (its ``<desc>``)."""
        return self._description

    @property
    def error_text(self) -> str:
        return plain_text(self.error.value)

    def show_error(self, message: str) -> None:
        self.error.value = f'<p class="course-{self._block}__error">{html.escape(message)}</p>'


def _texts(widget: ipw.Widget) -> Iterator[str]:
    if isinstance(widget, ipw.Box):
        for child in widget.children:
            yield from _texts(child)
        return
    if isinstance(widget, ipw.HTML | ipw.HTMLMath | ipw.Label | LiveRegion):
        yield plain_text(widget.value or "", skip_hidden=True)
    elif isinstance(widget, ipw.Button | ipw.Checkbox):
        yield widget.description
