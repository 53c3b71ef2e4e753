"""The translation catalogs: what is translated, where each translation lives, and
the translated notebooks made from them. Used offline (``python -m widgets.i18n``,
``make content``) and when ``data/`` is validated; a visitor's kernel never imports
it (it needs Babel).

Every language has one folder, ``locale/<language>/``, of gettext catalogs (``.po``)
with the English as the reference (each entry's ``msgid``):

``widgets.po``
    the widgets' own words, the site's menus and messages (marked in the code with
    ``_()``, ``N_()`` or ``ngettext()``, and in the course template and scripts);
``data/<file>.po``
    the words of one file of ``data/`` (``data/red_flags.po``,
    ``data/quizzes/08-when-to-worry.po``...): each entry's context (``msgctxt``) says
    which item and field it is, e.g. ``flags[bladder_bowel].question``. Ids, levels,
    numbers and sources are never in a catalog: they are the same in every language.
    The citations in ``data/references/`` stay as they were published;
``lessons/<notebook>.po``
    a lesson's prose, one entry per paragraph, heading or list. The texts the lessons
    share with ``data/`` (the warning signs, the notice) are not in it: they are made
    again from the translated data (``widgets.content.generated``).

``python -m widgets.i18n update`` brings every catalog in step with the English: a new
text gets an empty entry, a changed one is marked fuzzy with the old English beside
it (stale until a translator checks it), a removed one is dropped.
``python -m widgets.i18n build`` makes ``notebooks/<language>/`` from the English
notebooks and the lesson catalogs, so a translated lesson has the English one's
cells, code, citations and links, only in other words.
"""

from __future__ import annotations

import copy
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, unescape, write_po

from . import LOCALE_DIR, SOURCE

REPO = LOCALE_DIR.parent
NOTEBOOKS = REPO / "notebooks"
PACKAGE = REPO / "widgets"

# Fields of data/ a learner reads. Everything else (ids, levels, numbers, sources,
# lesson ids, kinds) is the same in every language.
TRANSLATED_FIELDS = frozenset(
    {
        "title", "summary", "disclaimer", "lab_hint", "crisis",  # course.yaml
        "name", "sign", "question", "why", "heading", "intro", "text", "where",  # red flags
        "fail_safe", "leg_signs_intro", "leg_clot", "movement_boundary", "new_means",
        "notice_intro", "notice_more",
        "prompt", "feedback", "explanation",  # quizzes
        "topic", "myth", "fact", "evidence", "how_sure",  # myths
        "statement",  # poll items
        "do", "prompts", "tools",  # workshop plan
    }
)  # fmt: skip
UNTRANSLATED_FOLDERS = ("references",)  # citations stay as published


# ------------------------------------------------------------------ which languages


def languages() -> list[str]:
    """Every language with a folder under ``locale/``, English first."""
    found = sorted(p.parent.name for p in LOCALE_DIR.glob("*/language.yaml"))
    return [SOURCE, *(code for code in found if code != SOURCE)]


def translations() -> list[str]:
    """Every language but English."""
    return [code for code in languages() if code != SOURCE]


def language_info(code: str) -> dict[str, Any]:
    import yaml

    return yaml.safe_load((LOCALE_DIR / code / "language.yaml").read_text(encoding="utf-8"))


def shipped() -> list[str]:
    """The languages offered to learners (``shipped: true``); the tests hold these complete."""
    return [code for code in languages() if language_info(code).get("shipped")]


OFFER_ENV = "COURSE_LANGUAGES"


def offered() -> list[str]:
    """The languages the site's menus offer: the shipped ones, or those named in
    ``COURSE_LANGUAGES`` (e.g. ``en,es``: a translator previews a language before it ships)."""
    named = [code.strip() for code in os.environ.get(OFFER_ENV, "").split(",") if code.strip()]
    return [code for code in languages() if code in named] if named else shipped()


# ------------------------------------------------------------------ reading catalogs


PROJECT = "Understanding chronic back pain"


def new_catalog(language: str) -> Catalog:
    """An empty catalog with the course's header, and the language's plural forms as
    ``locale/<language>/language.yaml`` gives them."""
    catalog = Catalog(locale=language, project=PROJECT, copyright_holder="the course's authors",
                      msgid_bugs_address="the course's issue tracker")  # fmt: skip
    _plural_forms(catalog, language)
    return catalog


def _plural_forms(catalog: Catalog, language: str) -> None:
    info = language_info(language)
    catalog._num_plurals = info["plurals"]
    catalog._plural_expr = f"({info['plural']})"


