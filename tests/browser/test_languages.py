"""The course in Spanish, in a real browser: the main journey (landing page → a lesson →
quiz → red-flag checker) with ``lang="es"``, axe-core and no English left on the page;
the language menu, the remembered choice, the browser's language on a first visit, and
progress shared across languages.

The test server offers every language with pages (``COURSE_LANGUAGES``, see conftest),
so a translation is tested before it ships.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_serious, screenshot, wait_for_lesson
from widgets import i18n
from widgets.i18n import catalogs

pytestmark = pytest.mark.browser

ES = "/voila/render/es/"
HOME_ES = ES + "00-index.ipynb"
LESSON_01 = "01-what-is-chronic-back-pain"


def _spanish(text: str) -> str:
    with i18n.speaking("es"):
        return i18n._(text)


def _content_es():
    from widgets.content import load_content

    with i18n.speaking("es"):
        return load_content()


def _rules_es():
    from widgets.content.red_flags import load_red_flags

    with i18n.speaking("es"):
        return load_red_flags()


def _english_sources(*catalog_paths: Path) -> set[str]:
    """English texts of these catalogs that a Spanish page must not show: whole
    sentences (long enough not to be a name or a shared word), whose translation differs."""
    found = set()
    for path in catalog_paths:
        for message in catalogs.read_catalog(path, "es"):
            english = message.id if isinstance(message.id, str) else message.id[0]
            if not english or len(english) < 24 or " " not in english:
                continue
            translated = message.string if isinstance(message.string, str) else message.string[0]
            if translated and translated != english:
                # Markdown and placeholders are not shown as typed: compare the words.
                plain = re.sub(r"\[\(([^)]*)\)\]\([^)]*\)|\{\w+\}|\*\*|<[^>]+>|^#+ ", "", english)
                plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", plain).strip()
                words = max(re.split(r"[.:;?!]\s|\n", plain), key=len).strip()
                if len(words) >= 24:
                    found.add(words)
    return found


def _english_left(pg, *catalog_paths: Path) -> list[str]:
    """English sentences on the page: in its text, or in what a screen reader or a
    tooltip says (aria-label, alt, title)."""
    shown = pg.evaluate(
        "() => [document.body.innerText, ...[...document.querySelectorAll("
        "'[aria-label], [alt], [title]')].flatMap(e => ['aria-label', 'alt', 'title']"
        ".map(a => e.getAttribute(a) || ''))].join('\\n')"
    )
    return sorted(text for text in _english_sources(*catalog_paths) if text in shown)


ES_DIR = catalogs.LOCALE_DIR / "es"
SITE = [ES_DIR / "widgets.po", ES_DIR / "data" / "course.po", ES_DIR / "data" / "red_flags.po"]


def test_the_spanish_journey_landing_lesson_quiz_and_checker(page, voila):
    pg = page.page
    pg.goto(voila.url + HOME_ES)
    wait_for_lesson(pg)
    course = _content_es().course
    assert pg.locator("html").get_attribute("lang") == "es"
    expect(pg.get_by_role("heading", level=1, name=course.title)).to_be_visible()
    expect(pg.locator("table.course-map")).to_contain_text(course.lessons[0].title)
    assert axe_serious(pg) == []
    assert _english_left(pg, *SITE, ES_DIR / "lessons" / "00-index.po") == []
    screenshot(pg, "es-00-index-desktop")

    pg.locator(f"main a[href$='{LESSON_01}.ipynb']").first.click()
    pg.wait_for_url(re.compile(re.escape(ES + LESSON_01)))
    wait_for_lesson(pg)
    assert pg.locator("html").get_attribute("lang") == "es"
    expect(pg.get_by_role("heading", level=1, name=f"1. {course.lessons[0].title}")).to_be_visible()
    question = _content_es().questions_for(LESSON_01)[0]
    right = next(option for option in question.options if option.correct)
    card = pg.locator(".course-quiz__card").first
    expect(card).to_contain_text(question.prompt)
    card.get_by_role("radio", name=right.text).check()
    card.get_by_role("button", name=_spanish("Check answer")).click()
    expect(card.get_by_role("status")).to_contain_text(right.feedback[:40])
    assert axe_serious(pg) == []
    lesson_catalogs = [
        ES_DIR / "lessons" / f"{LESSON_01}.po",
        ES_DIR / "data" / "quizzes" / f"{LESSON_01}.po",
    ]
    assert _english_left(pg, *SITE, *lesson_catalogs) == []
    screenshot(pg, "es-01-what-is-chronic-back-pain-desktop")

    pg.goto(voila.url + ES + "08-when-to-worry.ipynb")
    wait_for_lesson(pg)
    rules = _rules_es()
    checker = pg.locator(".course-red-flags")
    saddle = rules.flag("saddle_numbness")
    checker.get_by_role("checkbox", name=saddle.question, exact=True).check()
    alert = checker.get_by_role("alert")
    expect(alert).to_contain_text(rules.advice["emergency"].text[:60])
    expect(alert).to_contain_text("112")
    expect(alert).to_contain_text("911")
    expect(alert).to_contain_text(saddle.name)
    assert axe_serious(pg) == []
    lesson_8 = [ES_DIR / "lessons" / "08-when-to-worry.po"]
    assert _english_left(pg, *SITE, *lesson_8) == []
    screenshot(pg, "es-08-when-to-worry-emergency-desktop")
    assert page.off_server() == []


def test_the_spanish_facilitator_guide_says_everything_in_spanish(page, voila):
    """The guide lists the warning signs and session plans from the data: in Spanish."""
    pg = page.page
    pg.goto(voila.url + ES + "workshop/facilitator-guide.ipynb")
    wait_for_lesson(pg)
    assert pg.locator("html").get_attribute("lang") == "es"
    expect(pg.locator("main")).to_contain_text(_rules_es().flag("saddle_numbness").name)
    guide = [
        ES_DIR / "lessons" / "workshop" / "facilitator-guide.po",
        ES_DIR / "data" / "workshop_plan.po",
        *sorted((ES_DIR / "data" / "quizzes").glob("*.po")),
    ]
    assert _english_left(pg, *SITE, *guide) == []
    assert axe_serious(pg) == []


def test_the_language_menu_keeps_the_lesson_and_the_choice_is_remembered(page, voila):
    pg = page.page
    lesson = "04-prediction-danger-and-safety.ipynb"
    pg.goto(voila.url + ES + lesson)
    wait_for_lesson(pg)
    menu = pg.get_by_role("navigation", name=_spanish("Language"))
    expect(menu.get_by_role("link", name="Español")).to_have_attribute("aria-current", "true")
    menu.get_by_role("link", name="English").click()
    pg.wait_for_url(voila.url + "/voila/render/" + lesson)
    assert pg.locator("html").get_attribute("lang") == "en"
    # Remembered in this browser: a Spanish address now leads to the English page.
    pg.goto(voila.url + ES + lesson)
    pg.wait_for_url(voila.url + "/voila/render/" + lesson)
    wait_for_lesson(pg)
    pg.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
    pg.wait_for_url(voila.url + ES + lesson)
    wait_for_lesson(pg)
    assert pg.evaluate("() => localStorage.getItem('backpain-course-language-v1')") == "es"
    assert page.off_server() == []


def test_a_first_visit_follows_the_browsers_language(browser, voila):
    context = browser.new_context(locale="es-ES")
    try:
        pg = context.new_page()
        # The server greets "/" in the browser's language...
        response = pg.request.get(
            voila.url + "/", max_redirects=0, headers={"Accept-Language": "es-ES,es;q=0.9"}
        )
        assert response.status == 302 and response.headers["location"].endswith(HOME_ES)
        assert "Accept-Language" in response.headers.get("vary", "")
        pg.goto(voila.url + "/")
        pg.wait_for_url(re.compile(re.escape(HOME_ES)))
        wait_for_lesson(pg)
        assert pg.locator("html").get_attribute("lang") == "es"
        # Nothing was stored: following the browser is not a choice.
        assert pg.evaluate("() => localStorage.getItem('backpain-course-language-v1')") is None
        # ...and an English lesson reached from elsewhere follows it too.
        pg.goto(voila.url + "/voila/render/" + LESSON_01 + ".ipynb")
        pg.wait_for_url(re.compile(re.escape(ES + LESSON_01)))
        # A move within the course keeps the page asked for, stored choice or not.
        pg.get_by_role("navigation", name=_spanish("Language")).get_by_role(
            "link", name="English"
        ).click()
        pg.wait_for_url(voila.url + "/voila/render/" + LESSON_01 + ".ipynb")
        pg.evaluate("() => localStorage.clear()")
        pg.get_by_role("link", name=re.compile("^Next: ")).first.click()
        pg.wait_for_url(re.compile(r"/voila/render/02-why-pain-persists\.ipynb$"))
        wait_for_lesson(pg)
        assert pg.locator("html").get_attribute("lang") == "en"
    finally:
        context.close()


def test_progress_is_shared_across_languages(page, voila):
    pg = page.page
    pg.goto(voila.url + ES + LESSON_01 + ".ipynb")
    wait_for_lesson(pg)
    pg.goto(voila.url + "/voila/render/00-index.ipynb")
    wait_for_lesson(pg)
    title = next(lesson.title for lesson in _content_es().course.lessons if lesson.id == LESSON_01)
    english = "What is chronic back pain?"
    progress = pg.locator("#course-progress")
    expect(progress).to_contain_text(f"1. {english}: visited")
    pg.goto(voila.url + HOME_ES)
    wait_for_lesson(pg)
    expect(pg.locator("#course-progress")).to_contain_text(f"1. {title}")


def test_each_language_has_its_short_join_address(voila):
    """/join opens the join page in the browser's language; /es/join always the Spanish one."""
    import urllib.error
    import urllib.request

    from tests.browser.conftest import _NoRedirect, http_get

    def location(path: str, accept: str = "") -> str:
        opener = urllib.request.build_opener(_NoRedirect)
        request = urllib.request.Request(voila.url + path, headers={"Accept-Language": accept})
        try:
            opener.open(request, timeout=30)
        except urllib.error.HTTPError as exc:  # the redirect, not followed
            assert exc.code in (301, 302)
            return exc.headers["Location"]
        raise AssertionError(f"{path} did not redirect")

    english, spanish = "/voila/render/workshop/join.ipynb", "/voila/render/es/workshop/join.ipynb"
    assert location("/join/ACE-F47").endswith(english + "?code=ACE-F47")
    assert location("/join/ACE-F47", "en-GB,en").endswith(english + "?code=ACE-F47")
    assert location("/join/ACE-F47", "es-MX,es;q=0.9").endswith(spanish + "?code=ACE-F47")
    assert location("/es/join/ACE-F47", "en-GB").endswith(spanish + "?code=ACE-F47")
    status, body, _location = http_get(voila.url + "/es/join", follow=True)
    assert status == 200 and '<html lang="es"' in body


def test_switching_language_on_the_join_page_keeps_the_page_and_its_code(page, voila):
    pg = page.page
    pg.goto(voila.url + ES + "workshop/join.ipynb?code=ACE-F47")
    wait_for_lesson(pg)
    menu = pg.get_by_role("navigation", name=_spanish("Language"))
    english = menu.get_by_role("link", name="English")
    expect(english).to_have_attribute("href", "/voila/render/workshop/join.ipynb?code=ACE-F47")
    english.click()
    pg.wait_for_url(voila.url + "/voila/render/workshop/join.ipynb?code=ACE-F47")
    wait_for_lesson(pg)
    assert pg.locator("html").get_attribute("lang") == "en"
    spanish = pg.get_by_role("navigation", name="Language").get_by_role("link", name="Español")
    expect(spanish).to_have_attribute("href", "/voila/render/es/workshop/join.ipynb?code=ACE-F47")
