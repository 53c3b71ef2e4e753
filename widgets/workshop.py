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
from .i18n import _, ngettext
from .lesson import Html
from .logic.citations import cited_ids, short_cite_links, sources_html
from .logic.poll_totals import ANSWER_LABELS
from .red_flags import assess, load_red_flags

SLIDES = "?template=course-slides"


def _h(text: str) -> str:
    """A translated text in an HTML element's content (quotes stay as they are)."""
    return html.escape(text, quote=False)


def cite(content: Content, ref_ids: Sequence[str]) -> str:
    """Short linked citations, e.g. "Source: Treede RD et al. 2019; NHS 2023" (the rule of
    ``logic.citations.short_cite_links``, as in quizzes and the checker)."""
    # Translators: before the links to the sources of an answer, e.g. "Source: NHS 2023"
    return _("Source: {links}").format(links=short_cite_links(ref_ids, content.references))


def answers_html(items: Sequence[PollItem], content: Content | None = None) -> str:
    """The poll's answer key: each statement, myth or fact, why, and its sources."""
    content = content or load_content()
    rows = []
    for item in items:
        label = html.escape(_(ANSWER_LABELS[item.answer]), quote=False)
        # Translators: the poll's answer to a statement; {answer} is "Myth." or "Fact."
        # (bold, with its full stop).
        answer = html.escape(_("Answer: {answer}"), quote=False).format(
            answer=f"<strong>{label}.</strong>"
        )
        rows.append(
            f"<li><p><strong>{html.escape(item.statement)}</strong><br>"
            f"{answer} "
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
        # Translators: a lesson in a session plan, e.g. "Lesson 3: Sensitisation".
        name = _("Lesson {number}: {title}").format(number=n, title=lesson.title)
        if lesson.ready:
            # In a new tab, so the guide stays open beside the lesson it is teaching.
            new_tab = 'target="_blank" rel="noopener"'
            # Translators: a link that opens a lesson as slides (the guide says «como
            # diapositivas»).
            slides = _h(_("as slides"))
            parts.append(
                f'<a href="../{lesson.notebook}" {new_tab}>{_h(name)}</a> '
                f'(<a href="../{lesson.notebook}{SLIDES}" {new_tab}>{slides}</a>)'
            )
            words.append(name)
        else:
            # Translators: after a lesson's name in a session plan, for a lesson that is
            # not written yet.
            soon = _("(not in the course yet: talk it through with the questions instead)")
            parts.append(f'{_h(name)} <em class="course-guide__soon">{_h(soon)}</em>')
            # Translators: a lesson that is not written yet, e.g. "Lesson 9: Sleep (not in
            # the course yet)".
            words.append(_("{lesson} (not in the course yet)").format(lesson=name))
    for tool in tools:
        # Translators: a tool of the course to show in a session plan, e.g. "Tool: My plan".
        parts.append(_h(_("Tool: {tool}")).format(tool=html.escape(tool)))
        words.append(_("Tool: {tool}").format(tool=tool))
    return "<br>".join(parts) or "—", "; ".join(words) or "-"


def _plan_headings() -> tuple[str, ...]:
    """The columns of a session plan's table."""
    return (
        # Translators: a column of a session plan: the minutes a part starts and ends.
        _("When"),
        # Translators: a column of a session plan: the part of the session.
        _("Part"),
        # Translators: a column of a session plan: the lesson or tool to show.
        _("Show"),
        # Translators: a column of a session plan: what the facilitator does.
        _("What to do"),
        # Translators: a column of a session plan: questions for the group.
        _("Ask the room"),
    )


def session_plan(plan_id: str) -> Html:
    """One plan as a table per meeting: minutes, what to show, what to do, what to ask."""
    content = load_content()
    plan: Plan = load_plans()[plan_id]
    blocks, lines = [], [plan.title]
    for meeting, length in enumerate(plan.meetings, start=1):
        caption = (
            # Translators: the caption of a session plan's table, e.g. "The 90-minute session".
            _("The {minutes}-minute session").format(minutes=length)
            if len(plan.meetings) == 1
            # Translators: the caption of a session plan's table, e.g. "Meeting 1 of 2
            # (60 minutes)".
            else _("Meeting {meeting} of {total} ({minutes} minutes)").format(
                meeting=meeting, total=len(plan.meetings), minutes=length
            )
        )
        lines.append(caption)
        rows, start = [], 0
        for part in plan.parts_of(meeting):
            end = start + part.minutes
            show, show_text = _lesson_cell(part.lessons, part.tools, content)
            prompts = "".join(f"<li>{html.escape(p)}</li>" for p in part.prompts)
            # Translators: when a part of a session starts and ends, e.g. "0–10 min".
            span = _h(_("{start}–{end} min").format(start=start, end=end))
            # Translators: how long a part of a session takes, e.g. "(10 min)".
            length_text = _h(_("({minutes} min)").format(minutes=part.minutes))
            rows.append(
                f"<tr><td>{span}<br>{length_text}</td>"
                f'<th scope="row">{html.escape(part.title)}</th><td>{show}</td>'
                f"<td>{html.escape(part.do)}</td>"
                f"<td>{f'<ul>{prompts}</ul>' if prompts else '—'}</td></tr>"
            )
            # Translators: a part of a session plan as plain text, e.g. "0-10 min: Welcome.
            # Show: Lesson 1: .... Do this." ({do} is a whole sentence).
            line = _("{start}-{end} min: {title}. Show: {show}. {do}").format(
                start=start, end=end, title=part.title, show=show_text, do=part.do
            )
            # Translators: a question to ask the room, in a session plan as plain text.
            ask = _("Ask: {question}")
            lines.append(line + "".join(" " + ask.format(question=p) for p in part.prompts))
            start = end
        heads = "".join(f'<th scope="col">{_h(head)}</th>' for head in _plan_headings())
        blocks.append(
            f'<table class="course-guide__plan"><caption>{html.escape(caption)}</caption>'
            f"<thead><tr>{heads}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    return Html("".join(blocks), "\n".join(lines))


def _question_key(q: Question, number: int, content: Content) -> tuple[str, str]:
    options = []
    right_texts = []
    for option in q.options:
        if option.correct:
            # Translators: a right option in a quiz's answer key, e.g. "Walking ✓ (right)".
            right = _h(_("{option} ✓ (right)")).format(option=html.escape(option.text))
            options.append(f"<li><strong>{right}</strong></li>")
            right_texts.append(option.text)
        else:
            options.append(f"<li>{html.escape(option.text)}</li>")
    # Translators: the right answers of a quiz question, in an answer key as plain text;
    # {answers} are the right options, separated by semicolons.
    answer = _("Answer: {answers}.").format(answers="; ".join(right_texts))
    text = f"{number}. {q.prompt} {answer} {q.explanation}"
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
    # Translators: the heading of a lesson's answer key, e.g. "Lesson 3. Sensitisation".
    title = _("Lesson {number}. {title}").format(number=n, title=lesson.title)
    if not questions:
        no_quiz = _h(_("This lesson has no quiz yet."))
        return Html(
            f"<h{heading_level}>{html.escape(title)}</h{heading_level}><p>{no_quiz}</p>",
            # Translators: a lesson without a quiz, in an answer key as plain text,
            # e.g. "Lesson 9. Sleep: no quiz yet."
            _("{lesson}: no quiz yet.").format(lesson=title),
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
        # Translators: {numbers} are the numbers of the lessons not written yet, e.g. "9, 10".
        # English uses the plural for one lesson too; give the singular its own form.
        waiting_text = ngettext(
            "Lessons {numbers} are not in the course yet. Their answer keys appear here once "
            "they are added.",
            "Lessons {numbers} are not in the course yet. Their answer keys appear here once "
            "they are added.",
            len(waiting),
        ).format(numbers=names)
        note = f"<p>{_h(waiting_text)}</p>"
    return Html("".join(k.html for k in keys) + note, "\n\n".join(k.text for k in keys))


def poll_key() -> Html:
    """The poll's statements with their answers, explanations and sources."""
    items = load_poll_items()
    lines = []
    for i, item in enumerate(items, start=1):
        label = _(ANSWER_LABELS[item.answer])
        lines.append(f"{i}. {item.statement} {label}. {item.explanation}")
    text = "\n".join(lines)
    return Html(answers_html(items), text)


def red_flag_advice() -> Html:
    """The checker's warning signs (lesson 8) by how soon they need help, each group with
    what the checker tells people to do, said once: quick to scan under pressure.

    Read from the checker's rules (``widgets.red_flags``), so the guide and the checker
    never disagree.
    """
    sections, lines = [], []
    for level in ("emergency", "urgent", "soon"):
        flags = list(load_red_flags().at_level(level))  # in the page's language
        if not flags:
            continue
        result = assess({flags[0].id})
        names = "".join(f"<li>{html.escape(f.name[:1].upper() + f.name[1:])}</li>" for f in flags)
        # Translators: before a list of warning signs in the facilitator guide.
        any_of = _h(_("For any of these signs:"))
        sections.append(
            f'<section class="course-guide__flags course-guide__flags--{level}">'
            f"<h3>{html.escape(result.heading)}</h3><p>{html.escape(result.advice)}</p>"
            f"<p>{any_of}</p><ul>{names}</ul></section>"
        )
        # Translators: the warning signs after their advice, as plain text, e.g. "Signs: a; b."
        signs = _("Signs: {signs}.").format(signs="; ".join(f.name for f in flags))
        lines.append(f"{result.heading} {result.advice} {signs}")
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
