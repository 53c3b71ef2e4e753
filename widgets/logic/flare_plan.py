"""A flare plan: what the learner will do when their back pain flares, in their own words.

The flare plan is one kind of written plan (``widgets.logic.written_plan``): five
parts (``PARTS``), each a few short lines. These names keep the flare plan's own
vocabulary for the lessons, "My plan" and their tests.
"""

from __future__ import annotations

from collections.abc import Mapping

from .written_plan import FLARE, MAX_CHARS, MAX_LINES, Part, build_plan, clean_lines
from .written_plan import PlanError as FlarePlanError
from .written_plan import WrittenPlan as FlarePlan

PARTS: tuple[Part, ...] = FLARE.parts
PART_KEYS = FLARE.part_keys

__all__ = [
    "MAX_CHARS",
    "MAX_LINES",
    "PARTS",
    "PART_KEYS",
    "FlarePlan",
    "FlarePlanError",
    "Part",
    "build_flare_plan",
    "clean_lines",
]


def build_flare_plan(answers: Mapping[str, str | None], *, require_one: bool = True) -> FlarePlan:
    """Check each part and make the flare plan, or raise ``FlarePlanError``."""
    return build_plan(FLARE, answers, require_one=require_one)
