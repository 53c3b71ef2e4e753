"""Every lesson notebook follows the skeleton, cites real sources and reads plainly."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import textstat

from tests.conftest import NOTEBOOKS
from widgets.content import load_content
from widgets.logic.citations import cited_ids
from widgets.logic.readability import lesson_prose

CONTENT = load_content()
READY = [lesson for lesson in CONTENT.course.lessons if lesson.ready]
ALL_NOTEBOOKS = sorted(NOTEBOOKS.glob("*.ipynb"))
MAX_GRADE = 8.0


def _nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _markdown(nb: dict) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def _code(nb: dict) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def test_every_notebook_is_on_the_course_map():
    known = {"00-index"} | {lesson.id for lesson in CONTENT.course.lessons}
    assert {p.stem for p in ALL_NOTEBOOKS} <= known


@pytest.mark.parametrize(
    "path", sorted(NOTEBOOKS.rglob("*.ipynb")), ids=lambda p: str(p.relative_to(NOTEBOOKS))
)
def test_every_notebook_is_valid_for_its_nbformat_version(path):
    # Voila logs "Notebook JSON is invalid" for any that is not (e.g. cell ids in 4.4),
    # which alarms a facilitator watching the terminal.
    import nbformat

    nbformat.validate(nbformat.read(path, as_version=nbformat.NO_CONVERT))


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_are_stripped(path):
    for cell in _nb(path)["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.stem)
def test_code_cells_are_thin(path):
    for source in _code(_nb(path)):
        assert len(source.splitlines()) <= 2, f"move this into widgets/: {source!r}"
        for line in source.splitlines():
            assert "import" not in line or line.startswith("from widgets"), line


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.stem)
def test_every_page_carries_the_notice(path):
    text = " ".join(_markdown(_nb(path)))
    assert CONTENT.course.disclaimer in text


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.stem)
def test_relative_links_point_to_notebooks_that_exist(path):
    for cell in _markdown(_nb(path)):
        for target in re.findall(r"\]\(([^)#][^)]*)\)", cell):
            if target.startswith("http"):
                continue
            assert (NOTEBOOKS / target).is_file(), f"broken link {target} in {path.name}"


@pytest.mark.parametrize("lesson", READY, ids=lambda lesson: lesson.id)
def test_lesson_skeleton(lesson):
    nb = _nb(NOTEBOOKS / lesson.notebook)
    md = _markdown(nb)
    number = CONTENT.course.lessons.index(lesson) + 1
    assert nb["metadata"]["title"].startswith(f"{number}. {lesson.title}")
    head = md[0]
    assert head.startswith(f"# {number}. {lesson.title}\n")
    assert f"About {lesson.minutes} minutes." in head
    assert "In this lesson you will learn:" in head
    headings = [line for cell in md for line in cell.splitlines() if line.startswith("## ")]
    assert headings[-2:] == ["## Key points", "## Sources"]
    code = _code(nb)
    assert f'Quiz.for_lesson("{lesson.id}")' in code
    assert code[-2:] == [f'lesson.sources("{lesson.id}")', f'lesson.nav("{lesson.id}")']


@pytest.mark.parametrize("lesson", READY, ids=lambda lesson: lesson.id)
def test_every_citation_resolves_and_lessons_cite(lesson):
    ids = cited_ids(_markdown(_nb(NOTEBOOKS / lesson.notebook)))
    assert ids, "a lesson states facts, so it cites sources"
    assert set(ids) <= set(CONTENT.references)


@pytest.mark.parametrize("lesson", READY, ids=lambda lesson: lesson.id)
def test_each_lesson_has_a_quiz_of_at_least_three(lesson):
    assert len(CONTENT.questions_for(lesson.id)) >= 3


def test_lesson_01_quiz_has_at_least_four():
    assert len(CONTENT.questions_for("01-what-is-chronic-back-pain")) >= 4


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.stem)
def test_reading_level_is_grade_8_or_below(path):
    prose = lesson_prose(_markdown(_nb(path)))
    grade = textstat.flesch_kincaid_grade(prose)
    assert grade <= MAX_GRADE, f"{path.stem}: Flesch-Kincaid grade {grade}"


def test_landing_page_links_the_first_lesson_and_explains_three_ways_in():
    text = " ".join(_markdown(_nb(NOTEBOOKS / "00-index.ipynb")))
    assert f"]({READY[0].notebook})" in text
    for way in ("On the web", "In JupyterLab", "In a workshop"):
        assert way in text


def test_quiz_feedback_and_prompts_read_plainly():
    texts = []
    for q in CONTENT.questions.values():
        texts += [q.prompt, q.explanation, *(o.feedback for o in q.options)]
    assert textstat.flesch_kincaid_grade(" ".join(texts)) <= MAX_GRADE
