"""Printable handouts: ``python -m widgets.handouts [lesson ...]`` writes one PDF per lesson.

Each lesson notebook is run in a kernel (nbclient, as nbconvert does), then turned
into a print-ready HTML page: the lesson's text, its figures and key points, its
quiz printed as questions to tick on paper, a snapshot of each interactive tool as
it first appears, and the sources; the quiz answers come last. No code is shown.
The system Chromium prints the page to PDF (``--print-to-pdf``); the page carries
a Content-Security-Policy that lets it load nothing at all, not even a font.

Usage::

    python -m widgets.handouts                                # every lesson that exists
    python -m widgets.handouts 01-what-is-chronic-back-pain   # some lessons, by id
    python -m widgets.handouts 1 3 --out /tmp/handouts        # by number, elsewhere
    python -m widgets.handouts --summary 1 3 8                # one page for a session
    python -m widgets.handouts --language es                  # in Spanish (notebooks/es/)

PDFs go to ``artifacts/handouts/<lesson>.pdf`` unless ``--out`` says otherwise; in
another language, to ``artifacts/handouts/<language>/<lesson>.pdf``. A handout in
another language is made from that language's notebooks (``notebooks/<language>/``,
made by ``make sync``), its content and its words (``widgets.i18n``), and its page
says its language (``<html lang="es">``).
Chromium is ``$COURSE_CHROMIUM``, else ``/usr/bin/chromium``, else ``chromium`` on PATH.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from . import i18n
from .content import NOTEBOOKS_DIR, REPO_ROOT, Content, Lesson, load_content
from .content.red_flags import load_red_flags
from .i18n import N_, _
from .workshop import answer_key

OUT_DIR = REPO_ROOT / "artifacts" / "handouts"
STATIC = Path(__file__).resolve().parent / "static"  # the handouts' stylesheets
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_QUIZ_CALL = re.compile(r"Quiz\.for_lesson\(\s*[\"']([a-z0-9_-]+)[\"']")
_BOXES = {
    "VBoxModel",
    "HBoxModel",
    "BoxModel",
    "GridBoxModel",
    "AccordionModel",
    "TabModel",
    "StackModel",
}
_CHOICES = {
    "RadioButtonsModel",
    "DropdownModel",
    "SelectModel",
    "ToggleButtonsModel",
    "SelectionSliderModel",
}
_VALUES = {
    "IntSliderModel",
    "FloatSliderModel",
    "BoundedIntTextModel",
    "BoundedFloatTextModel",
    "IntTextModel",
    "FloatTextModel",
    "TextModel",
    "TextareaModel",
}


class HandoutError(RuntimeError):
    """A handout could not be made; the message says why and what to do."""


def notebook_path(lesson: Lesson, language: str | None = None) -> Path:
    """The lesson's notebook in ``language`` (default: the one this process speaks):
    ``notebooks/<lesson>.ipynb`` in English, ``notebooks/<language>/...`` otherwise."""
    language = language or i18n.current()
    if language == i18n.SOURCE:
        return NOTEBOOKS_DIR / lesson.notebook
    return NOTEBOOKS_DIR / language / lesson.notebook


# ------------------------------------------------------------------------ choosing lessons


def pick_lessons(names: Sequence[str], content: Content | None = None) -> list[Lesson]:
    """Lessons by id or number ("1", "01"), or every lesson that exists when none are named."""
    content = content or load_content()
    lessons = content.course.lessons
    if not names:
        ready = [lesson for lesson in lessons if lesson.ready]
        if not ready:
            raise HandoutError("No lesson notebook exists yet.")
        return ready
    chosen = []
    for name in names:
        name = name.strip().removesuffix(".ipynb")
        match = [lesson for lesson in lessons if lesson.id == name]
        if not match and name.isdigit() and 1 <= int(name) <= len(lessons):
            match = [lessons[int(name) - 1]]
        if not match:
            known = ", ".join(lesson.id for lesson in lessons)
            raise HandoutError(
                f"No lesson {name!r}. Use a number from 1 to {len(lessons)} or an id: {known}."
            )
        if not match[0].ready:
            raise HandoutError(f"Lesson {match[0].id} has no notebook yet.")
        chosen.append(match[0])
    language = i18n.current()
    for lesson in chosen:
        if not notebook_path(lesson, language).is_file():
            raise HandoutError(
                f"Lesson {lesson.id} has no {language!r} notebook "
                f"({notebook_path(lesson, language).relative_to(REPO_ROOT)}): run make sync."
            )
    return chosen


# ------------------------------------------------------------------------ running a lesson


def run_lesson(lesson: Lesson, timeout: int = 300):
    """The lesson notebook with its outputs and widget state, run in a fresh kernel.

    The notebook is the one in the language this process speaks; a translated notebook's
    first cell makes its kernel speak that language too."""
    import nbformat
    from nbclient import NotebookClient

    path = notebook_path(lesson)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        store_widget_state=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return nb


# ------------------------------------------------------------------------ building the page


def _markdown(text: str) -> str:
    from nbconvert.filters.markdown import markdown2html_mistune

    return markdown2html_mistune(text)


class _Widgets:
    """Static HTML of an ipywidgets tree, from the state stored in the notebook."""

    def __init__(self, nb_metadata: Mapping[str, Any]):
        state = (nb_metadata.get("widgets") or {}).get(WIDGET_STATE) or {}
        self.models: dict[str, Mapping[str, Any]] = state.get("state", {})

    def _model(self, ref: str) -> Mapping[str, Any] | None:
        return self.models.get(ref.removeprefix("IPY_MODEL_"))

    def is_quiz(self, model_id: str) -> bool:
        model = self.models.get(model_id) or {}
        return "course-quiz" in (model.get("state") or {}).get("_dom_classes", [])

    def hidden(self, state: Mapping[str, Any]) -> bool:
        layout = self._model(state.get("layout") or "") if state.get("layout") else None
        return bool(layout and (layout.get("state") or {}).get("display") == "none")

    def render(self, model_id: str, depth: int = 0) -> str:
        model = self.models.get(model_id)
        if model is None or depth > 40:
            return ""
        name, state = model.get("model_name", ""), model.get("state") or {}
        if self.hidden(state):
            return ""
        desc = html.escape(str(state.get("description") or "")).strip()
        if name in _BOXES:
            inner = "".join(
                self.render(ref.removeprefix("IPY_MODEL_"), depth + 1)
                for ref in state.get("children", [])
            )
            return f"<div>{inner}</div>" if inner else ""
        if name in ("HTMLModel", "HTMLMathModel"):
            return _strip_style(str(state.get("value") or ""))
        if name == "LabelModel":
            return f"<p>{html.escape(str(state.get('value') or ''))}</p>"
        if name == "AnyModel" and isinstance(state.get("value"), str):
            return _strip_style(state["value"])
        if name == "CheckboxModel":
            mark = "☑" if state.get("value") else "☐"
            return f"<p>{mark} {desc}</p>" if desc else ""
        if name in _CHOICES and desc:
            labels = state.get("_options_labels") or []
            index = state.get("index")
            chosen = labels[index] if isinstance(index, int) and index < len(labels) else "—"
            return f"<p>{desc}: {html.escape(str(chosen))}</p>"
        if name in _VALUES and desc:
            return f"<p>{desc}: {html.escape(str(state.get('value', '')))}</p>"
        if name == "OutputModel":
            return "".join(_output_html(o, self) for o in state.get("outputs", []))
        return ""  # buttons and anything else a reader cannot use on paper


def _strip_style(value: str) -> str:
    return re.sub(r"<style\b.*?</style>", "", value, flags=re.S | re.I)


def _output_html(output: Mapping[str, Any], widgets: _Widgets) -> str:
    data = output.get("data") or {}
    if WIDGET_VIEW in data:
        model_id = data[WIDGET_VIEW].get("model_id", "")
        inner = widgets.render(model_id)
        if not inner.strip():
            return ""
        note = _("An interactive tool, shown as it first appears. Try it in the online lesson.")
        return (
            f'<div class="handout-tool"><p class="handout-tool__note">{html.escape(note)}</p>'
            f"{inner}</div>"
        )
    if "text/html" in data:
        text = (
            "".join(data["text/html"]) if isinstance(data["text/html"], list) else data["text/html"]
        )
        if 'class="course-nav"' in text:
            return ""  # previous/next links mean nothing on paper
        return _strip_style(text)
    if "image/svg+xml" in data:
        svg = data["image/svg+xml"]
        return "".join(svg) if isinstance(svg, list) else svg
    if "image/png" in data:
        # Translators: the alt text of a figure in a printed handout.
        alt = html.escape(_("Figure"))
        return f'<img alt="{alt}" src="data:image/png;base64,{data["image/png"]}">'
    return ""  # plain-text reprs are code's business, not the reader's


def paper_quiz(lesson_id: str, content: Content) -> str:
    """The lesson's quiz to do on paper: questions and boxes to tick, answers at the end."""
    questions = content.questions_for(lesson_id)
    items = []
    for q in questions:
        if q.kind == "multiple":
            hint = _("Tick every answer that is right.")
        else:
            # Translators: how to answer a quiz question with one right answer, printed on paper.
            hint = _("Tick one answer.")
        hint = html.escape(hint)
        options = "".join(f"<li>☐ {html.escape(o.text)}</li>" for o in q.options)
        items.append(
            f"<li><p><strong>{html.escape(q.prompt)}</strong> <em>{hint}</em></p>"
            f'<ul class="handout-options">{options}</ul></li>'
        )
    at_end = html.escape(_("The answers are at the end of this handout."))
    return f'<ol class="handout-quiz">{"".join(items)}</ol><p><em>{at_end}</em></p>'


