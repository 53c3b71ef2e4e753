"""Small data tables: ``data/tables/<name>.csv``, typed per column.

A column named ``source`` holds a reference id and must resolve. The core tables
and their column types are in ``TABLES``; a schema module may read its own tables
with ``read_table`` and its own column types (``imaging.py`` does).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from ._frozen import FrozenMap
from .base import DATA_DIR, ContentError, known_references, shown_path
from .course import load_content
from .registry import kind, read

TABLES: dict[str, dict[str, type]] = {
    "natural_course": {"cohort": str, "week": int, "mean_pain_0_100": float, "source": str},
}


class OptionalFloat(float):
    """Column type: a number, or an empty cell read as None."""


def load_table(name: str, data_dir: Path | str | None = None) -> tuple[FrozenMap[str, Any], ...]:
    """Rows of one of the core tables (see ``TABLES``)."""
    if name not in TABLES:
        raise KeyError(f"no column types for table {name!r} in content.TABLES")
    return read(f"table:{name}", data_dir)


def read_table(
    name: str, columns: tuple[tuple[str, type], ...], data_dir: Path | str | None = None
) -> tuple[FrozenMap[str, Any], ...]:
    """Rows of ``data/tables/<name>.csv``, typed per ``columns`` (name, type) in order.

    A column named ``source`` holds a reference id and must resolve. An empty
    cell is read as ``None`` only for a column whose type is ``OptionalFloat``.
    """
    root = Path(data_dir or DATA_DIR).resolve()
    return _read_table(name, columns, root)


@lru_cache(maxsize=64)
def _read_table(
    name: str, columns: tuple[tuple[str, type], ...], root: Path
) -> tuple[FrozenMap[str, Any], ...]:
    import csv

    path = root / "tables" / f"{name}.csv"
    shown = shown_path(path, root)
    if not path.is_file():
        raise ContentError(shown, None, None, "file not found")
    types = dict(columns)
    references = load_content(root).references
    rows = []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if list(reader.fieldnames or []) != list(types):
            raise ContentError(
                shown,
                "header",
                None,
                f"columns must be {', '.join(types)} (got {reader.fieldnames})",
            )
        for line, raw in enumerate(reader, start=2):
            row: dict[str, Any] = {}
            for col, typ in types.items():
                cell = raw[col]
                try:
                    if typ is OptionalFloat:
                        row[col] = None if cell.strip() == "" else float(cell)
                    else:
                        row[col] = typ(cell)
                except (TypeError, ValueError, AttributeError):
                    raise ContentError(
                        shown, f"line {line}", col, f"expected {typ.__name__} (got {cell!r})"
                    ) from None
            if "source" in row:
                known_references(shown, f"line {line}", "source", row["source"], references)
            rows.append(FrozenMap(row))
    if not rows:
        raise ContentError(shown, None, None, "the table has no rows")
    return tuple(rows)


def _core_table_loader(name: str):
    columns = tuple(TABLES[name].items())
    return lambda root: _read_table(name, columns, root)


for _name in TABLES:
    kind(f"table:{_name}")(_core_table_loader(_name))
