"""One wording everywhere: every warning sign a learner reads comes from data/red_flags.yaml.

Lessons carry the texts between markers that `make sync` fills from the data
(widgets.content.generated); these tests fail when a lesson's copy differs from the
data, when a page lacks its notice, or when a warning sign is typed by hand outside
the generated text (hazard H6 in docs/clinical-safety.md).
"""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import NOTEBOOKS
from widgets import i18n
from widgets.content import load_content
from widgets.content.generated import REGION, language_of, notebooks, regions, stale, sync
from widgets.content.red_flags import load_red_flags
from widgets.i18n import catalogs
from widgets.logic import warning_signs

PAGES = notebooks()
# Words that name a warning sign. Outside the generated texts no lesson may use them,
# so a sign can never be said twice in two wordings.
SIGN_WORDS = re.compile(
    r"bladder|bowel|genital|saddle|\bpee|both legs|chest pain|shoulder blade|\bnumb(ness)?\b|tingl"
    r"|foot drop|foot drag|high temperature|fever|weight without trying|lump",
    re.I,
)


def _markdown_outside_regions(path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    md = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return REGION.sub("", md)


def test_every_generated_text_is_in_step_with_the_data():
    out_of_step = [f"{r.notebook.relative_to(NOTEBOOKS)} cell {r.cell}: {r.key}" for r in stale()]
    assert out_of_step == [], "run `make sync` after editing data/red_flags.yaml"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(NOTEBOOKS)))
def test_every_page_opens_with_the_notice_and_its_warning_line(path):
    found = [r for r in regions(path) if r.file == "red_flags"]
    assert found and found[0].key == "notice"
    body = found[0].body
    language = language_of(path)
    with i18n.speaking(language):
        assert load_content().course.disclaimer in body
        # It names difficulty peeing and a serious injury, and points to lesson 8, in the
        # page's language.
        rules = load_red_flags()
        assert rules.flag("bladder_bowel").name in body and rules.flag("major_trauma").name in body
        lesson_8 = i18n._(warning_signs.LESSON_8_WORDS)
    home = NOTEBOOKS / language if language != i18n.SOURCE else NOTEBOOKS
    href = "08-when-to-worry.ipynb" if path.parent == home else "../08-when-to-worry.ipynb"
    assert f"[{lesson_8}]({href})" in body
    assert (path.parent / href).resolve() == (home / "08-when-to-worry.ipynb").resolve()


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(NOTEBOOKS)))
def test_no_page_types_a_warning_sign_by_hand(path):
    language = language_of(path)
    words = SIGN_WORDS
    if language != i18n.SOURCE:  # each language names its own sign words
        words = re.compile(catalogs.language_info(language)["sign_words"], re.I)
    hand_typed = words.findall(_markdown_outside_regions(path))
    assert hand_typed == [], "say warning signs through data/red_flags.yaml (see its header)"


def test_lesson_8_lists_every_sign_under_its_level():
    keys = [r.key for r in regions(NOTEBOOKS / "08-when-to-worry.ipynb") if r.file == "red_flags"]
    assert keys == ["notice", "new_means", "emergency", "urgent", "soon"]


@pytest.mark.parametrize("lesson", ["06-movement-and-pacing", "07-the-mind-body-loop"])
def test_movement_practices_give_the_boundary(lesson):
    keys = [r.key for r in regions(NOTEBOOKS / f"{lesson}.ipynb")]
    assert "movement_boundary" in keys
    body = next(
        r.body for r in regions(NOTEBOOKS / f"{lesson}.ipynb") if r.key == "movement_boundary"
    )
    assert "within about a day" in body and "new numbness" in body
    assert "[lesson 8](08-when-to-worry.ipynb)" in body


def test_the_notice_names_every_emergency_flag_in_the_data_words():
    rules = load_red_flags()
    text = warning_signs.notice_text(rules)
    for flag in rules.flags:
        assert (flag.name in text) == (flag.level == "emergency"), flag.id
    assert text.startswith(rules.texts.notice_intro)
    assert text.endswith(rules.texts.notice_more)


