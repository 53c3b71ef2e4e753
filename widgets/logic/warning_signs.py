"""Warning-sign texts for pages, made from the red-flag rules (``data/red_flags.yaml``).

Every warning sign a learner reads outside the checker is made here from the same
records the checker asks about: the notice on every page, lesson 8's lists, the
boundary every movement practice gives, My plan and the handouts. Nothing here is
typed again by hand, so no two places can say a sign in different words.

Pure and data-free: the rules and references come in as arguments
(``widgets.content.red_flags.load_red_flags`` and ``load_content().references``).
Lessons carry the Markdown between markers that ``widgets.content.generated``
keeps in step::

    <!-- begin: red_flags.yaml emergency -->
    ...made by ``markdown("emergency", ...)``...
    <!-- end: red_flags.yaml -->
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from ..i18n import N_, _

# Translators: the words that link to lesson 8 in the warning-sign texts; the texts in
# data/red_flags.yaml (notice_more, movement_boundary) must contain them as written here.
LESSON_8_WORDS = N_("lesson 8")
LESSON_8_FILE = "08-when-to-worry.ipynb"
# The keys a lesson can carry: one list per level, the notice and the boundary.
LIST_LEVELS = ("emergency", "urgent", "soon")
KEYS = ("notice", "new_means", *LIST_LEVELS, "movement_boundary", "leg_signs", "leg_clot")


class FlagLike(Protocol):
    id: str
    name: str
    sign: str
    level: str
    sources: Sequence[str]


class ReferenceLike(Protocol):
    short: str


class NumberLike(Protocol):
    number: str
    where: str


class RulesLike(Protocol):
    flags: Sequence[FlagLike]
    advice: Mapping
    texts: object
    numbers: Sequence[NumberLike]

    def at_level(self, level: str) -> Sequence[FlagLike]: ...

    def flag(self, flag_id: str) -> FlagLike: ...


def cites_markdown(ids: Iterable[str], references: Mapping[str, ReferenceLike]) -> str:
    """Prose citations, e.g. ``[(NHS 2023)](#ref-nhsbackpain)``, each once."""
    return " ".join(
        f"[({references[ref_id].short})](#ref-{ref_id})" for ref_id in dict.fromkeys(ids)
    )


def _link_lesson_8(text: str, href: str) -> str:
    # The words in the page's language, or in English in a text not yet translated.
    translated = _(LESSON_8_WORDS)
    words = next((w for w in (translated, LESSON_8_WORDS) if w in text), None)
    if words is None:
        raise ValueError(f"the text must point to {translated!r}: {text!r}")
    return text.replace(words, f"[{words}]({href})", 1)


def emergency_names(rules: RulesLike) -> str:
    """The emergency flags' names as one list: "a; b; c; or d"."""
    names = [flag.name for flag in rules.at_level("emergency")]
    if len(names) == 1:
        return names[0]
    # Translators: the end of a list of warning signs ("...; a leg getting weaker; or chest pain")
    return _("{items}; or {last}").format(items="; ".join(names[:-1]), last=names[-1])


def emergency_numbers(rules: RulesLike) -> str:
    """The emergency numbers and where each works: "999 in the UK, 112 in the EU, ..."."""
    # Translators: an emergency number and where it works, e.g. "999 in the UK"
    in_where = _("{number} in {where}")
    return ", ".join(in_where.format(number=n.number, where=n.where) for n in rules.numbers)


def notice_text(rules: RulesLike) -> str:
    """The warning line of the notice, as plain text (page footers, handouts)."""
    texts = rules.texts
    return f"{texts.notice_intro} {emergency_names(rules)}. {texts.notice_more}"


def sign_lines(rules: RulesLike, level: str) -> tuple[str, ...]:
    """One level's signs as sentences, in the checker's order (My plan, handouts)."""
    return tuple(_sentence(flag.sign) for flag in rules.at_level(level))


def _sentence(sign: str) -> str:
    return sign[:1].upper() + sign[1:] + "."


def markdown(
    key: str,
    rules: RulesLike,
    references: Mapping[str, ReferenceLike],
    disclaimer: str = "",
    lesson_8_href: str = LESSON_8_FILE,
) -> str:
    """The Markdown a lesson carries for ``key`` (one of ``KEYS``).

    ``lesson_8_href`` is the relative link to lesson 8 from the page that carries it.
    """
    texts = rules.texts
    if key == "notice":
        more = _link_lesson_8(texts.notice_more, lesson_8_href)
        please_note, warning_signs = _("Please note."), _("Warning signs.")
        return (
            f"> **{please_note}** {disclaimer}\n>\n"
            f"> **{warning_signs}** {texts.notice_intro} {emergency_names(rules)}. {more}"
        )
    if key == "new_means":
        cite = cites_markdown(["girft2023"], references)
        what_new_means = _('What "new" means.')
        return f"**{what_new_means}** {texts.new_means} {cite}"
    if key == "movement_boundary":
        when_to_stop = _("When to stop.")
        return f"**{when_to_stop}** " + _link_lesson_8(texts.movement_boundary, lesson_8_href)
    if key == "leg_signs":
        lines = [texts.leg_signs_intro, ""]
        for flag_id in texts.leg_signs:
            flag = rules.flag(flag_id)
            lines.append(f"- {flag.sign} {cites_markdown(flag.sources, references)}")
        advice = rules.advice["emergency"]
        lines += ["", f"{advice.text} {cites_markdown(advice.sources, references)}"]
        return "\n".join(lines)
    if key == "leg_clot":
        text = texts.leg_clot.replace("{numbers}", emergency_numbers(rules))
        return f"{text} {cites_markdown(texts.leg_clot_sources, references)}"
    if key in LIST_LEVELS:
        lines = [rules.advice[key].intro, ""]
        lines += [
            f"- {flag.sign} {cites_markdown(flag.sources, references)}"
            for flag in rules.at_level(key)
        ]
        return "\n".join(lines)
    raise ValueError(f"unknown warning-sign text {key!r}; known: {', '.join(KEYS)}")
