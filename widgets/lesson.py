"""Lesson furniture: the lesson map, the sources list and each lesson's figures.

These return lightweight display objects (HTML with a plain-text fallback),
not widgets: they are shown once and never change, so they cost the kernel
nothing after the page is drawn and they print in handouts too.
"""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .content import NOTEBOOKS_DIR, load_content, load_table
from .i18n import N_, SOURCE, _, current, number
from .logic.charts import Series, line_chart
from .logic.citations import cited_ids, sources_html


@dataclass(frozen=True)
class Html:
    """Trusted HTML made by the course, shown as rich output."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


STYLESHEET = Path(__file__).parent / "static" / "widgets.css"
# Where JupyterLab's Voila extension renders the lessons, e.g. "/voila/render/" (set by the
# launcher: `make lab`, Binder's `start`).
SITE_URL_ENV = "COURSE_SITE_RENDER_URL"


@cache
def _compact_css() -> str:
    css = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s*\n\s*", "\n", css).strip()


def stylesheet() -> Html:
    """The course's look for this page: ``widgets/static/widgets.css``, shown once.

    Each lesson's first code cell shows it, so the one stylesheet reaches every way in:
    the website (Voila renders it into the page, so it applies before any script runs),
    the slides and JupyterLab (light and dark themes). It shows nothing itself.
    """
    return Html(f'<style id="course-widgets-css">{_compact_css()}</style>', "")


def lesson_citations(lesson_id: str) -> list[str]:
    """Reference ids a lesson cites: in its prose first, then in its quiz."""
    nb = json.loads((NOTEBOOKS_DIR / f"{lesson_id}.ipynb").read_text(encoding="utf-8"))
    prose = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    ids = cited_ids(prose)
    for question in load_content().questions_for(lesson_id):
        ids += [r for r in question.references if r not in ids]
    return ids


def sources(lesson_id: str) -> Html:
    """The full citation of every source the lesson cites."""
    content = load_content()
    ids = lesson_citations(lesson_id)
    text = "\n".join(f"{i + 1}. {content.references[r].citation()}" for i, r in enumerate(ids))
    return Html(sources_html(ids, content.references), text)


def lesson_map() -> Html:
    """The table of lessons with minutes, linking the ones that are ready."""
    course = load_content().course
    rows, lines = [], []
    # Translators: after a lesson in the lesson map that is not written yet.
    soon = html.escape(_("(coming soon)"))
    for n, lesson in enumerate(course.lessons, start=1):
        title = html.escape(lesson.title)
        if lesson.ready:
            cell = f'<a href="{lesson.notebook}">{title}</a>'
        else:
            cell = f'{title} <span class="course-map__soon">{soon}</span>'
        # Translators: how long a lesson takes, e.g. "15 min"
        minutes = _("{minutes} min").format(minutes=lesson.minutes)
        rows.append(
            f"<tr><td>{n}</td><td>{cell}</td><td>{html.escape(lesson.summary)}</td>"
            f"<td>{html.escape(minutes)}</td></tr>"
        )
        lines.append(f"{n}. {lesson.title} ({minutes})")
    total = sum(lesson.minutes for lesson in course.lessons)
    caption = _("The lessons, in order (about {total} minutes in all)").format(total=total)
    # Translators: the headings of the lesson map's columns (the first is the lesson's number).
    heads = (_("Lesson"), _("What you will learn"), _("Time"))
    lesson_head, learn_head, time_head = (html.escape(head) for head in heads)
    table = (
        f'<table class="course-map"><caption>{html.escape(caption)}</caption>'
        f'<thead><tr><th scope="col">#</th><th scope="col">{lesson_head}</th>'
        f'<th scope="col">{learn_head}</th><th scope="col">{time_head}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return Html(table, "\n".join(lines))


def nav(lesson_id: str) -> Html:
    """Previous and next links, following the course order over the lessons that exist.

    Made when the lesson runs, so adding a lesson never means editing its neighbours.
    Relative links work both in Voila and in JupyterLab.
    """
    content = load_content()
    before, after = content.neighbours(lesson_id)
    # Translators: the link to the course's first page, where there is no previous or next lesson.
    home = ("00-index.ipynb", _("Course home"))
    prev_href, prev_title = (before.notebook, before.title) if before else home
    next_href, next_title = (after.notebook, after.title) if after else home
    sep = '<span class="course-nav__sep" aria-hidden="true"> · </span>'
    # Translators: the link to the lesson before this one, e.g. "← Previous: What is pain?"
    previous = _("← Previous: {title}").format(title=prev_title)
    # Translators: the link to the lesson after this one, e.g. "Next: Pacing →"
    following = _("Next: {title} →").format(title=next_title)
    # Translators: the link to the list of every lesson.
    every = _("All lessons")
    links = (
        f'<a class="course-nav__prev" href="{prev_href}">{html.escape(previous)}</a>'
        f'{sep}<a class="course-nav__home" href="00-index.ipynb">{html.escape(every)}</a>{sep}'
        f'<a class="course-nav__next" href="{next_href}">{html.escape(following)}</a>'
    )
    # In JupyterLab, the same lesson as the website shows it (the Voila server extension
    # serves it). Only the launcher knows where: `make lab` and Binder's `start` say so in
    # SITE_URL_ENV; elsewhere the link is left out rather than guessed.
    render = os.environ.get(SITE_URL_ENV, "")
    folder = "" if current() == SOURCE else f"{current()}/"  # the page in this language
    as_page = html.escape(_("Open this lesson as a web page (no code)"))
    site = (
        f'<p class="course-nav__site"><a href="{html.escape(render)}{folder}{lesson_id}.ipynb'
        '?voila-template=course" '
        f'target="_blank" rel="noopener">{as_page}</a></p>'
        if render.startswith("/")
        else ""
    )
    # Translators: the lesson links as plain text (printouts, screen readers).
    text = _("Previous: {previous} | All lessons | Next: {next}").format(
        previous=prev_title, next=next_title
    )
    # Translators: the name screen readers give the links between lessons.
    label = html.escape(_("Lessons"), quote=True)
    return Html(f'<nav class="course-nav" aria-label="{label}">{links}{site}</nav>', text)


# The natural-course chart's lines, as data/tables/natural_course.csv names its cohorts
# (the table is the same in every language; the chart's words are translated).
COHORTS = {
    # Translators: a line of the natural-course chart: people whose back pain is new.
    "New pain": N_("New pain"),
    # Translators: a line of the natural-course chart: people whose back pain had lasted.
    "Lasting pain": N_("Lasting pain"),
}
STUDY_PEOPLE = 11166  # people in the studies behind the chart (Menezes Costa 2012)


def _g(value: float) -> str:
    """A number as ``f"{value:g}"`` writes it, in the current language's style."""
    shown = f"{value:g}"
    digits = len(shown.partition(".")[2]) if "e" not in shown else 0
    return number(value, digits)


