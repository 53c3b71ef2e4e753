"""The one reader of ``data/``: loads course content and validates it.

Every file is checked against the schema models below, then across files
(unique ids, known references, known lessons). Anything wrong stops the load
with one ``ContentError`` whose message names the file, the item id and the
field, so an author can find the mistake without reading Python.

Layout of ``data/``::

    course.yaml            course title, disclaimer, lessons in order
    references/*.yaml      ``references:`` list of citations
    quizzes/*.yaml         ``lesson:`` id and a ``questions:`` list
    tables/*.csv           small data tables, typed per column
    ...                    more kinds, each with a schema module in this package
                           (for example ``widgets/content/red_flags.py``)

A schema module for a new kind of content defines models on ``Model`` (frozen
dataclasses whose ``Field`` constraints pydantic checks, see ``_schema.py``),
reads its files with ``read_yaml_items`` and ``read_table`` from here, so every
error has the same shape and the same message, and adds its loader to
``everything``.

Validation needs pydantic and PyYAML (about 9 MB in each visitor's kernel), so
the course's own folder is validated once and then read from a saved snapshot
(``_snapshot.py``); kernels import neither library.

The folder can be moved with the ``COURSE_DATA_DIR`` environment variable;
tests pass ``data_dir=`` instead.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, dataclass_transform

from . import _snapshot
from ._frozen import FrozenMap

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("COURSE_DATA_DIR", REPO_ROOT / "data"))
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"

_ID = r"^[a-z0-9][a-z0-9_-]*$"


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


class Reference(Model):
    """A citation that prose and quizzes point to by ``id``."""

    id: str = Field(pattern=_ID)
    authors: str = Field(min_length=1)
    year: int = Field(ge=1900, le=2100)
    title: str = Field(min_length=1)
    venue: str = Field(min_length=1)
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")
    url: str | None = Field(default=None, pattern=r"^https://\S+$")
    # How prose cites it, e.g. "NICE CKS 2018"; by default the first author's
    # surname and the year ("Henschke 2009").
    label: str | None = Field(default=None, min_length=1, max_length=40)

    def __post_init__(self) -> None:
        if not (self.doi or self.url):
            raise ValueError("give a doi or a url")

    @property
    def link(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else str(self.url)

    @property
    def short(self) -> str:
        """How prose cites it: ``label``, or the first author's surname and the year."""
        if self.label:
            return self.label
        surname = re.sub(r"\s[A-Z]{1,3}$", "", self.authors.split(",")[0].strip())
        return f"{surname} {self.year}"

    def citation(self) -> str:
        """Plain-text citation: Authors (year). Title. Venue."""
        return f"{self.authors} ({self.year}). {self.title}. {self.venue}."


class Option(Model):
    text: str = Field(min_length=1)
    correct: bool
    feedback: str = Field(min_length=1)


class Question(Model):
    """One quiz question with per-option feedback and its sources."""

    id: str = Field(pattern=_ID)
    lesson: str = Field(pattern=_ID)
    kind: Literal["single", "multiple", "true_false"]
    prompt: str = Field(min_length=1)
    options: tuple[Option, ...] = Field(min_length=2)
    explanation: str = Field(min_length=1)
    references: tuple[str, ...] = Field(min_length=1)


class Lesson(Model):
    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1)
    minutes: int = Field(ge=1, le=120)
    summary: str = Field(min_length=1)

    @property
    def notebook(self) -> str:
        return f"{self.id}.ipynb"

    @property
    def ready(self) -> bool:
        """A lesson is ready when its notebook exists; until then the map says "coming soon"."""
        return (NOTEBOOKS_DIR / self.notebook).is_file()


class Course(Model):
    title: str = Field(min_length=1)
    disclaimer: str = Field(min_length=1)
    # The first-cell hint JupyterLab shows and the site hides (Run All Cells).
    lab_hint: str = Field(min_length=1, max_length=200)
    lessons: tuple[Lesson, ...] = Field(min_length=1)


LANDING = "00-index"  # the landing page's notebook


