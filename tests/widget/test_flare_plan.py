"""Flare plan builder, driven from code as a learner drives it."""

from __future__ import annotations

import base64
import re

import ipywidgets as ipw
import pytest

from widgets import LiveRegion
from widgets.logic.written_plan import FLARE
from widgets.written_plan import FlarePlanBuilder


def _download(link_html: str) -> tuple[str, str]:
    name = re.search(r'download="([^"]+)"', link_html).group(1)
    data = re.search(r'base64,([^"]+)"', link_html).group(1)
    return name, base64.b64decode(data).decode("utf-8")


@pytest.fixture
def builder() -> FlarePlanBuilder:
    return FlarePlanBuilder()


def test_five_named_boxes_a_button_and_a_live_region(builder):
    assert [b.description for b in builder.boxes.values()] == [p.label for p in FLARE.parts]
    assert all(isinstance(b, ipw.Textarea) and b.placeholder for b in builder.boxes.values())
    assert not any(b.continuous_update for b in builder.boxes.values())  # sync on blur
    assert builder.make_button.description == "Make my flare plan"
    assert isinstance(builder.status, LiveRegion)


def test_build_a_flare_plan_and_download_it(builder):
    builder.fill(
        helps="- A warm shower\n- Slow breathing",
        first_days="Keep moving gently",
        contacts="My physio, Sam",
    )
    builder.make_button.click()
    assert builder.status_text == "Your flare plan is ready: 3 of 5 parts filled in."
    text = builder.result_text
    assert text.startswith("My flare plan What helps me A warm shower Slow breathing")
    assert "What I will do in the first day or two Keep moving gently" in text
    assert "Who I can contact My physio, Sam" in text
    assert "What I will avoid" not in text  # empty parts are left out
    name, content = _download(builder.result.value)
    assert name == "my-flare-plan.md"
    assert content.startswith("# My flare plan\n\n## What helps me\n\n- A warm shower\n")
    assert "## Who I can contact\n\n- My physio, Sam" in content


def test_empty_plan_asks_for_one_part(builder):
    builder.make_button.click()
    assert "Please fill in at least one part" in builder.status_text
    assert builder.result.value == "" and builder.plan is None


def test_too_long_or_odd_text_gets_a_message_naming_the_box(builder):
    builder.fill(avoid="x" * 401)
    builder.make_button.click()
    assert builder.status_text.startswith('⚠ "What I will avoid" is too long.')
    builder.fill(avoid="bed rest\x00")
    builder.make_button.click()
    assert '"What I will avoid" has a hidden or odd character' in builder.status_text
    assert builder.result.value == ""


def test_typed_markup_is_shown_as_text(builder):
    builder.fill(helps='<img src=x onerror="alert(1)">')
    builder.make_button.click()
    assert "<img" not in builder.result.value
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in builder.result.value


def test_without_download_when_embedded():
    builder = FlarePlanBuilder(button_label="Preview my flare plan", offer_download=False)
    builder.fill(helps="Heat")
    builder.make_button.click()
    assert "download=" not in builder.result.value
    assert builder.make_button.description == "Preview my flare plan"
