"""Every language: catalogs in step with the English, translations that keep the
English's citations, links and marks, translated lessons with the English's structure,
the same red-flag rules in every language, and plain prose.

A language offered to learners (``shipped: true`` in ``locale/<code>/language.yaml``)
must be complete: no text missing or stale. A language still being translated may
have gaps (``make content`` reports them), but never a broken translation.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import NOTEBOOKS
from widgets import i18n
from widgets.i18n import catalogs
from widgets.i18n.markup import problems

TRANSLATIONS = catalogs.translations()
SHIPPED = catalogs.shipped()
ENGLISH_NOTEBOOKS = catalogs.lesson_notebooks()
GAPS = {language: catalogs.gaps(language) for language in TRANSLATIONS}


def _catalog_cases():
    return [
        pytest.param(language, path, id=f"{path.relative_to(catalogs.LOCALE_DIR)}")
        for language in TRANSLATIONS
        for path in GAPS[language]
    ]


# ---------------------------------------------------------------- the machinery


def test_the_english_is_the_source_and_spanish_is_there():
    assert catalogs.languages()[0] == "en"
    assert "es" in TRANSLATIONS


@pytest.mark.parametrize("notebook", ENGLISH_NOTEBOOKS, ids=str)
def test_cutting_a_lesson_into_parts_loses_nothing(notebook):
    doc = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))
    for cell in doc["cells"]:
        if cell["cell_type"] == "markdown":
            source = "".join(cell["source"])
            assert "".join(part.shown() for part in catalogs.parts(source)) == source


@pytest.mark.parametrize("notebook", ENGLISH_NOTEBOOKS, ids=str)
def test_every_paragraph_a_reader_reads_is_offered_for_translation(notebook):
    """Only blank lines, code and the texts made from data/ stay as they are."""
    doc = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))
    for cell in doc["cells"]:
        if cell["cell_type"] == "markdown":
            for part in catalogs.parts("".join(cell["source"])):
                kept = part.text.strip()
                if not part.translated and kept and not kept.startswith(("```", "<!-- begin:")):
                    assert not re.search(r"[A-Za-z]{3}", re.sub(r"<[^>]+>", "", kept)), kept


def test_an_indented_paragraph_is_translated_without_its_indent():
    cut = catalogs.parts("1. Open it:\n\n   It runs the server.\n   On port 8866.")
    indented = [part for part in cut if part.indent]
    assert [part.text for part in indented] == ["It runs the server.\nOn port 8866."]
    assert indented[0].shown("Sirve.\nEn 8866.") == "   Sirve.\n   En 8866."


def test_texts_made_from_data_are_not_in_a_lesson_catalog():
    texts = [text for _ctx, text, _cell in catalogs.lesson_texts(Path("08-when-to-worry.ipynb"))]
    assert not [text for text in texts if "begin:" in text or "cannot control your bladder" in text]
    assert "## A few signs need help fast" in texts


@pytest.mark.parametrize(
    ("english", "translated", "problem"),
    [
        ("Rare [(NICE 2016)](#ref-nice2016).", "Raro.", "citations"),
        ("See [lesson 8](08-when-to-worry.ipynb).", "Vea [lección 8](08.ipynb).", "links"),
        ("You ticked {count}.", "Marcó {cuenta}.", "placeholders"),
        ("- one\n- two", "- uno, dos", "list items"),
        ("**Stop** now.", "Pare ahora.", "bold marks"),
        ("Call 999 or 112.", "Llame al 112.", "numbers"),
        ("## Sources", "Fuentes", "heading level"),
        ("<b>Hi</b>", "Hola", "HTML tags"),
    ],
)
def test_the_markup_check_names_what_a_translation_lost(english, translated, problem):
    assert any(problem in found for found in problems(english, translated))


def test_the_markup_check_passes_a_faithful_translation():
    cite, link = "[(Henschke 2009)](#ref-henschke2009)", "(08-when-to-worry.ipynb)"
    english = f"About 1 in 100 {cite}; see [lesson 8]{link}."
    spanish = f"Alrededor de 1 de cada 100 {cite}; vea la [lección 8]{link}."
    assert problems(english, spanish) == []
    english = "It lasted 1,172 days and 4.6 hours, on 192.168.1.20."
    assert problems(english, "Duró 1172 días y 4,6 horas, en 192.168.1.20.", ",") == []
    # A decimal misread is a tenfold error: "4.6" is not "46", nor "4.6" in Spanish.
    assert "numbers" in " ".join(problems("4.6 hours", "46 horas", ","))
    assert "numbers" in " ".join(problems("4.6 hours", "4.6 horas", ","))
    assert "placeholders" in " ".join(problems("You ticked {n}.", "Marcó {n.", ","))


def test_no_catalog_keeps_an_old_english_text_as_a_loose_comment():
    """A checked translation drops its "#|" old English; a copy left as a plain "# |"
    comment is clutter a translator may take for the current English."""
    loose = [
        f"{path.relative_to(catalogs.LOCALE_DIR)}:{number}"
        for language in TRANSLATIONS
        for path in GAPS[language]
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.startswith("# |")
    ]
    assert loose == []


def test_an_old_english_of_several_lines_is_kept_through_a_catalog_rewrite(tmp_path):
    """Babel writes a fuzzy entry's old English of several lines on one "#|" line that
    it cannot read back; the course's reader puts it back, so `make translations`
    rewrites the catalog as it was, with no loose comment."""
    from babel.messages.catalog import Catalog

    path = tmp_path / "t.po"
    catalog = Catalog(locale="es")
    catalog.add("New one\nNew two", "Uno\nDos", flags=["fuzzy"], previous_id="Old one\nOld two")
    catalogs.write_catalog(path, catalog)
    first = path.read_text(encoding="utf-8")
    catalogs.write_catalog(path, catalogs.read_catalog(path, "es"))
    assert path.read_text(encoding="utf-8") == first
    (message,) = [m for m in catalogs.read_catalog(path, "es") if m.id]
    assert list(message.previous_id) == ["Old one\nOld two"] and message.user_comments == []


def test_a_stale_translation_is_found(tmp_path, monkeypatch):
    """A data text whose English changed after it was translated is stale, not silently
    shown in its old meaning."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="es")
    catalog.add("Old English", "Español viejo", context="flags[x].question")
    template = Catalog(locale="es")
    template.add("New English", context="flags[x].question")
    message = template.get("New English", context="flags[x].question")
    assert catalogs._stale_for(catalog, message)
    assert catalogs.lookup(catalog, "New English", "flags[x].question") is None