def handout_html(nb, lesson: Lesson, content: Content | None = None) -> str:
    """A run lesson notebook as a print-ready HTML page (no code; quiz answers at the end)."""
    content = content or load_content()
    widgets = _Widgets(nb.metadata)
    number = content.course.lessons.index(lesson) + 1
    body, quizzes = [], []
    for cell in nb.cells:
        source = "".join(cell.source) if isinstance(cell.source, list) else cell.source
        if cell.cell_type == "markdown":
            body.append(_markdown(source))
            continue
        if cell.cell_type != "code":
            continue
        quiz = _QUIZ_CALL.search(source)
        if quiz:
            quizzes.append(quiz.group(1))
            body.append(paper_quiz(quiz.group(1), content))
            continue
        for output in cell.get("outputs", []):
            data = output.get("data") or {}
            if WIDGET_VIEW in data and widgets.is_quiz(data[WIDGET_VIEW].get("model_id", "")):
                quizzes.append(lesson.id)
                body.append(paper_quiz(lesson.id, content))
                continue
            body.append(_output_html(output, widgets))
    keys = "".join(answer_key(q, heading_level=3).html for q in dict.fromkeys(quizzes))
    # Translators: the heading of the last section of a printed handout.
    answers_heading = html.escape(_("Quiz answers"))
    answers = (
        f'<section class="handout-answers"><h2>{answers_heading}</h2>{keys}</section>'
        if keys
        else ""
    )
    title = html.escape(f"{number}. {lesson.title}")
    notice = html.escape(content.course.disclaimer)
    course = html.escape(content.course.title)
    # Translators: the printed handout's title (in the browser and the PDF's properties).
    page_title = html.escape(_("{title} | {course} (handout)")).format(title=title, course=course)
    # Translators: the line at the top of a printed handout, e.g.
    # "Understanding chronic back pain · handout for lesson 3 of 14".
    head = html.escape(_("{course} · handout for lesson {number} of {total}")).format(
        course=course, number=number, total=len(content.course.lessons)
    )
    return f"""{_head(page_title, HANDOUT_CSS + _page_numbers_css())}
<body>
<header class="handout-head">{head}</header>
<main>
{"".join(body)}
{answers}
</main>
<footer class="handout-foot"><p>{notice}</p></footer>
</body>
</html>
"""


