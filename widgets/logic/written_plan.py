"""Plans the learner writes in their own words: the flare plan (lesson 7), the sleep
routine (lesson 10), the talk with an employer (lesson 11) and the goals and
staying-well plan (lesson 13). "My plan" (lesson 14) gathers them into one file.

Each kind of plan (``PlanKind``) has a title and a few parts, each a box of short lines.
This module checks and tidies what was typed and turns it into HTML (escaped) or
Markdown. It keeps nothing: a plan lives in the learner's page until they download it.

Rules for each part: at most ``MAX_CHARS`` characters and ``MAX_LINES`` lines; one idea
per line (bullets such as "-" or "•" at the start are dropped); no control characters.
The builders ask for at least one filled part. Messages never repeat the typed text.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from ..i18n import N_, _
from .pacing import md_escape

MAX_CHARS = 400
MAX_LINES = 8


@dataclass(frozen=True)
class Part:
    """One box of a plan: ``label`` and ``example`` are English, marked with ``N_()``;
    what shows them translates them (``_(part.label)``)."""

    key: str
    label: str
    example: str


@dataclass(frozen=True)
class PlanKind:
    """One kind of written plan: ``title`` heads it ("My flare plan"), ``noun`` names it
    in sentences ("flare plan"), ``block`` is its CSS block (``course-<block>__plan``),
    ``filename`` its download's name (translated too: a file name of lower-case letters,
    digits and dashes, with the same extension) and ``section`` its heading in "My plan" (the title,
    unless given). The texts are English, marked with ``N_()``: what shows them
    translates them (``_(kind.title)``)."""

    key: str
    title: str
    noun: str
    block: str
    filename: str
    parts: tuple[Part, ...]
    section: str = ""

    def __post_init__(self) -> None:
        if not self.section:
            object.__setattr__(self, "section", self.title)

    @property
    def part_keys(self) -> tuple[str, ...]:
        return tuple(p.key for p in self.parts)


class PlanError(ValueError):
    """What the learner typed cannot go into the plan. ``part`` is the key of the box."""

    def __init__(self, part: str | None, message: str):
        self.part = part
        super().__init__(message)


def clean_lines(
    text: str | None,
    label: str,
    part: str | None = None,
    max_chars: int = MAX_CHARS,
    max_lines: int = MAX_LINES,
) -> tuple[str, ...]:
    """One idea per line, tidied: bullets and extra spaces dropped, empty lines skipped."""
    text = text or ""
    if len(text) > max_chars:
        raise PlanError(
            part,
            # Translators: {label} is the name of a box, e.g. "What helps me".
            _(
                '"{label}" is too long. Please keep it to {max_chars} '
                "characters: a few short lines are enough."
            ).format(label=label, max_chars=max_chars),
        )
    for ch in text:
        if ch not in "\r\n\t" and unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs"):
            raise PlanError(
                part,
                _(
                    '"{label}" has a hidden or odd character in it. '
                    "Please type it again using ordinary letters."
                ).format(label=label),
            )
    lines = []
    for line in text.replace("\r", "\n").split("\n"):
        line = " ".join(line.split()).lstrip("-*•·–— ").strip()
        if line:
            lines.append(line)
    if len(lines) > max_lines:
        raise PlanError(
            part,
            _(
                '"{label}" has more than {max_lines} lines. '
                "Please keep to the few things that matter most."
            ).format(label=label, max_lines=max_lines),
        )
    return tuple(lines)


@dataclass(frozen=True)
class WrittenPlan:
    """A learner's plan of one ``kind``: for each part key, its lines (possibly none)."""

    kind: PlanKind
    parts: tuple[tuple[str, tuple[str, ...]], ...]

    def lines(self, key: str) -> tuple[str, ...]:
        return dict(self.parts)[key]

    @property
    def filled(self) -> tuple[Part, ...]:
        return tuple(p for p in self.kind.parts if self.lines(p.key))

    def without(self, *keys: str) -> WrittenPlan:
        """The same plan with the parts ``keys`` left empty (My plan shows them elsewhere)."""
        return WrittenPlan(self.kind, tuple((k, () if k in keys else v) for k, v in self.parts))

    def to_html(self) -> str:
        """The plan as HTML: a heading per filled part and a list of its lines, all escaped."""
        blocks = []
        for part in self.filled:
            items = "".join(f"<li>{html.escape(line)}</li>" for line in self.lines(part.key))
            label = html.escape(_(part.label))
            blocks.append(f"<h4>{label}</h4><ul>{items}</ul>")
        return f'<div class="course-{self.kind.block}__plan">' + "".join(blocks) + "</div>"

    def to_markdown(self, level: int = 3) -> str:
        """The plan as Markdown, each filled part under a heading of ``level``."""
        out = []
        for part in self.filled:
            label = _(part.label)
            out.append(f"{'#' * level} {label}\n")
            out += [f"- {md_escape(line)}" for line in self.lines(part.key)]
            out.append("")
        return "\n".join(out).strip()

    def to_text(self) -> str:
        """Plain text, as a screen reader would read the plan."""
        return "\n".join(
            # Translators: a part of a plan read out as text, e.g. "What helps me: a walk; music"
            _("{label}: {lines}").format(label=_(p.label), lines="; ".join(self.lines(p.key)))
            for p in self.filled
        )