def read_catalog(path: Path, language: str) -> Catalog:
    if not path.is_file():
        return new_catalog(language)
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    _recover_previous_english(catalog)
    return catalog


_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')


def _recover_previous_english(catalog: Catalog) -> None:
    """Babel writes a fuzzy entry's old English (``#| msgid``) on one line when it has
    several lines (``width=0``), and cannot read that line back: it keeps it as a plain
    comment, which the next write turns into ``# | msgid ...``. The old English is put
    back where it belongs (kept only while the entry is fuzzy, as Babel does)."""
    for message in catalog:
        kept = []
        for comment in message.user_comments:
            if comment.startswith("| msgid "):
                if message.fuzzy:
                    message.previous_id = [
                        "".join(unescape(q) for q in _QUOTED.findall(comment[len("| msgid ") :]))
                    ]
            else:
                kept.append(comment)
        message.user_comments = kept


def write_catalog(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=0, omit_header=False, sort_output=False, include_previous=True)


def lookup(catalog: Catalog, msgid: Any, context: str | None = None) -> str | tuple | None:
    """The translation of ``msgid`` (in ``context``), or None: missing, empty or fuzzy
    (a fuzzy entry's English changed since it was translated, so it is stale)."""
    message = catalog.get(msgid, context=context)
    if message is None or message.fuzzy:
        return None
    if isinstance(message.string, tuple | list):
        return tuple(message.string) if all(message.string) else None
    return message.string or None


# ------------------------------------------------------------------ data/ files


def data_catalog_path(language: str, shown: str) -> Path:
    """``data/quizzes/08-x.yaml`` → ``locale/<language>/data/quizzes/08-x.po``."""
    relative = Path(shown)
    if relative.parts and relative.parts[0] == "data":
        relative = Path(*relative.parts[1:])
    return LOCALE_DIR / language / "data" / relative.with_suffix(".po")