# ---------------------------------------------------------------- every catalog


@pytest.mark.parametrize(("language", "path"), _catalog_cases())
def test_no_translation_is_broken(language, path):
    broken = [str(gap) for gap in GAPS[language][path][1] if gap.kind in {"broken", "unknown"}]
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize(("language", "path"), _catalog_cases())
def test_a_shipped_language_has_every_text_and_none_stale(language, path):
    if language not in SHIPPED:
        pytest.skip(f"{language} is not shipped yet (make content reports its gaps)")
    gaps = [str(gap) for gap in GAPS[language][path][1]]
    assert not gaps, "\n".join(gaps)


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_catalogs_are_in_step_with_the_english(language):
    """``make translations`` has been run since the English last changed: every text
    a learner reads has an entry (a translator sees it), none is left over."""
    missing_files = [path for path in catalogs.templates(language) if not path.is_file()]
    assert not missing_files, "run make translations"
    for path, template in catalogs.templates(language).items():
        catalog = catalogs.read_catalog(path, language)
        wanted = {(m.id, m.context) for m in template if m.id}
        have = {(m.id, m.context) for m in catalog if m.id}
        assert wanted == have, f"{path}: run make translations"


# ---------------------------------------------------------------- translated notebooks


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_translated_notebooks_are_made_from_the_catalogs(language):
    """``notebooks/<language>/`` is what ``make sync`` makes (nobody edits it by hand)."""
    from widgets.content import generated

    for notebook in ENGLISH_NOTEBOOKS:
        doc, _missing = catalogs.translated_notebook(notebook, language)
        target = catalogs.translated_path(notebook, language)
        generated.fill(doc, target)
        assert target.is_file(), f"{target} is missing: run make sync"
        assert target.read_text(encoding="utf-8") == catalogs.dumps(doc), (
            f"{target} is out of date: run make sync"
        )


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


