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
    assert '<a href="01-what-is-chronic-back-pain.ipynb">What is chronic back pain?</a>' in out.html
    assert "Why pain persists <span class=\"course-map__soon\">(coming soon)</span>" in out.html
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
    assert "<desc id=\"natural-course-desc\">" + repr(out) in out.html
