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

from . import ContentError, Field, Model, load_content, read_yaml_items, validated

CUES_FILE = "cues.yaml"
Side = Literal["danger", "safety"]
Category = Literal["senses", "doing", "saying", "thinking", "places", "people", "body"]


class Cue(Model):
    """One danger or safety cue a learner can tick."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    side: Side
    text: str = Field(min_length=1, max_length=80)
    category: Category | None = None
    reference: str = Field(min_length=1)


def _shown(root: Path) -> str:
    return f"{root.name}/{CUES_FILE}"


def load_cues(data_dir: Path | str | None = None) -> tuple[Cue, ...]:
    """Every cue in ``data/cues.yaml``, in file order, validated and cross-checked."""
    if data_dir is None:
        return validated("cues")
    return _load_cues(Path(data_dir).resolve())


@lru_cache(maxsize=8)
def _load_cues(root: Path) -> tuple[Cue, ...]:
    shown = _shown(root)
    cues = read_yaml_items(root / CUES_FILE, root, "cues", Cue)
    references = load_content(root).references
    ids: set[str] = set()
    texts: dict[str, str] = {}
    for cue in cues:
        if cue.id in ids:
            raise ContentError(shown, cue.id, "id", "this cue id is used twice")
        ids.add(cue.id)
        key = cue.text.casefold()
        if key in texts:
            raise ContentError(shown, cue.id, "text", f"same text as cue {texts[key]!r}")
        texts[key] = cue.id
        if cue.reference not in references:
            raise ContentError(
                shown,
                cue.id,
                "reference",
                f"unknown reference id {cue.reference!r}; see data/references/",
            )
    for side in ("danger", "safety"):
        if not any(cue.side == side for cue in cues):
            raise ContentError(shown, None, "cues", f"the balance needs at least one {side} cue")
    return tuple(cues)
