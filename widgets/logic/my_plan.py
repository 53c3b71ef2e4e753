""" "My plan": the learner's goals, pacing plan, flare plan, the other written plans
(sleep routine, talk with an employer, staying well) and safety cues in one file.

The file is made from what the learner typed on the page and handed over as a
download link (``widgets.logic.download.download_link``): nothing is written on the
server and nothing is kept after the page closes. Two formats: a web page (HTML, one
self-contained file with no outside links needed to show it, easy to print) and Markdown.

The safety cues are the same warning signs the course teaches in lesson 8, in short
words, with their sources, all taken from ``data/red_flags.yaml`` by the caller.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from ..i18n import N_, _, current, date_words
from .pacing import PacingPlan, md_escape, plan_chart, plan_markdown, plan_table_html
from .written_plan import FLARE, PlanError, WrittenPlan, clean_lines

# The texts below are English, marked with ``N_()``; the code that shows them translates
# them (``_(TITLE)``) in the language the page speaks.
# Translators: the course's title, as in data/course.yaml.
COURSE = N_("Understanding chronic back pain")
# The download's own stylesheet: the file is read on its own, offline, so it carries it.
DOCUMENT_CSS = Path(__file__).resolve().parents[1] / "static" / "my-plan.css"
TITLE = N_("My back pain plan")
GOALS_LABEL = N_("My goals")
PACING_LABEL = N_("My pacing plan")
SAFETY_HEADING = N_("Warning signs: when to get help fast")
UNSURE = N_("If you are unsure, it is always fine to ask a doctor, nurse or pharmacist.")
SOURCES_INTRO = N_("Where the warning signs come from:")

FORMATS: dict[str, tuple[str, str, str]] = {
    # key: (file name, media type, link text); the name and the text are translated where
    # shown.
    "html": (
        # Translators: a file name: only a-z, 0-9 and dashes, and keep the ending ".html".
        N_("my-back-pain-plan.html"),
        "text/html",
        N_("Download my plan (web page, .html)"),
    ),
    "markdown": (
        # Translators: a file name: only a-z, 0-9 and dashes, and keep the ending ".md".
        N_("my-back-pain-plan.md"),
        "text/markdown",
        N_("Download my plan (Markdown, .md)"),
    ),
}


@dataclass(frozen=True)
class SignGroup:
    """One level's warning signs: the line before them, the signs, and what to do."""

    intro: str
    signs: tuple[str, ...]
    advice: str

    def __post_init__(self) -> None:
        if not self.signs:
            raise ValueError(f"a group of warning signs needs at least one sign: {self.intro!r}")


@dataclass(frozen=True)
class WarningSigns:
    """The red flags in plain words, by level, from ``data/red_flags.yaml``.

    The caller passes them in (the checker's data is their one source), so the plan
    can never drift from the red-flag checker.
    """

    groups: tuple[SignGroup, ...]  # most urgent first
    sources: tuple[str, ...] = ()  # full citations

    def __post_init__(self) -> None:
        if len(self.groups) < 2:
            raise ValueError("a plan always carries the emergency and the urgent warning signs")


PACING_TIPS = (
    N_("Stick to the planned time on good days and on bad days, as far as you can."),
    N_("On a good day, stop at the planned time, even if you could do more."),
    N_("After a flare, go back a week or two in the plan, not back to zero. Then build up again."),
)
NOTICE = N_(
    "This plan is for you. It is not a diagnosis and it does not replace advice from a "
    "clinician who knows you. You can show it to your doctor or physiotherapist."
)
EMPTY_PART = N_("Not filled in yet. You can add it by hand.")
# Where the file takes the learner's diary: the diary lives only in the browser, so the
# page (widgets/static/diary.js) puts it here when the learner asks, or leaves this
# comment, which neither a browser nor a Markdown viewer shows.
DIARY_MARKER = "<!-- course-diary -->"


class MyPlanError(ValueError):
    """The plan cannot be made; ``str()`` is the learner's message."""


