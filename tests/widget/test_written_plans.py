"""The plans of lessons 10, 11 and 13, and their steps in "My plan", driven as a learner
drives them."""

from __future__ import annotations

import base64
import re
from datetime import date

import pytest

from widgets.logic.written_plan import SLEEP, STAYING_WELL, WORK
from widgets.my_plan import MyPlanBuilder
from widgets.written_plan import EmployerTalkPlanner, SleepRoutineBuilder, StayingWellPlanner

BUILDERS = [
    (SleepRoutineBuilder, SLEEP, "Make my sleep routine", "my-sleep-routine.md"),
    (EmployerTalkPlanner, WORK, "Make my talk with my employer", "my-talk-with-my-employer.md"),
    (
        StayingWellPlanner,
        STAYING_WELL,
        "Make my goals and staying-well plan",
        "my-goals-and-staying-well-plan.md",
    ),
]


def _download(link_html: str) -> tuple[str, str]:
    name = re.search(r'download="([^"]+)"', link_html).group(1)
    data = re.search(r'base64,([^"]+)"', link_html).group(1)
    return name, base64.b64decode(data).decode("utf-8")


@pytest.mark.parametrize(
    ("cls", "kind", "button", "filename"), BUILDERS, ids=[k.key for _, k, _, _ in BUILDERS]
)
def test_a_box_per_part_then_the_plan_and_its_download(cls, kind, button, filename):
    builder = cls()
    assert [b.description for b in builder.boxes.values()] == [p.label for p in kind.parts]
    assert all(b.placeholder.startswith("For example:") for b in builder.boxes.values())
    assert builder.make_button.description == button
    first, last = kind.parts[0], kind.parts[-1]
    builder.fill(**{first.key: "- One thing\n- Another thing", last.key: "Someone"})
    builder.make_button.click()
    assert builder.status_text == (
        f"Your {kind.noun} is ready: 2 of {len(kind.parts)} parts filled in."
    )
    assert builder.result_text.startswith(f"{kind.title} {first.label} One thing Another thing")
    assert f"<h4>{kind.parts[1].label}</h4>" not in builder.result.value  # empty: left out
    name, text = _download(builder.result.value)
    assert name == filename
    assert text.startswith(f"# {kind.title}\n\n## {first.label}\n\n- One thing\n- Another thing")


@pytest.mark.parametrize(
    ("cls", "kind", "button", "filename"), BUILDERS, ids=[k.key for _, k, _, _ in BUILDERS]
)
def test_an_empty_plan_asks_for_one_part(cls, kind, button, filename):
    builder = cls()
    builder.make_button.click()
    assert f'for example "{kind.parts[0].label}"' in builder.status_text
    assert builder.plan is None and builder.result.value == ""


def test_a_box_that_is_too_long_is_named():
    builder = SleepRoutineBuilder()
    builder.fill(wind_down="x" * 401)
    builder.make_button.click()
    assert builder.status_text.startswith('⚠ "My wind-down" is too long.')


@pytest.fixture
def maker() -> MyPlanBuilder:
    return MyPlanBuilder(today=lambda: date(2026, 12, 5))


def test_my_plan_gathers_the_sleep_work_and_staying_well_plans(maker):
    maker.goals.value = "Walk to the park"
    maker.sleep.fill(times="Up at 7 every day")
    maker.work.fill(changes="Shorter shifts for a few weeks")
    maker.staying_well.fill(early_signs="Skipping my walks", who_helps="My physio")
    maker.format.value = "markdown"
    maker.make_button.click()
    assert maker.status_text.startswith(
        "Your plan is ready, with your goals, sleep routine, plan for talking with your "
        "employer, goals and staying-well plan and the warning signs."
    )
    doc = maker.document
    assert "## My sleep routine\n\n### My regular times\n\n- Up at 7 every day" in doc
    assert "## My talk with my employer\n\n### Changes that would help" in doc
    assert "## Staying well\n\n### Early signs I am slipping\n\n- Skipping my walks" in doc
    # the sections come after the flare plan and before the warning signs
    assert doc.index("## My flare plan") < doc.index("## My sleep routine")
    assert doc.index("## Staying well") < doc.index("## Warning signs")


def test_my_plan_asks_for_goals_once(maker):
    # Step 1 holds the goals; the staying-well step has every other box of lesson 13.
    assert "goal" not in maker.staying_well.boxes
    assert list(maker.staying_well.boxes) == [p.key for p in STAYING_WELL.parts if p.key != "goal"]


def test_an_empty_extra_plan_is_left_out_and_a_bad_one_is_named(maker):
    maker.goals.value = "Garden for an hour"
    maker.format.value = "markdown"
    maker.make_button.click()
    assert "## My sleep routine" not in maker.document
    maker.work.fill(questions="x" * 401)
    maker.make_button.click()
    assert maker.status_text.startswith(
        '⚠ Step 5, plan for talking with your employer: "Questions I want to ask" is too long.'
    )
    assert maker.document is None


def test_only_an_extra_plan_is_enough(maker):
    maker.sleep.fill(if_awake="Get up and read somewhere calm")
    maker.make_button.click()
    assert maker.status_text.startswith("Your plan is ready, with your sleep routine and")
    assert "If pain wakes me" in maker.document
