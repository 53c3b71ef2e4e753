"""The one reader of ``data/``: loads course content and validates it.

Every file is checked against its schema models, then across files (unique ids,
known references, known lessons). Anything wrong stops the load with one
``ContentError`` whose message names the file, the item id and the field, so an
author can find the mistake without reading Python.

The package, one job per module:

    base.py        where data/ is, ``Model``/``Field``, ``ContentError``, reading a YAML
                   file's items, and the checks across files every kind uses
    course.py      course.yaml, references/*.yaml, quizzes/*.yaml -> ``Content``
    tables.py      tables/*.csv, typed per column
    registry.py    every kind by name; validated once, then read from the snapshot
    _schema.py     the validator (pydantic), used only when validating
    _snapshot.py   the saved, validated content that kernels read
    _frozen.py     ``FrozenMap``, so no caller can change shared content
    cues.py, imaging.py, myths.py, poll.py, red_flags.py, workshop.py
                   one kind of content each; each registers its loader
    generated.py   files made from the content (the warning-sign lists in lessons)

A new kind of content gets a module like ``myths.py``: models on ``Model``, a loader
that reads with ``read_yaml_items`` and checks with ``unique_ids``,
``known_references`` and ``known_lessons``, registered with ``@kind("name")``, and a
line below.

Validation needs pydantic and PyYAML (about 9 MB in each visitor's kernel), so
the course's own folder is validated once and then read from a saved snapshot;
kernels import neither library.

The folder can be moved with the ``COURSE_DATA_DIR`` environment variable;
tests pass ``data_dir=`` instead.
"""

from __future__ import annotations

# Every kind registers itself when imported, so all are known before any is read.
from . import cues, imaging, languages, myths, poll, red_flags, workshop  # noqa: F401
from .base import DATA_DIR, NOTEBOOKS_DIR, REPO_ROOT, ContentError, Field, FieldError, Model
from .course import LANDING, Content, Course, Lesson, Option, Question, Reference, load_content
from .registry import everything, validated
from .tables import TABLES, OptionalFloat, load_table, read_table

__all__ = [
    "DATA_DIR",
    "LANDING",
    "NOTEBOOKS_DIR",
    "REPO_ROOT",
    "TABLES",
    "Content",
    "ContentError",
    "Course",
    "Field",
    "FieldError",
    "Lesson",
    "Model",
    "Option",
    "OptionalFloat",
    "Question",
    "Reference",
    "everything",
    "load_content",
    "load_table",
    "read_table",
    "validated",
]


def main() -> int:
    """``python -m widgets.content``: validate data/ and report, for authors."""
    try:
        content = everything(DATA_DIR.resolve())["content"]
    except ContentError as exc:
        print(f"Content error: {exc}")
        return 1
    print(
        f"data/ is valid: {len(content.course.lessons)} lessons, "
        f"{len(content.references)} references, {len(content.questions)} questions."
    )
    return 0
