"""A flare plan: what the learner will do when their back pain flares, in their own words.

Five parts, each a few short lines the learner writes (``PARTS``). This module checks
and tidies what they typed and turns it into HTML (escaped) or Markdown. It keeps
nothing: the plan lives in the learner's page until they download it.

Rules for each part: at most ``MAX_CHARS`` characters and ``MAX_LINES`` lines; one
idea per line (bullets such as "-" or "•" at the start are dropped); no control
characters. At least one part must be filled in. Messages never repeat the typed text.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from .pacing import md_escape

MAX_CHARS = 400
MAX_LINES = 8


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    example: str


PARTS: tuple[Part, ...] = (
    Part(
        "helps",
        "What helps me",
        "For example: a warm shower, a short easy walk, slow breathing, music.",
    ),
    Part(
        "first_days",
        "What I will do in the first day or two",
        "For example: keep moving gently, cut my plan back a step, then build up again.",
    ),
    Part(
        "avoid",
        "What I will avoid",
        "For example: long bed rest, checking my back all the time, searching for scary stories.",
    ),
    Part(
        "seek_help",
        "When I will seek help",
        "For example: if it is not easing after a week or two, or if I notice a warning sign.",
    ),
    Part(
        "contacts",
        "Who I can contact",
        "For example: my GP practice, my physiotherapist, a friend who helps me stay calm.",
    ),
)
PART_KEYS = tuple(p.key for p in PARTS)


class FlarePlanError(ValueError):
    """What the learner typed cannot go into the plan. ``part`` is the key of the box."""

    def __init__(self, part: str | None, message: str):
        self.part = part
        super().__init__(message)


def clean_lines(
    text: str | None,
    label: str,
    part: str | None = None,
    max_chars: int = MAX_CHARS,
    max_lines: int = MAX_LINES,
) -> tuple[str, ...]:
    """One idea per line, tidied: bullets and extra spaces dropped, empty lines skipped."""
    text = text or ""
    if len(text) > max_chars:
        raise FlarePlanError(
            part,
            f'"{label}" is too long. Please keep it to {max_chars} '
            "characters: a few short lines are enough.",
        )
    for ch in text:
        if ch not in "\r\n\t" and unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs"):
            raise FlarePlanError(
                part,
                f'"{label}" has a hidden or odd character in it. '
                "Please type it again using ordinary letters.",
            )
    lines = []
    for line in text.replace("\r", "\n").split("\n"):
        line = " ".join(line.split()).lstrip("-*•·–— ").strip()
        if line:
            lines.append(line)
    if len(lines) > max_lines:
        raise FlarePlanError(
            part,
            f'"{label}" has more than {max_lines} lines. '
            "Please keep to the few things that matter most.",
        )
    return tuple(lines)


@dataclass(frozen=True)
class FlarePlan:
    """The learner's flare plan: for each part key, its lines (possibly none)."""

    parts: tuple[tuple[str, tuple[str, ...]], ...]

    def lines(self, key: str) -> tuple[str, ...]:
        return dict(self.parts)[key]

    @property
    def filled(self) -> tuple[Part, ...]:
        return tuple(p for p in PARTS if self.lines(p.key))

    def to_html(self) -> str:
        """The plan as HTML: a heading per filled part and a list of its lines, all escaped."""
        blocks = []
        for part in self.filled:
            items = "".join(f"<li>{html.escape(line)}</li>" for line in self.lines(part.key))
            blocks.append(f"<h4>{html.escape(part.label)}</h4><ul>{items}</ul>")
        return '<div class="course-flare__plan">' + "".join(blocks) + "</div>"

    def to_markdown(self, level: int = 3) -> str:
        """The plan as Markdown, each filled part under a heading of ``level``."""
        out = []
        for part in self.filled:
            out.append(f"{'#' * level} {part.label}\n")
            out += [f"- {md_escape(line)}" for line in self.lines(part.key)]
            out.append("")
        return "\n".join(out).strip()

    def to_text(self) -> str:
        """Plain text, as a screen reader would read the plan."""
        return "\n".join(f"{p.label}: " + "; ".join(self.lines(p.key)) for p in self.filled)


def build_flare_plan(answers: Mapping[str, str | None], *, require_one: bool = True) -> FlarePlan:
    """Check each part and make the plan, or raise ``FlarePlanError``.

    Parameters
    ----------
    answers
        Text per part key (``PART_KEYS``); missing keys count as empty.
    require_one
        Raise when every part is empty (the builder does; "My plan" allows an empty part).
    """
    unknown = set(answers) - set(PART_KEYS)
    if unknown:
        raise ValueError(f"unknown flare plan parts: {sorted(unknown)}")
    parts = tuple((p.key, clean_lines(answers.get(p.key), p.label, p.key)) for p in PARTS)
    plan = FlarePlan(parts)
    if require_one and not plan.filled:
        raise FlarePlanError(
            None, 'Please fill in at least one part of the plan first, for example "What helps me".'
        )
    return plan