def data_texts(doc: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (context, English) a learner reads in one ``data/`` file's document."""
    if isinstance(doc, dict):
        for key, value in doc.items():
            where = f"{path}.{key}" if path else str(key)
            if key in TRANSLATED_FIELDS and isinstance(value, str):
                yield where, value
            elif key in TRANSLATED_FIELDS and isinstance(value, list):
                for i, text in enumerate(value):
                    if isinstance(text, str):
                        yield f"{where}[{i}]", text
            else:
                yield from data_texts(value, where)
    elif isinstance(doc, list):
        for i, item in enumerate(doc):
            yield from data_texts(item, f"{path}[{_label(item, i)}]")


def _label(item: Any, index: int) -> str:
    """How a context names a list item: its id, or its position."""
    label = item.get("id") if isinstance(item, dict) else None
    return label if isinstance(label, str) else str(index)


def _translated(doc: Any, catalog: Catalog, path: str = "") -> Any:
    if isinstance(doc, dict):
        out = {}
        for key, value in doc.items():
            where = f"{path}.{key}" if path else str(key)
            if key in TRANSLATED_FIELDS and isinstance(value, str):
                out[key] = lookup(catalog, value, where) or value
            elif key in TRANSLATED_FIELDS and isinstance(value, list):
                out[key] = [
                    (lookup(catalog, text, f"{where}[{i}]") or text)
                    if isinstance(text, str)
                    else text
                    for i, text in enumerate(value)
                ]
            else:
                out[key] = _translated(value, catalog, where)
        return out
    if isinstance(doc, list):
        return [
            _translated(item, catalog, f"{path}[{_label(item, i)}]") for i, item in enumerate(doc)
        ]
    return doc


def is_translated_file(shown: str) -> bool:
    return not any(part in UNTRANSLATED_FOLDERS for part in Path(shown).parts)


def translate_data(doc: dict, shown: str, language: str) -> dict:
    """One ``data/`` file's document in ``language``: each text a learner reads replaced
    by its translation where there is one (the English stays where there is none)."""
    if language == SOURCE or not is_translated_file(shown):
        return doc
    catalog = read_catalog(data_catalog_path(language, shown), language)
    return _translated(copy.deepcopy(doc), catalog)


def messages_for(language: str) -> dict:
    """The widgets' catalog as the kernel uses it (``widgets.i18n.messages``)."""
    if language == SOURCE:
        return {}
    catalog = read_catalog(LOCALE_DIR / language / "widgets.po", language)
    out: dict = {}
    for message in catalog:
        if not message.id:
            continue
        found = lookup(catalog, message.id, message.context)
        if found:
            out[message.id] = found
    return out


def word(language: str, english: str) -> str:
    """One of the widgets' words in ``language`` (for checks made while validating)."""
    return messages_for(language).get(english, english) if language != SOURCE else english


# ------------------------------------------------------------------ lessons


REGION = re.compile(
    r"<!-- begin: [a-z_]+\.yaml [a-z_]+ -->\n.*?\n?<!-- end: [a-z_]+\.yaml -->", re.S
)
BLANK = re.compile(r"\n{2,}")


@dataclass(frozen=True)
class Part:
    """A piece of a Markdown cell: a paragraph, heading or list to translate, or what
    stays as it is (the blank lines between, code, and the texts made from ``data/``).
    A paragraph indented under a list item is translated without its indent (``indent``),
    which ``shown`` puts back."""

    text: str
    translated: bool
    indent: str = ""

    def shown(self, text: str | None = None) -> str:
        """The part as the cell holds it: ``text`` (default: its own) with its indent."""
        text = self.text if text is None else text
        if not self.indent:
            return text
        return "\n".join(self.indent + line if line else line for line in text.split("\n"))


def parts(markdown: str) -> list[Part]:
    """A Markdown cell cut into parts; joining their texts gives the cell back."""
    out: list[Part] = []
    at = 0
    for match in REGION.finditer(markdown):
        out += _blocks(markdown[at : match.start()])
        out.append(Part(match.group(0), False))
        at = match.end()
    out += _blocks(markdown[at:])
    return out


def _blocks(text: str) -> list[Part]:
    out: list[Part] = []
    at = 0
    for match in BLANK.finditer(text):
        out.append(_block(text[at : match.start()]))
        out.append(Part(match.group(0), False))
        at = match.end()
    out.append(_block(text[at:]))
    return [part for part in out if part.text]


def _block(text: str) -> Part:
    body = text.strip()
    readable = re.sub(r"<[^>]+>|\[\([^)]*\)\]\(#ref-[^)]+\)|\(#?[\w./-]+\)", "", body)
    if not body or body.startswith("```") or not re.search(r"[A-Za-z]{2}", readable):
        return Part(text, False)  # nothing to read, or code
    indent = text[: len(text) - len(text.lstrip(" "))]
    if not indent:
        return Part(text, True)
    lines = text.split("\n")
    if all(line.startswith(indent) or not line for line in lines):
        return Part("\n".join(line[len(indent) :] for line in lines), True, indent)
    return Part(text, False)  # (a shape the cutter does not know: kept as it is)


def lesson_notebooks() -> list[Path]:
    """The English notebooks, relative to ``notebooks/`` (the landing page, the
    lessons and the workshop pages)."""
    return sorted(
        p.relative_to(NOTEBOOKS)
        for p in NOTEBOOKS.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts
        and p.relative_to(NOTEBOOKS).parts[0] not in languages()
    )


def lesson_catalog_path(language: str, notebook: Path) -> Path:
    return LOCALE_DIR / language / "lessons" / notebook.with_suffix(".po")


TITLE_CONTEXT = "title"  # the notebook's metadata title (the browser tab's name)


def lesson_texts(notebook: Path) -> Iterator[tuple[str | None, str, int]]:
    """Every (context, English, cell) of one English notebook's prose (cell 0: its title)."""
    doc = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))
    title = doc.get("metadata", {}).get("title")
    if title:
        yield TITLE_CONTEXT, title, 0
    for index, cell in enumerate(doc["cells"]):
        if cell["cell_type"] == "markdown":
            for part in parts("".join(cell["source"])):
                if part.translated:
                    yield None, part.text, index + 1


# The first line of a translated notebook's first code cell.
def language_line(language: str) -> str:
    return f'from widgets import i18n; i18n.use_language("{language}")\n'


