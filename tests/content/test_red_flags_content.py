"""data/red_flags.yaml: the six flags stay, every item is cited, mistakes are named.

Safety-critical content (docs/clinical-safety.md, hazards H4 and H5).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import textstat
import yaml

from tests.conftest import NOTEBOOKS, REPO
from widgets.content import ContentError, load_content
from widgets.content.red_flags import load_red_flags
from widgets.lesson import lesson_citations

FILE = "red_flags.yaml"
LESSON = "08-when-to-worry"

# Typed from the issue, not read from the code.
SIX = {
    "bladder_bowel": "emergency",
    "saddle_numbness": "emergency",
    "leg_weakness": "emergency",
    "major_trauma": "emergency",
    "systemic_unwell": "urgent",
    "cancer_history": "urgent",
}
# NHS and NICE guidance named in the content brief.
GUIDANCE = {"nhsbackpain", "nicecks2018", "nice2016", "girft2023"}


def _edit(root: Path, change) -> None:
    path = root / FILE
    doc = yaml.safe_load(path.read_text())
    change(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))


def _error(root: Path) -> ContentError:
    with pytest.raises(ContentError) as info:
        load_red_flags(root)
    return info.value


def _flag(doc: dict, flag_id: str) -> dict:
    return next(f for f in doc["flags"] if f["id"] == flag_id)


# -- the real file ---------------------------------------------------------------------

def test_the_six_flags_are_there_with_their_levels():
    rules = load_red_flags()
    assert {f.id: f.level for f in rules.flags if f.id in SIX} == SIX
    assert [f.id for f in rules.flags][:6] == list(SIX)


def test_every_flag_and_every_advice_is_cited_with_known_sources():
    rules = load_red_flags()
    refs = load_content().references
    for item in (*rules.flags, *rules.advice.values(), *rules.numbers):
        assert item.sources, item.id
        assert set(item.sources) <= set(refs), item.id


def test_emergency_flags_cite_nhs_or_nice_guidance():
    for flag in load_red_flags().flags:
        if flag.level == "emergency":
            assert set(flag.sources) & GUIDANCE, flag.id
    advice = load_red_flags().advice
    assert "nhsbackpain" in advice["emergency"].sources
    assert set(advice["urgent"].sources) & GUIDANCE


def test_emergency_numbers_never_name_one_country_alone():
    rules = load_red_flags()
    numbers = {n.number: n.where for n in rules.numbers}
    assert numbers["999"] == "the UK" and numbers["112"] == "the EU"
    assert numbers["911"].startswith("the US")
    for number, where in numbers.items():
        assert f"{number} in {where}" in rules.advice["emergency"].text


def test_questions_are_plain_yes_no_questions_and_read_plainly():
    rules = load_red_flags()
    texts = []
    for flag in rules.flags:
        assert flag.question.endswith("?")
        assert flag.question.split()[0] in {"Have", "Do", "Are", "Did", "Is"}
        texts += [flag.question, flag.why]
    texts += [a.text for a in rules.advice.values()]
    assert textstat.flesch_kincaid_grade(" ".join(texts)) <= 8


def test_the_lesson_lists_every_source_the_checker_cites():
    rules = load_red_flags()
    cited = set(lesson_citations(LESSON))
    for item in (*rules.flags, *rules.advice.values(), *rules.numbers):
        assert set(item.sources) <= cited, item.id


def test_the_lesson_says_what_to_do_without_the_checker():
    # The advice is in the prose too, so it is there even if the kernel has stopped.
    cells = json.loads((NOTEBOOKS / f"{LESSON}.ipynb").read_text())["cells"]
    md = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    headings = [line for cell in md for line in cell.splitlines() if line.startswith("## ")]
    assert headings[0] == "## If you need help now"
    first = next(cell for cell in md if cell.startswith("## If you need help now"))
    for number in ("999", "112", "911"):
        assert number in first
    prose = " ".join(md)
    for sign in ("bladder or bowels", "groin, bottom or inner thighs", "legs are getting weaker",
                 "serious injury", "fever, weight loss", "had cancer"):
        assert sign in prose
    assert "not a promise that all is well" in prose
    assert "start later" in prose and "change quickly" in prose
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    assert "RedFlagChecker()" in code


def test_the_hazard_log_names_only_tests_that_exist():
    text = (REPO / "docs" / "clinical-safety.md").read_text()
    for hazard in ("A missed emergency", "False reassurance", "A misread question",
                   "Content drifting from its source", "An answer leaking"):
        assert f". {hazard}" in text
    named, current = [], None
    for path, name in re.findall(
            r"`((?:unit|widget|content|browser)/\w+\.py)?::(test_\w+)`", text):
        current = path or current
        assert current, f"{name} is named before any test file"
        named.append((current, name))
    assert len(named) >= 40
    for path, name in named:
        source = (REPO / "tests" / path).read_text()
        assert re.search(rf"^def {name}\(", source, re.M), f"no test {path}::{name}"


# -- broken copies: one message naming file, item and field -----------------------------

def test_the_real_file_loads_from_a_copy(data_copy):
    assert len(load_red_flags(data_copy).flags) >= 6


def test_missing_field(data_copy):
    _edit(data_copy, lambda d: _flag(d, "leg_weakness").pop("why"))
    err = _error(data_copy)
    assert (err.file, err.item, err.field) == ("data/red_flags.yaml", "leg_weakness", "why")
    assert str(err) == "data/red_flags.yaml, item 'leg_weakness', field 'why': is missing"


def test_a_required_flag_may_not_change_level(data_copy):
    _edit(data_copy, lambda d: _flag(d, "saddle_numbness").update(level="urgent"))
    err = _error(data_copy)
    assert (err.file, err.item, err.field) == ("data/red_flags.yaml", "saddle_numbness", "level")
    assert "must stay at level 'emergency'" in str(err)


def test_a_required_flag_may_not_go(data_copy):
    _edit(data_copy, lambda d: d.update(flags=[f for f in d["flags"] if f["id"] != "major_trauma"]))
    err = _error(data_copy)
    assert (err.item, err.field) == ("major_trauma", "id")
    assert "required flag is missing" in str(err)


def test_a_level_must_be_emergency_or_urgent(data_copy):
    _edit(data_copy, lambda d: _flag(d, "cancer_history").update(level="soon"))
    err = _error(data_copy)
    assert (err.item, err.field) == ("cancer_history", "level")
    assert "'soon'" in str(err)


def test_a_flag_needs_a_source(data_copy):
    _edit(data_copy, lambda d: _flag(d, "systemic_unwell").update(sources=[]))
    err = _error(data_copy)
    assert (err.item, err.field) == ("systemic_unwell", "sources")


def test_unknown_source(data_copy):
    _edit(data_copy, lambda d: _flag(d, "bladder_bowel").update(sources=["nhsbackpain", "nobody"]))
    err = _error(data_copy)
    assert (err.item, err.field) == ("bladder_bowel", "sources")
    assert "unknown reference id 'nobody'" in str(err)


def test_a_new_flag_needs_a_cited_source(data_copy):
    new = {"id": "night_pain", "name": "pain at night", "question": "Is the pain worse at night?",
           "statement": "My pain is worse at night.",
           "why": "Why.", "level": "urgent", "sources": ["made_up_2030"]}
    _edit(data_copy, lambda d: d["flags"].append(new))
    err = _error(data_copy)
    assert (err.item, err.field) == ("night_pain", "sources")


def test_a_new_cited_flag_is_accepted(data_copy):
    new = {"id": "night_pain", "name": "pain at night", "question": "Is the pain worse at night?",
           "statement": "My pain is worse at night.",
           "why": "Why.", "level": "urgent", "sources": ["nhsbackpain"]}
    _edit(data_copy, lambda d: d["flags"].append(new))
    assert load_red_flags(data_copy).flags[-1].id == "night_pain"


def test_duplicate_flag_id(data_copy):
    _edit(data_copy, lambda d: d["flags"].append(dict(_flag(d, "leg_weakness"))))
    err = _error(data_copy)
    assert (err.item, err.field) == ("leg_weakness", "id")


def test_a_question_must_be_a_question(data_copy):
    _edit(data_copy, lambda d: _flag(d, "leg_weakness").update(question="Weak legs."))
    err = _error(data_copy)
    assert (err.item, err.field) == ("leg_weakness", "question")


def test_unknown_key_is_a_typo(data_copy):
    _edit(data_copy, lambda d: _flag(d, "major_trauma").update(levle="emergency"))
    err = _error(data_copy)
    assert (err.item, err.field) == ("major_trauma", "levle")


def test_every_level_needs_advice(data_copy):
    _edit(data_copy, lambda d: d.update(advice=[a for a in d["advice"] if a["id"] != "none"]))
    err = _error(data_copy)
    assert (err.item, err.field) == ("none", "id")


def test_one_emergency_number_alone_is_refused(data_copy):
    _edit(data_copy, lambda d: d.update(emergency_numbers=d["emergency_numbers"][:1]))
    err = _error(data_copy)
    assert (err.item, err.field) == (None, "emergency_numbers")
    assert "never names one country alone" in str(err)


def test_emergency_advice_must_name_every_number(data_copy):
    def change(doc):
        advice = next(a for a in doc["advice"] if a["id"] == "emergency")
        advice["text"] = advice["text"].replace("112", "one-one-two")

    _edit(data_copy, change)
    err = _error(data_copy)
    assert (err.file, err.item, err.field) == ("data/red_flags.yaml", "emergency", "text")
    assert "112" in str(err)


def test_yaml_syntax_error_names_the_file(data_copy):
    path = data_copy / FILE
    path.write_text(path.read_text().replace("level: urgent", "level: [urgent", 1))
    err = _error(data_copy)
    assert err.file == "data/red_flags.yaml" and "YAML syntax error at line" in str(err)


def test_missing_file_is_named(data_copy):
    (data_copy / FILE).unlink()
    err = _error(data_copy)
    assert (err.file, err.problem) == ("data/red_flags.yaml", "file not found")