HANDOUT_CSS = (STATIC / "handout.css").read_text(encoding="utf-8")
# Translators: the page number at the foot of each printed page, e.g. "Page 2 of 7".
PAGE_NUMBERS = N_("Page {page} of {pages}")


def _page_numbers_css() -> str:
    """The foot of each printed page in the page's language: ``handout.css`` says
    "Page 2 of 7" in English; another language's words override it (nothing in English)."""
    words = _(PAGE_NUMBERS)
    if words == PAGE_NUMBERS:
        return ""
    parts = re.split(r"(\{page\}|\{pages\})", words)
    content = " ".join(
        f"counter({part[1:-1]})" if part in ("{page}", "{pages}") else _css_string(part)
        for part in parts
        if part
    )
    return f"\n@page {{ @bottom-right {{ content: {content}; }} }}\n"


def _css_string(text: str) -> str:
    """``text`` as a CSS string (quoted; backslashes, quotes, line ends and "<" escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    escaped = escaped.replace("<", "\\3c ")  # so no translation can close the <style>
    return f'"{escaped}"'


# ------------------------------------------------------------------------ printing


def find_chromium() -> str:
    for candidate in (
        os.environ.get("COURSE_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    raise HandoutError(
        "Chromium was not found. Install Debian's 'chromium' package "
        "(make chromium), or set COURSE_CHROMIUM to its path."
    )


def print_pdf(page: str, target: Path, chromium: str | None = None, timeout: int = 120) -> Path:
    """Print an HTML page to ``target`` with headless Chromium; return the PDF's path."""
    chromium = chromium or find_chromium()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="course-handout-") as tmp:
        source = Path(tmp) / "handout.html"
        source.write_text(page, encoding="utf-8")
        partial = Path(tmp) / "handout.pdf"
        command = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            "--no-pdf-header-footer",
            "--print-to-pdf-no-header",
            "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={partial}",
            source.as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0 or not partial.is_file() or partial.stat().st_size == 0:
            raise HandoutError(
                f"Chromium could not print {target.name}: "
                f"{(done.stderr or done.stdout).strip()[-500:]}"
            )
        shutil.move(str(partial), target)
    return target