def translated_notebook(notebook: Path, language: str) -> tuple[dict, list[str]]:
    """``notebook`` in ``language`` and the English texts it still lacks."""
    catalog = read_catalog(lesson_catalog_path(language, notebook), language)
    doc = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))
    missing: list[str] = []

    def say(text: str, context: str | None = None) -> str:
        found = lookup(catalog, text, context)
        if found is None:
            missing.append(text)
            return text
        return str(found)

    meta = doc.setdefault("metadata", {})
    if meta.get("title"):
        meta["title"] = say(meta["title"], TITLE_CONTEXT)
    meta["course_language"] = language
    first_code = True
    anchors: dict[str, str] = {}  # a heading's anchor in English -> in the translation
    for cell in doc["cells"]:
        if cell["cell_type"] == "markdown":
            pieces = []
            for part in parts("".join(cell["source"])):
                text = say(part.text) if part.translated else part.text
                first, mine = part.text.split("\n")[0], text.split("\n")[0]
                if part.translated and HEADING.match(first) and HEADING.match(mine):
                    anchors[anchor(first)] = anchor(mine)
                pieces.append(part.shown(text))
            cell["source"] = "".join(pieces).splitlines(keepends=True)
        elif cell["cell_type"] == "code" and first_code:
            cell["source"] = [language_line(language), *_lines(cell["source"])]
            first_code = False
    # Links within the page ("On this page") follow their headings into the language.
    for cell in doc["cells"]:
        if cell["cell_type"] == "markdown":
            text = INTERNAL_LINK.sub(
                lambda m: f"](#{anchors.get(m[1], m[1])})", "".join(cell["source"])
            )
            cell["source"] = text.splitlines(keepends=True)
    return doc, missing


HEADING = re.compile(r"^#{1,6} +(.+)$")
INTERNAL_LINK = re.compile(r"\]\(#(?!ref-)([^)\s]+)\)")


def anchor(heading: str) -> str:
    """A heading's anchor as JupyterLab and nbconvert make it: its text, spaces as dashes."""
    match = HEADING.match(heading.strip())
    return match[1].strip().replace(" ", "-") if match else ""


def _lines(source: list[str] | str) -> list[str]:
    text = "".join(source)
    return text.splitlines(keepends=True)


def translated_path(notebook: Path, language: str) -> Path:
    return NOTEBOOKS / language / notebook


def dumps(doc: dict) -> str:
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------ templates


def lesson_template(notebook: Path, language: str) -> Catalog:
    template = new_catalog(language)
    for context, text, cell in lesson_texts(notebook):
        _add(template, text, context, notebook.as_posix(), cell)
    return template


def data_files() -> list[Path]:
    from ..content.base import DATA_DIR

    return sorted(
        p for p in DATA_DIR.rglob("*.yaml") if is_translated_file(str(p.relative_to(DATA_DIR)))
    )


def data_template(path: Path, language: str) -> Catalog:
    import yaml

    from ..content.base import DATA_DIR

    template = new_catalog(language)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    where = f"data/{path.relative_to(DATA_DIR).as_posix()}"
    for context, text in data_texts(doc):
        _add(template, text, context, where, None)
    return template


