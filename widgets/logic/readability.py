"""The prose of a lesson as a reader meets it, for reading-level checks.

Headings, citations, links' targets, code, HTML tags and Markdown marks are
left out, so that the grade measures the sentences a learner reads.
"""

from __future__ import annotations

import re

_CITATION = re.compile(r"\[\(([^)\]]*)\)\]\(#ref-[^)]+\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def lesson_prose(markdown_cells: list[str]) -> str:
    """Join the readable sentences of Markdown cells into one text."""
    lines = []
    for cell in markdown_cells:
        for line in cell.splitlines():
            line = line.strip()
            if not line or line.startswith("#") or line == "---":
                continue
            line = _CITATION.sub("", line)
            line = _LINK.sub(r"\1", line)
            line = re.sub(r"<[^>]+>", " ", line)
            line = re.sub(r"^[>\-*]+\s*|^\d+\.\s+", "", line)
            line = line.replace("**", "").replace("*", "").replace("`", "")
            line = re.sub(r"\s+([.,;:])", r"\1", line).strip()
            if line and line[-1] not in ".!?:;":
                line += "."  # list items end a sentence where the reader pauses
            lines.append(line)
    return "\n".join(lines)
