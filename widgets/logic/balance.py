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
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from .charts import AXIS, BASE, BLUE_TINT, COURSE_BLUE, DARK_ORANGE, ORANGE_TINT, STRING, svg

SIDES = ("danger", "safety")

# The seven kinds of cue in the Protectometer, in the course's own words.
CATEGORY_LABELS: dict[str, str] = {
    "senses": "things you see, hear, smell, taste or touch",
    "doing": "things you do",
    "saying": "things you say",
    "thinking": "things you think and believe",
    "places": "places you go",
    "people": "people in your life",
    "body": "things happening in your body",
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


def _count(n: int, word: str) -> str:
    return f"{n} {word} cue" + ("" if n == 1 else "s")


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
        return {
            "empty": "The balance is empty",
            "even": "The two sides are even",
            "danger": "Danger weighs more",
            "safety": "Safety weighs more",
        }[self.heavier]

    def verdict(self) -> tuple[str, str]:
        """The result as a lead (the page shows it in bold) and the rest of the sentence."""
        counts = f"{_count(self.danger, 'danger')} and {_count(self.safety, 'safety')}"
        if self.heavier == "empty":
            return ("The balance is empty.", "Tick the cues that are true for you at the moment.")
        if self.heavier == "even":
            return ("The two sides are even:", f"{counts}.")
        if self.heavier == "danger":
            return (
                "Danger weighs more:",
                f"{counts}. This is common when pain has lasted. Safety cues can help tip it back.",
            )
        return (
            "Safety weighs more:",
            f"{_count(self.safety, 'safety')} and {_count(self.danger, 'danger')}. "
            "Keep noticing what helps.",
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
                first.append(
                    Suggestion(
                        cue.id,
                        cue.text,
                        f"Same kind as a danger cue you ticked: {CATEGORY_LABELS[kind]}.",
                    )
                )
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
        raise CueError("Please type your cue in words.")
    cleaned = " ".join(text.split())
    if not cleaned:
        raise CueError('Please type a few words first, for example "a walk with my dog".')
    if len(cleaned) > MAX_CUE_CHARS:
        raise CueError(
            f"Please keep your cue to {MAX_CUE_CHARS} characters or fewer. "
            f"Yours has {len(cleaned)}."
        )
    odd = sorted({ch for ch in cleaned if not _ALLOWED_CHAR.fullmatch(ch)})
    if odd:
        raise CueError(
            "Please use only letters, numbers and simple punctuation. "
            f"These cannot be used: {' '.join(_shown(ch) for ch in odd)}"
        )
    if cleaned.casefold() in {e.casefold() for e in existing}:
        raise CueError("That cue is already on your balance.")
    if own_count >= MAX_OWN_CUES:
        raise CueError(
            f"You can add up to {MAX_OWN_CUES} cues of your own, and you have "
            "added them all. You can still tick and untick them."
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


def _pan(x: float, y: float, label: str, count: int, colour: str, fill: str) -> str:
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
        f'font-weight="700" fill="{colour}">{html.escape(label)}: {count}</text>'
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
        lower = " The danger side hangs lower."
    elif weighing.heavier == "safety":
        lower = " The safety side hangs lower."
    else:
        lower = " The beam is level."
    description = (
        "A balance with danger cues on the left and safety cues on the right. "
        + weighing.words()
        + lower
    )
    px, py = PIVOT
    title = f"Your danger and safety balance: {weighing.headline.lower()}"
    sid = html.escape(svg_id)
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
        _pan(lx, ly, "Danger", weighing.danger, DANGER_COLOUR, f"url(#{sid}-stripes)"),
        _pan(rx, ry, "Safety", weighing.safety, SAFETY_COLOUR, f"url(#{sid}-dots)"),
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
        lines += [f"- {item}" for item in items] or ["(none ticked)"]
        return lines + [""]

    lines = [
        "My danger and safety cues",
        "=========================",
        "",
        "From the course 'Understanding chronic back pain',",
        "lesson 4: Prediction, danger and safety.",
        "This list was made in your own browser session. The course did not store it.",
        "",
        *block("Danger cues (signs that my body may need protecting)", danger),
        *block("Safety cues (signs that my body is safe)", safety),
        weighing.words(),
        "",
    ]
    if suggestions:
        lines += block("Safety cues I could notice or add", [s.text for s in suggestions])
    lines += [
        "Each cue counts the same here. In real life some cues weigh more than others.",
        "This is a way to think about pain, not a test. It does not diagnose anything.",
        "The idea of 'danger in me' and 'safety in me' comes from Moseley and Butler,",
        "The Explain Pain Handbook: Protectometer (2015).",
        "",
    ]
    return "\n".join(lines)
