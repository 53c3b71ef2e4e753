"""What the facilitator guide shows: session plans, answer keys and the poll's key.

Static displays (``widgets.lesson.Html``), built from ``data/`` when the guide
runs, so they follow the lessons that exist: a lesson that is not written yet is
named with a note instead of a link, and its answer key appears once its quiz does.
Links are relative to ``notebooks/workshop/``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

from .content import NOTEBOOKS_DIR, Content, Lesson, Question, load_content
from .content.poll import PollItem, load_poll_items
from .content.workshop import Plan, load_plans
from .lesson import Html
from .logic.citations import cited_ids, short_cite_links, sources_html
from .logic.poll_totals import ANSWER_LABELS
from .red_flags import RED_FLAGS, assess

SLIDES = "?template=course-slides"


def cite(content: Content, ref_ids: Sequence[str]) -> str:
    """Short linked citations, e.g. "Source: Treede RD et al. 2019; NHS 2023" (the rule of
    ``logic.citations.short_cite_links``, as in quizzes and the checker)."""
    return "Source: " + short_cite_links(ref_ids, content.references)


def answers_html(items: Sequence[PollItem], content: Content | None = None) -> str:
    """The poll's answer key: each statement, myth or fact, why, and its sources."""
    content = content or load_content()
    rows = []
    for item in items:
        rows.append(
            f"<li><p><strong>{html.escape(item.statement)}</strong><br>"
            f"Answer: <strong>{ANSWER_LABELS[item.answer]}.</strong> "
            f"{html.escape(item.explanation)}</p>"
            f'<p class="course-poll__source">{cite(content, item.references)}</p></li>'
        )
    return f'<ol class="course-poll__answers">{"".join(rows)}</ol>'


def _numbered(content: Content) -> dict[str, tuple[int, Lesson]]:
    return {lesson.id: (n, lesson) for n, lesson in enumerate(content.course.lessons, start=1)}


def _lesson_cell(lesson_ids: list[str], tools: list[str], content: Content) -> tuple[str, str]:
    numbered = _numbered(content)
    parts, words = [], []
    for lesson_id in lesson_ids:
        n, lesson = numbered[lesson_id]
        title = html.escape(lesson.title)
        if lesson.ready:
            # In a new tab, so the guide stays open beside the lesson it is teaching.
            new_tab = 'target="_blank" rel="noopener"'
            parts.append(
                f'<a href="../{lesson.notebook}" {new_tab}>Lesson {n}: {title}</a> '
                f'(<a href="../{lesson.notebook}{SLIDES}" {new_tab}>as slides</a>)'
            )
            words.append(f"Lesson {n}: {lesson.title}")
        else:
            parts.append(
                f'Lesson {n}: {title} <em class="course-guide__soon">(not in the course '
                "yet: talk it through with the questions instead)</em>"
            )
            words.append(f"Lesson {n}: {lesson.title} (not in the course yet)")
    for tool in tools:
        parts.append(f"Tool: {html.escape(tool)}")
        words.append(f"Tool: {tool}")
    return "<br>".join(parts) or "—", "; ".join(words) or "-"