def widgets_template(language: str) -> Catalog:
    """The widgets' words: every ``_()``, ``N_()`` and ``ngettext()`` in ``widgets/``,
    and the course template's and scripts' words (``widgets.i18n.site``)."""
    from babel.messages.extract import extract_from_dir

    template = new_catalog(language)
    keywords = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE),
        method_map=[("**.py", "python")],
        keywords=keywords,
        comment_tags=("Translators:",),
    ):
        template.add(
            message,
            locations=[(f"widgets/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return template


def _add(catalog: Catalog, text: str, context: str | None, where: str, cell: int | None) -> None:
    existing = catalog.get(text, context=context)
    if existing is not None:
        existing.locations.append((where, cell))
    else:
        catalog.add(text, context=context, locations=[(where, cell)])


def templates(language: str) -> dict[Path, Catalog]:
    """Every catalog ``language`` needs, by its file, made from the English as it is now."""
    from ..content.base import DATA_DIR

    out = {LOCALE_DIR / language / "widgets.po": widgets_template(language)}
    for path in data_files():
        shown = f"data/{path.relative_to(DATA_DIR).as_posix()}"
        out[data_catalog_path(language, shown)] = data_template(path, language)
    for notebook in lesson_notebooks():
        out[lesson_catalog_path(language, notebook)] = lesson_template(notebook, language)
    return out


# ------------------------------------------------------------------ the state of a language


@dataclass(frozen=True)
class Gap:
    """One text of a catalog that a learner would read in English: missing (no
    translation yet), stale (the English changed since), or broken (a citation,
    link, placeholder or mark of the English is lost)."""

    catalog: Path
    kind: str  # "missing", "stale", "broken", "unknown"
    english: str
    context: str | None = None
    problem: str = ""

    def __str__(self) -> str:
        where = self.catalog.relative_to(REPO)
        ctx = f" [{self.context}]" if self.context else ""
        short = self.english if len(self.english) < 70 else self.english[:67] + "..."
        extra = f": {self.problem}" if self.problem else ""
        return f"{where}{ctx} {self.kind}{extra}: {short!r}"


def gaps(language: str, only: set[Path] | None = None) -> dict[Path, tuple[int, list[Gap]]]:
    """For every catalog of ``language`` (or those in ``only``): how many texts it
    needs, and its gaps."""
    from .markup import problems

    out: dict[Path, tuple[int, list[Gap]]] = {}
    decimal = language_info(language).get("decimal", ".")
    for path, template in templates(language).items():
        if only is not None and path.resolve() not in only:
            continue
        catalog = read_catalog(path, language)
        found: list[Gap] = []
        wanted = 0
        for message in template:
            if not message.id:
                continue
            wanted += 1
            have = catalog.get(message.id, context=message.context)
            english = message.id if isinstance(message.id, str) else message.id[0]
            if (
                have is None
                or not have.string
                or (isinstance(have.string, tuple | list) and not all(have.string))
            ):
                stale = _stale_for(catalog, message)
                found.append(Gap(path, "stale" if stale else "missing", english, message.context))
            elif have.fuzzy:
                found.append(Gap(path, "stale", english, message.context))
            else:
                strings = have.string if isinstance(have.string, tuple | list) else [have.string]
                ids = message.id if isinstance(message.id, tuple | list) else [message.id]
                for source, translated in zip(ids * len(strings), strings, strict=False):
                    for problem in problems(source, translated, decimal):
                        found.append(Gap(path, "broken", english, message.context, problem))
        known = {(m.id, m.context) for m in template if m.id}
        for message in catalog:
            if message.id and (message.id, message.context) not in known and message.string:
                found.append(Gap(path, "unknown", _first(message.id), message.context,
                                 "translates an English text that is no longer there"))  # fmt: skip
        out[path] = (wanted, found)
    return out


def _first(msgid: Any) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def _stale_for(catalog: Catalog, message: Message) -> bool:
    """A data text whose field still has a translation, for other English: stale."""
    if not message.context:
        return False
    return any(m.context == message.context and m.id != message.id and m.string for m in catalog)


def update(language: str, only: set[Path] | None = None) -> list[Path]:
    """Bring ``language``'s catalogs (or those in ``only``) in step with the English;
    returns those written."""
    written = []
    for path, template in templates(language).items():
        if only is not None and path.resolve() not in only:
            continue
        catalog = read_catalog(path, language)
        before = _serialise(catalog) if path.is_file() else None
        catalog.update(
            template,
            no_fuzzy_matching=False,
            update_header_comment=False,
            update_creation_date=False,  # a file changes only when its texts do
        )
        _plural_forms(catalog, language)
        catalog.obsolete.clear()
        if _serialise(catalog) != before:
            write_catalog(path, catalog)
            written.append(path)
    return written


def _serialise(catalog: Catalog) -> bytes:
    import io

    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, sort_output=False, include_previous=True)
    return buffer.getvalue()


def build(language: str) -> list[Path]:
    """Write ``notebooks/<language>/`` from the English notebooks and the lesson
    catalogs, then the texts shared with ``data/`` in the language; returns what changed."""
    from ..content import generated

    changed = []
    for notebook in lesson_notebooks():
        doc, _missing = translated_notebook(notebook, language)
        target = translated_path(notebook, language)
        generated.fill(doc, target)
        text = dumps(doc)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            changed.append(target)
    return changed


# ------------------------------------------------------------------ plain language


def lesson_prose(notebook: Path, language: str) -> str:
    """The translated prose of one lesson, as ``widgets.logic.readability`` measures it
    (the texts made from ``data/`` are left out: the data's own tests measure those)."""
    from ..logic.readability import lesson_prose as prose

    catalog = read_catalog(lesson_catalog_path(language, notebook), language)
    doc = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))
    cells = []
    for cell in doc["cells"]:
        if cell["cell_type"] == "markdown":
            cells.append(
                "\n\n".join(
                    str(lookup(catalog, part.text) or "")
                    for part in parts("".join(cell["source"]))
                    if part.translated
                )
            )
    return prose(cells)


def inflesz(text: str) -> float:
    """The Szigriszt-Pazos perspicuity (the INFLESZ scale): 65 and over is "bastante
    fácil" (fairly easy) or easier."""
    import textstat

    textstat.set_lang("es")
    try:
        return float(textstat.szigriszt_pazos(text))
    finally:
        textstat.set_lang("en_US")