def natural_course_chart() -> Html:
    """Average pain over a year in new and in lasting back pain (Menezes Costa 2012)."""
    rows = load_table("natural_course")
    cohorts: dict[str, list[tuple[float, float]]] = {}
    for row in rows:
        cohorts.setdefault(row["cohort"], []).append((row["week"], row["mean_pain_0_100"]))
    series = [
        Series(_(COHORTS.get(label, label)), tuple(points)) for label, points in cohorts.items()
    ]
    acute, lasting = cohorts["New pain"], cohorts["Lasting pain"]
    # Translators: the natural-course chart in words (its alt text); the numbers are
    # average pain on a 0 to 100 scale.
    description = _(
        "Line chart of average pain on a 0 to 100 scale over one year. "
        "In people with new back pain it falls from {new_start} to {new_6} by week 6 "
        "and to {new_52} by week 52. In people whose pain had already lasted, "
        "it falls from {lasting_start} to {lasting_6} by week 6 and is "
        "{lasting_52} at week 52. Most of the change happens in the first 6 weeks."
    ).format(
        new_start=_g(acute[0][1]),
        new_6=_g(acute[1][1]),
        new_52=_g(acute[-1][1]),
        lasting_start=_g(lasting[0][1]),
        lasting_6=_g(lasting[1][1]),
        lasting_52=_g(lasting[-1][1]),
    )
    figure = line_chart(
        series,
        title=_("Average pain over a year, from studies of {people} people").format(
            people=number(STUDY_PEOPLE)
        ),
        description=description,
        x_label=_("Weeks since the start of the study"),
        y_label=_("Average pain (0 to 100)"),
        y_range=(0, 60),
        chart_id="natural-course",
    )
    return Html(figure, description)
