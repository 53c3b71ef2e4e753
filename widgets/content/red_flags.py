"""Schema and loader of ``data/red_flags.yaml``: the red-flag checker's rules.

This is safety-critical content (see ``docs/clinical-safety.md``). Besides the
usual schema checks, loading refuses a file in which

- one of the fifteen required flags is missing, out of order or has another level,
- a flag, an advice text or an emergency number cites no source, or an unknown one,
- a result level (emergency, urgent, soon, none) has no advice, or has two,
- fewer than two emergency numbers are given (never one country alone), the
  emergency advice does not name every one of them, or the "soon" or "none"
  advice names one (those levels never send anyone to emergency care),
- a text that must point to lesson 8 does not.

Every mistake is one ``ContentError`` naming the file, the item and the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from .. import i18n
from ..logic import red_flags as _logic
from ..logic import warning_signs
from ..logic.red_flags import Assessment
from ..logic.warning_signs import LESSON_8_WORDS
from ._frozen import FrozenMap
from .base import (
    ID,
    ContentError,
    Field,
    Model,
    build,
    known_references,
    read_yaml,
    read_yaml_items,
    shown_path,
    unique_ids,
)
from .course import load_content
from .languages import conventions
from .registry import kind, read

FILE = "red_flags.yaml"

# The NHS and NICE warning signs, with their levels, in the order the checker asks
# them (issue 14; the first six ids are the seed page's, issue 5). They stay, in this
# order; more may be added after them, each with a cited source.
REQUIRED_FLAGS: dict[str, str] = {
    "bladder_bowel": "emergency",
    "saddle_numbness": "emergency",
    "both_legs": "emergency",
    "leg_weakness": "emergency",
    "sexual_change": "emergency",
    "chest_pain": "emergency",
    "major_trauma": "emergency",
    "systemic_unwell": "urgent",
    "cancer_history": "urgent",
    "fracture_risk": "urgent",
    "night_or_rest_pain": "urgent",
    "cough_sneeze_strain": "urgent",
    "upper_back": "urgent",
    "lump_shape": "urgent",
    "inflammatory": "soon",
}
RESULT_LEVELS = ("emergency", "urgent", "soon", "none")


class RedFlag(Model):
    """One warning sign: a plain yes/no question, why it matters, how urgent, and sources."""

    id: str = Field(pattern=ID)
    # Lower case, fits in a sentence: "You ticked 2 signs: chest pain; ..."
    name: str = Field(min_length=1, max_length=80, pattern=r"^[a-z].*[^.]$")
    # Completes "... if back pain comes with any of these:" (lesson 8, My plan).
    sign: str = Field(min_length=1, max_length=240, pattern=r"^[a-z].*[^.]$")
    question: str = Field(min_length=1, pattern=r"\?$")
    why: str = Field(min_length=1)
    level: Literal["emergency", "urgent", "soon"]
    sources: tuple[str, ...] = Field(min_length=1)


class Advice(Model):
    """What to do for one result level; ``id`` is the level."""

    id: Literal["emergency", "urgent", "soon", "none"]
    heading: str = Field(min_length=1)
    intro: str = Field(min_length=1)  # the line before this level's list of signs
    text: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)


class EmergencyNumber(Model):
    """A place's emergency phone number, e.g. 999 in the UK."""

    id: str = Field(pattern=ID)
    number: str = Field(pattern=r"^\d{2,4}$")
    where: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)