CITE = re.compile(r"#ref-[\w-]+")
LESSON_LINK = re.compile(r"\]\(([\w./-]+\.ipynb)\)")


@pytest.mark.parametrize("language", TRANSLATIONS)
@pytest.mark.parametrize("notebook", ENGLISH_NOTEBOOKS, ids=str)
def test_a_translated_lesson_has_the_english_structure(language, notebook):
    english = _cells(NOTEBOOKS / notebook)
    translated_path = catalogs.translated_path(notebook, language)
    translated = _cells(translated_path)
    assert [c["cell_type"] for c in translated] == [c["cell_type"] for c in english]
    line = catalogs.language_line(language)
    first_code = True
    for mine, theirs in zip(translated, english, strict=True):
        text, source = "".join(mine["source"]), "".join(theirs["source"])
        if mine["cell_type"] == "code":
            if first_code:
                assert text.startswith(line)
                text, first_code = text[len(line) :], False
            assert text == source, "code is the same in every language"
        else:
            assert sorted(set(CITE.findall(text))) == sorted(set(CITE.findall(source)))
            assert LESSON_LINK.findall(text) == LESSON_LINK.findall(source)
    meta = json.loads(translated_path.read_text(encoding="utf-8"))["metadata"]
    assert meta["course_language"] == language
    assert translated_path.stem == notebook.stem  # the lesson id


def test_the_language_line_sets_the_kernel_language():
    namespace: dict = {}
    try:
        exec(catalogs.language_line("es"), namespace)
        assert i18n.current() == "es"
    finally:
        i18n.use_language("en")


# ---------------------------------------------------------------- safety


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_the_checker_has_the_same_rules_in_every_language(language):
    from widgets.content.red_flags import load_red_flags

    english = load_red_flags()
    with i18n.speaking(language):
        translated = load_red_flags()
    assert [(f.id, f.level, tuple(f.sources)) for f in translated.flags] == [
        (f.id, f.level, tuple(f.sources)) for f in english.flags
    ]
    # the same numbers, with the same sources; a language may name some first
    assert sorted((n.id, n.number, tuple(n.sources)) for n in translated.numbers) == sorted(
        (n.id, n.number, tuple(n.sources)) for n in english.numbers
    )
    for mine, theirs in zip(translated.flags, english.flags, strict=True):
        assert mine.question.strip() and mine.sign.strip()
        if language in SHIPPED:
            assert mine.question != theirs.question, f"{mine.id}: the question is not translated"


def test_spanish_emergency_advice_names_112_911_and_your_own_number():
    from widgets.content.red_flags import load_red_flags

    with i18n.speaking("es"):
        advice = load_red_flags().advice["emergency"].text
    assert advice != load_red_flags().advice["emergency"].text, "not translated"
    assert "112 en España y el resto de la Unión Europea" in advice
    assert "911 en México, Estados Unidos y Canadá" in advice
    assert "número de emergencias de su país" in advice


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_each_language_reads_its_own_numbers(language):
    with i18n.speaking(language):
        style = i18n.conventions()
        assert i18n.number(4.6, 1) == f"4{style['decimal']}6"


# ---------------------------------------------------------------- plain language


def _readability(language: str) -> dict | None:
    return catalogs.language_info(language).get("readability")


