"""The red-flag rule, checked against the levels typed from the issue, not from the code.

Safety-critical (docs/clinical-safety.md, hazards H1, H2 and H8): every one of the
2^15 = 32,768 combinations of the fifteen flags is run. The level each flag brings is
typed below from issue 14's table; the expected result of a combination is worked out
here on its own ("the highest level present wins: emergency > urgent > soon > none"),
never by the code under test.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest

from widgets.logic import red_flags as logic
from widgets.red_flags import RED_FLAGS, Assessment, assess

# Issue 14's table, in its order: the flag ids and the level each one brings.
ISSUE_TABLE = """
    bladder_bowel        emergency
    saddle_numbness      emergency
    both_legs            emergency
    leg_weakness         emergency
    sexual_change        emergency
    chest_pain           emergency
    major_trauma         emergency
    systemic_unwell      urgent
    cancer_history       urgent
    fracture_risk        urgent
    night_or_rest_pain   urgent
    cough_sneeze_strain  urgent
    upper_back           urgent
    lump_shape           urgent
    inflammatory         soon
"""
_WORDS = ISSUE_TABLE.split()
TYPED: dict[str, str] = dict(zip(_WORDS[::2], _WORDS[1::2], strict=True))
COLUMNS = tuple(TYPED)
RANK = {"none": 0, "soon": 1, "urgent": 2, "emergency": 3}


def _expected(mask: int) -> tuple[str, tuple[str, ...]]:
    """The level and the ticked ids (in the issue's order) for one combination."""
    ticked = tuple(flag for i, flag in enumerate(COLUMNS) if mask >> i & 1)
    level = "none"
    for flag in ticked:
        if RANK[TYPED[flag]] > RANK[level]:
            level = TYPED[flag]
    return level, ticked


def test_the_typed_table_has_the_fifteen_flags_and_four_levels():
    assert len(COLUMNS) == 15 and len(set(COLUMNS)) == 15
    assert list(TYPED.values()).count("emergency") == 7
    assert list(TYPED.values()).count("urgent") == 7
    assert list(TYPED.values()).count("soon") == 1
    # The six ids of the seed page stay (issue 5).
    assert {
        "bladder_bowel",
        "saddle_numbness",
        "leg_weakness",
        "major_trauma",
        "systemic_unwell",
        "cancer_history",
    } <= set(COLUMNS)


def test_red_flags_holds_the_fifteen_in_the_issue_order_with_their_levels():
    assert tuple(flag.id for flag in RED_FLAGS) == COLUMNS
    assert {flag.id: flag.level for flag in RED_FLAGS} == TYPED
    for flag in RED_FLAGS:
        assert flag.question and flag.why and flag.sources and flag.name and flag.sign


@pytest.mark.slow
def test_all_32768_combinations():
    seen: dict[str, int] = {}
    for mask in range(2 ** len(COLUMNS)):
        level, ticked = _expected(mask)
        # Reversed and repeated input must give the same result.
        result = assess(list(reversed(ticked)) + list(ticked))
        assert (result.level, result.flags) == (level, ticked), ticked
        assert result.advice == assess([c for c in COLUMNS if TYPED[c] == level][:1]).advice
        seen[level] = seen.get(level, 0) + 1
    # 2^8 combinations have no emergency flag; of those 2 (inflammatory or not) have
    # no urgent flag either.
    assert seen == {"none": 1, "soon": 1, "urgent": 2**8 - 2, "emergency": 2**15 - 2**8}


@pytest.mark.parametrize("flag", COLUMNS)
def test_each_flag_alone_gives_its_typed_level(flag):
    assert assess({flag}).level == TYPED[flag]


def test_result_is_a_frozen_record_with_the_issue_fields():
    result = assess({"saddle_numbness"})
    assert isinstance(result, Assessment)
    assert (result.level, result.flags) == ("emergency", ("saddle_numbness",))
    assert isinstance(result.advice, str) and result.advice
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.level = "none"  # type: ignore[misc]


def test_emergency_advice_names_several_countries_numbers():
    advice = assess({"bladder_bowel"}).advice
    for number in ("999", "112", "911"):
        assert number in advice
    assert "emergency department" in advice
    assert "Do not wait" in advice
    assert assess({"bladder_bowel"}).heading.startswith("Emergency")


def test_urgent_advice_says_today():
    result = assess({"cancer_history"})
    assert result.level == "urgent"
    assert "today" in result.heading and "today" in result.advice


def test_soon_advice_sends_to_a_gp_not_to_emergency_care():
    result = assess({"inflammatory"})
    assert result.level == "soon"
    assert "GP" in result.heading and "appointment" in result.advice
    assert "inflammatory back pain" in result.advice
    for emergency in ("999", "112", "911", "emergency department", "A&E", "now"):
        assert emergency not in result.heading + " " + result.advice


def test_emergency_advice_says_do_not_drive_yourself():
    assert "Do not drive yourself" in assess({"chest_pain"}).advice


def test_none_is_not_an_all_clear():
    result = assess([])
    assert result.level == "none" and result.flags == ()
    assert "not ticked" in result.heading
    assert "not a diagnosis" in result.advice
    assert "worried" in result.advice and "change quickly" in result.advice
    assert "clinician" in result.advice
    for reassuring in ("all clear", "you are fine", "nothing to worry", "safe"):
        assert reassuring not in (result.heading + result.advice).lower()


BOTH = ("saddle_numbness", "cancer_history")


@pytest.mark.parametrize(
    "ticked, flags",
    [
        (["saddle_numbness", "saddle_numbness"], ("saddle_numbness",)),
        (("saddle_numbness", "cancer_history", "saddle_numbness", "cancer_history"), BOTH),
        (iter(["cancer_history", "saddle_numbness", "cancer_history"]), BOTH),
        ((flag for flag in ["saddle_numbness", "cancer_history"]), BOTH),
        (frozenset({"cancer_history", "saddle_numbness"}), BOTH),
        ({"cancer_history": True, "saddle_numbness": True}, BOTH),  # a dict gives its keys
    ],
    ids=["list-repeat", "tuple-repeat", "iterator", "generator", "frozenset", "dict-keys"],
)
def test_any_iterable_and_repeats_are_harmless(ticked, flags):
    result = assess(ticked)
    assert result.level == "emergency"
    assert result.flags == flags


def test_order_of_ticking_does_not_matter():
    forward = assess(["bladder_bowel", "systemic_unwell", "cancer_history"])
    backward = assess(["cancer_history", "systemic_unwell", "bladder_bowel"])
    assert forward == backward
    assert forward.flags == ("bladder_bowel", "systemic_unwell", "cancer_history")


@pytest.mark.parametrize("bad", ["saddle", "Saddle_Numbness", "", "bladder-bowel", 3, None])
def test_unknown_id_is_a_value_error_naming_it(bad):
    with pytest.raises(ValueError) as info:
        assess({"cancer_history", bad} if bad is not None else ["cancer_history", bad])
    assert repr(bad) in str(info.value)


def test_unknown_id_gives_no_partial_result_even_after_an_emergency():
    with pytest.raises(ValueError, match="'typo'"):
        assess(["bladder_bowel", "typo"])


def test_a_single_string_is_refused_not_split_into_letters():
    with pytest.raises(TypeError, match="single string"):
        assess("saddle_numbness")


# -- the pure rule with rules of its own (a flag added later, with its own level) ------


def _fake_rules():
    flags = [
        SimpleNamespace(id="a", level="urgent"),
        SimpleNamespace(id="b", level="emergency"),
        SimpleNamespace(id="c", level="urgent"),
    ]
    advice = {
        level: SimpleNamespace(heading=level.upper(), text=f"do {level}", sources=["s"])
        for level in ("none", "soon", "urgent", "emergency")
    }
    return flags, advice


def test_pure_rule_with_other_flags():
    flags, advice = _fake_rules()
    assert logic.assess([], flags, advice).level == "none"
    assert logic.assess(["c", "a"], flags, advice).flags == ("a", "c")
    result = logic.assess(["c", "b"], flags, advice)
    assert (result.level, result.advice, result.heading, result.sources) == (
        "emergency",
        "do emergency",
        "EMERGENCY",
        ("s",),
    )


def test_pure_rule_refuses_a_flag_with_an_unknown_level():
    flags, advice = _fake_rules()
    flags.append(SimpleNamespace(id="d", level="someday"))
    assert logic.assess(["a"], flags, advice).level == "urgent"  # untouched flags do not matter
    with pytest.raises(ValueError, match="'someday'"):
        logic.assess(["d"], flags, advice)


def test_levels_are_ordered_lowest_first():
    assert logic.LEVELS == ("none", "soon", "urgent", "emergency")
