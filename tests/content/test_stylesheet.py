"""One stylesheet for what a lesson shows (widgets/static/widgets.css), reaching every page.

The website, the slides and JupyterLab all get it the same way: each notebook shows
``lesson.stylesheet()`` before anything else. The templates' own CSS styles only the page
around a lesson, and no view carries a copy of its CSS in a Python string.
"""

from __future__ import annotations

import ast
import json
import re

import pytest

from tests.conftest import NOTEBOOKS, REPO
from widgets import lesson

CSS = lesson.STYLESHEET.read_text(encoding="utf-8")
TEMPLATE_CSS = [
    REPO / "share/jupyter/voila/templates/course/static/course.css",
    REPO / "share/jupyter/voila/templates/course-slides/static/course-slides.css",
]
NOTEBOOK_PATHS = sorted(
    p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
)


def _rules(css: str) -> list[tuple[str, str]]:
    """(selector, declarations) for every rule, inside @media blocks too."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@media[^{]*\{", "", css)
    return [(sel.strip(), body) for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)]


def _split(selector: str) -> list[str]:
    """A selector list's parts (commas inside :is(...) do not split)."""
    return [" ".join(s.split()) for s in re.split(r",(?![^()]*\))", selector) if s.strip()]


def _selectors(css: str) -> set[str]:
    return {s for sel, _ in _rules(css) for s in _split(sel)}


def _declared(css: str) -> set[tuple[str, str]]:
    """(selector, property) for every declaration."""
    return {
        (s, prop.strip())
        for sel, body in _rules(css)
        for s in _split(sel)
        for prop in re.findall(r"([\w-]+)\s*:", body)
    }


def test_the_stylesheet_ships_in_the_package():
    assert lesson.STYLESHEET == REPO / "widgets" / "static" / "widgets.css"
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'widgets = ["static/*"]' in pyproject


def test_every_rule_styles_only_the_courses_own_classes():
    # So it can never restyle JupyterLab itself: each selector names a course-* class,
    # or is the colour palette (the page root, JupyterLab's dark theme).
    palette = {":root", 'body[data-jp-theme-light="false"]'}
    for selector in _selectors(CSS):
        assert selector in palette or ".course-" in selector, selector


def test_every_colour_variable_has_a_light_and_a_dark_value():
    rules = dict(_rules(CSS))
    light = set(re.findall(r"(--course-[\w-]+):", rules[":root"]))
    dark = set(re.findall(r"(--course-[\w-]+):", rules['body[data-jp-theme-light="false"]']))
    used = set(re.findall(r"var\((--course-[\w-]+)", CSS))
    assert used <= light and light == dark
    for path in TEMPLATE_CSS:
        assert set(re.findall(r"var\((--course-[\w-]+)", path.read_text())) <= light, path.name


def test_the_templates_do_not_repeat_what_the_stylesheet_styles():
    # The website may hide what it draws itself (the JupyterLab hint), never restyle it.
    ours = _declared(CSS)
    for path in TEMPLATE_CSS:
        again = ours & _declared(path.read_text(encoding="utf-8"))
        assert not again, f"{path.name} repeats widgets.css: {sorted(again)}"


# A CSS rule: a selector, a brace, then a first declaration ("prop: value;").
RULE = re.compile(r"(?:^|\n)\s*[.#@:a-z][\w.#:\-\[\]=\"' ,>*]*\{\s*[\w-]+\s*:[^{};]+;")


def _python_strings(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


@pytest.mark.parametrize(
    "path", sorted((REPO / "widgets").rglob("*.py")), ids=lambda p: str(p.relative_to(REPO))
)
def test_no_module_keeps_css_in_a_python_string(path):
    # Every stylesheet is a file in widgets/static/ (the standalone documents' too: the
    # plan download, the printed handouts), so it can be read and linted as CSS.
    for text in _python_strings(path):
        if "{" in text and ";" in text:
            rules = RULE.findall(text)
            assert not rules, f"{path.name}: {rules[0][:60]!r}"


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_every_notebook_shows_the_stylesheet_before_anything_else(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    assert code[0].startswith("from widgets import")
    assert code[1] == "lesson.stylesheet()"


def test_the_stylesheet_shows_as_one_style_element_and_no_text():
    shown = lesson.stylesheet()
    assert shown.html.startswith('<style id="course-widgets-css">')
    assert shown.html.count("<style") == 1 and repr(shown) == ""
    assert ".course-quiz__verdict--right" in shown.html and "/*" not in shown.html