@pytest.mark.parametrize("language", TRANSLATIONS)
@pytest.mark.parametrize(
    "notebook", [nb for nb in ENGLISH_NOTEBOOKS if nb.parent == Path(".")], ids=str
)
def test_translated_lessons_read_plainly(language, notebook):
    measure = _readability(language)
    if not measure:
        pytest.skip(f"no readability measure for {language}")
    path = catalogs.lesson_catalog_path(language, notebook)
    wanted, gaps = catalogs.gaps(language, {path.resolve()})[path]
    if gaps:
        pytest.skip(f"{notebook} is not fully translated into {language} yet")
    score = catalogs.inflesz(catalogs.lesson_prose(notebook, language))
    assert score >= measure["min"], f"{notebook}: {measure['name']} {score:.1f} < {measure['min']}"


# ---------------------------------------------------------------- the code


def _python_files() -> list[Path]:
    return sorted(catalogs.PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(catalogs.REPO)))
def test_texts_are_translated_when_shown_not_when_imported(path):
    """``_()`` (or a content load, ``load_...()``) at a module's or class's top level would
    run once, in English, before a kernel knows its language (kernels are forked from a
    template that imported the modules); and ``_()`` inside an f-string is not found by
    the extractor."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def name_of(call: ast.Call) -> str:
        func = call.func
        return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")

    def calls_gettext(node: ast.AST, loads: bool = False) -> list[ast.Call]:
        return [
            n
            for n in ast.walk(node)
            if isinstance(n, ast.Call)
            and (
                name_of(n) in {"_", "gettext", "ngettext"}
                or (loads and name_of(n).startswith("load_"))
            )
        ]

    def top_level(body: list[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, ast.ClassDef):
                top_level(stmt.body)
            elif not isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                found.extend(
                    f"line {c.lineno}: {name_of(c)}() at import"
                    for c in calls_gettext(stmt, loads=True)
                )

    top_level(tree.body)
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            found.extend(f"line {c.lineno}: _() inside an f-string" for c in calls_gettext(node))
    assert not found, f"{path}: " + "; ".join(found)


def test_every_label_from_a_table_has_a_translatable_name():
    """The CSV tables are English; the tools show their labels through N_() tables
    (finding names, the chart's groups), so a new label would stay English silently."""
    import csv

    from widgets.content import DATA_DIR
    from widgets.lesson import COHORTS
    from widgets.logic.imaging import FINDINGS

    def column(table: str, name: str) -> set[str]:
        with (DATA_DIR / "tables" / f"{table}.csv").open(encoding="utf-8") as fh:
            return {row[name] for row in csv.DictReader(fh)}

    findings = column("imaging_prevalence", "finding") | column("imaging_odds_ratios", "finding")
    assert findings <= set(FINDINGS)
    assert column("natural_course", "cohort") <= set(COHORTS)


# ---------------------------------------------------------------- downloads


@pytest.mark.parametrize("language", catalogs.languages())
def test_every_download_is_named_in_the_language_safely_and_keeps_its_ending(language):
    """A learner saves My plan and the written plans under names in their own language;
    each name stays a safe file name (``download_link`` refuses any other) with the
    English name's ending, and no two downloads share a name."""
    from widgets.logic.download import _SAFE_NAME
    from widgets.logic.my_plan import FORMATS
    from widgets.logic.written_plan import FLARE, SLEEP, STAYING_WELL, WORK

    english = [name for name, _mime, _label in FORMATS.values()]
    english += [kind.filename for kind in (FLARE, SLEEP, WORK, STAYING_WELL)]
    with i18n.speaking(language):
        shown = [i18n._(name) for name in english]
    assert all(re.fullmatch(r"[a-z0-9-]+\.(md|html)", name) for name in shown), shown
    assert all(_SAFE_NAME.match(name) for name in shown)
    assert [n.rsplit(".", 1)[1] for n in shown] == [n.rsplit(".", 1)[1] for n in english]
    assert len(set(shown)) == len(shown)
    if language in SHIPPED and language != i18n.SOURCE:
        assert set(shown).isdisjoint(english), "a shipped language names its files itself"
