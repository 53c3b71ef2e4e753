"""What a translation must keep from its English: the citations, links, placeholders,
HTML tags, Markdown marks and numbers. Pure functions, so the content tests and
``python -m widgets.i18n check`` say exactly what a translator broke."""

from __future__ import annotations

import re
from collections import Counter
from string import Formatter

CITATION = re.compile(r"\(#ref-[^)\s]+\)")
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*(?:[:!][^{}]*)?\}|%\([a-z_]+\)[sd]|%[sd]")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*>")
HEADING = re.compile(r"^(#{1,6}) ")
LIST_ITEM = re.compile(r"^\s*(?:[-*]|\d+\.) ", re.M)
# A number: thousands in groups of three (1,172; 100 000), then decimals, or plain digits.
NUMBER = re.compile(r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?")


CODE_SPAN = re.compile(r"`[^`\n]+`")
ADDRESS = re.compile(r"https?://[^\s)`]+|\b\d{1,3}(?:\.\d{1,3}){3}\b")  # and IP addresses


def _numbers(text: str, decimal: str = ".") -> Counter:
    """The numbers of ``text`` as values, written with ``decimal`` as the decimal sign: so
    "4.6" in English and "4,6" in Spanish are the same number, and "46" is not. Code and
    web addresses are compared as they are (see ``problems``), not read as numbers."""
    found = Counter()
    text = ADDRESS.sub(" ", CODE_SPAN.sub(" ", text))
    for raw in NUMBER.findall(text):
        grouped = re.fullmatch(r"\d{1,3}(?:([,.\u00a0\u202f ])\d{3})+(?:[.,]\d+)?", raw)
        separator = grouped.group(1) if grouped else None
        if separator and separator != decimal:
            # 1,172 (English) or 12 000 (Spanish): a thousands separator, then maybe decimals
            whole, _sep, frac = raw.rpartition(decimal) if raw.count(decimal) else (raw, "", "")
            value = re.sub(r"\D", "", whole) + ("." + frac if frac else "")
        else:
            value = raw.replace(decimal, ".") if decimal in raw else raw
            if decimal != "." and "." in raw:
                value = "?" + raw  # a decimal point where the language writes a comma
        found[value] += 1
    return found


def _fields(text: str) -> list[str] | None:
    """The names of ``text``'s ``{placeholders}`` as str.format reads them, or None when
    str.format cannot read it (a stray brace)."""
    try:
        return sorted(name for _lit, name, _spec, _conv in Formatter().parse(text) if name)
    except ValueError:
        return None


def problems(english: str, translated: str, decimal: str = ".") -> list[str]:
    """What ``translated`` (in a language writing ``decimal`` for decimals) lost or added
    against ``english`` (empty when it keeps all)."""
    out = []
    if PLACEHOLDER.search(english) and _fields(translated) != _fields(english):
        out.append("the placeholders cannot be filled as in the English")
    checks = (
        ("citations", lambda t: Counter(CITATION.findall(t))),
        ("links", lambda t: Counter(LINK_TARGET.findall(t))),
        ("placeholders", lambda t: Counter(PLACEHOLDER.findall(t))),
        ("HTML tags", lambda t: Counter(TAG.findall(t))),
        ("list items", lambda t: len(LIST_ITEM.findall(t))),
        ("code", lambda t: Counter(CODE_SPAN.findall(t))),
        ("bold marks", lambda t: t.count("**")),
    )
    for what, measure in checks:
        if measure(english) != measure(translated):
            out.append(f"the {what} differ from the English")
    if _numbers(english) != _numbers(translated, decimal):
        out.append("the numbers differ from the English")
    heading = HEADING.match(english)
    if (heading and heading.group(1)) != ((m := HEADING.match(translated)) and m.group(1)):
        out.append("the heading level differs from the English")
    if english.strip() and not translated.strip():
        out.append("the translation is empty")
    return out
