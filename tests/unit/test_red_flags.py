"""The red-flag rule, checked against a table written from the issue, not from the code.

Safety-critical (docs/clinical-safety.md, hazards H1 and H2): every one of the 64
combinations of the six flags is run, and the expected level comes from the literal
table below, typed out from the issue's rule ("the highest level ticked wins";
four emergency flags, two urgent ones; nothing ticked gives "none").
"""

from __future__ import annotations

import dataclasses
import itertools
from types import SimpleNamespace

import pytest

from widgets.logic import red_flags as logic
from widgets.red_flags import RED_FLAGS, Assessment, assess

# The six flags in the issue's order: the columns of the table.
COLUMNS = ("bladder_bowel", "saddle_numbness", "leg_weakness", "major_trauma",
           "systemic_unwell", "cancer_history")

# Column order as above: 1 = ticked. One row for each of the 64 combinations.
EXPECTED_TABLE = """
    000000 none        000001 urgent      000010 urgent      000011 urgent
    000100 emergency   000101 emergency   000110 emergency   000111 emergency
    001000 emergency   001001 emergency   001010 emergency   001011 emergency
    001100 emergency   001101 emergency   001110 emergency   001111 emergency
    010000 emergency   010001 emergency   010010 emergency   010011 emergency
    010100 emergency   010101 emergency   010110 emergency   010111 emergency
    011000 emergency   011001 emergency   011010 emergency   011011 emergency
    011100 emergency   011101 emergency   011110 emergency   011111 emergency
    100000 emergency   100001 emergency   100010 emergency   100011 emergency
    100100 emergency   100101 emergency   100110 emergency   100111 emergency
    101000 emergency   101001 emergency   101010 emergency   101011 emergency
    101100 emergency   101101 emergency   101110 emergency   101111 emergency
    110000 emergency   110001 emergency   110010 emergency   110011 emergency
    110100 emergency   110101 emergency   110110 emergency   110111 emergency
    111000 emergency   111001 emergency   111010 emergency   111011 emergency
    111100 emergency   111101 emergency   111110 emergency   111111 emergency
"""


def _table() -> dict[str, str]:
    words = EXPECTED_TABLE.split()
    return dict(zip(words[::2], words[1::2], strict=True))


EXPECTED = _table()


def _ids(bits: str) -> set[str]:
    return {flag for flag, bit in zip(COLUMNS, bits, strict=True) if bit == "1"}


def test_the_table_has_every_combination_once():
    assert len(EXPECTED) == 64
    assert set(EXPECTED) == {"".join(b) for b in itertools.product("01", repeat=6)}
    assert set(EXPECTED.values()) == {"none", "urgent", "emergency"}


def test_the_table_agrees_with_the_issue_in_words():
    # A second, separate reading of the issue, to catch a typo in the table itself:
    # any of the first four columns -> emergency; else any of the last two -> urgent.
    for bits, level in EXPECTED.items():
        if "1" in bits[:4]:
            assert level == "emergency", bits
        elif "1" in bits[4:]:
            assert level == "urgent", bits
        else:
            assert level == "none", bits


@pytest.mark.parametrize("bits", sorted(EXPECTED))
def test_all_64_combinations(bits):
    ticked = _ids(bits)
    result = assess(ticked)
    assert result.level == EXPECTED[bits]
    assert result.flags == tuple(flag for flag in COLUMNS if flag in ticked)


def test_red_flags_holds_the_six_in_the_issue_order():
    assert tuple(flag.id for flag in RED_FLAGS)[:6] == COLUMNS
    for flag in RED_FLAGS:
        assert flag.question and flag.why and flag.sources and flag.name


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


@pytest.mark.parametrize("ticked, flags", [
    (["saddle_numbness", "saddle_numbness"], ("saddle_numbness",)),
    (("saddle_numbness", "cancer_history", "saddle_numbness", "cancer_history"), BOTH),
    (iter(["cancer_history", "saddle_numbness", "cancer_history"]), BOTH),
    ((flag for flag in ["saddle_numbness", "cancer_history"]), BOTH),
    (frozenset({"cancer_history", "saddle_numbness"}), BOTH),
    ({"cancer_history": True, "saddle_numbness": True}, BOTH),  # a dict gives its keys
], ids=["list-repeat", "tuple-repeat", "iterator", "generator", "frozenset", "dict-keys"])
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
    flags = [SimpleNamespace(id="a", level="urgent"), SimpleNamespace(id="b", level="emergency"),
             SimpleNamespace(id="c", level="urgent")]
    advice = {level: SimpleNamespace(heading=level.upper(), text=f"do {level}", sources=["s"])
              for level in ("none", "urgent", "emergency")}
    return flags, advice


def test_pure_rule_with_other_flags():
    flags, advice = _fake_rules()
    assert logic.assess([], flags, advice).level == "none"
    assert logic.assess(["c", "a"], flags, advice).flags == ("a", "c")
    result = logic.assess(["c", "b"], flags, advice)
    assert (result.level, result.advice, result.heading, result.sources) == \
        ("emergency", "do emergency", "EMERGENCY", ("s",))


def test_pure_rule_refuses_a_flag_with_an_unknown_level():
    flags, advice = _fake_rules()
    flags.append(SimpleNamespace(id="d", level="someday"))
    assert logic.assess(["a"], flags, advice).level == "urgent"  # untouched flags do not matter
    with pytest.raises(ValueError, match="'someday'"):
        logic.assess(["d"], flags, advice)


def test_levels_are_ordered_lowest_first():
    assert logic.LEVELS == ("none", "urgent", "emergency")
