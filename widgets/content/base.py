"""What every kind of content shares: where ``data/`` is, the model base, the error,
reading a YAML file's items, and the three checks across files.

A schema module for a kind of content (``course.py``, ``myths.py``, ...) defines its
models on ``Model``, reads its files with ``read_yaml_items`` (or ``tables.read_table``),
checks ids with ``unique_ids``, ``known_references`` and ``known_lessons``, and registers
its loader with ``registry.kind``. So every mistake in ``data/`` is reported in one
shape: the file, the item and the field.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, dataclass_transform

from .. import i18n

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("COURSE_DATA_DIR", REPO_ROOT / "data"))
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"

ID = r"^[a-z0-9][a-z0-9_-]*$"  # the shape of every id in data/


class ContentError(ValueError):
    """A content file is wrong. ``str()`` names the file, the item and the field."""

    def __init__(self, file: Path | str, item: str | None, field: str | None, problem: str):
        self.file, self.item, self.field, self.problem = str(file), item, field, problem
        where = [self.file]
        if item is not None:
            where.append(f"item {item!r}")
        if field is not None:
            where.append(f"field {field!r}")
        super().__init__(", ".join(where) + ": " + problem)


class FieldError(ValueError):
    """Raised by a model's ``__post_init__`` check to name the field that is wrong."""

    def __init__(self, field: str, problem: str, value: Any):
        super().__init__(problem)
        self.field, self.value = field, value


def Field(default: Any = dataclasses.MISSING, **constraints: Any) -> Any:
    """A content field and its constraints, named as pydantic's ``Field`` names them
    (``pattern``, ``min_length``, ``max_length``, ``ge``, ``le``, ``gt``).

    The constraints are checked when ``data/`` is validated (``widgets.content._schema``,
    with pydantic). A visitor's kernel reads the validated snapshot instead
    (``widgets.content._snapshot``) and never imports pydantic or PyYAML.
    """
    return dataclasses.field(default=default, metadata=constraints)


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(Field,))
class Model:
    """Base of every content model: a frozen dataclass, validated strictly.

    Validation (``widgets.content._schema``) is strict: "yes" is not a bool and
    "2019" is not a year; an unknown key is a typo; text is stripped. A check
    across fields goes in ``__post_init__`` and raises ``ValueError``; it runs when
    the validated item is built, never when a kernel reads the snapshot.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dataclass(frozen=True, kw_only=True)(cls)


# ---------------------------------------------------------------- reading files


def shown_path(path: Path, root: Path) -> str:
    """How an error names a file: relative to the data folder, with its name."""
    try:
        return str(Path(root.name) / path.relative_to(root))
    except ValueError:
        return str(path)


def read_yaml(path: Path, shown: str) -> dict[str, Any]:
    """One YAML file's mapping; a syntax error names the line and column."""
    import yaml  # only when validating: kernels read the snapshot

    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(shown, None, None, f"YAML syntax error{where}: {problem}") from None
    if not isinstance(doc, dict):
        raise ContentError(shown, None, None, "the file must hold a mapping of keys to values")
    language = i18n.current()
    if language != i18n.SOURCE:  # the texts a learner reads, from locale/<language>/data/
        from ..i18n.catalogs import translate_data

        doc = translate_data(doc, shown, language)
    return doc


def _field_name(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(item)"


def build(model: type[Model], raw: Any, shown: str, item: str) -> Any:
    """Validate one item against ``model``; a problem names the file, item and field."""
    from ._schema import Problem, validate

    if not isinstance(raw, Mapping):
        raise ContentError(shown, item, None, "each item must be a mapping of keys to values")
    try:
        return validate(model, dict(raw))
    except Problem as exc:
        problem = exc.problem
        if exc.got is not None:
            problem += f" (got {exc.got[:60] + '...' if len(exc.got) > 60 else exc.got})"
        raise ContentError(shown, item, _field_name(exc.loc), problem) from None


def items(doc: dict[str, Any], key: str, shown: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """The raw items of the list under ``key``, each with how an error names it
    (its id, or its position)."""
    raw_items = doc.get(key)
    if not isinstance(raw_items, list) or not raw_items:
        raise ContentError(shown, None, key, f"needs a non-empty list under '{key}:'")
    for index, raw in enumerate(raw_items):
        label = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        yield label or f"#{index + 1}", raw


def read_yaml_items(path: Path, root: Path, key: str, model: type[Model]) -> list[Any]:
    """Validate every item of the list under ``key`` in one YAML file, in order.

    Errors name the file (relative to the data folder), the item id (or its
    position) and the field. Checks across files are the caller's, with the helpers below.
    """
    shown = shown_path(path, root)
    if not path.is_file():
        raise ContentError(shown, None, None, "file not found")
    return [
        build(model, raw, shown, label) for label, raw in items(read_yaml(path, shown), key, shown)
    ]


# ---------------------------------------------------------------- checks across files


def unique_ids(shown: str, things: Iterable[Any], what: str = "id") -> None:
    """Every item's ``id`` is used once in the file."""
    seen: set[str] = set()
    for thing in things:
        if thing.id in seen:
            raise ContentError(shown, thing.id, "id", f"this {what} is used twice")
        seen.add(thing.id)


def known_references(
    shown: str, item: str, field: str, ids: str | Iterable[str], references: Mapping[str, Any]
) -> None:
    """Every reference id an item cites is in ``data/references/``."""
    for ref_id in (ids,) if isinstance(ids, str) else ids:
        if ref_id not in references:
            raise ContentError(
                shown, item, field, f"unknown reference id {ref_id!r}; see data/references/"
            )


def known_lessons(
    shown: str, item: str, field: str, ids: str | Iterable[str], lessons: Iterable[str]
) -> None:
    """Every lesson id an item names is in ``course.yaml``."""
    known = set(lessons)
    for lesson in (ids,) if isinstance(ids, str) else ids:
        if lesson not in known:
            raise ContentError(shown, item, field, f"unknown lesson {lesson!r}; see course.yaml")
