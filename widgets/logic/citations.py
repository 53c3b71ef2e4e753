"""Citations in lesson prose: find them and list the full references.

Prose cites a source as a Markdown link to ``#ref-<id>``, for example
``[Treede 2019](#ref-treede2019)``. ``cited_ids`` finds those ids in order of
first use; the lesson's sources list is built from them and from its quiz.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Protocol

CITATION = re.compile(r"\]\(#ref-([a-z0-9][a-z0-9_-]*)\)")


class ReferenceLike(Protocol):
    id: str
    link: str

    def citation(self) -> str: ...


def cited_ids(texts: Iterable[str]) -> list[str]:
    """Reference ids cited in ``texts``, each once, in order of first use."""
    seen: dict[str, None] = {}
    for text in texts:
        for match in CITATION.finditer(text):
            seen.setdefault(match.group(1), None)
    return list(seen)


def sources_html(ids: Iterable[str], references: Mapping[str, ReferenceLike]) -> str:
    """An ordered list of full citations, each with an anchor ``ref-<id>`` and a link.

    Raises ``KeyError`` naming an id that has no reference.
    """
    items = []
    for ref_id in ids:
        if ref_id not in references:
            raise KeyError(f"no reference with id {ref_id!r} in data/references")
        ref = references[ref_id]
        link = html.escape(ref.link)
        items.append(
            f'<li id="ref-{ref_id}">{html.escape(ref.citation())} '
            f'<a href="{link}" target="_blank" rel="noopener">{link}</a></li>'
        )
    return '<ol class="course-sources">' + "".join(items) + "</ol>"


def short_cite_links(ids: Iterable[str], references: Mapping[str, ReferenceLike]) -> str:
    """Links such as "Treede RD et al. 2019; NHS 2023" to the full sources."""
    links = []
    for ref_id in ids:
        ref = references[ref_id]
        authors = getattr(ref, "authors", "")
        first = authors.split(",")[0].strip()
        person = re.search(r"\s[A-Z]{1,3}$", first) is not None  # "Henschke N", not "NHS"
        etal = " et al." if person and "," in authors else ""
        links.append(
            f'<a href="{html.escape(ref.link)}" target="_blank" rel="noopener">'
            f"{html.escape(first)}{etal} {getattr(ref, 'year', '')}</a>"
        )
    return "; ".join(links)
