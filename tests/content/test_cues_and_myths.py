"""Cues of the balance (lesson 4) and the ten myths (lesson 5): complete, cited, plain, checked."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import textstat
import yaml

from tests.conftest import NOTEBOOKS
from widgets import lesson
from widgets.content import ContentError, load_content
from widgets.content.cues import load_cues
from widgets.content.myths import SOURCE_PAPER, load_myths
from widgets.logic.readability import lesson_prose

L04 = "04-prediction-danger-and-safety"
L05 = "05-science-and-myths"
CUES = "cues.yaml"
MYTHS = "myths.yaml"

# The ten facts of O'Sullivan et al. 2020, in the paper's order, as words that the
# course's paraphrase of each fact must contain (content brief, section 2).
TEN_FACTS = {
    1: ("rarely dangerous",),
    2: ("get better", "older"),
    3: ("lasting damage", "fear"),
    4: ("scan",),
    5: ("exercise", "safe", "step by step"),
    6: ("sit", "stand", "lift"),
    7: ("weak core", "relax"),
    8: ("loading", "cope"),
    9: ("flare-ups", "activity", "stress", "mood"),
    10: ("simple and safe", "staying active", "sleeping", "work"),
}


def _edit(root: Path, name: str, change) -> None:
    path = root / name
    doc = yaml.safe_load(path.read_text())
    change(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))


def _markdown(lesson_id: str) -> list[str]:
    nb = json.loads((NOTEBOOKS / f"{lesson_id}.ipynb").read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


# ------------------------------------------------------------------ the real files


def test_all_ten_facts_are_present_once_in_order_and_cite_the_paper():
    items = load_myths()
    assert [item.number for item in items] == list(range(1, 11))
    references = load_content().references
    for item in items:
        assert SOURCE_PAPER in item.references, item.id
        assert set(item.references) <= set(references), item.id
        fact = item.fact.lower()
        for word in TEN_FACTS[item.number]:
            assert word in fact, f"fact {item.number} ({item.id}) should mention {word!r}"


def test_each_myth_says_how_sure_and_has_an_evidence_note():
    for item in load_myths():
        assert re.match(r"^(Very sure|Quite sure|Fairly sure|Less sure)\b", item.how_sure), item.id
        assert len(item.evidence.split()) >= 12, item.id
        assert item.myth != item.fact


def test_items_that_rest_on_the_editorial_alone_say_so():
    for item in load_myths():
        if item.references == [SOURCE_PAPER]:
            assert "editorial" in item.how_sure or "expert" in item.how_sure.lower(), item.id


def test_quiz_shows_both_myths_and_facts_so_one_answer_does_not_fit_all():
    shown = [item.shown for item in load_myths()]
    assert 2 <= shown.count("fact") <= 8


def test_cues_cover_both_sides_and_many_kinds():
    cues = load_cues()
    danger = [c for c in cues if c.side == "danger"]
    safety = [c for c in cues if c.side == "safety"]
    assert len(danger) >= 8 and len(safety) >= 8
    assert len({c.category for c in safety}) >= 6
    assert all(len(c.text) <= 80 for c in cues)
    issue_examples = {
        "worry-damage",
        "poor-sleep",
        "scary-scan",
        "know-pain",
        "trusted-clinician",
        "went-well",
    }
    assert issue_examples <= {c.id for c in cues}


def test_myth_and_cue_texts_read_plainly():
    myth_text = " ".join(x for i in load_myths() for x in (i.myth, i.fact, i.evidence, i.how_sure))
    assert textstat.flesch_kincaid_grade(myth_text) <= 8
    cue_text = " ".join(c.text + "." for c in load_cues())
    assert textstat.flesch_kincaid_grade(cue_text) <= 8


def test_no_text_says_pain_is_in_the_head():
    texts = [c.text for c in load_cues()]
    texts += [x for i in load_myths() for x in (i.myth, i.fact, i.evidence, i.how_sure)]
    texts += _markdown(L04) + _markdown(L05)
    assert not any("in your head" in t.lower() or "imagined" in t.lower() for t in texts)
    for lesson_id in (L04, L05):
        assert "pain is real" in lesson_prose(_markdown(lesson_id)).lower()


def test_lesson_04_sources_cover_every_cue_reference_and_credit_moseley_and_butler():
    cited = lesson.lesson_citations(L04)
    assert {c.reference for c in load_cues()} <= set(cited)
    prose = " ".join(_markdown(L04))
    assert "Moseley and David Butler" in prose and "#ref-protectometer2015" in prose
    assert "#ref-moseleyarntz2007" in prose and "#ref-vlaeyenlinton2000" in prose


def test_lesson_05_sources_cover_every_myth_reference_and_the_normal_scan_section():
    cited = lesson.lesson_citations(L05)
    assert {r for item in load_myths() for r in item.references} <= set(cited)
    headings = [
        line for cell in _markdown(L05) for line in cell.splitlines() if line.startswith("## ")
    ]
    assert '## "My scan was normal, but the pain goes on"' in headings
    assert "editorial, not a trial" in " ".join(_markdown(L05))


def test_quiz_sizes():
    content = load_content()
    assert len(content.questions_for(L04)) >= 4
    assert len(content.questions_for(L05)) >= 3


# ------------------------------------------------------------------ broken files


def _cue_error(root: Path) -> ContentError:
    with pytest.raises(ContentError) as info:
        load_cues(root)
    return info.value


def _myth_error(root: Path) -> ContentError:
    with pytest.raises(ContentError) as info:
        load_myths(root)
    return info.value


def test_cue_missing_field_names_file_item_field(data_copy):
    _edit(data_copy, CUES, lambda d: d["cues"][2].pop("text"))
    err = _cue_error(data_copy)
    assert (err.file, err.item, err.field) == ("data/cues.yaml", "poor-sleep", "text")
    assert str(err) == "data/cues.yaml, item 'poor-sleep', field 'text': is missing"


def test_cue_with_a_side_that_is_neither(data_copy):
    _edit(data_copy, CUES, lambda d: d["cues"][0].update(side="maybe"))
    err = _cue_error(data_copy)
    assert (err.item, err.field) == ("worry-damage", "side") and "'maybe'" in str(err)


def test_cue_with_an_unknown_category(data_copy):
    _edit(data_copy, CUES, lambda d: d["cues"][1].update(category="weather"))
    err = _cue_error(data_copy)
    assert (err.item, err.field) == ("expect-worse", "category")


def test_cue_too_long_for_the_balance(data_copy):
    _edit(data_copy, CUES, lambda d: d["cues"][3].update(text="x" * 81))
    err = _cue_error(data_copy)
    assert (err.item, err.field) == ("braced-muscles", "text") and "80" in str(err)


def test_cue_with_an_unknown_reference(data_copy):
    _edit(data_copy, CUES, lambda d: d["cues"][4].update(reference="nobody2099"))
    err = _cue_error(data_copy)
    assert (err.file, err.item, err.field) == ("data/cues.yaml", "scary-scan", "reference")
    assert "'nobody2099'" in str(err)


def test_cue_id_used_twice(data_copy):
    _edit(data_copy, CUES, lambda d: d["cues"][5].update(id="worry-damage"))
    err = _cue_error(data_copy)
    assert (err.item, err.field) == ("worry-damage", "id") and "twice" in str(err)


def test_cue_text_used_twice(data_copy):
    same = "Worry that my back is damaged or fragile"
    _edit(data_copy, CUES, lambda d: d["cues"][1].update(text=same))
    err = _cue_error(data_copy)
    assert (err.item, err.field) == ("expect-worse", "text") and "'worry-damage'" in str(err)


def test_balance_needs_both_sides(data_copy):
    _edit(data_copy, CUES, lambda d: d.update(cues=[c for c in d["cues"] if c["side"] == "danger"]))
    err = _cue_error(data_copy)
    assert (err.file, err.field) == ("data/cues.yaml", "cues") and "safety" in str(err)


def test_cues_file_missing(data_copy):
    (data_copy / CUES).unlink()
    err = _cue_error(data_copy)
    assert (err.file, err.item, err.field) == ("data/cues.yaml", None, None)


def test_myth_missing_fact_names_file_item_field(data_copy):
    _edit(data_copy, MYTHS, lambda d: d["myths"][3].pop("fact"))
    err = _myth_error(data_copy)
    assert str(err) == "data/myths.yaml, item 'm04-scan', field 'fact': is missing"


def test_myth_missing_how_sure(data_copy):
    _edit(data_copy, MYTHS, lambda d: d["myths"][5].pop("how_sure"))
    err = _myth_error(data_copy)
    assert (err.item, err.field) == ("m06-posture", "how_sure")


def test_one_of_the_ten_facts_missing_is_named(data_copy):
    _edit(data_copy, MYTHS, lambda d: d["myths"].pop(6))
    err = _myth_error(data_copy)
    assert (err.file, err.item, err.field) == ("data/myths.yaml", None, "number")
    assert str(err).endswith("all 10 facts must be present; missing fact 7")


def test_a_fact_numbered_twice(data_copy):
    _edit(data_copy, MYTHS, lambda d: d["myths"][8].update(number=2))
    err = _myth_error(data_copy)
    assert (err.item, err.field) == ("m09-flare-rest", "number")
    assert "'m02-worse-with-age'" in str(err)


def test_a_number_outside_one_to_ten(data_copy):
    _edit(data_copy, MYTHS, lambda d: d["myths"][0].update(number=11))
    err = _myth_error(data_copy)
    assert (err.item, err.field) == ("m01-serious", "number")


def test_a_myth_that_does_not_cite_the_paper(data_copy):
    _edit(data_copy, MYTHS, lambda d: d["myths"][3].update(references=["chou2009"]))
    err = _myth_error(data_copy)
    assert (err.item, err.field) == ("m04-scan", "references") and "'osullivan2020'" in str(err)


def test_a_myth_with_an_unknown_reference(data_copy):
    _edit(data_copy, MYTHS, lambda d: d["myths"][1]["references"].append("nobody2099"))
    err = _myth_error(data_copy)
    assert (err.item, err.field) == ("m02-worse-with-age", "references")
    assert "'nobody2099'" in str(err)


def test_a_myth_pointing_to_an_unknown_lesson(data_copy):
    _edit(data_copy, MYTHS, lambda d: d["myths"][9].update(read_more="99-nowhere"))
    err = _myth_error(data_copy)
    assert (err.item, err.field) == ("m10-strong-treatments", "read_more")


def test_a_myth_shown_as_neither(data_copy):
    _edit(data_copy, MYTHS, lambda d: d["myths"][0].update(shown="both"))
    err = _myth_error(data_copy)
    assert (err.item, err.field) == ("m01-serious", "shown")


def test_myths_yaml_syntax_error_names_the_line(data_copy):
    path = data_copy / MYTHS
    path.write_text(path.read_text().replace("shown: myth", "shown: [myth", 1))
    err = _myth_error(data_copy)
    assert err.file == "data/myths.yaml" and "YAML syntax error at line" in str(err)
