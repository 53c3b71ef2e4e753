"""Danger and safety cues for the balance of lesson 4: ``data/cues.yaml``.

Each cue has an ``id``, a ``side`` (danger or safety), the ``text`` a learner
ticks, an optional ``category`` (one of the seven kinds of cue in Moseley and
Butler's Protectometer) and the ``reference`` behind it. The loader checks every
cue and cross-checks ids, texts and references; a mistake names file, item and field.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from .base import ID, ContentError, Field, Model, known_references, read_yaml_items, unique_ids
from .course import load_content
from .registry import kind, read

CUES_FILE = "cues.yaml"
Side = Literal["danger", "safety"]
Category = Literal["senses", "doing", "saying", "thinking", "places", "people", "body"]


class Cue(Model):
    """One danger or safety cue a learner can tick."""

    id: str = Field(pattern=ID)
    side: Side
    text: str = Field(min_length=1, max_length=80)
    category: Category | None = None
    reference: str = Field(min_length=1)


def _shown(root: Path) -> str:
    return f"{root.name}/{CUES_FILE}"


def load_cues(data_dir: Path | str | None = None) -> tuple[Cue, ...]:
    """Every cue in ``data/cues.yaml``, in file order, validated and cross-checked."""
    return read("cues", data_dir)


@kind("cues")
@lru_cache(maxsize=8)
def _load_cues(root: Path) -> tuple[Cue, ...]:
    shown = _shown(root)
    cues = read_yaml_items(root / CUES_FILE, root, "cues", Cue)
    references = load_content(root).references
    unique_ids(shown, cues, "cue id")
    texts: dict[str, str] = {}
    for cue in cues:
        key = cue.text.casefold()
        if key in texts:
            raise ContentError(shown, cue.id, "text", f"same text as cue {texts[key]!r}")
        texts[key] = cue.id
        known_references(shown, cue.id, "reference", cue.reference, references)
    for side in ("danger", "safety"):
        if not any(cue.side == side for cue in cues):
            raise ContentError(shown, None, "cues", f"the balance needs at least one {side} cue")
    return tuple(cues)
