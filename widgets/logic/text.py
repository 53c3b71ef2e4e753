"""HTML as plain text, as a screen reader would read it (for tests, and code that reads a view)."""

from __future__ import annotations

import html
import re

_HIDDEN = re.compile(r"<(style|title|desc)[^>]*>.*?</\1>", re.S)


def plain_text(markup: str, *, skip_hidden: bool = False) -> str:
    """Tags removed, entities decoded, white space folded.

    With ``skip_hidden``, the text of ``<style>``, and of an SVG's ``<title>`` and
    ``<desc>``, is left out too (what a sighted reader sees, not the alt text).
    """
    if skip_hidden:
        markup = _HIDDEN.sub(" ", markup)
    text = re.sub(r"<[^>]+>", " ", markup)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()
