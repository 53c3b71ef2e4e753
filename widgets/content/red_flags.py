"""Schema and loader of ``data/red_flags.yaml``: the red-flag checker's rules.

This is safety-critical content (see ``docs/clinical-safety.md``). Besides the
usual schema checks, loading refuses a file in which

- one of the six required flags is missing or has another level,
- a flag, an advice text or an emergency number cites no source, or an unknown one,
- a result level (emergency, urgent, none) has no advice, or has two,
- fewer than two emergency numbers are given (never one country alone), or the
  emergency advice does not name every one of them.

Every mistake is one ``ContentError`` naming the file, the item and the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from . import ContentError, Field, Model, _rel, load_content, read_yaml_items, validated

FILE = "red_flags.yaml"
_ID = r"^[a-z0-9][a-z0-9_-]*$"

# The six flags of the course's seed page, with their levels (issue 5). They stay;
# more may be added, each with a cited source.
REQUIRED_FLAGS: dict[str, str] = {
    "bladder_bowel": "emergency",
    "saddle_numbness": "emergency",
    "leg_weakness": "emergency",
    "major_trauma": "emergency",
    "systemic_unwell": "urgent",
    "cancer_history": "urgent",
}
RESULT_LEVELS = ("emergency", "urgent", "none")


class RedFlag(Model):
    """One warning sign: a plain yes/no question, why it matters, how urgent, and sources."""

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1, max_length=60)
    question: str = Field(min_length=1, pattern=r"\?$")
    # The same sign in the learner's own words, for "My plan" (lesson 09).
    statement: str = Field(min_length=1, max_length=160, pattern=r"\.$")
    why: str = Field(min_length=1)
    level: Literal["emergency", "urgent"]
    sources: list[str] = Field(min_length=1)


class Advice(Model):
    """What to do for one result level; ``id`` is the level."""

    id: Literal["emergency", "urgent", "none"]
    heading: str = Field(min_length=1)
    text: str = Field(min_length=1)
    sources: list[str] = Field(min_length=1)


class EmergencyNumber(Model):
    """A place's emergency phone number, e.g. 999 in the UK."""

    id: str = Field(pattern=_ID)
    number: str = Field(pattern=r"^\d{2,4}$")
    where: str = Field(min_length=1)
    sources: list[str] = Field(min_length=1)


@dataclass(frozen=True)
class RedFlagRules:
    """The validated content of ``red_flags.yaml``."""

    flags: tuple[RedFlag, ...]
    advice: MappingProxyType  # level -> Advice
    numbers: tuple[EmergencyNumber, ...]

    def __reduce__(self):  # a mappingproxy cannot be pickled (the content snapshot)
        return (_rules, (self.flags, dict(self.advice), self.numbers))

    def flag(self, flag_id: str) -> RedFlag:
        for flag in self.flags:
            if flag.id == flag_id:
                return flag
        raise KeyError(flag_id)


def _rules(flags: tuple[RedFlag, ...], advice: dict[str, Advice],
           numbers: tuple[EmergencyNumber, ...]) -> RedFlagRules:
    return RedFlagRules(flags=flags, advice=MappingProxyType(advice), numbers=numbers)


def load_red_flags(data_dir: Path | str | None = None) -> RedFlagRules:
    """Read and validate ``data/red_flags.yaml`` (cached per folder)."""
    if data_dir is None:
        return validated("red_flags")
    return _load(Path(data_dir).resolve())


@lru_cache(maxsize=8)
def _load(root: Path) -> RedFlagRules:
    path = root / FILE
    shown = _rel(path, root)
    references = load_content(root).references

    def check_sources(item_id: str, sources: list[str]) -> None:
        for ref_id in sources:
            if ref_id not in references:
                raise ContentError(shown, item_id, "sources", f"unknown reference id {ref_id!r}")

    flags: list[RedFlag] = read_yaml_items(path, root, "flags", RedFlag)
    seen: set[str] = set()
    for flag in flags:
        if flag.id in seen:
            raise ContentError(shown, flag.id, "id", "this flag id is used twice")
        seen.add(flag.id)
        check_sources(flag.id, flag.sources)
        required = REQUIRED_FLAGS.get(flag.id)
        if required is not None and flag.level != required:
            raise ContentError(shown, flag.id, "level",
                               f"this flag must stay at level {required!r} (got {flag.level!r})")
    for flag_id in REQUIRED_FLAGS:
        if flag_id not in seen:
            raise ContentError(shown, flag_id, "id",
                               "this required flag is missing; the six flags of the checker stay")

    advice_items: list[Advice] = read_yaml_items(path, root, "advice", Advice)
    advice: dict[str, Advice] = {}
    for item in advice_items:
        if item.id in advice:
            raise ContentError(shown, item.id, "id", "two advice items for this level")
        check_sources(item.id, item.sources)
        advice[item.id] = item
    for level in RESULT_LEVELS:
        if level not in advice:
            raise ContentError(shown, level, "id", f"no advice for the level {level!r}")

    numbers: list[EmergencyNumber] = read_yaml_items(path, root, "emergency_numbers",
                                                     EmergencyNumber)
    if len({n.where for n in numbers}) < 2:
        raise ContentError(shown, None, "emergency_numbers",
                           "give at least two places, so the advice never names one country alone")
    for number in numbers:
        check_sources(number.id, number.sources)
        if not re.search(rf"(?<!\d){number.number}(?!\d)", advice["emergency"].text):
            raise ContentError(shown, "emergency", "text",
                               f"the emergency advice must name {number.number} "
                               f"({number.where}), as listed under emergency_numbers")

    return RedFlagRules(flags=tuple(flags), advice=MappingProxyType(advice),
                        numbers=tuple(numbers))
