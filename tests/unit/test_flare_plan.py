"""Flare plan: tidying, limits, escaping and messages that never repeat the typed text."""

from __future__ import annotations

import pytest

from widgets.logic.written_plan import FLARE, MAX_CHARS, MAX_LINES, build_plan, clean_lines
from widgets.logic.written_plan import PlanError as FlarePlanError

PARTS, PART_KEYS = FLARE.parts, FLARE.part_keys


def build_flare_plan(answers, **kwargs):
    return build_plan(FLARE, answers, **kwargs)


def test_five_parts_in_the_order_the_issue_asks():
    assert [p.label for p in PARTS] == [
        "What helps me",
        "What I will do in the first day or two",
        "What I will avoid",
        "When I will seek help",
        "Who I can contact",
    ]
    assert all(p.example.startswith("For example:") for p in PARTS)


@pytest.mark.parametrize(
    ("typed", "lines"),
    [
        ("A warm shower", ("A warm shower",)),
        ("- heat\n- a short walk\n\n", ("heat", "a short walk")),
        ("• music\r\n* breathing\n  —  rest a little  ", ("music", "breathing", "rest a little")),
        ("   lots    of   space  ", ("lots of space",)),
        ("\n\n\n", ()),
        ("", ()),
        (None, ()),
        ("Ring Sam 😀", ("Ring Sam 😀",)),
        ("tab\tinside", ("tab inside",)),
    ],
)
def test_clean_lines_keeps_one_idea_a_line(typed, lines):
    assert clean_lines(typed, "What helps me") == lines


def test_limits_are_exact():
    assert len(clean_lines("x" * MAX_CHARS, "L")[0]) == MAX_CHARS
    with pytest.raises(FlarePlanError, match=f"keep it to {MAX_CHARS} characters"):
        clean_lines("x" * (MAX_CHARS + 1), "L")
    assert len(clean_lines("\n".join("ab" for _ in range(MAX_LINES)), "L")) == MAX_LINES
    with pytest.raises(FlarePlanError, match=f"more than {MAX_LINES} lines"):
        clean_lines("\n".join("ab" for _ in range(MAX_LINES + 1)), "L")


@pytest.mark.parametrize("odd", ["\x00", "\x07", "\u200b", "\u202e", "\ue000"])
def test_hidden_or_odd_characters_are_refused(odd):
    with pytest.raises(FlarePlanError, match="hidden or odd character") as info:
        clean_lines(f"heat{odd}", "What helps me", "helps")
    assert info.value.part == "helps"


def test_messages_name_the_box_but_not_what_was_typed():
    typed = "<script>" * 60
    with pytest.raises(FlarePlanError) as info:
        build_flare_plan({"avoid": typed})
    assert info.value.part == "avoid"
    assert str(info.value).startswith('"What I will avoid" is too long.')
    assert "<script>" not in str(info.value)


def test_at_least_one_part_unless_told_otherwise():
    with pytest.raises(FlarePlanError, match="at least one part") as info:
        build_flare_plan({k: "  " for k in PART_KEYS})
    assert info.value.part is None
    empty = build_flare_plan({}, require_one=False)
    assert empty.filled == () and empty.to_markdown() == ""


def test_unknown_parts_are_a_programming_error():
    with pytest.raises(ValueError, match="unknown flare plan parts"):
        build_flare_plan({"helps": "x", "wishes": "y"})


def test_outputs_follow_the_part_order_and_skip_empty_parts():
    plan = build_flare_plan({"contacts": "My physio", "helps": "Heat\nA walk"})
    assert [p.key for p in plan.filled] == ["helps", "contacts"]
    assert plan.to_html() == (
        '<div class="course-flare__plan"><h4>What helps me</h4><ul><li>Heat</li><li>A walk</li>'
        "</ul><h4>Who I can contact</h4><ul><li>My physio</li></ul></div>"
    )
    assert plan.to_markdown() == (
        "### What helps me\n\n- Heat\n- A walk\n\n### Who I can contact\n\n- My physio"
    )
    assert plan.to_text() == "What helps me: Heat; A walk\nWho I can contact: My physio"


def test_typed_markup_is_escaped_in_both_formats():
    plan = build_flare_plan({"helps": '<img src=x onerror="alert(1)"> & *bold* # head'})
    assert "<img" not in plan.to_html()
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp;" in plan.to_html()
    assert r"- \<img src=x onerror=" in plan.to_markdown()
    assert r"\*bold\* \# head" in plan.to_markdown()
