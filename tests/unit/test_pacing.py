"""Pacing maths: properties over grids of inputs, the stated conventions, and every message."""

from __future__ import annotations

import itertools
import re

import pytest

from widgets.logic.pacing import (
    BASELINE_PERCENT,
    DEFAULT_STEP,
    MAX_MINUTES,
    MAX_WEEKS,
    STEPS,
    PacingPlan,
    PlanError,
    bar_chart,
    baseline_for,
    build_weeks,
    compare_weeks,
    comparison_chart,
    comparison_table_html,
    make_plan,
    md_escape,
    parse_activity,
    parse_minutes,
    parse_step,
    plan_chart,
    plan_description,
    plan_markdown,
    plan_table_html,
    round_half_up,
    weekly_rise,
)

USUALS = (2, 3, 4, 5, 6, 7, 9, 10, 12, 15, 20, 25, 30, 45, 60, 90, 120, 180, 240, 360, 480)


def _goals(usual: int) -> list[int]:
    base = baseline_for(usual)
    wanted = {
        base + 1,
        base + 2,
        usual,
        usual + 1,
        2 * usual,
        3 * usual,
        5 * usual,
        60,
        120,
        MAX_MINUTES,
    }
    return sorted(g for g in wanted if base < g <= MAX_MINUTES)


GRID = [(u, s, g) for u in USUALS for s in STEPS for g in _goals(u)]


def _assert_plan_properties(plan: PacingPlan) -> None:
    weeks = plan.weeks
    assert all(isinstance(m, int) for m in weeks), "whole minutes only"
    assert weeks[0] == plan.baseline
    assert weeks[-1] == plan.goal, "the last week is the goal"
    assert max(weeks) == plan.goal, "no week passes the goal"
    assert all(m < plan.goal for m in weeks[:-1]), "the goal comes in the last week, not before"
    for before, after in itertools.pairwise(weeks):
        assert after > before, "never goes down and never stalls"
        assert after - before <= weekly_rise(before, plan.step), "never more than one step"
    assert plan.n_weeks == len(weeks) <= MAX_WEEKS


# ------------------------------------------------------------------ the plan


@pytest.mark.parametrize(("usual", "step", "goal"), GRID)
def test_every_plan_in_the_grid_keeps_its_promises(usual, step, goal):
    try:
        plan = make_plan("walking", str(usual), str(goal), step)
    except PlanError as exc:
        # The only refusal for a goal above the start is a plan longer than a year.
        assert exc.field == "goal" and f"more than {MAX_WEEKS} weeks" in str(exc)
        assert len(build_weeks(baseline_for(usual), goal, step)) > MAX_WEEKS
        return
    assert plan.baseline == usual * BASELINE_PERCENT // 100 < usual
    _assert_plan_properties(plan)
    assert f"in {plan.n_weeks} weeks" in plan.summary()
    assert f"goal of {goal} minute" in plan.how_made()
    assert f"week {plan.n_weeks}." in plan.how_made()
    table = plan_table_html(plan)
    assert table.count('<th scope="row">') == plan.n_weeks
    assert f'<th scope="row">Week {plan.n_weeks}</th><td>{goal} minutes</td>' in table
    assert table.count("(goal)") == 1


@pytest.mark.parametrize("step", STEPS)
def test_build_weeks_over_a_dense_grid(step):
    for baseline in range(1, 61, 3):
        for goal in range(baseline + 1, 241, 7):
            weeks = build_weeks(baseline, goal, step)
            plan = PacingPlan("x", baseline + 1, baseline, step, goal, weeks)
            if len(weeks) <= MAX_WEEKS:
                _assert_plan_properties(plan)
            else:
                assert weeks[-1] == goal and all(b < a for b, a in itertools.pairwise(weeks))


def test_a_known_plan_week_by_week():
    plan = make_plan("walking", "20", "40")
    assert plan.step == DEFAULT_STEP == 10
    assert plan.weeks == (16, 18, 20, 22, 24, 26, 29, 32, 35, 39, 40)
    assert plan.summary() == (
        "Your plan for walking: start at 16 minutes and build up to 40 minutes in 11 weeks."
    )
    assert plan.rows()[:2] == [(1, 16, 0), (2, 18, 2)] and plan.rows()[-1] == (11, 40, 1)


def test_bigger_steps_never_take_longer():
    for usual, goal in [(10, 60), (20, 100), (5, 30), (60, 240)]:
        lengths = [make_plan("walking", usual, goal, s).n_weeks for s in STEPS]
        assert lengths == sorted(lengths, reverse=True)


def test_rounding_conventions():
    assert [round_half_up(x) for x in (0.49, 0.5, 1.5, 2.5, 2.49)] == [0, 1, 2, 3, 2]
    assert weekly_rise(14, 10) == 1 and weekly_rise(15, 10) == 2 and weekly_rise(2, 5) == 1
    assert weekly_rise(100, 20) == 20
    assert [baseline_for(u) for u in (2, 3, 4, 5, 10, 11)] == [1, 2, 3, 4, 8, 8]


