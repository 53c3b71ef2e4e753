"""The course's Python package: content loading, pure rules, and the widgets.

Lessons import what they show, e.g. ``from widgets import Quiz, lesson``.
Names are imported lazily, so a lesson only pays for the widgets it uses.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "EmployerTalkPlanner",
    "FlarePlanBuilder",
    "LiveRegion",
    "ProgressDiary",
    "Quiz",
    "SleepRoutineBuilder",
    "StayingWellPlanner",
    "lesson",
]

_LAZY = {
    "Quiz": ("widgets.quiz", "Quiz"),
    "LiveRegion": ("widgets._live", "LiveRegion"),
    "lesson": ("widgets.lesson", None),
    "ProgressDiary": ("widgets.diary", "ProgressDiary"),
    "FlarePlanBuilder": ("widgets.written_plan", "FlarePlanBuilder"),
    "SleepRoutineBuilder": ("widgets.written_plan", "SleepRoutineBuilder"),
    "EmployerTalkPlanner": ("widgets.written_plan", "EmployerTalkPlanner"),
    "StayingWellPlanner": ("widgets.written_plan", "StayingWellPlanner"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'widgets' has no attribute {name!r}")
    module_name, attr = _LAZY[name]
    module = importlib.import_module(module_name)
    value = module if attr is None else getattr(module, attr)
    globals()[name] = value
    return value
