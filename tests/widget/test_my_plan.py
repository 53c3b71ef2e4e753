""" "My plan": fill every part on the page, make the file, and decode the download link."""

from __future__ import annotations

import base64
import re
from datetime import date

import pytest

from widgets.my_plan import MyPlanBuilder


def _download(link_html: str) -> tuple[str, str, str]:
    m = re.search(r'download="([^"]+)" href="data:([^;]+);charset=utf-8;base64,([^"]+)"', link_html)
    return m.group(1), m.group(2), base64.b64decode(m.group(3)).decode("utf-8")


@pytest.fixture
def maker() -> MyPlanBuilder:
    return MyPlanBuilder(today=lambda: date(2026, 11, 25))


def _fill(maker: MyPlanBuilder) -> None:
    maker.goals.value = "Walk to the shop and back\nSit through a film"
    maker.planner.fill(activity="walking", usual="20", goal="40")
    maker.flare.fill(helps="A warm shower", seek_help="If it is not easing after two weeks")


def test_make_my_plan_as_a_web_page_and_read_the_file(maker):
    _fill(maker)
    maker.make_button.click()
    assert maker.status_text == (
        "Your plan is ready, with your goals, pacing plan, flare plan "
        "and the warning signs. Use the link below to save it."
    )
    name, mime, content = _download(maker.download.value)
    assert (name, mime) == ("my-back-pain-plan.html", "text/html")
    assert content == maker.document
    assert "Made on 25 November 2026" in content
    assert "<li>Walk to the shop and back</li>" in content
    assert '<th scope="row">Week 11</th><td>40 minutes</td>' in content
    assert (
        "<h4>When I will seek help</h4><ul><li>If it is not easing after two weeks</li>" in content
    )
    assert "Warning signs: when to get help fast" in content
    assert "911 in the US, Canada and Mexico" in content
    assert "https://www.nhs.uk/conditions/back-pain/" in content  # where the cues come from
    assert "Nothing is kept on the server." in maker.download.value
    assert ">Download my plan (web page, .html)</a>" in maker.download.value


def test_make_my_plan_as_markdown(maker):
    _fill(maker)
    maker.format.value = "markdown"
    maker.make_button.click()
    name, mime, content = _download(maker.download.value)
    assert (name, mime) == ("my-back-pain-plan.md", "text/markdown")
    assert content.startswith("# My back pain plan\n")
    assert "| 11 | 40 minutes (goal) |" in content and "- A warm shower" in content


def test_parts_may_be_skipped_but_not_all(maker):
    maker.make_button.click()
    assert "Please fill in at least one part first" in maker.status_text
    assert maker.download.value == "" and maker.document is None
    maker.goals.value = "Garden for an hour"
    maker.make_button.click()
    assert maker.status_text.startswith("Your plan is ready, with your goals and the warning")
    assert maker.document.count("Not filled in yet.") == 2


def test_a_problem_in_a_part_names_the_step(maker):
    _fill(maker)
    maker.planner.goal.value = "5"
    maker.make_button.click()
    assert maker.status_text.startswith("⚠ Step 2, pacing plan: Your goal needs to be more than")
    assert maker.download.value == ""
    maker.planner.goal.value = "40"
    maker.flare.fill(avoid="x" * 500)
    maker.make_button.click()
    assert maker.status_text.startswith('⚠ Step 3, flare plan: "What I will avoid" is too long.')
    maker.flare.fill(avoid="")
    maker.goals.value = "walk\x00"
    maker.make_button.click()
    assert "hidden or odd character" in maker.status_text


def test_changing_anything_after_making_the_file_asks_to_make_it_again(maker):
    _fill(maker)
    maker.make_button.click()
    assert maker.download.value
    maker.flare.fill(contacts="My GP")
    assert maker.download.value == "" and maker.document is None
    assert "You changed something" in maker.status_text
    maker.make_button.click()
    assert "My GP" in _download(maker.download.value)[2]


def test_typed_markup_is_escaped_in_the_file(maker):
    maker.goals.value = '<script>alert("x")</script>'
    maker.make_button.click()
    content = _download(maker.download.value)[2]
    assert "<script>" not in content and "&lt;script&gt;alert(&quot;x&quot;)" in content


def test_the_planner_and_flare_builder_are_reused_with_clear_button_names(maker):
    assert maker.planner.make_button.description == "Preview my pacing plan"
    assert maker.flare.make_button.description == "Preview my flare plan"
    assert maker.make_button.description == "Make my plan file"
    assert maker.goals.description == "My goals" and maker.format.description == "File type"


def test_my_plan_made_in_spanish_is_in_spanish_with_the_date_and_numbers_its_way():
    from widgets import i18n

    with i18n.speaking("es"):
        maker = MyPlanBuilder(today=lambda: date(2026, 11, 25))
        _fill(maker)
        maker.make_button.click()
        name, mime, content = _download(maker.download.value)
    assert (name, mime) == ("mi-plan-para-el-dolor-de-espalda.html", "text/html")
    assert "25 de noviembre de 2026" in content
    assert "112 en España y el resto de la Unión Europea" in content
    assert "911 en México, Estados Unidos y Canadá" in content
    assert '<html lang="es">' in content
    assert "<title>Mi plan para el dolor de espalda</title>" in content
    assert "Señales de alarma: cuándo pedir ayuda rápido" in content
    for english in ("Made on", "Warning signs", "Week 11", "When I will seek help"):
        assert english not in content
