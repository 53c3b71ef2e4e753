"""data/red_flags.yaml: the fifteen flags stay in order, every item is cited, mistakes are named.

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
from widgets import i18n
from widgets.content import ContentError, load_content
from widgets.content.red_flags import fail_safe_text, load_red_flags
from widgets.i18n import catalogs
from widgets.lesson import lesson_citations
from widgets.logic.warning_signs import emergency_numbers

FILE = "red_flags.yaml"
LESSON = "08-when-to-worry"

# Typed from issue 14's table, in its order, not read from the code.
FIFTEEN = {
    "bladder_bowel": "emergency",
    "saddle_numbness": "emergency",
    "both_legs": "emergency",
    "leg_weakness": "emergency",
    "sexual_change": "emergency",
    "chest_pain": "emergency",
    "major_trauma": "emergency",
    "systemic_unwell": "urgent",
    "cancer_history": "urgent",
    "fracture_risk": "urgent",
    "night_or_rest_pain": "urgent",
    "cough_sneeze_strain": "urgent",
    "upper_back": "urgent",
    "lump_shape": "urgent",
    "inflammatory": "soon",
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


def test_the_fifteen_flags_are_there_with_their_levels_in_order():
    rules = load_red_flags()
    assert {f.id: f.level for f in rules.flags if f.id in FIFTEEN} == FIFTEEN
    assert [f.id for f in rules.flags][:15] == list(FIFTEEN)


def test_questions_for_long_standing_pain_ask_what_is_new_or_different():
    # A reader whose pain is years old must not answer "no" because the pain is not new.
    flag = load_red_flags().flag
    assert "or different from your usual pain" in flag("cancer_history").question
    assert "or get much worse" in flag("major_trauma").question
    assert "new or much worse" in flag("fracture_risk").question
    # The early cauda equina signs, in words a lay person knows.
    assert "wipe" in flag("saddle_numbness").question
    assert "tingling" in flag("saddle_numbness").question
    assert "stream is weak" in flag("bladder_bowel").question
    assert "feel your pee as it comes out" in flag("bladder_bowel").question
    assert "bowel is full" in flag("bladder_bowel").question
    assert "both of your legs" in flag("both_legs").question
    # The nerve signs ask about what is new or getting worse (GIRFT), so a reader with a
    # long-standing symptom is not sent to A&E each time; "new" is defined for them.
    for flag_id in ("saddle_numbness", "both_legs", "sexual_change"):
        assert "new, or getting worse" in flag(flag_id).question, flag_id
    for flag_id in ("cough_sneeze_strain", "upper_back"):
        assert "new or different for you" in flag(flag_id).question, flag_id
    assert "2 weeks" in load_red_flags().texts.new_means


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
        assert flag.question.split()[0] in {"Have", "Has", "Do", "Does", "Are", "Did", "Is"}
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
    rules = load_red_flags()
    for flag in rules.flags:  # every sign, in the words of the data (made by `make sync`)
        assert f"- {flag.sign} [(" in prose, flag.id
    for level in ("emergency", "urgent", "soon"):
        assert rules.advice[level].intro in prose
    assert "## Other things worth checking, not urgently" in headings
    assert "not a promise that all is well" in prose
    assert "start later" in prose and "change quickly" in prose
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    assert "RedFlagChecker()" in code


def test_the_hazard_log_names_only_tests_that_exist():
    text = (REPO / "docs" / "clinical-safety.md").read_text()
    for hazard in (
        "A missed emergency",
        "False reassurance",
        "A misread question",
        "Content drifting from its source",
        "An answer leaking",
    ):
        assert f". {hazard}" in text
    named, current = [], None
    for path, name in re.findall(r"`((?:unit|widget|content|browser)/\w+\.py)?::(test_\w+)`", text):
        current = path or current
        assert current, f"{name} is named before any test file"
        named.append((current, name))
    assert len(named) >= 40
    for path, name in named:
        source = (REPO / "tests" / path).read_text()
        assert re.search(rf"^def {name}\(", source, re.M), f"no test {path}::{name}"


# -- broken copies: one message naming file, item and field -----------------------------


def test_the_real_file_loads_from_a_copy(data_copy):
    assert len(load_red_flags(data_copy).flags) >= 15


def test_missing_field(data_copy):
    _edit(data_copy, lambda d: _flag(d, "leg_weakness").pop("why"))
    err = _error(data_copy)
    assert (err.file, err.item, err.field) == ("data/red_flags.yaml", "leg_weakness", "why")
    assert str(err) == "data/red_flags.yaml, item 'leg_weakness', field 'why': is missing"


@pytest.mark.parametrize(
    "words, problem",
    [
        ("Do not rely on this page. Call your local emergency number.", "should match pattern"),
        ("Call your local emergency number ({numbers}) or {where}.", "the only placeholder"),
    ],
)
def test_the_checkers_fail_safe_words_name_the_numbers(data_copy, words, problem):
    _edit(data_copy, lambda d: d["texts"].update(fail_safe=words))
    err = _error(data_copy)
    assert (err.file, err.item, err.field) == ("data/red_flags.yaml", "texts", "fail_safe")
    assert problem in str(err)


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


def test_a_level_must_be_emergency_urgent_or_soon(data_copy):
    _edit(data_copy, lambda d: _flag(d, "upper_back").update(level="someday"))
    err = _error(data_copy)
    assert (err.item, err.field) == ("upper_back", "level")
    assert "'someday'" in str(err)


def test_a_new_flag_may_not_take_the_lower_level_of_a_required_one(data_copy):
    _edit(data_copy, lambda d: _flag(d, "chest_pain").update(level="urgent"))
    err = _error(data_copy)
    assert (err.item, err.field) == ("chest_pain", "level")
    assert "must stay at level 'emergency'" in str(err)


def test_the_required_flags_keep_their_order(data_copy):
    def swap(doc):
        flags = doc["flags"]
        flags[2], flags[3] = flags[3], flags[2]

    _edit(data_copy, swap)
    err = _error(data_copy)
    assert (err.item, err.field) == ("leg_weakness", "id")
    assert "'both_legs' comes here" in str(err)


@pytest.mark.parametrize("level", ["soon", "none"])
def test_calm_advice_may_not_name_an_emergency_number(data_copy, level):
    def change(doc):
        advice = next(a for a in doc["advice"] if a["id"] == level)
        advice["text"] += " Or call 911."

    _edit(data_copy, change)
    err = _error(data_copy)
    assert (err.item, err.field) == (level, "text")
    assert "must not name an emergency number (911)" in str(err)


@pytest.mark.parametrize("field", ["notice_more", "movement_boundary"])
def test_texts_that_point_to_lesson_8_must_say_so(data_copy, field):
    _edit(data_copy, lambda d: d["texts"].update({field: "See a doctor."}))
    err = _error(data_copy)
    assert (err.item, err.field) == ("texts", field)
    assert "must point to 'lesson 8'" in str(err)


def test_a_flag_needs_a_source(data_copy):
    _edit(data_copy, lambda d: _flag(d, "systemic_unwell").update(sources=[]))
    err = _error(data_copy)
    assert (err.item, err.field) == ("systemic_unwell", "sources")


def test_unknown_source(data_copy):
    _edit(data_copy, lambda d: _flag(d, "bladder_bowel").update(sources=["nhsbackpain", "nobody"]))
    err = _error(data_copy)
    assert (err.item, err.field) == ("bladder_bowel", "sources")
    assert "unknown reference id 'nobody'" in str(err)


def _new_flag(sources: list[str]) -> dict:
    """A fifteen-plus-one flag an author might add (urgent, night sweats)."""
    return {
        "id": "night_sweats",
        "name": "night sweats",
        "question": "Do you sweat at night?",
        "sign": "you sweat at night",
        "why": "Why.",
        "level": "urgent",
        "sources": sources,
    }


def test_a_new_flag_needs_a_cited_source(data_copy):
    new = _new_flag(sources=["made_up_2030"])
    _edit(data_copy, lambda d: d["flags"].append(new))
    err = _error(data_copy)
    assert (err.item, err.field) == ("night_sweats", "sources")


def test_a_new_cited_flag_is_accepted(data_copy):
    new = _new_flag(sources=["nhsbackpain"])
    _edit(data_copy, lambda d: d["flags"].append(new))
    assert load_red_flags(data_copy).flags[-1].id == "night_sweats"


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


def test_the_leg_signs_are_emergency_flags_of_the_checker(data_copy):
    def slip(doc):
        doc["texts"]["leg_signs"] = ["both_legs", "night_or_rest_pain"]

    _edit(data_copy, slip)
    err = _error(data_copy)
    assert (err.item, err.field) == ("texts", "leg_signs")
    assert "'night_or_rest_pain' is at level 'urgent'" in str(err)


def test_the_leg_signs_name_known_flags(data_copy):
    _edit(data_copy, lambda d: d["texts"].update(leg_signs=["both_legs", "sore_knee"]))
    err = _error(data_copy)
    assert (err.item, err.field) == ("texts", "leg_signs")
    assert "no flag has the id 'sore_knee'" in str(err)


def test_the_leg_clot_advice_fills_in_the_emergency_numbers(data_copy):
    _edit(data_copy, lambda d: d["texts"].update(leg_clot="Call for help ({numbers}, {where})."))
    err = _error(data_copy)
    assert (err.item, err.field) == ("texts", "leg_clot")
    assert "the only placeholder is {numbers}" in str(err)


def test_the_leg_clot_advice_needs_a_known_source(data_copy):
    _edit(data_copy, lambda d: d["texts"].update(leg_clot_sources=["nobody"]))
    err = _error(data_copy)
    assert (err.item, err.field) == ("texts", "leg_clot_sources")


# What each language's texts made from emergency_numbers name first (typed here, not read
# from locale/<code>/language.yaml): English keeps the data's order; Spanish puts the
# numbers of Spain and Latin America first, as its hand-written advice does.
NUMBERS_IN_ORDER = {"en": ["999", "112", "911"], "es": ["112", "911", "999"]}


@pytest.mark.parametrize("language", catalogs.languages())
def test_the_checkers_own_texts_name_the_numbers_in_the_languages_order(language):
    """The fail-safe message and the blood-clot advice (lesson 9, handouts) are made from
    the list; the checker's emergency advice, written by hand, names them in the same
    order (in every language, also one added later)."""
    with i18n.speaking(language):
        rules = load_red_flags()
        texts = [fail_safe_text(rules), emergency_numbers(rules), rules.advice["emergency"].text]
    numbers = [number.number for number in rules.numbers]
    orders = [sorted(numbers, key=text.index) for text in texts]
    assert orders == [numbers] * 3
    if language in NUMBERS_IN_ORDER:
        assert numbers == NUMBERS_IN_ORDER[language]


def test_an_emergency_number_id_used_twice_is_named(data_copy):
    _edit(data_copy, lambda d: d["emergency_numbers"][1].update(id="uk"))
    err = _error(data_copy)
    assert (err.file, err.item, err.field) == ("data/red_flags.yaml", "uk", "id")


@pytest.mark.parametrize(
    ("first", "problem"),
    [(["nowhere"], "'nowhere' is not an id"), (["eu", "eu"], "listed twice"), ("eu", "list")],
)
def test_a_language_that_puts_an_unknown_number_first_is_named(
    data_copy, tmp_path, monkeypatch, first, problem
):
    locale = tmp_path / "locale"
    (locale / "en").mkdir(parents=True)
    doc = yaml.safe_load((i18n.LOCALE_DIR / "en" / "language.yaml").read_text())
    doc["emergency_numbers_first"] = first
    (locale / "en" / "language.yaml").write_text(yaml.safe_dump(doc))
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    err = _error(data_copy)
    assert (err.file, err.item, err.field) == (
        "locale/en/language.yaml",
        None,
        "emergency_numbers_first",
    )
    assert problem in str(err)
