""" "My plan": the file gathers every part, names what is missing, escapes, adds safety cues."""

from __future__ import annotations

import re
from datetime import date

import pytest

from widgets.logic.download import download_link
from widgets.logic.my_plan import (
    EMPTY_PART,
    FORMATS,
    MyPlanError,
    SignGroup,
    WarningSigns,
    build_my_plan,
    parse_goals,
)
from widgets.logic.pacing import make_plan
from widgets.logic.written_plan import FLARE, build_plan

DAY = date(2026, 11, 25)
# Hand-made signs: the real ones come from data/red_flags.yaml (tests/content/test_plans.py).
EMERGENCY_SIGNS = ("You cannot pass urine.", "Your legs get weaker.")
URGENT_SIGNS = ("You have a fever.",)
SOON_SIGNS = ("Your back is stiff for months.",)
EMERGENCY = SignGroup(
    "Get help now if:",
    EMERGENCY_SIGNS,
    "Call 999 in the UK, 112 in the EU, 911 in the US, Canada and Mexico.",
)
URGENT = SignGroup("Get a check today if:", URGENT_SIGNS, "Ask to be seen today.")
SOON = SignGroup("Worth a GP visit:", SOON_SIGNS, "Book a GP appointment.")
SIGNS = WarningSigns(
    (EMERGENCY, URGENT, SOON), ("NHS (2023). Back pain. https://www.nhs.uk/conditions/back-pain/",)
)


@pytest.fixture
def full():
    return build_my_plan(
        "Walk to the shop\nSit through a film",
        make_plan("walking", "20", "40"),
        build_plan(FLARE, {"helps": "A warm shower", "contacts": "My physio"}),
        DAY,
        SIGNS,
    )


def test_nothing_filled_in_is_refused():
    with pytest.raises(MyPlanError, match="at least one part"):
        build_my_plan("  \n", None, build_plan(FLARE, {}, require_one=False), DAY, SIGNS)


def test_markdown_has_every_part_in_order(full):
    md = full.to_markdown()
    headings = re.findall(r"^## (.+)$", md, flags=re.M)
    assert headings == [
        "My goals",
        "My pacing plan",
        "My flare plan",
        "Warning signs: when to get help fast",
    ]
    assert md.startswith("# My back pain plan\n\nMade on 25 November 2026")
    assert "- Walk to the shop\n- Sit through a film" in md
    assert "| 11 | 40 minutes (goal) |" in md and "Stick to the planned time" in md
    assert "### What helps me\n\n- A warm shower" in md
    for sign in EMERGENCY_SIGNS + URGENT_SIGNS + SOON_SIGNS:
        assert f"- {sign}" in md
    # Each group: its intro, its signs, then what to do, most urgent first.
    assert md.index("Get help now if:") < md.index("Call 999") < md.index("Get a check today if:")
    assert md.index("Ask to be seen today.") < md.index("Worth a GP visit:")
    assert "999 in the UK, 112 in the EU, 911 in the US, Canada and Mexico" in md
    assert "- NHS (2023). Back pain. https://www.nhs.uk/conditions/back-pain/" in md
    assert "not a diagnosis" in md


def test_html_is_one_self_contained_page(full):
    page = full.to_html()
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<title>My back pain plan</title>" in page and '<meta charset="utf-8">' in page
    assert "<script" not in page and "<link" not in page and " src=" not in page
    assert "<li>Walk to the shop</li>" in page
    assert '<th scope="row">Week 11</th><td>40 minutes</td>' in page
    assert 'role="img"' in page  # the chart travels with the plan
    assert "<h4>What helps me</h4><ul><li>A warm shower</li></ul>" in page
    for sign in EMERGENCY_SIGNS + URGENT_SIGNS + SOON_SIGNS:
        assert f"<li>{sign}</li>" in page
    assert "<p>Get help now if:</p>" in page and "<p>Book a GP appointment.</p>" in page
    assert page.rstrip().endswith("</html>")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_missing_parts_are_named_so_they_can_be_added_by_hand(fmt):
    plan = build_my_plan("Garden for an hour", None, None, DAY, SIGNS)
    text = plan.render(fmt)
    assert text.count(EMPTY_PART) == 2
    assert "Garden for an hour" in text and "Warning signs: when to get help fast" in text


def test_only_a_pacing_plan_is_enough():
    plan = build_my_plan("", make_plan("sitting", "30", "60"), None, DAY, SIGNS)
    assert plan.goals == () and EMPTY_PART in plan.to_markdown()


def test_typed_goals_are_escaped():
    plan = build_my_plan('<img src=x onerror="alert(1)">\n# not a heading', None, None, DAY, SIGNS)
    assert "<img" not in plan.to_html() and "&lt;img src=x" in plan.to_html()
    assert r"- \<img src=x" in plan.to_markdown() and r"- \# not a heading" in plan.to_markdown()


def test_goal_limits_give_a_message():
    with pytest.raises(MyPlanError, match='"My goals" is too long'):
        parse_goals("x" * 401)
    with pytest.raises(MyPlanError, match="hidden or odd character"):
        parse_goals("walk\x00")


def test_unknown_format_is_refused(full):
    with pytest.raises(ValueError, match="unknown format"):
        full.render("pdf")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_each_format_makes_a_safe_download_link(full, fmt):
    name, mime, label = FORMATS[fmt]
    link = download_link(name, full.render(fmt), label, mime)
    assert f'download="{name}"' in link and f"data:{mime};" in link


def test_a_plan_never_goes_without_warning_signs():
    with pytest.raises(ValueError, match="always carries"):
        WarningSigns((URGENT,))
    with pytest.raises(ValueError, match="at least one sign"):
        SignGroup("Get help now if:", (), "Call 999.")
