"""The danger/safety balance of lesson 4, as pure rules.

The idea comes from Moseley and Butler's "danger in me, safety in me" (the
Protectometer, 2015): pain is more likely when the brain's believable signs of
danger outweigh its believable signs of safety. The course turns that rule of
thumb into a thinking tool, not a measurement: every ticked cue weighs one.

* ``weigh`` counts the ticked cues on each side and says which side weighs more;
* ``suggest_safety`` picks safety cues the learner has not ticked, first those of
  the same kind as their danger cues;
* ``clean_own_cue`` checks a cue the learner typed and says plainly what is wrong;
* ``balance_svg`` draws the balance with alt text that states the result;
* ``cue_list_text`` is the learner's own list, for them to download.

Every word a learner reads goes through ``_()`` when it is made (``widgets.i18n``).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..i18n import N_, _, ngettext
from .charts import AXIS, BASE, BLUE_TINT, COURSE_BLUE, DARK_ORANGE, ORANGE_TINT, STRING, svg

SIDES = ("danger", "safety")

# The seven kinds of cue in the Protectometer, in the course's own words (English here,
# translated where they are shown).
CATEGORY_LABELS: dict[str, str] = {
    # Translators: a kind of danger or safety cue (lesson 4), shown after "Same kind as
    # a danger cue you ticked:".
    "senses": N_("things you see, hear, smell, taste or touch"),
    "doing": N_("things you do"),
    "saying": N_("things you say"),
    "thinking": N_("things you think and believe"),
    "places": N_("places you go"),
    "people": N_("people in your life"),
    "body": N_("things happening in your body"),
}

MAX_CUE_CHARS = 80
MAX_OWN_CUES = 12
MAX_TILT_DEGREES = 20.0
DEGREES_PER_CUE = 5.0

# Letters and digits of any language, spaces and everyday punctuation, including
# the curly quotes and dash that phone keyboards type.
_ALLOWED_CHAR = re.compile(r"[\w .,;:!?'\"()&/+%\u2018\u2019\u201c\u201d\u2013-]")


class CueLike(Protocol):
    id: str
    side: str
    text: str
    category: str | None


class CueError(ValueError):
    """A cue the learner typed cannot be used; ``str()`` says why, in plain words."""


def _danger_count(n: int) -> str:
    return ngettext("{n} danger cue", "{n} danger cues", n).format(n=n)


def _safety_count(n: int) -> str:
    return ngettext("{n} safety cue", "{n} safety cues", n).format(n=n)


# The result in a few words, by ``Weighing.heavier``.
HEADLINES = {
    "empty": N_("The balance is empty"),
    "even": N_("The two sides are even"),
    "danger": N_("Danger weighs more"),
    "safety": N_("Safety weighs more"),
}
# The drawing's name (its <title>), by ``Weighing.heavier``.
TITLES = {
    "empty": N_("Your danger and safety balance: the balance is empty"),
    "even": N_("Your danger and safety balance: the two sides are even"),
    "danger": N_("Your danger and safety balance: danger weighs more"),
    "safety": N_("Your danger and safety balance: safety weighs more"),
}


@dataclass(frozen=True)
class Weighing:
    """How many ticked cues lie on each side of the balance."""

    danger: int
    safety: int

    @property
    def heavier(self) -> str:
        """``"danger"``, ``"safety"``, ``"even"`` or ``"empty"`` (nothing ticked)."""
        if self.danger == self.safety:
            return "empty" if self.danger == 0 else "even"
        return "danger" if self.danger > self.safety else "safety"

    @property
    def tilt_degrees(self) -> float:
        """How far the beam tips: positive when the danger side (left) goes down."""
        raw = (self.danger - self.safety) * DEGREES_PER_CUE
        return max(-MAX_TILT_DEGREES, min(MAX_TILT_DEGREES, raw))

    @property
    def headline(self) -> str:
        """The result in a few words, e.g. "Danger weighs more"."""
        return _(HEADLINES[self.heavier])

    def verdict(self) -> tuple[str, str]:
        """The result as a lead (the page shows it in bold) and the rest of the sentence."""
        danger, safety = _danger_count(self.danger), _safety_count(self.safety)
        if self.heavier == "empty":
            return (
                # Translators: the balance's result when nothing is ticked (shown in bold).
                _("The balance is empty."),
                _("Tick the cues that are true for you at the moment."),
            )
        if self.heavier == "even":
            return (
                # Translators: the balance's result (in bold), followed by the counts,
                # e.g. "2 danger cues and 2 safety cues."
                _("The two sides are even:"),
                _("{danger} and {safety}.").format(danger=danger, safety=safety),
            )
        if self.heavier == "danger":
            return (
                # Translators: the balance's result (in bold), followed by the counts.
                _("Danger weighs more:"),
                # Translators: {danger} and {safety} are counts such as "2 danger cues".
                _(
                    "{danger} and {safety}. This is common when pain has lasted. "
                    "Safety cues can help tip it back."
                ).format(danger=danger, safety=safety),
            )
        return (
            # Translators: the balance's result (in bold), followed by the counts.
            _("Safety weighs more:"),
            # Translators: {safety} and {danger} are counts such as "3 safety cues".
            _("{safety} and {danger}. Keep noticing what helps.").format(
                safety=safety, danger=danger
            ),
        )

    def words(self) -> str:
        """The result in plain sentences, for the page and for screen readers."""
        return " ".join(self.verdict())


def weigh(sides: Iterable[str]) -> Weighing:
    """Weigh ticked cues, given the side of each (``"danger"`` or ``"safety"``)."""
    danger = safety = 0
    for side in sides:
        if side == "danger":
            danger += 1
        elif side == "safety":
            safety += 1
        else:
            raise ValueError(f"a cue's side is 'danger' or 'safety', not {side!r}")
    return Weighing(danger, safety)


@dataclass(frozen=True)
class Suggestion:
    """A safety cue to notice or add, and why it was picked ("" when simply next on the list)."""

    cue_id: str
    text: str
    reason: str


def suggest_safety(
    cues: Sequence[CueLike], ticked: Iterable[str], limit: int = 3
) -> tuple[Suggestion, ...]:
    """Safety cues the learner has not ticked, best first, at most ``limit``.

    Nothing ticked means nothing to go on, so nothing is suggested. Otherwise
    safety cues of the same kind as a ticked danger cue come first, when no
    safety cue of that kind is ticked yet: one of each kind in turn, so the ideas
    differ. The other safety cues follow in the order of the list.
    """
    chosen = set(ticked)
    if not chosen:
        return ()
    ticked_cues = [cue for cue in cues if cue.id in chosen]
    safety_kinds = {c.category for c in ticked_cues if c.side == "safety" and c.category}
    open_kinds: list[str] = []
    for cue in ticked_cues:
        if (
            cue.side == "danger"
            and cue.category
            and cue.category not in safety_kinds
            and cue.category not in open_kinds
        ):
            open_kinds.append(cue.category)
    free = [cue for cue in cues if cue.side == "safety" and cue.id not in chosen]
    queues = {kind: [c for c in free if c.category == kind] for kind in open_kinds}
    first: list[Suggestion] = []
    while any(queues.values()):
        for kind in open_kinds:
            if queues[kind]:
                cue = queues[kind].pop(0)
                # Translators: why a safety cue is suggested; {kind} is a kind of cue,
                # e.g. "things you do".
                reason = _("Same kind as a danger cue you ticked: {kind}.").format(
                    kind=_(CATEGORY_LABELS[kind])
                )
                first.append(Suggestion(cue.id, cue.text, reason))
    picked = {s.cue_id for s in first}
    rest = [Suggestion(c.id, c.text, "") for c in free if c.id not in picked]
    return tuple((first + rest)[: max(limit, 0)])


def _shown(ch: str) -> str:
    return ch if ch.isprintable() else f"U+{ord(ch):04X}"


def clean_own_cue(text: object, existing: Iterable[str] = (), own_count: int = 0) -> str:
    """Check a cue the learner typed and return it tidied (spaces collapsed).

    Raises
    ------
    CueError
        With a message to show the learner: nothing typed, too long, characters
        that are not letters, digits or simple punctuation, already on the
        balance, or too many cues of their own.
    """
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise CueError(_("Please type your cue in words."))
    cleaned = " ".join(text.split())
    if not cleaned:
        raise CueError(_('Please type a few words first, for example "a walk with my dog".'))
    if len(cleaned) > MAX_CUE_CHARS:
        raise CueError(
            _("Please keep your cue to {limit} characters or fewer. Yours has {length}.").format(
                limit=MAX_CUE_CHARS, length=len(cleaned)
            )
        )
    odd = sorted({ch for ch in cleaned if not _ALLOWED_CHAR.fullmatch(ch)})
    if odd:
        # Translators: {characters} are the characters the learner typed that cannot be
        # used, separated by spaces.
        raise CueError(
            _(
                "Please use only letters, numbers and simple punctuation. "
                "These cannot be used: {characters}"
            ).format(characters=" ".join(_shown(ch) for ch in odd))
        )
    if cleaned.casefold() in {e.casefold() for e in existing}:
        raise CueError(_("That cue is already on your balance."))
    if own_count >= MAX_OWN_CUES:
        raise CueError(
            _(
                "You can add up to {limit} cues of your own, and you have "
                "added them all. You can still tick and untick them."
            ).format(limit=MAX_OWN_CUES)
        )
    return cleaned


# ------------------------------------------------------------------ drawing

DANGER_COLOUR = DARK_ORANGE  # 4.9:1 on white, readable as text
SAFETY_COLOUR = COURSE_BLUE


@dataclass(frozen=True)
class Geometry:
    """Where the two pans hang: (x, y) of the beam ends; y grows downwards."""

    left: tuple[float, float]
    right: tuple[float, float]


PIVOT = (180.0, 70.0)
ARM = 120.0


def geometry(weighing: Weighing) -> Geometry:
    """Beam ends for a weighing: the heavier side hangs lower."""
    a = math.radians(weighing.tilt_degrees)
    px, py = PIVOT
    dx, dy = ARM * math.cos(a), ARM * math.sin(a)
    return Geometry(left=(px - dx, py + dy), right=(px + dx, py - dy))


def _pan(x: float, y: float, label: str, colour: str, fill: str) -> str:
    """One pan of the balance, hanging from (x, y), with ``label`` under it ("Danger: 2")."""
    top = y + 48
    return (
        f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x - 34:.1f}" y2="{top:.1f}" stroke="{STRING}" '
        'stroke-width="1.5"/>'
        f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x + 34:.1f}" y2="{top:.1f}" stroke="{STRING}" '
        'stroke-width="1.5"/>'
        f'<path d="M{x - 44:.1f},{top:.1f} L{x + 44:.1f},{top:.1f} '
        f'Q{x:.1f},{top + 34:.1f} {x - 44:.1f},{top:.1f} Z" fill="{fill}" stroke="{colour}" '
        f'stroke-width="3"/>'
        f'<text x="{x:.1f}" y="{top + 52:.1f}" text-anchor="middle" font-size="15" '
        f'font-weight="700" fill="{colour}">{html.escape(label)}</text>'
    )


def balance_svg(weighing: Weighing, *, svg_id: str = "course-balance") -> str:
    """An SVG balance: danger pan on the left, safety pan on the right.

    The ``<title>`` and ``<desc>`` say in words which side weighs more, so the
    drawing tells a screen-reader user the same as a sighted one. Danger and
    safety differ by colour, by fill pattern (stripes or dots) and by their labels.
    """
    g = geometry(weighing)
    (lx, ly), (rx, ry) = g.left, g.right
    if weighing.heavier == "danger":
        lower = _("The danger side hangs lower.")
    elif weighing.heavier == "safety":
        lower = _("The safety side hangs lower.")
    else:
        lower = _("The beam is level.")
    # The drawing in words (its alt text): whole sentences, one after the other.
    description = " ".join(
        (
            _("A balance with danger cues on the left and safety cues on the right."),
            weighing.words(),
            lower,
        )
    )
    px, py = PIVOT
    title = _(TITLES[weighing.heavier])
    sid = html.escape(svg_id)
    stripes, dots = f"url(#{sid}-stripes)", f"url(#{sid}-dots)"
    parts = [
        "<defs>",
        f'<pattern id="{sid}-stripes" width="8" height="8" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="8" height="8" fill="{ORANGE_TINT}"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="{DANGER_COLOUR}" stroke-width="3"/></pattern>',
        f'<pattern id="{sid}-dots" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="{BLUE_TINT}"/>'
        f'<circle cx="4" cy="4" r="1.8" fill="{SAFETY_COLOUR}"/></pattern>',
        "</defs>",
        # stand: a post on a foot
        f'<line x1="{px}" y1="{py}" x2="{px}" y2="232" stroke="{AXIS}" stroke-width="5"/>',
        f'<path d="M{px - 40},238 L{px + 40},238 L{px},214 Z" fill="{BASE}"/>',
        # beam
        f'<line x1="{lx:.1f}" y1="{ly:.1f}" x2="{rx:.1f}" y2="{ry:.1f}" stroke="{AXIS}" '
        f'stroke-width="6" stroke-linecap="round"/>',
        f'<circle cx="{px}" cy="{py}" r="7" fill="{AXIS}"/>',
        # Translators: the label under the danger pan of the balance drawing.
        _pan(lx, ly, _("Danger: {count}").format(count=weighing.danger), DANGER_COLOUR, stripes),
        # Translators: the label under the safety pan of the balance drawing.
        _pan(rx, ry, _("Safety: {count}").format(count=weighing.safety), SAFETY_COLOUR, dots),
    ]
    # A drawing, not a chart with a caption: the verdict beside it says it in words.
    return svg(
        svg_id,
        360,
        250,
        title,
        description,
        "".join(parts),
        css_class="course-balance__svg",
        style="display:block;width:100%;max-width:360px;height:auto;margin:0 auto",
        sized=True,
    )


def cue_list_text(
    danger: Sequence[str],
    safety: Sequence[str],
    weighing: Weighing,
    suggestions: Sequence[Suggestion] = (),
) -> str:
    """The learner's own list as a plain-text file to keep."""

    def block(title: str, items: Sequence[str]) -> list[str]:
        lines = [title, "-" * len(title)]
        # Translators: in the learner's file of cues, under a side with no cue ticked.
        lines += [f"- {item}" for item in items] or [_("(none ticked)")]
        return lines + [""]

    # Translators: the title of the file of cues a learner downloads (lesson 4).
    title = _("My danger and safety cues")
    lines = [
        title,
        "=" * len(title),
        "",
        # Translators: lines of a plain-text file: keep the line break where it fits.
        *_(
            "From the course 'Understanding chronic back pain',\n"
            "lesson 4: Prediction, danger and safety."
        ).splitlines(),
        _("This list was made in your own browser session. The course did not store it."),
        "",
        *block(_("Danger cues (signs that my body may need protecting)"), danger),
        *block(_("Safety cues (signs that my body is safe)"), safety),
        weighing.words(),
        "",
    ]
    if suggestions:
        lines += block(_("Safety cues I could notice or add"), [s.text for s in suggestions])
    lines += [
        # Translators: lines of a plain-text file: keep the line breaks where they fit;
        # the book's title stays in English.
        *_(
            "Each cue counts the same here. In real life some cues weigh more than others.\n"
            "This is a way to think about pain, not a test. It does not diagnose anything.\n"
            "The idea of 'danger in me' and 'safety in me' comes from Moseley and Butler,\n"
            "The Explain Pain Handbook: Protectometer (2015)."
        ).splitlines(),
        "",
    ]
    return "\n".join(lines)