@dataclass(frozen=True)
class MyPlan:
    goals: tuple[str, ...]
    pacing: PacingPlan | None
    flare: WrittenPlan | None
    made_on: date
    signs: WarningSigns
    # The other written plans the learner filled in (sleep routine, talk with an employer,
    # staying well), each under its ``kind.section`` heading after the flare plan.
    others: tuple[WrittenPlan, ...] = ()

    # ----------------------------------------------------------------- Markdown

    def made_line(self) -> str:
        """The line under the title: when the plan was made, and in which course."""
        # Translators: under the title of the learner's plan file; {date} is e.g. "5 March 2025".
        return _('Made on {date} in the course "{course}".').format(
            date=_day(self.made_on), course=_(COURSE)
        )

    def to_markdown(self) -> str:
        empty = "_" + _(EMPTY_PART) + "_"
        lines = [
            "# " + _(TITLE),
            "",
            self.made_line(),
            "",
            _(NOTICE),
            "",
            "## " + _(GOALS_LABEL),
            "",
        ]
        lines += [f"- {md_escape(g)}" for g in self.goals] or [empty]
        lines += ["", "## " + _(PACING_LABEL), ""]
        if self.pacing:
            # Translators: before the list of pacing tips in the learner's plan file.
            lines += [plan_markdown(self.pacing), "", _("Tips:"), ""]
            lines += ["- " + _(tip) for tip in PACING_TIPS]
        else:
            lines.append(empty)
        lines += ["", "## " + _(FLARE.title), ""]
        lines.append(self.flare.to_markdown(level=3) if self.flare and self.flare.filled else empty)
        for other in self.others:
            lines += ["", "## " + _(other.kind.section), "", other.to_markdown(level=3)]
        lines += ["", DIARY_MARKER]
        lines += ["", "## " + _(SAFETY_HEADING)]
        for group in self.signs.groups:
            lines += ["", group.intro, ""]
            lines += [f"- {s}" for s in group.signs]
            lines += ["", group.advice]
        lines += ["", _(UNSURE)]
        if self.signs.sources:
            lines += ["", _(SOURCES_INTRO), ""]
            lines += [f"- {s}" for s in self.signs.sources]  # trusted: made from data/references
        lines.append("")
        return "\n".join(lines)

    # ----------------------------------------------------------------- HTML

    def to_html(self) -> str:
        """A whole web page, self-contained (inline style, no scripts, no outside links)."""
        empty = '<p class="empty">' + html.escape(_(EMPTY_PART)) + "</p>"
        goals = (
            f"<ul>{''.join(f'<li>{html.escape(g)}</li>' for g in self.goals)}</ul>"
            if self.goals
            else empty
        )
        if self.pacing:
            tips = "".join("<li>" + html.escape(_(t)) + "</li>" for t in PACING_TIPS)
            # Translators: the heading over the pacing tips in the learner's plan file.
            tips_heading = html.escape(_("Tips"))
            pacing = (
                f"<p>{html.escape(self.pacing.summary())}</p>"
                f"<p>{html.escape(self.pacing.how_made())}</p>"
                f"{plan_table_html(self.pacing)}{plan_chart(self.pacing, 'my-plan-chart')}"
                f"<h3>{tips_heading}</h3><ul>{tips}</ul>"
            )
        else:
            pacing = empty
        flare = self.flare.to_html() if self.flare and self.flare.filled else empty
        others = "".join(
            "<h2>" + html.escape(_(other.kind.section)) + f"</h2>\n{other.to_html()}\n"
            for other in self.others
        )
        groups = "".join(
            f"<p>{html.escape(group.intro)}</p>"
            f"<ul>{''.join(f'<li>{html.escape(s)}</li>' for s in group.signs)}</ul>"
            f"<p>{html.escape(group.advice)}</p>"
            for group in self.signs.groups
        )
        sources = ""
        if self.signs.sources:
            items = "".join(f"<li>{html.escape(s)}</li>" for s in self.signs.sources)
            intro = html.escape(_(SOURCES_INTRO))
            sources = f"<p>{intro}</p><ul>{items}</ul>"
        # The page's words, in the language it speaks (escaped: a translation may hold "&").
        title, notice = html.escape(_(TITLE)), _(NOTICE)
        made = html.escape(self.made_line(), quote=False)
        goals_label, pacing_label = html.escape(_(GOALS_LABEL)), html.escape(_(PACING_LABEL))
        flare_label, safety = html.escape(_(FLARE.title)), html.escape(_(SAFETY_HEADING))
        unsure = html.escape(_(UNSURE))
        return f"""<!DOCTYPE html>
<html lang="{current()}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
{_document_css()}</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{made}</p>
<p>{html.escape(notice)}</p>
<h2>{goals_label}</h2>
{goals}
<h2>{pacing_label}</h2>
{pacing}
<h2>{flare_label}</h2>
{flare}
{others}{DIARY_MARKER}
<section class="safety" aria-labelledby="safety">
<h2 id="safety">{safety}</h2>
{groups}
<p>{unsure}</p>
{sources}
</section>
</main>
</body>
</html>
"""

    def render(self, fmt: str) -> str:
        if fmt == "html":
            return self.to_html()
        if fmt == "markdown":
            return self.to_markdown()
        raise ValueError(f"unknown format {fmt!r}; choose one of {sorted(FORMATS)}")


def parse_goals(text: str | None) -> tuple[str, ...]:
    """The learner's goals, one a line (same limits as a flare plan part)."""
    try:
        return clean_lines(text, _(GOALS_LABEL), "goals")
    except PlanError as exc:
        raise MyPlanError(str(exc)) from None


def build_my_plan(
    goals: str | None,
    pacing: PacingPlan | None,
    flare: WrittenPlan | None,
    made_on: date,
    signs: WarningSigns,
    others: tuple[WrittenPlan, ...] = (),
) -> MyPlan:
    """Gather the parts; at least one of them must be there. Empty plans are left out."""
    plan = MyPlan(
        parse_goals(goals),
        pacing,
        flare if flare and flare.filled else None,
        made_on,
        signs,
        tuple(other for other in others if other.filled),
    )
    if not (plan.goals or plan.pacing or plan.flare or plan.others):
        raise MyPlanError(
            _(
                "Please fill in at least one part first: your goals, a pacing plan, a flare plan "
                "or one of the other plans."
            )
        )
    return plan


def _day(d: date) -> str:
    """A date in words, e.g. "5 March 2025" (Spanish: "5 de marzo de 2025")."""
    return date_words(d)


@cache
def _document_css() -> str:
    return DOCUMENT_CSS.read_text(encoding="utf-8")