def test_baseline_needs_at_least_two_minutes():
    with pytest.raises(PlanError, match="at least 2 minutes") as info:
        make_plan("walking", "1", "5")
    assert info.value.field == "usual"


def test_the_52_week_limit_is_exact():
    # Find goals either side of the limit for one start and step.
    base, step = 8, 5
    lengths = {g: len(build_weeks(base, g, step)) for g in range(base + 1, MAX_MINUTES + 1)}
    last_ok = max(g for g, n in lengths.items() if n <= MAX_WEEKS)
    assert make_plan("walking", "10", str(last_ok), step).n_weeks <= MAX_WEEKS
    with pytest.raises(PlanError, match="more than 52 weeks"):
        make_plan("walking", "10", str(last_ok + 1), step)


@pytest.mark.parametrize("goal", ["16", "10", "1"])
def test_goal_not_above_the_start_is_refused_with_the_numbers(goal):
    with pytest.raises(PlanError) as info:
        make_plan("walking", "20", goal)
    assert info.value.field == "goal"
    assert str(info.value) == (
        "Your goal needs to be more than your starting point of 16 "
        "minutes. Please choose a goal above 16 minutes."
    )


def test_goal_between_start_and_usual_is_allowed():
    plan = make_plan("sitting", "20", "18")
    assert plan.weeks == (16, 18)


def test_build_weeks_refuses_a_goal_at_or_below_the_start():
    with pytest.raises(ValueError):
        build_weeks(10, 10, 10)


# ------------------------------------------------------------------ reading what was typed


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("20", 20),
        (" 20 ", 20),
        ("20 min", 20),
        ("20min", 20),
        ("20 minutes", 20),
        ("20 mins.", 20),
        ("1 hour", 60),
        ("1.5 hours", 90),
        ("2h", 120),
        ("2 HRS", 120),
        (20, 20),
        (20.0, 20),
        ("480", 480),
        ("8 hours", 480),
        ("1", 1),
    ],
)
def test_parse_minutes_accepts_plain_ways_of_writing_time(typed, minutes):
    assert parse_minutes(typed) == minutes


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Please fill in the goal, as a number of minutes, for example 20."),
        ("   ", "Please fill in the goal, as a number of minutes, for example 20."),
        (None, "Please fill in the goal, as a number of minutes, for example 20."),
        ("abc", "Please write the goal as a number of minutes, for example 20."),
        ("twenty", "Please write the goal as a number of minutes, for example 20."),
        ("1e3", "Please write the goal as a number of minutes, for example 20."),
        ("20 seconds", "Please write the goal as a number of minutes, for example 20."),
        ("9" * 40, "Please write the goal as a number of minutes, for example 20."),
        ("0", "The goal needs to be more than zero. Even 2 minutes is a start."),
        ("0 hours", "The goal needs to be more than zero. Even 2 minutes is a start."),
        ("0.001 hours", "The goal needs to be more than zero. Even 2 minutes is a start."),
        ("-5", "The goal cannot be below zero. Please enter a number of minutes."),
        ("-0.5 hours", "The goal cannot be below zero. Please enter a number of minutes."),
        (
            "12.5",
            "Please use whole minutes for the goal, for example 12. "
            "For hours, write for example 1.5 hours.",
        ),
        (
            "481",
            "The goal is more than 8 hours (480 minutes). Please check the number: "
            "it is in minutes.",
        ),
        (
            "99999999",
            "The goal is more than 8 hours (480 minutes). Please check the number: "
            "it is in minutes.",
        ),
        (
            "9 hours",
            "The goal is more than 8 hours (480 minutes). Please check the number: "
            "it is in minutes.",
        ),
    ],
)
def test_parse_minutes_messages(typed, message):
    with pytest.raises(PlanError) as info:
        parse_minutes(typed, "the goal", "goal")
    assert str(info.value) == message and info.value.field == "goal"


@pytest.mark.parametrize("typed", ["<script>alert(1)</script>", "20<b>", "DROP TABLE", "\x00"])
def test_messages_never_repeat_what_was_typed(typed):
    with pytest.raises(PlanError) as info:
        parse_minutes(typed, "the usual time")
    assert typed not in str(info.value) and "<" not in str(info.value)


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("walking", "walking"),
        ("  Walking   the dog ", "Walking the dog"),
        ("Gärtnern", "Gärtnern"),
        ("Tai chi (slow)", "Tai chi (slow)"),
        ("Sit-to-stand, 5x", "Sit-to-stand, 5x"),
        ("x" * 40, "x" * 40),
    ],
)
def test_parse_activity_tidies_names(typed, name):
    assert parse_activity(typed) == name


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("", "Please name the activity"),
        ("   \n ", "Please name the activity"),
        (None, "Please name the activity"),
        ("x" * 41, "up to 40 letters"),
        ("<b>walk</b>", "simple punctuation"),
        ("walk\x00", "simple punctuation"),
        ("walk{}", "simple punctuation"),
        ("walk\u200b", "simple punctuation"),
    ],
)
def test_parse_activity_messages(typed, fragment):
    with pytest.raises(PlanError, match=re.escape(fragment)) as info:
        parse_activity(typed)
    assert info.value.field == "activity"