def _head(title: str, css: str) -> str:
    """A printable page's head: it may load nothing at all, not even a font. The page
    says the language it is in (the one this process speaks)."""
    return f"""<!DOCTYPE html>
<html lang="{i18n.current()}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
      content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>{title}</title>
<style>{css}</style>
</head>"""


# ------------------------------------------------------------------ the one-page summary

SUMMARY_NAME = "session-summary"


# Translators: the heading of each lesson's summary; it must be the one the translated
# lessons use (the session summary finds the key points under it).
KEY_POINTS = N_("Key points")


def key_points(lesson: Lesson) -> list[str]:
    """The bullets under a lesson's "## Key points" heading, as Markdown (no kernel needed),
    from the lesson in the language this process speaks."""
    import json

    nb = json.loads(notebook_path(lesson).read_text(encoding="utf-8"))
    heading = "## " + _(KEY_POINTS)
    for cell in nb["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and heading in text:
            section = text.split(heading, 1)[1].split("\n## ", 1)[0]
            points: list[str] = []
            for line in section.strip().splitlines():
                if line.startswith("- "):
                    points.append(line[2:].strip())
                elif line.strip() and points:  # a bullet that runs on over two lines
                    points[-1] += " " + line.strip()
            return points
    raise HandoutError(f"lesson {lesson.id} has no {heading!r} section")


# The first key points of each lesson: with fourteen lessons, more would not fit one page.
SUMMARY_POINTS = 3


def summary_html(
    lessons: Sequence[Lesson], content: Content | None = None, address: str | None = None
) -> str:
    """One page for a session: the key points of the lessons taught, the warning signs
    (from ``data/red_flags.yaml``) and where to find the course."""
    content = content or load_content()
    rules = load_red_flags()
    numbered = {lesson.id: n for n, lesson in enumerate(content.course.lessons, start=1)}
    parts = []
    for lesson in lessons:
        points = "".join(
            f"<li>{_markdown(p).strip().removeprefix('<p>').removesuffix('</p>')}</li>"
            for p in key_points(lesson)[:SUMMARY_POINTS]
        )
        parts.append(
            f"<section><h2>{numbered[lesson.id]}. {html.escape(lesson.title)}</h2>"
            f"<ul>{points}</ul></section>"
        )
    signs = []
    for level in ("emergency", "urgent", "soon"):
        names = "; ".join(f.name for f in rules.at_level(level))
        advice = rules.advice[level]
        signs.append(
            f'<p class="summary-signs summary-signs--{level}"><strong>'
            f"{html.escape(advice.intro)}</strong> {html.escape(names)}. "
            f"{html.escape(advice.text)}</p>"
        )
    where = (
        html.escape(_("Find the course, its tools and every source at {address}.")).format(
            address=html.escape(address)
        )
        if address
        else html.escape(_("Ask your workshop leader where to find the course online."))
    )
    where += " " + html.escape(_("Each lesson's own handout has all of its key points."))
    title = html.escape(content.course.title)
    # Translators: the session summary's title (in the browser and the PDF's properties).
    page_title = html.escape(_("Session summary | {course}")).format(course=title)
    # Translators: the session summary's heading, after the course's title.
    heading = html.escape(_("{course}: what we covered")).format(course=title)
    # Translators: the heading over the warning signs on the session summary.
    warning_heading = html.escape(_("Warning signs"))
    return f"""{_head(page_title, SUMMARY_CSS)}
<body>
<header><h1>{heading}</h1></header>
<main>
<section class="summary-warning"><h2>{warning_heading}</h2>{"".join(signs)}</section>
<div class="summary-lessons">{"".join(parts)}</div>
<p class="summary-where">{where}</p>
</main>
<footer><p>{html.escape(content.course.disclaimer)}</p></footer>
</body>
</html>
"""


SUMMARY_CSS = (STATIC / "summary.css").read_text(encoding="utf-8")


def build_summary(
    lessons: Sequence[Lesson],
    out_dir: Path = OUT_DIR,
    chromium: str | None = None,
    address: str | None = None,
) -> Path:
    """Print the one-page session summary; return the PDF's path."""
    return print_pdf(
        summary_html(lessons, address=address), out_dir / f"{SUMMARY_NAME}.pdf", chromium
    )


def build(
    lesson: Lesson, out_dir: Path = OUT_DIR, chromium: str | None = None, keep_html: bool = False
) -> Path:
    """Run one lesson and print its handout; return the PDF's path."""
    content = load_content()
    page = handout_html(run_lesson(lesson), lesson, content)
    if keep_html:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / f"{lesson.id}.html").write_text(page, encoding="utf-8")
    return print_pdf(page, out_dir / f"{lesson.id}.pdf", chromium)