def test_lists_cite_every_source_of_every_flag():
    rules, refs = load_red_flags(), load_content().references
    for level in warning_signs.LIST_LEVELS:
        md = warning_signs.markdown(level, rules, refs)
        assert md.startswith(rules.advice[level].intro + "\n\n")
        for flag in rules.at_level(level):
            cites = " ".join(f"[({refs[r].short})](#ref-{r})" for r in flag.sources)
            assert f"- {flag.sign} {cites}" in md


def test_an_unknown_key_is_refused():
    with pytest.raises(ValueError, match="unknown warning-sign text 'notise'"):
        warning_signs.markdown("notise", load_red_flags(), load_content().references)


def test_sync_rewrites_a_region_typed_by_hand(tmp_path):
    page = tmp_path / "01-x.ipynb"
    cell = {
        "cell_type": "markdown",
        "metadata": {},
        "source": [
            "# A page\n",
            "\n",
            "<!-- begin: red_flags.yaml notice -->\n",
            "> Numbness? Call someone.\n",
            "<!-- end: red_flags.yaml -->",
        ],
    }
    page.write_text(
        json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 4})
    )
    assert [r.key for r in stale(tmp_path)] == ["notice"]
    assert sync(tmp_path) == [page]
    assert stale(tmp_path) == [] and sync(tmp_path) == []
    text = "".join(json.loads(page.read_text())["cells"][0]["source"])
    assert "Numbness? Call someone." not in text
    assert warning_signs.notice_text(load_red_flags()).split(" Every")[0] in text.replace(
        "> **Warning signs.** ", ""
    )


def test_quizzes_name_warning_signs_only_in_the_words_of_the_data():
    names = [flag.name.lower() for flag in load_red_flags().flags]
    for question in load_content().questions.values():
        texts = [question.prompt, question.explanation]
        for option in question.options:
            texts += [option.text, option.feedback]
        for text in texts:
            if SIGN_WORDS.search(text):
                # A quiz may name a sign only as the data names it (its `name`).
                assert any(name in text.lower() for name in names), (question.id, text)


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("0*.ipynb")), ids=lambda p: p.stem)
def test_every_lesson_opens_with_the_jupyterlab_hint_that_the_site_hides(path):
    first = regions(path)[0]
    assert (first.file, first.key, first.cell) == ("course", "lab_hint", 0)
    assert "Run All Cells" in first.body
    assert first.body.startswith('<p class="course-lab-hint">')
    for css in (
        "share/jupyter/voila/templates/course/static/course.css",
        "share/jupyter/voila/templates/course-slides/static/course-slides.css",
    ):
        assert "course-lab-hint { display: none; }" in (NOTEBOOKS.parent / css).read_text()


def test_the_leg_signs_list_each_sign_then_the_emergency_advice():
    rules, refs = load_red_flags(), load_content().references
    md = warning_signs.markdown("leg_signs", rules, refs)
    lines = md.splitlines()
    assert lines[0] == rules.texts.leg_signs_intro
    signs = [rules.flag(flag_id).sign for flag_id in rules.texts.leg_signs]
    assert [line.split(" [(")[0] for line in lines if line.startswith("- ")] == [
        f"- {sign}" for sign in signs
    ]
    assert rules.advice["emergency"].text in lines[-1]
    for flag_id in ("both_legs", "leg_weakness", "saddle_numbness"):
        assert flag_id in rules.texts.leg_signs


@pytest.mark.parametrize("language", [i18n.SOURCE, *catalogs.shipped()])
def test_lesson_9_says_when_a_leg_clot_needs_emergency_help_with_every_number(language):
    # A blood clot in a leg (NHS DVT): same-day advice, and emergency help when it comes
    # with breathlessness or chest pain, in the words of data/red_flags.yaml.
    home = NOTEBOOKS if language == i18n.SOURCE else NOTEBOOKS / language
    found = [r for r in regions(home / "09-leg-pain-and-sciatica.ipynb") if r.key == "leg_clot"]
    assert len(found) == 1
    with i18n.speaking(language):
        rules = load_red_flags()
        text = rules.texts.leg_clot
    assert text.split("{numbers}")[0] in found[0].body
    for number in rules.numbers:
        assert number.number in found[0].body
    assert "(#ref-nhsdvt)" in found[0].body
