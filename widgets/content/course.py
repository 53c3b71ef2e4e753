"""The course itself: ``data/course.yaml`` (title, notice, lessons in order), the
citations in ``data/references/*.yaml`` and the quizzes in ``data/quizzes/*.yaml``.

Every other kind of content points into these: at a reference by id, at a lesson by id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from .. import i18n
from ._frozen import FrozenMap
from .base import (
    ID,
    NOTEBOOKS_DIR,
    ContentError,
    Field,
    Model,
    build,
    items,
    known_lessons,
    known_references,
    read_yaml,
    shown_path,
    unique_ids,
)
from .registry import kind, read

LANDING = "00-index"  # the landing page's notebook


class Reference(Model):
    """A citation that prose and quizzes point to by ``id``."""

    id: str = Field(pattern=ID)
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

    id: str = Field(pattern=ID)
    lesson: str = Field(pattern=ID)
    kind: Literal["single", "multiple", "true_false"]
    prompt: str = Field(min_length=1)
    options: tuple[Option, ...] = Field(min_length=2)
    explanation: str = Field(min_length=1)
    references: tuple[str, ...] = Field(min_length=1)
    # A "what would you do / what would you tell Sam" question: a situation to apply the
    # lesson to, rather than a fact to recall (issue 17 asks for a third of each quiz).
    scenario: bool = Field(default=False)


class Lesson(Model):
    id: str = Field(pattern=ID)
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
    # Where to turn in a crisis (thoughts of suicide or self-harm), for the lessons on mood
    # and setbacks (hazard H13 in docs/clinical-safety.md), and the sources of its numbers.
    crisis: str = Field(min_length=1)
    crisis_sources: tuple[str, ...] = Field(min_length=1)
    lessons: tuple[Lesson, ...] = Field(min_length=1)


@dataclass(frozen=True)
class Content:
    """The course, its references and its quiz questions, validated and cross-checked."""

    course: Course
    references: FrozenMap[str, Reference]
    questions: FrozenMap[str, Question]

    @property
    def lesson_ids(self) -> tuple[str, ...]:
        return tuple(lesson.id for lesson in self.course.lessons)

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


def load_content(data_dir: Path | str | None = None) -> Content:
    """Read and validate the course, references and quizzes under ``data_dir``
    (default ``DATA_DIR``).

    Results are kept per folder for the life of the process (restart a kernel to
    see edits). The course's own folder is read from its validated snapshot when
    one is saved (``widgets.content._snapshot``); a folder passed in is validated.
    """
    return read("content", data_dir)


def _true_false() -> tuple[str, str]:
    """The options of a true/false question, in the language being read (the widgets'
    catalog translates them)."""
    english = (i18n.N_("True"), i18n.N_("False"))
    if i18n.current() == i18n.SOURCE:
        return english
    from ..i18n.catalogs import word

    return (word(i18n.current(), english[0]), word(i18n.current(), english[1]))


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
        true, false = _true_false()
        # (a translation's catalogs may lag each other: the English pair is also accepted)
        if texts not in ([true, false], ["True", "False"]) or n_correct != 1:
            raise ContentError(
                shown,
                q.id,
                "options",
                f"a true/false question has exactly the options {true!r} and {false!r}, "
                "one correct",
            )
    if q.kind == "multiple" and n_correct < 1:
        raise ContentError(shown, q.id, "options", "mark at least one option correct")
    texts = [option.text for option in q.options]
    if len(set(texts)) != len(texts):
        raise ContentError(shown, q.id, "options", "two options have the same text")


@kind("content")
@lru_cache(maxsize=8)
def _load(root: Path) -> Content:
    course_path = root / "course.yaml"
    shown = shown_path(course_path, root)
    if not course_path.is_file():
        raise ContentError(shown, None, None, "file not found")
    course_doc = read_yaml(course_path, shown)
    for label, raw in items(course_doc, "lessons", shown):
        build(Lesson, raw, shown, label)  # names the lesson when one is wrong
    course = build(Course, course_doc, shown, "course")
    unique_ids(shown, course.lessons, "lesson id")
    lesson_ids = [lesson.id for lesson in course.lessons]

    # Ids are unique across all references and questions, so a citation cannot be
    # mistaken for a question; the error says where the id was first used.
    references: dict[str, Reference] = {}
    seen_in: dict[str, str] = {}
    for path in sorted((root / "references").glob("*.yaml")):
        shown = shown_path(path, root)
        for label, raw in items(read_yaml(path, shown), "references", shown):
            ref = build(Reference, raw, shown, label)
            if ref.id in references:
                raise ContentError(
                    shown, ref.id, "id", f"duplicate id (first used in {seen_in[ref.id]})"
                )
            references[ref.id], seen_in[ref.id] = ref, shown

    known_references(
        shown_path(course_path, root), "course", "crisis_sources", course.crisis_sources, references
    )

    questions: dict[str, Question] = {}
    for path in sorted((root / "quizzes").glob("*.yaml")):
        shown = shown_path(path, root)
        doc = read_yaml(path, shown)
        lesson = doc.get("lesson")
        known_lessons(shown, None, "lesson", [lesson], lesson_ids)
        for label, raw in items(doc, "questions", shown):
            if isinstance(raw, dict):
                raw = {"lesson": lesson, **raw}
            q = build(Question, raw, shown, label)
            _check_question_rules(q, shown)
            known_references(shown, q.id, "references", q.references, references)
            if q.id in questions or q.id in references:
                first = seen_in.get(q.id, "another file")
                raise ContentError(shown, q.id, "id", f"duplicate id (first used in {first})")
            questions[q.id], seen_in[q.id] = q, shown

    return Content(course=course, references=FrozenMap(references), questions=FrozenMap(questions))
