"""Schema of ``data/poll_items.yaml``: the workshop poll's myth-or-fact statements.

Each item is a short statement that participants mark as myth, fact or "not sure"
before and after a workshop (``widgets.poll``). It names the right answer, the
lesson that covers it, an explanation for the facilitator's answer key, and its
sources. Loaded and cross-checked like every other content file: a mistake names
the file, the item and the field.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from .base import (
    ContentError,
    Field,
    Model,
    known_lessons,
    known_references,
    read_yaml_items,
    shown_path,
    unique_ids,
)
from .course import load_content
from .registry import kind, read

FILE = "poll_items.yaml"
MIN_ITEMS, MAX_ITEMS = 2, 8
# The same shape as the poll store accepts (widgets/logic/poll_store.py).
ITEM_ID = r"^[a-z0-9][a-z0-9_-]{0,63}$"


class PollItem(Model):
    """One myth-or-fact statement of the workshop poll."""

    id: str = Field(pattern=ITEM_ID)
    statement: str = Field(min_length=1, max_length=120)
    answer: Literal["myth", "fact"]
    lesson: str = Field(min_length=1)
    explanation: str = Field(min_length=1)
    references: tuple[str, ...] = Field(min_length=1)


def load_poll_items(data_dir: Path | str | None = None) -> tuple[PollItem, ...]:
    """The poll items in order, validated against the course and its references."""
    return read("poll_items", data_dir)


@kind("poll_items")
@lru_cache(maxsize=8)
def _load(root: Path) -> tuple[PollItem, ...]:
    path = root / FILE
    shown = shown_path(path, root)
    items = read_yaml_items(path, root, "items", PollItem)
    content = load_content(root)
    unique_ids(shown, items)
    for item in items:
        known_lessons(shown, item.id, "lesson", item.lesson, content.lesson_ids)
        known_references(shown, item.id, "references", item.references, content.references)
    if not MIN_ITEMS <= len(items) <= MAX_ITEMS:
        raise ContentError(
            shown,
            None,
            "items",
            f"give {MIN_ITEMS} to {MAX_ITEMS} items (found {len(items)}); "
            "people answer them on a phone",
        )
    return tuple(items)