def _language(code: str) -> str:
    """``--language``: a language the course has (``locale/<code>/``)."""
    try:
        with i18n.speaking(code):
            pass
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return code


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m widgets.handouts",
        description="Build a printable PDF handout per lesson (text, figures, quiz answers; "
        "no code) with the system Chromium.",
    )
    parser.add_argument(
        "lessons", nargs="*", help="lesson ids or numbers (default: every lesson that exists)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"folder (default {OUT_DIR}, or {OUT_DIR}/<language> for another language)",
    )
    parser.add_argument("--keep-html", action="store_true", help="also save the HTML page")
    parser.add_argument(
        "--summary",
        action="store_true",
        help="make one page for a session instead: the key points of these "
        "lessons, the warning signs and where to find the course",
    )
    parser.add_argument("--address", help="where the course is online, for the summary")
    parser.add_argument(
        "--language",
        type=_language,
        default=i18n.SOURCE,
        help=f"the handouts' language, e.g. es (default {i18n.SOURCE}): its notebooks "
        f"(notebooks/<language>/) and words; PDFs go to {OUT_DIR}/<language>/ unless --out",
    )
    args = parser.parse_args(argv)
    out = args.out
    if out is None:
        out = OUT_DIR if args.language == i18n.SOURCE else OUT_DIR / args.language
    try:
        with i18n.speaking(args.language):
            lessons = pick_lessons(args.lessons)
            chromium = find_chromium()
            if args.summary:
                path = build_summary(lessons, out, chromium, args.address)
                shown = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path
                print(f"{shown}  ({path.stat().st_size // 1024} KB)")
                return 0
            for lesson in lessons:
                path = build(lesson, out, chromium, args.keep_html)
                shown = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path
                print(f"{shown}  ({path.stat().st_size // 1024} KB)")
    except HandoutError as exc:
        print(f"handouts: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
