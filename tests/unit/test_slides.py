"""Slide breaks come from the lesson's headings, never from metadata in the notebooks."""

from __future__ import annotations

import json

import nbformat
import pytest

from tests.conftest import NOTEBOOKS
from widgets.content import load_content
from widgets.logic.slides import heading_slides, split_at_headings, starts_slide


def _md(text: str, **extra) -> dict:
    return {"cell_type": "markdown", "source": text, "metadata": {}, **extra}


def _code(text: str) -> dict:
    return {
        "cell_type": "code",
        "source": text,
        "metadata": {},
        "outputs": [],
        "execution_count": None,
    }


def test_every_level_one_and_two_heading_starts_a_slide():
    cells = heading_slides(
        [
            _md("# Title\n\nIntro"),
            _code("from widgets import lesson"),
            _md("## First\n\nText"),
            _code("lesson.chart()"),
            _md("More text"),
            _md("### A sub-heading\n\nStays on the slide"),
            _md("## Key points\n\n- one\n\n## Sources"),
            _code("lesson.sources('x')"),
        ]
    )
    kinds = [
        (c["cell_type"], c["metadata"]["slideshow"]["slide_type"], c["source"].split("\n")[0])
        for c in cells
    ]
    assert kinds == [
        ("markdown", "slide", "# Title"),
        ("code", "-", "from widgets import lesson"),
        ("markdown", "slide", "## First"),
        ("code", "-", "lesson.chart()"),
        ("markdown", "-", "More text"),
        ("markdown", "-", "### A sub-heading"),
        ("markdown", "slide", "## Key points"),
        ("markdown", "slide", "## Sources"),
        ("code", "-", "lesson.sources('x')"),
    ]


def test_headings_inside_code_fences_do_not_count():
    text = "## Run it\n\n```bash\n# a shell comment\n## not a heading\n```\n\nDone"
    assert split_at_headings(text) == [text]


def test_the_first_cell_always_starts_a_slide_and_ids_stay_unique():
    cells = heading_slides([_md("No heading yet", id="a"), _md("## One\n\n## Two", id="b")])
    assert [c["metadata"]["slideshow"]["slide_type"] for c in cells] == ["slide", "slide", "slide"]
    assert [c["id"] for c in cells] == ["a", "b", "b-1"]


def test_the_input_cells_are_not_changed():
    original = [_md("## One\n\ntext\n\n## Two", metadata={"tags": ["x"]})]
    original[0]["metadata"] = {"tags": ["x"]}
    before = json.dumps(original)
    out = heading_slides(original)
    assert json.dumps(original) == before
    assert out[0]["metadata"]["tags"] == ["x"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("## A", True),
        ("# A", True),
        ("### A", False),
        ("#hashtag", False),
        ("\n\n## A", True),
        ("", False),
    ],
)
def test_what_counts_as_a_slide_heading(text, expected):
    assert starts_slide(text) is expected


@pytest.mark.parametrize(
    "lesson", [x for x in load_content().course.lessons if x.ready], ids=lambda x: x.id
)
def test_each_lesson_gets_one_slide_per_section_and_one_per_chart(lesson):
    from widgets.logic.slides import CHART_CELL, CHART_SUFFIX
    from widgets.slides import HeadingSlides

    nb = nbformat.read(NOTEBOOKS / lesson.notebook, as_version=4)
    expected, heading = [], ""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith(("# ", "## ")):
                    expected.append(line)
                    heading = line.lstrip("#").strip()
        elif CHART_CELL.match(cell.source):
            expected.append(f"## {heading}{CHART_SUFFIX}")
    out, _ = HeadingSlides().preprocess(nb, {})
    slides = [c for c in out.cells if c.metadata.slideshow.slide_type == "slide"]
    assert [c.source.splitlines()[0] for c in slides] == expected
    # A chart's slide holds its title and the chart, nothing else.
    for i, cell in enumerate(out.cells):
        if cell.cell_type == "code" and CHART_CELL.match(cell.source):
            assert out.cells[i - 1].source.endswith(CHART_SUFFIX)
    assert len(out.cells) >= len(nb.cells)
    assert all("slideshow" not in c.metadata for c in nb.cells)  # the lesson is untouched


def test_a_chart_gets_a_slide_of_its_own_under_its_sections_heading():
    cells = [
        {"cell_type": "markdown", "source": "## What happens", "metadata": {}},
        {"cell_type": "markdown", "source": "Some words.", "metadata": {}},
        {"cell_type": "code", "source": "lesson.natural_course_chart()", "metadata": {}},
        {"cell_type": "code", "source": "Quiz.for_lesson('x')", "metadata": {}},
    ]
    out = heading_slides(cells)
    assert [(c["source"], c["metadata"]["slideshow"]["slide_type"]) for c in out] == [
        ("## What happens", "slide"),
        ("Some words.", "-"),
        ("## What happens (chart)", "slide"),
        ("lesson.natural_course_chart()", "-"),
        ("Quiz.for_lesson('x')", "-"),
    ]
