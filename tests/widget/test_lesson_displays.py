"""The lesson map, the sources list and the natural-course chart, as a reader sees them."""

from __future__ import annotations

import re

from widgets import lesson
from widgets.content import load_content


def test_lesson_map_links_ready_lessons_and_marks_planned_ones():
    out = lesson.lesson_map()
    content = load_content()
    total = sum(x.minutes for x in content.course.lessons)
    assert f"about {total} minutes in all" in out.html
    for x in content.course.lessons:
        if x.ready:
            assert f'<a href="{x.notebook}">{x.title}</a>' in out.html
        else:
            assert f'{x.title} <span class="course-map__soon">(coming soon)</span>' in out.html
    assert out.html.count("<tr>") == len(content.course.lessons) + 1
    assert "1. What is chronic back pain? (10 min)" in repr(out)


def test_sources_lists_prose_citations_then_quiz_citations():
    out = lesson.sources("01-what-is-chronic-back-pain")
    ids = re.findall(r'<li id="ref-([^"]+)">', out.html)
    assert ids[:2] == ["treede2019", "pengel2003"]
    assert len(ids) == len(set(ids))
    assert "Menezes Costa LC, Maher CG, Hancock MJ, et al. (2012)." in out.html
    assert repr(out).startswith("1. Treede RD")


def test_natural_course_chart_says_in_words_what_it_shows():
    out = lesson.natural_course_chart()
    assert 'role="img"' in out.html
    assert "falls from 52 to 23 by week 6 and to 6 by week 52" in repr(out)
    assert "from 51 to 33 by week 6 and is 23 at week 52" in repr(out)
    assert '<desc id="natural-course-desc">' + repr(out) in out.html


def test_nav_follows_course_order_over_existing_lessons(tmp_path, monkeypatch):
    import widgets.content.course as content_module

    for name in ("01-what-is-chronic-back-pain", "03-sensitisation"):
        (tmp_path / f"{name}.ipynb").write_text("{}")
    monkeypatch.setattr(content_module, "NOTEBOOKS_DIR", tmp_path)
    first = lesson.nav("01-what-is-chronic-back-pain")
    assert (
        '<a class="course-nav__prev" href="00-index.ipynb">← Previous: Course home</a>'
        in first.html
    )
    assert 'href="03-sensitisation.ipynb">Next: A sensitive alarm system →</a>' in first.html
    last = lesson.nav("03-sensitisation")
    assert (
        'href="01-what-is-chronic-back-pain.ipynb">← Previous: What is chronic back pain?'
        in last.html
    )
    assert 'href="00-index.ipynb">Next: Course home →</a>' in last.html
    assert 'aria-label="Lessons"' in last.html
    # Readable as plain links in JupyterLab (separators), and a way to the site view.
    assert '</a><span class="course-nav__sep" aria-hidden="true"> · </span><a' in last.html
    assert "course-nav__site" not in last.html  # no site address known: no link


def test_nav_links_to_the_site_view_where_the_launcher_says_it_is(monkeypatch):
    monkeypatch.setenv(lesson.SITE_URL_ENV, "/user/ann/voila/render/notebooks/")
    out = lesson.nav("03-sensitisation")
    assert (
        '<a href="/user/ann/voila/render/notebooks/03-sensitisation.ipynb'
        '?voila-template=course" target="_blank"' in out.html
    )
    from widgets import i18n

    with i18n.speaking("es"):  # a Spanish lesson opens the Spanish page
        assert "/user/ann/voila/render/notebooks/es/03-sensitisation.ipynb" in (
            lesson.nav("03-sensitisation").html
        )
    monkeypatch.setenv(lesson.SITE_URL_ENV, "javascript:alert(1)//")
    assert "course-nav__site" not in lesson.nav("03-sensitisation").html


def test_the_site_and_the_lessons_links_agree_because_they_are_worked_out_once():
    from widgets.server.app import course_resources

    site = course_resources()["sites"]["en"]["nav"]
    content = load_content()
    assert site["00-index"]["prev"] is None
    assert site["00-index"]["next"]["id"] == content.course.lessons[0].id
    for page in (item.id for item in content.course.lessons if item.ready):
        links = re.findall(
            r'class="course-nav__(prev|next)" href="([^"]+)\.ipynb"', lesson.nav(page).html
        )
        drawn = dict(links)
        for side in ("prev", "next"):
            expected = site[page][side]["id"] if site[page][side] else "00-index"
            assert drawn[side] == expected, (page, side)