@pytest.mark.parametrize(("value", "step"), [(None, 10), ("", 10), (5, 5), ("15%", 15), ("20", 20)])
def test_parse_step(value, step):
    assert parse_step(value) == step


@pytest.mark.parametrize("value", [0, 7, 25, "abc", "-10", "100"])
def test_parse_step_refuses_other_steps(value):
    with pytest.raises(PlanError, match="5, 10, 15 or 20") as info:
        parse_step(value)
    assert info.value.field == "step"


def test_make_plan_names_the_box_that_is_wrong():
    cases = [
        (("", "20", "40"), "activity"),
        (("walk", "x", "40"), "usual"),
        (("walk", "20", "x"), "goal"),
        (("walk", "20", "40", 3), "step"),
    ]
    for args, field in cases:
        with pytest.raises(PlanError) as info:
            make_plan(*args)
        assert info.value.field == field


# ------------------------------------------------------------------ showing a plan


def test_plan_chart_is_accessible_and_has_one_bar_per_week():
    plan = make_plan("walking", "20", "40")
    chart = plan_chart(plan, "c1")
    assert 'role="img"' in chart and 'aria-labelledby="c1-title c1-desc"' in chart
    assert f'<desc id="c1-desc">{plan_description(plan)}</desc>' in chart
    assert chart.count('class="course-chart__bar"') == plan.n_weeks
    assert "Goal 40 min" in chart and 'stroke-dasharray="6 4"' in chart
    assert "<figcaption>Your plan for walking: minutes each week</figcaption>" in chart
    assert "Week 1 is 16 minutes" in plan_description(plan)
    assert "week 11 reaches the goal of 40 minutes" in plan_description(plan)


def test_long_plans_keep_the_week_labels_readable():
    plan = make_plan("walking", "10", "95", 5)
    assert plan.n_weeks > 40
    labels = re.findall(
        r'text-anchor="middle" font-size="12" fill="#333">(\d+)</text>', plan_chart(plan)
    )
    assert len(labels) <= 14 and labels[0] == "1" and labels[-1] == str(plan.n_weeks)


def test_typed_text_is_escaped_in_html_and_markdown():
    plan = PacingPlan("<b>walk</b>", 20, 16, 10, 18, (16, 18))
    assert "<b>walk" not in plan_table_html(plan) and "&lt;b&gt;walk" in plan_table_html(plan)
    assert "<b>walk" not in plan_chart(plan)
    assert r"\<b\>walk\</b\>" in plan_markdown(plan)
    assert md_escape("a*b_c#[d]|e`") == r"a\*b\_c\#\[d\]\|e\`"


def test_plan_markdown_has_every_week():
    plan = make_plan("walking", "20", "40")
    md = plan_markdown(plan)
    assert "| 1 | 16 minutes |" in md and "| 11 | 40 minutes (goal) |" in md
    assert md.count("\n| ") == plan.n_weeks + 1  # header row plus one row a week


# ------------------------------------------------------------------ boom and bust


@pytest.mark.parametrize("usual", USUALS)
def test_boom_bust_week_is_an_illustration_with_a_steady_paced_line(usual):
    week = compare_weeks(str(usual))
    assert len(week.boom_bust) == len(week.paced) == 7
    assert set(week.paced) == {baseline_for(usual)}
    assert max(week.boom_bust) == 2 * usual and min(week.boom_bust) >= 1
    assert max(week.boom_bust) - min(week.boom_bust) > max(week.paced) - min(week.paced) == 0
    text = week.description()
    assert text.startswith("Illustration with made-up numbers, not data.")
    assert f"from {min(week.boom_bust)} minute" in text
    assert f"to {max(week.boom_bust)} minutes" in text
    chart = comparison_chart(week, "bb")
    assert chart.count('class="course-chart__bar"') == 14
    assert 'fill="url(#bb-hatch)"' in chart  # the second series is hatched, not colour alone
    assert "Illustration" in comparison_table_html(week)


def test_boom_bust_needs_a_good_number():
    with pytest.raises(PlanError, match="number of minutes"):
        compare_weeks("lots")


def test_bar_chart_refuses_bad_shapes():
    with pytest.raises(ValueError):
        bar_chart(
            [], [("a", [])], title="t", description="d", x_label="x", y_label="y", chart_id="c"
        )
    with pytest.raises(ValueError):
        bar_chart(
            ["a", "b"],
            [("s", [1])],
            title="t",
            description="d",
            x_label="x",
            y_label="y",
            chart_id="c",
        )
    with pytest.raises(ValueError):
        bar_chart(
            ["a"],
            [("s", [1]), ("t", [1]), ("u", [1])],
            title="t",
            description="d",
            x_label="x",
            y_label="y",
            chart_id="c",
        )
