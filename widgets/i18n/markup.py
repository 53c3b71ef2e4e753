"""What a translation must keep from its English: the citations, links, placeholders,
HTML tags, Markdown marks and numbers. Pure functions, so the content tests and
``python -m widgets.i18n check`` say exactly what a translator broke."""

from __future__ import annotations

import re
from collections import Counter

CITATION = re.compile(r"\(#ref-[^)\s]+\)")
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*(?:[:!][^{}]*)?\}|%\([a-z_]+\)[sd]|%[sd]")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*>")
HEADING = re.compile(r"^(#{1,6}) ")
LIST_ITEM = re.compile(r"^\s*(?:[-*]|\d+\.) ", re.M)
NUMBER = re.compile(r"\d[\d,.\u00a0\u202f ]*\d|\d")


def _numbers(text: str) -> Counter:
    return Counter(re.sub(r"[,.\u00a0\u202f ]", "", n) for n in NUMBER.findall(text))


def problems(english: str, translated: str) -> list[str]:
    """What ``translated`` lost or added against ``english`` (empty when it keeps all)."""
    out = []
    checks = (
        ("citations", lambda t: Counter(CITATION.findall(t))),
        ("links", lambda t: Counter(LINK_TARGET.findall(t))),
        ("placeholders", lambda t: Counter(PLACEHOLDER.findall(t))),
        ("HTML tags", lambda t: Counter(TAG.findall(t))),
        ("list items", lambda t: len(LIST_ITEM.findall(t))),
        ("bold marks", lambda t: t.count("**")),
        ("numbers", _numbers),
    )
    for what, measure in checks:
        if measure(english) != measure(translated):
            out.append(f"the {what} differ from the English")
    heading = HEADING.match(english)
    if (heading and heading.group(1)) != ((m := HEADING.match(translated)) and m.group(1)):
        out.append("the heading level differs from the English")
    if english.strip() and not translated.strip():
        out.append("the translation is empty")
    return out
