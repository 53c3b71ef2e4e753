"""The ten myths and facts of lesson 5's quiz: ``data/myths.yaml``.

The items follow the ten facts of O'Sullivan et al. 2020 ("Back to basics: 10
facts every person should know about back pain"), paraphrased. Each item holds
the unhelpful belief (``myth``), what the evidence says (``fact``), which of the
two the quiz shows (``shown``), an evidence note, how sure the evidence is, its
references and, optionally, the lesson to read more in (``read_more``).

The loader checks that all ten facts are there, once each (``number`` 1 to 10),
that every item cites the paper they come from, and that every reference and
lesson id exists. A mistake names file, item and field.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from .base import (
    ID,
    ContentError,
    Field,
    Model,
    known_lessons,
    known_references,
    read_yaml_items,
    unique_ids,
)
from .course import load_content
from .registry import kind, read

MYTHS_FILE = "myths.yaml"
SOURCE_PAPER = "osullivan2020"
N_FACTS = 10


class Myth(Model):
    """One belief about back pain, checked against the evidence."""

    id: str = Field(pattern=ID)
    number: int = Field(ge=1, le=N_FACTS)
    topic: str = Field(min_length=1, max_length=60)
    myth: str = Field(min_length=1)
    fact: str = Field(min_length=1)
    shown: Literal["myth", "fact"]
    evidence: str = Field(min_length=1)
    how_sure: str = Field(min_length=1)
    references: tuple[str, ...] = Field(min_length=1)
    read_more: str | None = None


def load_myths(data_dir: Path | str | None = None) -> tuple[Myth, ...]:
    """The ten items of ``data/myths.yaml``, in O'Sullivan's order (by ``number``)."""
    return read("myths", data_dir)


@kind("myths")
@lru_cache(maxsize=8)
def _load_myths(root: Path) -> tuple[Myth, ...]:
    shown = f"{root.name}/{MYTHS_FILE}"
    items = read_yaml_items(root / MYTHS_FILE, root, "myths", Myth)
    content = load_content(root)
    unique_ids(shown, items, "myth id")
    seen_numbers: dict[int, str] = {}
    for item in items:
        if item.number in seen_numbers:
            raise ContentError(
                shown,
                item.id,
                "number",
                f"fact {item.number} is already item {seen_numbers[item.number]!r}",
            )
        seen_numbers[item.number] = item.id
        known_references(shown, item.id, "references", item.references, content.references)
        if SOURCE_PAPER not in item.references:
            raise ContentError(
                shown,
                item.id,
                "references",
                f"cite {SOURCE_PAPER!r}, the paper the ten facts come from",
            )
        if item.read_more is not None:
            known_lessons(shown, item.id, "read_more", item.read_more, content.lesson_ids)
    missing = sorted(set(range(1, N_FACTS + 1)) - set(seen_numbers))
    if missing:
        raise ContentError(
            shown,
            None,
            "number",
            f"all {N_FACTS} facts must be present; missing fact "
            + ", ".join(str(n) for n in missing),
        )
    return tuple(sorted(items, key=lambda item: item.number))