class Texts(Model):
    """Warning-sign texts: the notice, the movement boundary, what "new" means, and the
    checker's fail-safe words."""

    # The notice every page carries: intro, the emergency flags' names, then "more".
    notice_intro: str = Field(min_length=1, pattern=r":$")
    notice_more: str = Field(min_length=1)
    # The boundary every movement practice gives (lessons 6 and 7).
    movement_boundary: str = Field(min_length=1)
    # What "new" means in the questions (checker and lesson 8).
    new_means: str = Field(min_length=1)
    # What the checker says if it fails: where to get help; {numbers} is filled in.
    fail_safe: str = Field(min_length=1, pattern=r"\{numbers\}")
    # The leg and nerve signs the sciatica lesson lists: its intro, then these flags
    # (ids, all at the emergency level), then the emergency advice.
    leg_signs_intro: str = Field(min_length=1, pattern=r":$")
    leg_signs: tuple[str, ...] = Field(min_length=1)
    # The sciatica lesson's advice on a blood clot in a leg (another cause of leg pain),
    # with its sources; {numbers} is filled in with the emergency numbers.
    leg_clot: str = Field(min_length=1, pattern=r"\{numbers\}")
    leg_clot_sources: tuple[str, ...] = Field(min_length=1)


@dataclass(frozen=True)
class RedFlagRules:
    """The validated content of ``red_flags.yaml``."""

    flags: tuple[RedFlag, ...]
    advice: FrozenMap[str, Advice]  # level -> Advice
    numbers: tuple[EmergencyNumber, ...]
    texts: Texts

    def flag(self, flag_id: str) -> RedFlag:
        for flag in self.flags:
            if flag.id == flag_id:
                return flag
        raise KeyError(flag_id)

    def at_level(self, level: str) -> tuple[RedFlag, ...]:
        """The flags of one level, in the checker's order."""
        return tuple(flag for flag in self.flags if flag.level == level)


def load_red_flags(data_dir: Path | str | None = None) -> RedFlagRules:
    """Read and validate ``data/red_flags.yaml`` (cached per folder)."""
    return read("red_flags", data_dir)


def _lesson_8_words() -> str:
    """The words that link to lesson 8, in the language being read."""
    if i18n.current() == i18n.SOURCE:
        return LESSON_8_WORDS
    from ..i18n.catalogs import word

    return word(i18n.current(), LESSON_8_WORDS)


