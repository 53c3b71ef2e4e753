"""Workshop content: poll items, session plans and the workshop pages follow the rules."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import textstat
import yaml

from tests.conftest import NOTEBOOKS, REPO
from widgets.content import ContentError, load_content
from widgets.content.poll import load_poll_items
from widgets.content.workshop import load_plans
from widgets.logic.readability import lesson_prose

CONTENT = load_content()
WORKSHOP = NOTEBOOKS / "workshop"
PAGES = sorted(WORKSHOP.glob("*.ipynb"))


def _edit(root: Path, rel: str, change) -> None:
    path = root / rel
    doc = yaml.safe_load(path.read_text())
    change(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))


def _nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _markdown(nb: dict) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


# ------------------------------------------------------------------ poll items


def test_poll_items_load_and_cite_real_sources():
    items = load_poll_items()
    assert 4 <= len(items) <= 6
    assert {item.answer for item in items} == {"myth", "fact"}
    lessons = {lesson.id for lesson in CONTENT.course.lessons}
    for item in items:
        assert item.lesson in lessons
        assert set(item.references) <= set(CONTENT.references)
    assert {"osullivan2020", "brinjikji2015", "hayden2021"} <= {
        ref for item in items for ref in item.references
    }


def test_poll_statements_read_plainly():
    text = " ".join(f"{i.statement} {i.explanation}" for i in load_poll_items())
    assert textstat.flesch_kincaid_grade(text) <= 8


@pytest.mark.parametrize(
    "change, item, field, words",
    [
        (lambda d: d["items"][0].update(answer="maybe"), "serious-damage", "answer", "myth"),
        (
            lambda d: d["items"][1].update(references=["nobody2020"]),
            "scan-shows-cause",
            "references",
            "unknown reference id 'nobody2020'",
        ),
        (
            lambda d: d["items"][2].update(lesson="99-nothing"),
            "hurt-means-harm",
            "lesson",
            "unknown lesson",
        ),
        (lambda d: d["items"][3].pop("statement"), "exercise-helps", "statement", "is missing"),
        (
            lambda d: d["items"][4].update(id=d["items"][0]["id"]),
            "serious-damage",
            "id",
            "used twice",
        ),
        (lambda d: d["items"][0].update(id="Bad Id"), "Bad Id", "id", "should match"),
        (lambda d: d.update(items=d["items"][:1]), None, "items", "give 2 to 8 items"),
    ],
)
def test_a_broken_poll_file_names_file_item_and_field(data_copy, change, item, field, words):
    _edit(data_copy, "poll_items.yaml", change)
    with pytest.raises(ContentError) as info:
        load_poll_items(data_copy)
    err = info.value
    assert err.file == "data/poll_items.yaml" and err.item == item and err.field == field
    assert words in str(err)


# ------------------------------------------------------------------ session plans


def test_plans_have_the_minutes_the_guide_promises():
    plans = load_plans()
    assert plans["one-90"].meetings == (90,) and plans["two-60"].meetings == (60, 60)
    for plan in plans.values():
        for number, length in enumerate(plan.meetings, start=1):
            assert sum(p.minutes for p in plan.parts_of(number)) == length
        shown = {lesson for part in plan.parts for lesson in part.lessons}
        assert shown == {lesson.id for lesson in CONTENT.course.lessons}, (
            f"{plan.id} should show every lesson"
        )


@pytest.mark.parametrize(
    "change, field, words",
    [
        (
            lambda d: d["plans"][0]["parts"][0].update(minutes=11),
            "parts",
            "add up to 91 minutes, but the meeting lasts 90",
        ),
        (
            lambda d: d["plans"][0]["parts"][1].update(lessons=["42-nothing"]),
            "parts[1].lessons",
            "unknown lesson '42-nothing'",
        ),
        (
            lambda d: d["plans"][1]["parts"][0].update(meeting=3),
            "parts[0].meeting",
            "has 2 meeting(s), not 3",
        ),
        (
            lambda d: d["plans"][0]["parts"][0].update(minutes="ten"),
            "parts[0].minutes",
            "valid integer",
        ),
    ],
)
def test_a_broken_plan_names_file_plan_and_field(data_copy, change, field, words):
    _edit(data_copy, "workshop_plan.yaml", change)
    with pytest.raises(ContentError) as info:
        load_plans(data_copy)
    err = info.value
    assert err.file == "data/workshop_plan.yaml" and err.field == field
    assert err.item in ("one-90", "two-60")
    assert words in str(err)


# ------------------------------------------------------------------ the workshop pages


def test_the_workshop_pages_exist_and_are_not_lessons():
    assert [p.name for p in PAGES] == ["facilitator-guide.ipynb", "facilitator.ipynb", "join.ipynb"]
    lesson_ids = {lesson.id for lesson in CONTENT.course.lessons}
    assert not {p.stem for p in PAGES} & lesson_ids


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_workshop_page_furniture(path):
    nb = _nb(path)
    assert nb["metadata"]["title"].endswith("| Understanding chronic back pain")
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    md = _markdown(nb)
    assert md[0].startswith("# ")
    assert f"> **Please note.** {CONTENT.course.disclaimer}" in "\n".join(md)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
            source = "".join(cell["source"])
            assert len(source.splitlines()) <= 2, source
            for line in source.splitlines():
                assert "import" not in line or line.startswith("from widgets"), line


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_workshop_links_are_relative_and_resolve(path):
    nb = _nb(path)
    headings = {
        re.sub(r"\s", "-", line[3:].strip())
        for cell in _markdown(nb)
        for line in cell.splitlines()
        if line.startswith(("## ", "### "))
    }
    for cell in _markdown(nb):
        for target in re.findall(r"\]\(([^)]+)\)", cell):
            if target.startswith("#ref-"):
                assert target[5:] in CONTENT.references
            elif target.startswith("#"):
                assert target[1:] in headings, f"no heading for {target}"
            else:
                assert not target.startswith(("http", "/")), f"not relative: {target}"
                assert (WORKSHOP / target).resolve().is_file(), f"broken link {target}"


@pytest.mark.parametrize("name", ["join", "facilitator"])
def test_the_poll_pages_read_plainly(name):
    prose = lesson_prose(_markdown(_nb(WORKSHOP / f"{name}.ipynb")))
    assert textstat.flesch_kincaid_grade(prose) <= 8


def test_the_guide_covers_what_a_facilitator_needs():
    text = "\n".join(_markdown(_nb(WORKSHOP / "facilitator-guide.ipynb")))
    code = "\n".join(
        "".join(c["source"])
        for c in _nb(WORKSHOP / "facilitator-guide.ipynb")["cells"]
        if c["cell_type"] == "code"
    )
    for needed in (
        "--Voila.ip=0.0.0.0",
        "make app",
        "make workshop",
        "trusted network",
        "proxy_buffering off",
        "COURSE_POLL_DB",
        "?template=course-slides",
        "make handouts",
        "make summary",
        "/join",
        "999",
        "112",
        "911",
        "Speak to the person privately",
        "Follow the checker's advice",
        "8 weeks",
    ):
        assert needed in text, needed
    for shown in (
        'session_plan("one-90")',
        'session_plan("two-60")',
        "answer_keys()",
        "poll_key()",
        "red_flag_advice()",
        "guide_sources()",
    ):
        assert shown in code
    assert (
        textstat.flesch_kincaid_grade(
            lesson_prose(_markdown(_nb(WORKSHOP / "facilitator-guide.ipynb")))
        )
        <= 8
    )


def test_the_guide_and_the_readme_give_the_same_commands():
    guide = "\n".join(_markdown(_nb(WORKSHOP / "facilitator-guide.ipynb")))
    readme = (REPO / "README.md").read_text()
    for command in ("make workshop", "make handouts", 'make summary LESSONS="'):
        assert command in guide and command in readme, command
    # No literal Markdown marks where a link is cut for wrapping.
    assert "**http" not in guide and "<wbr>**" not in guide