def session_plan(plan_id: str) -> Html:
    """One plan as a table per meeting: minutes, what to show, what to do, what to ask."""
    content = load_content()
    plan: Plan = load_plans()[plan_id]
    blocks, lines = [], [plan.title]
    for meeting, length in enumerate(plan.meetings, start=1):
        caption = (
            f"The {length}-minute session"
            if len(plan.meetings) == 1
            else f"Meeting {meeting} of {len(plan.meetings)} ({length} minutes)"
        )
        lines.append(caption)
        rows, start = [], 0
        for part in plan.parts_of(meeting):
            end = start + part.minutes
            show, show_text = _lesson_cell(part.lessons, part.tools, content)
            prompts = "".join(f"<li>{html.escape(p)}</li>" for p in part.prompts)
            rows.append(
                f"<tr><td>{start}–{end} min<br>({part.minutes} min)</td>"
                f'<th scope="row">{html.escape(part.title)}</th><td>{show}</td>'
                f"<td>{html.escape(part.do)}</td>"
                f"<td>{f'<ul>{prompts}</ul>' if prompts else '—'}</td></tr>"
            )
            lines.append(
                f"{start}-{end} min: {part.title}. Show: {show_text}. {part.do}"
                + "".join(f" Ask: {p}" for p in part.prompts)
            )
            start = end
        blocks.append(
            f'<table class="course-guide__plan"><caption>{html.escape(caption)}</caption>'
            '<thead><tr><th scope="col">When</th><th scope="col">Part</th>'
            '<th scope="col">Show</th><th scope="col">What to do</th>'
            '<th scope="col">Ask the room</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    return Html("".join(blocks), "\n".join(lines))


def _question_key(q: Question, number: int, content: Content) -> tuple[str, str]:
    options = []
    right_texts = []
    for option in q.options:
        if option.correct:
            options.append(f"<li><strong>{html.escape(option.text)} ✓ (right)</strong></li>")
            right_texts.append(option.text)
        else:
            options.append(f"<li>{html.escape(option.text)}</li>")
    text = f"{number}. {q.prompt} Answer: {'; '.join(right_texts)}. {q.explanation}"
    return (
        f"<li><p><strong>{html.escape(q.prompt)}</strong></p><ul>{''.join(options)}</ul>"
        f"<p>{html.escape(q.explanation)}</p></li>",
        text,
    )


def answer_key(lesson_id: str, heading_level: int = 3) -> Html:
    """A lesson's quiz with the right answers marked and each explanation."""
    content = load_content()
    n, lesson = _numbered(content)[lesson_id]
    questions = content.questions_for(lesson_id)
    title = f"Lesson {n}. {lesson.title}"
    if not questions:
        return Html(
            f"<h{heading_level}>{html.escape(title)}</h{heading_level}>"
            "<p>This lesson has no quiz yet.</p>",
            f"{title}: no quiz yet.",
        )
    items, lines = [], [title]
    for i, q in enumerate(questions, start=1):
        item, line = _question_key(q, i, content)
        items.append(item)
        lines.append(line)
    # Each source once, after the lesson's questions (many questions share one).
    sources = list(dict.fromkeys(r for q in questions for r in q.references))
    body = (
        f'<ol class="course-guide__key">{"".join(items)}</ol>'
        f'<p class="course-guide__sources">{cite(content, sources)}</p>'
    )
    return Html(
        f"<h{heading_level}>{html.escape(title)}</h{heading_level}>{body}", "\n".join(lines)
    )


def answer_keys() -> Html:
    """The answer key of every lesson that exists, in course order."""
    content = load_content()
    ready = [lesson for lesson in content.course.lessons if lesson.ready]
    waiting = [lesson for lesson in content.course.lessons if not lesson.ready]
    keys = [answer_key(lesson.id) for lesson in ready]
    note = ""
    if waiting:
        names = ", ".join(f"{_numbered(content)[x.id][0]}" for x in waiting)
        note = (
            f"<p>Lessons {html.escape(names)} are not in the course yet. Their answer keys "
            "appear here once they are added.</p>"
        )
    return Html("".join(k.html for k in keys) + note, "\n\n".join(k.text for k in keys))


def poll_key() -> Html:
    """The poll's statements with their answers, explanations and sources."""
    items = load_poll_items()
    text = "\n".join(
        f"{i}. {item.statement} {item.answer.title()}. {item.explanation}"
        for i, item in enumerate(items, start=1)
    )
    return Html(answers_html(items), text)


def red_flag_advice() -> Html:
    """The checker's warning signs (lesson 8) by how soon they need help, each group with
    what the checker tells people to do, said once: quick to scan under pressure.

    Read from the checker's rules (``widgets.red_flags``), so the guide and the checker
    never disagree.
    """
    sections, lines = [], []
    for level in ("emergency", "urgent", "soon"):
        flags = [flag for flag in RED_FLAGS if flag.level == level]
        if not flags:
            continue
        result = assess({flags[0].id})
        names = "".join(f"<li>{html.escape(f.name[:1].upper() + f.name[1:])}</li>" for f in flags)
        sections.append(
            f'<section class="course-guide__flags course-guide__flags--{level}">'
            f"<h3>{html.escape(result.heading)}</h3><p>{html.escape(result.advice)}</p>"
            f"<p>For any of these signs:</p><ul>{names}</ul></section>"
        )
        lines.append(
            f"{result.heading} {result.advice} Signs: " + "; ".join(f.name for f in flags) + "."
        )
    return Html("".join(sections), "\n".join(lines))


def guide_sources() -> Html:
    """The full citation of every source the facilitator guide cites."""
    nb = json.loads(
        (NOTEBOOKS_DIR / "workshop" / "facilitator-guide.ipynb").read_text(encoding="utf-8")
    )
    prose = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    ids = cited_ids(prose)
    for item in load_poll_items():
        ids += [r for r in item.references if r not in ids]
    refs = load_content().references
    text = "\n".join(f"{i}. {refs[r].citation()}" for i, r in enumerate(ids, start=1))
    return Html(sources_html(ids, refs), text)
