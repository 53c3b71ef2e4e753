"""The red-flag rule: which result level a set of ticked warning signs gives.

Pure and data-free: the flags and the advice texts come in as arguments (the
course's come from ``data/red_flags.yaml`` through ``widgets.content.red_flags``;
``widgets.red_flags.assess`` binds them). Safety-critical: see
``docs/clinical-safety.md``.

The rule: the highest level among the ticked flags wins (emergency above
urgent above soon); nothing ticked gives "none". An id that is not a known flag is an
error, never ignored: a misspelt emergency id that was silently dropped would
give false reassurance.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

# Result levels from lowest to highest.
LEVELS: tuple[str, ...] = ("none", "soon", "urgent", "emergency")


class FlagLike(Protocol):
    id: str
    level: str


class AdviceLike(Protocol):
    heading: str
    text: str
    sources: Sequence[str]


@dataclass(frozen=True)
class Assessment:
    """The outcome of one set of answers.

    Attributes
    ----------
    level : str
        "emergency", "urgent", "soon" or "none".
    flags : tuple of str
        The ticked flag ids, each once, in the order of the flags.
    advice : str
        What to do now, in plain words.
    heading : str
        A short line that names the level in words, e.g. "Emergency: get help now."
    sources : tuple of str
        Reference ids behind the advice.
    """

    level: str
    flags: tuple[str, ...]
    advice: str
    heading: str
    sources: tuple[str, ...]

    @property
    def is_emergency(self) -> bool:
        return self.level == "emergency"


def assess(
    ticked: Iterable[str], flags: Sequence[FlagLike], advice: Mapping[str, AdviceLike]
) -> Assessment:
    """The result for the flag ids in ``ticked``.

    Parameters
    ----------
    ticked
        Any iterable of flag ids (set, list, tuple, generator...). Order and
        repeats do not matter. A single string is refused (it is not a
        collection of ids).
    flags
        The known flags, in the order results list them; each has ``id`` and
        ``level`` ("emergency", "urgent" or "soon").
    advice
        What to do per level: ``advice["emergency"]``, ``["urgent"]``, ``["soon"]``,
        ``["none"]``.

    Raises
    ------
    ValueError
        If an id is not one of ``flags`` (the message names it), or a flag has a
        level that is not "emergency", "urgent" or "soon".
    TypeError
        If ``ticked`` is a single string.
    """
    if isinstance(ticked, (str, bytes)):
        raise TypeError(
            "assess() takes a collection of flag ids, not a single string; "
            "write assess({'saddle_numbness'}) for one flag"
        )
    known = {flag.id: flag for flag in flags}
    chosen: set[str] = set()
    for flag_id in ticked:
        if flag_id not in known:
            raise ValueError(f"unknown red flag id {flag_id!r}; known ids: {', '.join(known)}")
        chosen.add(flag_id)
    level = "none"
    for flag_id in chosen:
        flag_level = known[flag_id].level
        if flag_level not in LEVELS[1:]:
            raise ValueError(f"flag {flag_id!r} has an unknown level {flag_level!r}")
        if LEVELS.index(flag_level) > LEVELS.index(level):
            level = flag_level
    what = advice[level]
    return Assessment(
        level=level,
        flags=tuple(flag.id for flag in flags if flag.id in chosen),
        advice=what.text,
        heading=what.heading,
        sources=tuple(what.sources),
    )