@dataclass(frozen=True)
class Content:
    """Everything in ``data/``, validated and cross-checked."""

    course: Course
    references: FrozenMap[str, Reference]
    questions: FrozenMap[str, Question]

    def questions_for(self, lesson: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions.values() if q.lesson == lesson)

    def lesson(self, lesson_id: str) -> Lesson:
        for lesson in self.course.lessons:
            if lesson.id == lesson_id:
                return lesson
        raise KeyError(lesson_id)

    def neighbours(self, lesson_id: str) -> tuple[Lesson | None, Lesson | None]:
        """The ready lessons before and after ``lesson_id`` in course order (the landing
        page, ``00-index``, comes before the first). The one place previous/next is worked
        out: the lessons' own links (``lesson.nav``) and the site's (``widgets.server``)."""
        ready = [lesson for lesson in self.course.lessons if lesson.ready]
        if lesson_id == LANDING:
            return (None, ready[0] if ready else None)
        ids = [lesson.id for lesson in ready]
        i = ids.index(lesson_id)
        return (ready[i - 1] if i > 0 else None, ready[i + 1] if i + 1 < len(ready) else None)


# ---------------------------------------------------------------- reading files


def _rel(path: Path, root: Path) -> str:
    try:
        return str(Path(root.name) / path.relative_to(root))
    except ValueError:
        return str(path)


def _read_yaml(path: Path, shown: str) -> dict[str, Any]:
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
    return doc


