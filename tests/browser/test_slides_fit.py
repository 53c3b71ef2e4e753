"""Every chart fits its slide on a 1280 x 720 projector, and the slide counter is readable."""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import axe_serious, screenshot
from tests.conftest import NOTEBOOKS
from widgets.content import load_content
from widgets.logic.slides import CHART_CELL

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 1280, 720


def _chart_cells(lesson_id: str) -> int:
    nb = json.loads((NOTEBOOKS / f"{lesson_id}.ipynb").read_text(encoding="utf-8"))
    return sum(
        c["cell_type"] == "code" and bool(CHART_CELL.match("".join(c["source"])))
        for c in nb["cells"]
    )


# The lessons with a chart (each lesson's slide counter is checked on one of them).
LESSONS = [x.id for x in load_content().course.lessons if x.ready and _chart_cells(x.id)]

# Each figure on the slide that holds it, with the slide scrolled to its top: its box and
# the slide's, in page pixels.
_FIGURES = """() => [...document.querySelectorAll('.reveal .slides > section')].flatMap(
    (outer, index) => [...outer.querySelectorAll('svg[role=img]')].map(
        (svg) => ({index, top: svg.getBoundingClientRect().top,
                   bottom: svg.getBoundingClientRect().bottom}))
)"""


def test_the_lessons_with_charts_are_found():
    assert len(LESSONS) >= 4 and "01-what-is-chronic-back-pain" in LESSONS


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_chart_fits_its_slide_on_a_projector(page, voila, lesson):
    pg = page.page
    pg.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    pg.emulate_media(reduced_motion="reduce")
    pg.goto(f"{voila.url}/voila/render/{lesson}.ipynb?template=course-slides")
    pg.wait_for_selector("#rendered_cells", state="visible")
    pg.wait_for_function("() => document.querySelector('.reveal.ready') !== null")
    pg.wait_for_function(
        "() => document.querySelectorAll('.jupyter-widgets-disconnected').length === 0"
    )
    # The charts are drawn (a tool draws its chart once its kernel has run; the pacing
    # planner draws one only when a plan is made, so at least one per lesson).
    pg.wait_for_function("() => document.querySelectorAll('.reveal svg[role=img]').length > 0")
    pg.wait_for_load_state("networkidle")
    indexes = sorted({f["index"] for f in pg.evaluate(_FIGURES)})
    assert indexes
    at = 0
    for index in indexes:
        for _ in range(index - at):  # the keyboard, as a facilitator moves on
            pg.keyboard.press("ArrowRight")
        at = index
        pg.wait_for_function(
            f"() => document.querySelectorAll('.reveal .slides > section')"
            f"[{index}].classList.contains('present')"
        )
        pg.evaluate(
            "() => document.querySelectorAll('.reveal .slides section')"
            ".forEach(s => { s.scrollTop = 0; })"
        )
        screenshot(pg, f"slides-{lesson}-{index}-projector")
        for figure in [f for f in pg.evaluate(_FIGURES) if f["index"] == index]:
            assert 0 <= figure["top"] and figure["bottom"] <= HEIGHT, (lesson, index, figure)
    # The slide counter: large enough to read from the back of a room.
    size = pg.locator(".reveal .slide-number").evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert size >= 22
    assert axe_serious(pg) == []