def build_plan(
    kind: PlanKind, answers: Mapping[str, str | None], *, require_one: bool = True
) -> WrittenPlan:
    """Check each part and make the plan, or raise ``PlanError``.

    ``answers`` holds text per part key (missing keys count as empty). With
    ``require_one`` (the builders), a plan with every part empty is refused; "My plan"
    allows it.
    """
    unknown = set(answers) - set(kind.part_keys)
    if unknown:
        raise ValueError(f"unknown {kind.noun} parts: {sorted(unknown)}")
    parts = tuple((p.key, clean_lines(answers.get(p.key), _(p.label), p.key)) for p in kind.parts)
    plan = WrittenPlan(kind, parts)
    if require_one and not plan.filled:
        raise PlanError(
            None,
            _('Please fill in at least one part of the plan first, for example "{label}".').format(
                label=_(kind.parts[0].label)
            ),
        )
    return plan


# ----------------------------------------------------------------------------- the kinds

FLARE = PlanKind(
    key="flare",
    title=N_("My flare plan"),
    noun=N_("flare plan"),
    block="flare",
    # Translators: a file name: only a-z, 0-9 and dashes, and keep the ending ".md".
    filename=N_("my-flare-plan.md"),
    parts=(
        Part(
            "helps",
            N_("What helps me"),
            N_("For example: a warm shower, a short easy walk, slow breathing, music."),
        ),
        Part(
            "first_days",
            N_("What I will do in the first day or two"),
            N_("For example: keep moving gently, cut my plan back a step, then build up again."),
        ),
        Part(
            "avoid",
            N_("What I will avoid"),
            N_(
                "For example: long bed rest, checking my back all the time, searching for scary "
                "stories."
            ),
        ),
        Part(
            "seek_help",
            N_("When I will seek help"),
            N_(
                "For example: if it is not easing after a week or two, "
                "or if I notice a warning sign."
            ),
        ),
        Part(
            "contacts",
            N_("Who I can contact"),
            N_("For example: my GP practice, my physiotherapist, a friend who helps me stay calm."),
        ),
    ),
)

SLEEP = PlanKind(
    key="sleep",
    title=N_("My sleep routine"),
    noun=N_("sleep routine"),
    block="sleep",
    # Translators: a file name: only a-z, 0-9 and dashes, and keep the ending ".md".
    filename=N_("my-sleep-routine.md"),
    parts=(
        Part(
            "times",
            N_("My regular times"),
            N_("For example: up at 7 every day, weekends too; bed when sleepy, not before 11."),
        ),
        Part(
            "wind_down",
            N_("My wind-down"),
            N_("For example: lights low at 10, a warm shower, a book, slow breathing."),
        ),
        Part(
            "if_awake",
            N_("If pain wakes me"),
            N_(
                "For example: change position, slow breathing; if still awake, get up and read "
                "somewhere calm."
            ),
        ),
        Part(
            "daytime",
            N_("In the day"),
            N_("For example: daylight and a walk in the morning, no coffee after lunch."),
        ),
        Part(
            "ask_help",
            N_("When I will ask for help"),
            N_("For example: if I still sleep badly most nights after a month, I will ask my GP."),
        ),
    ),
)

WORK = PlanKind(
    key="work",
    title=N_("My talk with my employer"),
    noun=N_("plan for talking with your employer"),
    block="work",
    # Translators: a file name: only a-z, 0-9 and dashes, and keep the ending ".md".
    filename=N_("my-talk-with-my-employer.md"),
    parts=(
        Part(
            "know",
            N_("What I want them to know"),
            N_("For example: I have back pain that comes and goes; I want to keep working."),
        ),
        Part(
            "changes",
            N_("Changes that would help"),
            N_(
                "For example: shorter shifts for a few weeks, a chair that fits, more short breaks."
            ),
        ),
        Part(
            "pacing",
            N_("How I will pace my work"),
            N_("For example: a short walk every hour, heavy jobs split over the week."),
        ),
        Part(
            "questions",
            N_("Questions I want to ask"),
            N_("For example: is there occupational health? Can my hours build up step by step?"),
        ),
        Part(
            "who_when",
            N_("Who I will talk to, and when"),
            N_("For example: my manager, on Monday after the team meeting."),
        ),
    ),
)

STAYING_WELL = PlanKind(
    key="staying_well",
    title=N_("My goals and staying-well plan"),
    noun=N_("goals and staying-well plan"),
    block="staying-well",
    # Translators: a file name: only a-z, 0-9 and dashes, and keep the ending ".md".
    filename=N_("my-goals-and-staying-well-plan.md"),
    section=N_("Staying well"),
    parts=(
        Part(
            "matters",
            N_("What matters to me"),
            N_("For example: time with my grandchildren, my garden, being a good friend."),
        ),
        Part(
            "goal",
            N_("My goal"),
            N_("For example: walk to the park with my grandchildren by the summer."),
        ),
        Part(
            "next_step",
            N_("My next small step"),
            N_("For example: walk for 10 minutes after lunch on 3 days this week."),
        ),
        Part(
            "early_signs",
            N_("Early signs I am slipping"),
            N_("For example: skipping my walks, staying in more, sleeping worse, worrying more."),
        ),
        Part(
            "keep_going",
            N_("What keeps me going"),
            N_("For example: my walking group, writing down what I did each week."),
        ),
        Part(
            "who_helps",
            N_("Who can help"),
            N_("For example: my partner, my physiotherapist, my GP."),
        ),
    ),
)