def _field_name(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(item)"


def _build(model: type[Model], raw: Any, shown: str, item: str) -> Any:
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


def read_yaml_items(path: Path, root: Path, key: str, model: type[Model]) -> list[Any]:
    """Validate every item of the list under ``key`` in one YAML file, in order.

    Errors name the file (relative to the data folder), the item id (or its
    position) and the field. Cross-file checks are the caller's job.
    """
    shown = _rel(path, root)
    if not path.is_file():
        raise ContentError(shown, None, None, "file not found")
    return [
        _build(model, raw, shown, label)
        for label, raw in _items(_read_yaml(path, shown), key, shown)
    ]


def _items(doc: dict[str, Any], key: str, shown: str) -> Iterator[tuple[str, dict[str, Any]]]:
    raw_items = doc.get(key)
    if not isinstance(raw_items, list) or not raw_items:
        raise ContentError(shown, None, key, f"needs a non-empty list under '{key}:'")
    for index, raw in enumerate(raw_items):
        label = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        yield label or f"#{index + 1}", raw


def _check_question_rules(q: Question, shown: str) -> None:
    n_correct = sum(option.correct for option in q.options)
    if q.kind == "single" and n_correct != 1:
        raise ContentError(
            shown,
            q.id,
            "options",
            f"a single-choice question needs exactly one correct option (found {n_correct})",
        )
    if q.kind == "true_false":
        texts = [option.text for option in q.options]
        if texts != ["True", "False"] or n_correct != 1:
            raise ContentError(
                shown,
                q.id,
                "options",
                "a true/false question has exactly the options 'True' and 'False', one correct",
            )
    if q.kind == "multiple" and n_correct < 1:
        raise ContentError(shown, q.id, "options", "mark at least one option correct")
    texts = [option.text for option in q.options]
    if len(set(texts)) != len(texts):
        raise ContentError(shown, q.id, "options", "two options have the same text")


def load_content(data_dir: Path | str | None = None) -> Content:
    """Read and validate every content file under ``data_dir`` (default ``DATA_DIR``).

    Results are kept per folder for the life of the process (restart a kernel to
    see edits). The course's own folder is read from its validated snapshot when
    one is saved (``widgets.content._snapshot``); a folder passed in is validated.
    """
    if data_dir is None:
        return validated("content")
    return _load(Path(data_dir).resolve())


def validated(kind: str) -> Any:
    """One kind of the course's own content (a key of ``everything``), validated once
    and then read from the snapshot, so a kernel needs neither pydantic nor PyYAML."""
    return _snapshot.bundle(DATA_DIR.resolve(), everything)[kind]


def everything(root: Path) -> dict[str, Any]:
    """Every content file under ``root``, validated and cross-checked, by kind."""
    from .cues import _load_cues
    from .imaging import _load as _load_imaging
    from .imaging import _load_odds
    from .myths import _load_myths
    from .poll import _load as _load_poll
    from .red_flags import _load as _load_red_flags
    from .workshop import _load as _load_plans

    tables = {
        f"table:{name}": _read_table(name, tuple(types.items()), root)
        for name, types in TABLES.items()
    }
    return {
        "content": _load(root),
        **tables,
        "cues": _load_cues(root),
        "imaging": _load_imaging(root),
        "odds_ratios": _load_odds(root),
        "myths": _load_myths(root),
        "poll_items": _load_poll(root),
        "red_flags": _load_red_flags(root),
        "plans": _load_plans(root),
    }


@lru_cache(maxsize=8)
def _load(root: Path) -> Content:
    course_path = root / "course.yaml"
    shown = _rel(course_path, root)
    if not course_path.is_file():
        raise ContentError(shown, None, None, "file not found")
    course_doc = _read_yaml(course_path, shown)
    for label, raw in _items(course_doc, "lessons", shown):
        _build(Lesson, raw, shown, label)  # names the lesson when one is wrong
    course = _build(Course, course_doc, shown, "course")
    lesson_ids = [lesson.id for lesson in course.lessons]
    if len(set(lesson_ids)) != len(lesson_ids):
        dup = next(i for i in lesson_ids if lesson_ids.count(i) > 1)
        raise ContentError(shown, dup, "id", "this lesson id is used twice")

    references: dict[str, Reference] = {}
    seen_in: dict[str, str] = {}
    for path in sorted((root / "references").glob("*.yaml")):
        shown = _rel(path, root)
        for label, raw in _items(_read_yaml(path, shown), "references", shown):
            ref = _build(Reference, raw, shown, label)
            if ref.id in references:
                raise ContentError(
                    shown, ref.id, "id", f"duplicate id (first used in {seen_in[ref.id]})"
                )
            references[ref.id], seen_in[ref.id] = ref, shown

    questions: dict[str, Question] = {}
    for path in sorted((root / "quizzes").glob("*.yaml")):
        shown = _rel(path, root)
        doc = _read_yaml(path, shown)
        lesson = doc.get("lesson")
        if lesson not in lesson_ids:
            raise ContentError(shown, None, "lesson", f"unknown lesson {lesson!r}; see course.yaml")
        for label, raw in _items(doc, "questions", shown):
            if isinstance(raw, dict):
                raw = {"lesson": lesson, **raw}
            q = _build(Question, raw, shown, label)
            _check_question_rules(q, shown)
            for ref_id in q.references:
                if ref_id not in references:
                    raise ContentError(
                        shown, q.id, "references", f"unknown reference id {ref_id!r}"
                    )
            if q.id in questions or q.id in references:
                first = seen_in.get(q.id, "another file")
                raise ContentError(shown, q.id, "id", f"duplicate id (first used in {first})")
            questions[q.id], seen_in[q.id] = q, shown

    return Content(course=course, references=FrozenMap(references), questions=FrozenMap(questions))


# ---------------------------------------------------------------- tables (CSV)

# Column types of the core tables in data/tables/. A schema module may read its
# own tables with ``read_table`` and its own column types.
TABLES: dict[str, dict[str, type]] = {
    "natural_course": {"cohort": str, "week": int, "mean_pain_0_100": float, "source": str},
}


def load_table(name: str, data_dir: Path | str | None = None) -> tuple[FrozenMap[str, Any], ...]:
    """Rows of one of the core tables (see ``TABLES``)."""
    if name not in TABLES:
        raise KeyError(f"no column types for table {name!r} in content.TABLES")
    if data_dir is None:
        return validated(f"table:{name}")
    return read_table(name, tuple(TABLES[name].items()), data_dir)


def read_table(
    name: str, columns: tuple[tuple[str, type], ...], data_dir: Path | str | None = None
) -> tuple[FrozenMap[str, Any], ...]:
    """Rows of ``data/tables/<name>.csv``, typed per ``columns`` (name, type) in order.

    A column named ``source`` holds a reference id and must resolve. An empty
    cell is read as ``None`` only for a column whose type is ``OptionalFloat``.
    """
    root = Path(data_dir or DATA_DIR).resolve()
    return _read_table(name, columns, root)


class OptionalFloat(float):
    """Column type: a number, or an empty cell read as None."""


@lru_cache(maxsize=64)
def _read_table(
    name: str, columns: tuple[tuple[str, type], ...], root: Path
) -> tuple[FrozenMap[str, Any], ...]:
    import csv

    path = root / "tables" / f"{name}.csv"
    shown = _rel(path, root)
    if not path.is_file():
        raise ContentError(shown, None, None, "file not found")
    types = dict(columns)
    references = _load(root).references
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
            if "source" in row and row["source"] not in references:
                raise ContentError(
                    shown, f"line {line}", "source", f"unknown reference id {row['source']!r}"
                )
            rows.append(FrozenMap(row))
    if not rows:
        raise ContentError(shown, None, None, "the table has no rows")
    return tuple(rows)


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


if __name__ == "__main__":
    raise SystemExit(main())
