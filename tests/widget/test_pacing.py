"""Pacing planner and boom-bust view, driven from code as a learner drives them."""

from __future__ import annotations

import ipywidgets as ipw
import pytest

from widgets import LiveRegion
from widgets.pacing import BoomBustWeek, PacingPlanner


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


@pytest.fixture
def planner() -> PacingPlanner:
    return PacingPlanner()


def test_fill_the_planner_and_see_the_table_and_chart(planner):
    planner.fill(activity="walking", usual="20", goal="40")
    planner.make_button.click()
    assert planner.status_text == (
        "Your plan for walking: start at 16 minutes and build up to 40 minutes in 11 weeks."
    )
    text = planner.result_text
    assert "about 80%, rounded down" in text
    assert "Week 1 16 minutes start Week 2 18 minutes +2" in text
    assert "Week 11 40 minutes +1 (goal)" in text
    assert planner.result.value.count('<th scope="row">Week') == 11
    assert "<svg viewBox" in planner.result.value and 'role="img"' in planner.result.value
    assert planner.plan is not None and planner.plan.n_weeks == 11


def test_the_weekly_step_changes_the_plan(planner):
    planner.fill(activity="sitting", usual="30", goal="60", step=20)
    planner.make_button.click()
    assert planner.plan.weeks == (24, 29, 35, 42, 50, 60)
    assert "in 6 weeks" in planner.status_text


@pytest.mark.parametrize(
    ("activity", "usual", "goal", "message"),
    [
        ("", "20", "40", "Please name the activity, for example walking or sitting."),
        (
            "walking",
            "",
            "40",
            "Please fill in the usual time, as a number of minutes, for example 20.",
        ),
        ("walking", "lots", "40", "Please write the usual time as a number of minutes"),
        (
            "walking",
            "0",
            "40",
            "The usual time needs to be more than zero. Even 2 minutes is a start.",
        ),
        ("walking", "-10", "40", "The usual time cannot be below zero. Please enter a number"),
        ("walking", "20", "100000", "The goal is more than 8 hours (480 minutes)."),
        (
            "walking",
            "20",
            "10",
            "Your goal needs to be more than your starting point of 16 minutes.",
        ),
        ("<script>", "20", "40", "Please use only letters, numbers and simple punctuation"),
    ],
)
def test_bad_input_shows_an_inline_message_and_no_table(planner, activity, usual, goal, message):
    planner.fill(activity="walking", usual="20", goal="40")
    planner.make_button.click()  # a good plan first: the error must clear it
    planner.fill(activity=activity, usual=usual, goal=goal)
    planner.make_button.click()
    assert message in planner.status_text
    assert 'class="course-form__error"' in planner.status.value
    assert planner.result.value == "" and planner.plan is None
    assert "Traceback" not in planner.status.value and "<script>" not in planner.status.value


def test_a_goal_more_than_a_year_away_asks_for_a_nearer_goal(planner):
    planner.fill(activity="walking", usual="3", goal="480", step=5)
    planner.make_button.click()
    assert planner.status_text == (
        "⚠ At a 5% step, this goal would take more than 52 weeks. "
        "Choose a nearer goal for now, or a bigger step. You can make "
        "a new plan when you get there."
    )
    assert planner.result.value == ""


def test_fixing_the_input_brings_the_plan_back(planner):
    planner.fill(activity="walking", usual="abc", goal="40")
    planner.make_button.click()
    planner.usual.value = "20"
    planner.make_button.click()
    assert planner.status_text.startswith("Your plan for walking")


def test_every_control_has_a_name_and_there_is_no_slider(planner):
    controls = [
        w for w in _walk(planner) if isinstance(w, ipw.ValueWidget) and not isinstance(w, ipw.HTML)
    ]
    assert {type(w) for w in controls} == {ipw.Text, ipw.Dropdown}
    assert len(controls) == 4 and all(w.description for w in controls)
    assert not any("Slider" in type(w).__name__ for w in _walk(planner))
    assert planner.step.value == 10 and planner.step.label == "10% a week (suggested)"
    assert [v for _, v in planner.step.options] == [5, 10, 15, 20]
    assert isinstance(planner.status, LiveRegion) and not planner.status.urgent
    assert planner.make_button.description == "Make my plan"
    # Boxes sync on blur or Enter: per-key syncing lost fast typing in the browser.
    assert not any(w.continuous_update for w in controls if isinstance(w, ipw.Text))


def test_two_planners_on_one_page_get_their_own_chart_ids():
    a, b = PacingPlanner(), PacingPlanner()
    for p in (a, b):
        p.fill(activity="walking", usual="20", goal="40")
        p.make_button.click()
    ids_a = a.result.value.split('aria-labelledby="')[1].split('"')[0]
    ids_b = b.result.value.split('aria-labelledby="')[1].split('"')[0]
    assert ids_a != ids_b


def test_boom_bust_is_drawn_at_once_and_labelled_an_illustration():
    view = BoomBustWeek()
    labels = [w.value for w in _walk(view) if isinstance(w, ipw.HTML)]
    assert any("Illustration</span> The numbers are made up" in v for v in labels)
    assert view.status_text == (
        "Boom and bust: from 5 to 40 minutes a day. Paced: 16 minutes every day."
    )
    assert "Day 2 40 minutes Feels good, so does a lot more. 16 minutes" in view.result_text
    assert view.result.value.count('class="course-chart__bar"') == 14


def test_boom_bust_follows_the_learners_minutes_and_reports_bad_input():
    view = BoomBustWeek()
    view.usual.value = "10"
    view.show_button.click()
    assert view.status_text == (
        "Boom and bust: from 3 to 20 minutes a day. Paced: 8 minutes every day."
    )
    view.usual.value = "ten"
    view.show_button.click()
    assert "as a number of minutes" in view.status_text and view.result.value == ""
