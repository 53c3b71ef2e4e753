"""Schema of ``data/workshop_plan.yaml``: session plans for a clinician-led workshop.

A plan has meetings (their lengths in minutes) and parts in order. Each part says
how many minutes it takes, which lessons and tools to show, what to do and what to
ask. The facilitator guide renders the plans (``widgets.workshop.session_plan``),
linking the lessons that exist and saying what to do for those that do not yet.

Checks beyond the schema: every lesson id is in ``course.yaml``, each part belongs
to a meeting of the plan, and the parts of each meeting add up to its length.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ._frozen import FrozenMap
from .base import (
    ID,
    ContentError,
    Field,
    Model,
    known_lessons,
    read_yaml_items,
    shown_path,
    unique_ids,
)
from .course import load_content
from .registry import kind, read

FILE = "workshop_plan.yaml"


class PlanPart(Model):
    meeting: int = Field(ge=1, le=6)
    minutes: int = Field(ge=1, le=120)
    title: str = Field(min_length=1)
    lessons: tuple[str, ...]
    tools: tuple[str, ...]
    do: str = Field(min_length=1)
    prompts: tuple[str, ...]


class Plan(Model):
    id: str = Field(pattern=ID)
    title: str = Field(min_length=1)
    meetings: tuple[int, ...] = Field(min_length=1)
    parts: tuple[PlanPart, ...] = Field(min_length=1)

    @property
    def total_minutes(self) -> int:
        return sum(self.meetings)

    def parts_of(self, meeting: int) -> list[PlanPart]:
        return [part for part in self.parts if part.meeting == meeting]


def load_plans(data_dir: Path | str | None = None) -> FrozenMap[str, Plan]:
    """The session plans by id, in file order."""
    return read("plans", data_dir)


@kind("plans")
@lru_cache(maxsize=8)
def _load(root: Path) -> FrozenMap[str, Plan]:
    path = root / FILE
    shown = shown_path(path, root)
    plans = read_yaml_items(path, root, "plans", Plan)
    lessons = load_content(root).lesson_ids
    unique_ids(shown, plans)
    out: dict[str, Plan] = {}
    for plan in plans:
        for i, part in enumerate(plan.parts):
            if part.meeting > len(plan.meetings):
                raise ContentError(
                    shown,
                    plan.id,
                    f"parts[{i}].meeting",
                    f"the plan has {len(plan.meetings)} meeting(s), not {part.meeting}",
                )
            known_lessons(shown, plan.id, f"parts[{i}].lessons", part.lessons, lessons)
        for number, length in enumerate(plan.meetings, start=1):
            total = sum(part.minutes for part in plan.parts_of(number))
            if total != length:
                raise ContentError(
                    shown,
                    plan.id,
                    "parts",
                    f"the parts of meeting {number} add up to {total} "
                    f"minutes, but the meeting lasts {length}",
                )
        out[plan.id] = plan
    return FrozenMap(out)
