"""Every tool's view shows a kind message when a callback fails: no traceback, no detail.

Two halves: every callback of every view (its ``_on_*`` methods) goes through
``widgets._safe.friendly``, and every view shows what ``friendly`` hands it, kindly. The
views are found, not listed: every subclass of ``widgets._view.View`` in the package (a
name starting with ``_`` is a shared base). A new view fails here until it says how it
is built for this test, so none is missed. (The red-flag checker's own test also checks
that its safety advice stays on the page when it fails.)
"""

from __future__ import annotations

import importlib
import logging
import pkgutil

import pytest

import widgets
from widgets._safe import SORRY, friendly
from widgets._view import View
from widgets.content import load_content
from widgets.content.myths import load_myths
from widgets.logic.poll_store import PollStore

CONTENT = load_content()
SECRET = "what the learner ticked"


def _all_views() -> set[type[View]]:
    for module in pkgutil.iter_modules(widgets.__path__):
        if not module.ispkg:
            importlib.import_module(f"widgets.{module.name}")
    found, todo = set(), [View]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.add(sub)
            todo.append(sub)
    # Leave out private classes and the bases in widgets/_view.py (not views themselves).
    return {
        cls
        for cls in found
        if not cls.__name__.startswith("_") and cls.__module__ != "widgets._view"
    }


def _card(cls, question):
    return cls(question, 1, 1, CONTENT, on_verdict=lambda *a: None, on_reset=lambda *a: None)


def _builders(tmp_path):
    from widgets import (
        alarm,
        balance,
        imaging,
        my_plan,
        myths,
        pacing,
        poll,
        quiz,
        red_flags,
        room,
        written_plan,
    )

    store = PollStore(tmp_path / "poll.sqlite3")
    question = CONTENT.questions_for("01-what-is-chronic-back-pain")[0]
    return {
        alarm.AlarmExplainer: alarm.AlarmExplainer,
        balance.SafetyBalance: balance.SafetyBalance,
        written_plan.FlarePlanBuilder: written_plan.FlarePlanBuilder,
        written_plan.SleepRoutineBuilder: written_plan.SleepRoutineBuilder,
        written_plan.EmployerTalkPlanner: written_plan.EmployerTalkPlanner,
        written_plan.StayingWellPlanner: written_plan.StayingWellPlanner,
        imaging.ImagingExplorer: imaging.ImagingExplorer,
        my_plan.MyPlanBuilder: my_plan.MyPlanBuilder,
        pacing.PacingPlanner: pacing.PacingPlanner,
        pacing.BoomBustWeek: pacing.BoomBustWeek,
        quiz.QuestionCard: lambda: _card(quiz.QuestionCard, question),
        myths.MythCard: lambda: myths.MythCard(
            load_myths()[0], 1, 1, CONTENT, lambda *a: None, lambda *a: None
        ),
        red_flags.RedFlagChecker: red_flags.RedFlagChecker,
        room.RoomReady: room.RoomReady,
        poll.JoinPoll: lambda: poll.JoinPoll(store=store, auto_refresh=False),
        poll.FacilitatorDashboard: lambda: poll.FacilitatorDashboard(
            store=store, auto_refresh=False
        ),
    }


def test_every_view_is_covered_here(tmp_path):
    assert _all_views() == set(_builders(tmp_path))


@pytest.mark.parametrize("name", sorted(cls.__qualname__ for cls in _all_views()))
def test_a_failing_callback_shows_a_kind_message(name, tmp_path, caplog):
    build = next(b for c, b in _builders(tmp_path).items() if c.__qualname__ == name)

    def broken_callback(self, *_):
        raise RuntimeError(SECRET)

    view = build()
    with caplog.at_level(logging.ERROR, logger="widgets"):
        friendly(broken_callback)(view)
    assert SORRY in view.text
    assert SECRET not in view.text and "Traceback" not in view.text
    assert caplog.messages == [f"{type(view).__name__}.broken_callback failed: RuntimeError"]
    view.close()


@pytest.mark.parametrize("name", sorted(cls.__qualname__ for cls in _all_views()))
def test_every_callback_of_a_view_is_friendly(name):
    cls = next(c for c in _all_views() if c.__qualname__ == name)
    callbacks = [n for n in dir(cls) if n.startswith("_on_")]
    assert all(getattr(getattr(cls, n), "friendly", False) for n in callbacks), callbacks