@kind("red_flags")
@lru_cache(maxsize=8)
def _load(root: Path) -> RedFlagRules:
    path = root / FILE
    shown = shown_path(path, root)
    references = load_content(root).references

    flags: list[RedFlag] = read_yaml_items(path, root, "flags", RedFlag)
    unique_ids(shown, flags, "flag id")
    seen = {flag.id for flag in flags}
    for flag in flags:
        known_references(shown, flag.id, "sources", flag.sources, references)
        required = REQUIRED_FLAGS.get(flag.id)
        if required is not None and flag.level != required:
            raise ContentError(
                shown,
                flag.id,
                "level",
                f"this flag must stay at level {required!r} (got {flag.level!r})",
            )
    for flag_id in REQUIRED_FLAGS:
        if flag_id not in seen:
            raise ContentError(
                shown,
                flag_id,
                "id",
                "this required flag is missing; the fifteen flags of the checker stay",
            )
    order = [flag.id for flag in flags if flag.id in REQUIRED_FLAGS]
    for got, wanted in zip(order, REQUIRED_FLAGS, strict=True):
        if got != wanted:
            raise ContentError(
                shown, got, "id", f"the required flags keep their order; {wanted!r} comes here"
            )

    advice_items: list[Advice] = read_yaml_items(path, root, "advice", Advice)
    advice: dict[str, Advice] = {}
    for item in advice_items:
        if item.id in advice:
            raise ContentError(shown, item.id, "id", "two advice items for this level")
        known_references(shown, item.id, "sources", item.sources, references)
        advice[item.id] = item
    for level in RESULT_LEVELS:
        if level not in advice:
            raise ContentError(shown, level, "id", f"no advice for the level {level!r}")

    numbers: list[EmergencyNumber] = read_yaml_items(
        path, root, "emergency_numbers", EmergencyNumber
    )
    unique_ids(shown, numbers, "emergency number id")
    if len({n.where for n in numbers}) < 2:
        raise ContentError(
            shown,
            None,
            "emergency_numbers",
            "give at least two places, so the advice never names one country alone",
        )
    for number in numbers:
        known_references(shown, number.id, "sources", number.sources, references)
        named = re.compile(rf"(?<!\d){number.number}(?!\d)")
        if not named.search(advice["emergency"].text):
            raise ContentError(
                shown,
                "emergency",
                "text",
                f"the emergency advice must name {number.number} "
                f"({number.where}), as listed under emergency_numbers",
            )
        for calm in ("soon", "none"):
            if named.search(advice[calm].text):
                raise ContentError(
                    shown,
                    calm,
                    "text",
                    f"the {calm!r} advice must not name an emergency number "
                    f"({number.number}): it never sends anyone to emergency care",
                )

    texts = build(Texts, read_yaml(path, shown).get("texts"), shown, "texts")
    lesson_8 = _lesson_8_words()
    for field in ("notice_more", "movement_boundary"):
        # (a text not yet translated is still English, with the English words)
        if lesson_8 not in getattr(texts, field) and LESSON_8_WORDS not in getattr(texts, field):
            raise ContentError(shown, "texts", field, f"this text must point to {lesson_8!r}")
    for field in ("fail_safe", "leg_clot"):
        if getattr(texts, field).replace("{numbers}", "").count("{"):
            raise ContentError(shown, "texts", field, "the only placeholder is {numbers}")
    known_references(shown, "texts", "leg_clot_sources", texts.leg_clot_sources, references)
    for flag_id in texts.leg_signs:
        if flag_id not in seen:
            raise ContentError(shown, "texts", "leg_signs", f"no flag has the id {flag_id!r}")
        level = next(flag.level for flag in flags if flag.id == flag_id)
        if level != "emergency":
            raise ContentError(
                shown,
                "texts",
                "leg_signs",
                f"{flag_id!r} is at level {level!r}; this list sits under the emergency advice",
            )

    return RedFlagRules(
        flags=tuple(flags),
        advice=FrozenMap(advice),
        numbers=_in_language_order(numbers),
        texts=texts,
    )


def _in_language_order(numbers: list[EmergencyNumber]) -> tuple[EmergencyNumber, ...]:
    """The emergency numbers as the language speaking now lists them: those its
    ``locale/<code>/language.yaml`` names under ``emergency_numbers_first`` (by id, in
    that order), then the rest in the data's order. Every text made from the list (the
    checker's fail-safe and blood-clot advice) then names first the numbers its readers
    most likely need."""
    shown = f"locale/{i18n.current()}/language.yaml"
    first = conventions().get("emergency_numbers_first", ())
    by_id = {number.id: number for number in numbers}
    for number_id in first:
        if number_id not in by_id:
            raise ContentError(
                shown,
                None,
                "emergency_numbers_first",
                f"{number_id!r} is not an id under emergency_numbers in data/red_flags.yaml",
            )
    if len(set(first)) != len(first):
        raise ContentError(shown, None, "emergency_numbers_first", "an id is listed twice")
    rest = [number for number in numbers if number.id not in first]
    return tuple(by_id[number_id] for number_id in first) + tuple(rest)


def assess(ticked: Iterable[str], rules: RedFlagRules | None = None) -> Assessment:
    """The result for the ticked flag ids under ``rules`` (``data/red_flags.yaml`` unless
    given): the rule is ``widgets.logic.red_flags.assess``; this binds it to the data.

    Raises ``ValueError`` naming an id that is not one of the rules' flags.
    """
    rules = rules or load_red_flags()
    return _logic.assess(ticked, rules.flags, rules.advice)


def fail_safe_text(rules: RedFlagRules | None = None) -> str:
    """What the checker says if it fails, with the emergency numbers filled in."""
    rules = rules or load_red_flags()
    return rules.texts.fail_safe.replace("{numbers}", warning_signs.emergency_numbers(rules))
