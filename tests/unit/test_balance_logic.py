"""The danger/safety balance rules: weighing, suggestions, a learner's own cue, the drawing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import get_args

import pytest

from widgets.content.cues import Category
from widgets.logic import balance as rules
from widgets.logic.balance import (
    CATEGORY_LABELS,
    MAX_CUE_CHARS,
    MAX_OWN_CUES,
    CueError,
    Weighing,
    balance_svg,
    clean_own_cue,
    cue_list_text,
    geometry,
    suggest_safety,
    weigh,
)


@dataclass(frozen=True)
class C:
    id: str
    side: str
    text: str
    category: str | None = None


CUES = (
    C("d-sleep", "danger", "Poor sleep", "body"),
    C("d-worry", "danger", "Worry about damage", "thinking"),
    C("d-avoid", "danger", "Avoiding movement", "doing"),
    C("d-odd", "danger", "No kind given"),
    C("s-know", "safety", "Knowing how pain works", "thinking"),
    C("s-plan", "safety", "A plan for flares", "thinking"),
    C("s-sleep", "safety", "Good sleep", "body"),
    C("s-walk", "safety", "A walk that went well", "doing"),
    C("s-music", "safety", "Music", "senses"),
)


# ------------------------------------------------------------------ weighing


def test_weigh_counts_each_side():
    w = weigh(["danger", "safety", "danger", "danger"])
    assert (w.danger, w.safety) == (3, 1)
    assert w.heavier == "danger" and w.headline == "Danger weighs more"


@pytest.mark.parametrize(
    "sides, heavier",
    [
        ([], "empty"),
        (["danger", "safety"], "even"),
        (["safety"], "safety"),
        (["danger"], "danger"),
    ],
)
def test_which_side_weighs_more(sides, heavier):
    assert weigh(sides).heavier == heavier


def test_unknown_side_is_refused():
    with pytest.raises(ValueError, match="'danger' or 'safety'"):
        weigh(["danger", "maybe"])


def test_words_say_which_side_and_the_counts_in_plain_english():
    assert Weighing(0, 0).words().startswith("The balance is empty.")
    assert Weighing(1, 1).words() == "The two sides are even: 1 danger cue and 1 safety cue."
    assert Weighing(4, 2).words().startswith("Danger weighs more: 4 danger cues and 2 safety cues.")
    assert "Safety cues can help tip it back." in Weighing(4, 2).words()
    assert Weighing(1, 3).words().startswith("Safety weighs more: 3 safety cues and 1 danger cue.")


def test_tilt_follows_the_heavier_side_and_is_capped():
    assert Weighing(2, 2).tilt_degrees == 0
    assert Weighing(2, 1).tilt_degrees == rules.DEGREES_PER_CUE
    assert Weighing(1, 3).tilt_degrees == -2 * rules.DEGREES_PER_CUE
    assert Weighing(40, 0).tilt_degrees == rules.MAX_TILT_DEGREES
    assert Weighing(0, 40).tilt_degrees == -rules.MAX_TILT_DEGREES


def test_heavier_pan_hangs_lower():
    level = geometry(Weighing(1, 1))
    assert level.left[1] == pytest.approx(level.right[1])
    danger = geometry(Weighing(3, 0))
    assert danger.left[1] > danger.right[1]  # SVG y grows downwards
    safety = geometry(Weighing(0, 3))
    assert safety.right[1] > safety.left[1]


# ------------------------------------------------------------------ suggestions


def test_nothing_ticked_means_no_suggestions():
    assert suggest_safety(CUES, []) == ()


def test_suggestions_match_the_kinds_of_danger_ticked_one_of_each_first():
    out = suggest_safety(CUES, ["d-sleep", "d-worry", "d-avoid"])
    assert [s.cue_id for s in out] == ["s-sleep", "s-know", "s-walk"]
    assert out[0].reason == "Same kind as a danger cue you ticked: things happening in your body."


def test_a_kind_already_covered_by_a_safety_cue_is_not_pushed_first():
    out = suggest_safety(CUES, ["d-worry", "s-know"], limit=5)
    assert "s-know" not in [s.cue_id for s in out]
    assert [s.cue_id for s in out][:2] == ["s-plan", "s-sleep"]  # list order: no kind is open
    assert all(s.reason == "" for s in out)  # simply next on the list


def test_suggestions_respect_the_limit_and_skip_ticked_cues():
    assert len(suggest_safety(CUES, ["d-worry"], limit=2)) == 2
    assert suggest_safety(CUES, ["d-worry"], limit=0) == ()
    every_safety = [c.id for c in CUES if c.side == "safety"]
    assert suggest_safety(CUES, ["d-worry", *every_safety]) == ()


def test_a_danger_cue_without_a_kind_still_gets_general_suggestions():
    out = suggest_safety(CUES, ["d-odd"])
    assert [s.cue_id for s in out] == ["s-know", "s-plan", "s-sleep"]


def test_category_labels_cover_exactly_the_schema_categories():
    assert set(CATEGORY_LABELS) == set(get_args(Category))


# ------------------------------------------------------------------ own cue


def test_own_cue_is_tidied():
    assert clean_own_cue("  a   walk\twith my dog  ") == "a walk with my dog"


def test_letters_of_any_language_and_simple_punctuation_are_fine():
    text = "Café with Zoë, at 10:30 (Sunday) - it's 100% calm & quiet!"
    assert clean_own_cue(text) == text
    phone = "My partner’s “you can do it” – every day"
    assert clean_own_cue(phone) == phone


@pytest.mark.parametrize("empty", ["", "   ", "\n\t", None])
def test_empty_cue_asks_for_words(empty):
    with pytest.raises(CueError, match="Please type a few words first"):
        clean_own_cue(empty)


def test_a_cue_that_is_not_text_is_refused():
    with pytest.raises(CueError, match="in words"):
        clean_own_cue(42)


def test_limit_is_exactly_the_maximum():
    assert clean_own_cue("x" * MAX_CUE_CHARS) == "x" * MAX_CUE_CHARS
    with pytest.raises(CueError) as info:
        clean_own_cue("x" * (MAX_CUE_CHARS + 1))
    assert str(info.value) == (
        f"Please keep your cue to {MAX_CUE_CHARS} characters or fewer. "
        f"Yours has {MAX_CUE_CHARS + 1}."
    )


@pytest.mark.parametrize(
    "text, shown",
    [
        ("<script>alert(1)</script>", "< >"),
        ("walk {daily}", "{ }"),
        ("sun \U0001f600", "\U0001f600"),
        ("tab\x00null", "U+0000"),
        ("a=b", "="),
    ],
)
def test_odd_characters_are_named(text, shown):
    with pytest.raises(CueError) as info:
        clean_own_cue(text)
    message = str(info.value)
    assert message.startswith("Please use only letters, numbers and simple punctuation.")
    assert message.endswith(f"These cannot be used: {shown}")


def test_a_cue_already_on_the_balance_is_refused_whatever_the_case():
    with pytest.raises(CueError, match="already on your balance"):
        clean_own_cue("good SLEEP", existing=["Good sleep"])


def test_there_is_a_limit_on_own_cues():
    assert clean_own_cue("one more", own_count=MAX_OWN_CUES - 1) == "one more"
    with pytest.raises(CueError, match=f"up to {MAX_OWN_CUES} cues of your own"):
        clean_own_cue("one too many", own_count=MAX_OWN_CUES)


# ------------------------------------------------------------------ drawing and download


def test_svg_is_an_image_whose_alt_text_states_the_result():
    svg = balance_svg(Weighing(3, 1), svg_id="b1")
    assert 'role="img"' in svg and 'aria-labelledby="b1-title b1-desc"' in svg
    desc = re.search(r'<desc id="b1-desc">(.*?)</desc>', svg).group(1)
    assert "Danger weighs more: 3 danger cues and 1 safety cue." in desc
    assert desc.endswith("The danger side hangs lower.")
    assert "danger weighs more" in re.search(r"<title[^>]*>(.*?)</title>", svg).group(1)
    assert ">Danger: 3</text>" in svg and ">Safety: 1</text>" in svg


@pytest.mark.parametrize(
    "w, ending",
    [
        (Weighing(0, 2), "The safety side hangs lower."),
        (Weighing(2, 2), "The beam is level."),
        (Weighing(0, 0), "The beam is level."),
    ],
)
def test_svg_alt_text_for_other_results(w, ending):
    assert f"{ending}</desc>" in balance_svg(w)


def test_svg_sides_differ_by_pattern_as_well_as_colour():
    svg = balance_svg(Weighing(1, 1), svg_id="x")
    assert 'fill="url(#x-stripes)"' in svg and 'fill="url(#x-dots)"' in svg


def test_download_text_lists_both_sides_the_result_and_suggestions():
    suggestions = suggest_safety(CUES, ["d-sleep"])
    text = cue_list_text(["Poor sleep", "My boss <shouting>"], [], Weighing(2, 0), suggestions)
    assert "- Poor sleep\n- My boss <shouting>\n" in text
    safety_block = text.split("Safety cues (signs that my body is safe)")[1]
    assert safety_block.splitlines()[2] == "(none ticked)"
    assert "Danger weighs more: 2 danger cues and 0 safety cues." in text
    assert "Safety cues I could notice or add" in text and "- Good sleep" in text
    assert "did not store it" in text and "Moseley and Butler" in text


@pytest.mark.parametrize(
    "danger, safety, lead",
    [
        (0, 0, "The balance is empty."),
        (1, 1, "The two sides are even:"),
        (2, 0, "Danger weighs more:"),
        (0, 3, "Safety weighs more:"),
    ],
)
def test_the_verdict_comes_as_a_lead_and_the_rest_of_the_words(danger, safety, lead):
    weighing = rules.Weighing(danger=danger, safety=safety)
    shown_lead, rest = weighing.verdict()
    assert shown_lead == lead and weighing.words() == f"{lead} {rest}"
