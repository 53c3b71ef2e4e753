"""The quizzes build few widget models: layouts and styles that never change are shared
(widgets._view.shared), and classes are given when a widget is made, not sent after.
Each model is a message to the page and work for the server (make bench: lesson 01
went from 121 models and 41 updates to 57 and none)."""

from __future__ import annotations

import ipywidgets as ipw

from widgets import Quiz
from widgets._view import shared, shared_style
from widgets.myths import MythQuiz


def _descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)


def test_a_quiz_shares_every_layout_but_the_try_again_buttons():
    quiz = Quiz.for_lesson("01-what-is-chronic-back-pain")
    widgets = [w for w in _descendants(quiz) if hasattr(w, "layout")]
    layouts = {id(w.layout) for w in widgets}
    assert len(layouts) <= len(quiz.cards) + 2  # one each for Try again, shared ones
    for card in quiz.cards:
        assert card.retry_button.layout is not shared(ipw.Layout)
        assert card.check_button.style is shared_style(ipw.Button)


def test_showing_try_again_on_one_card_leaves_the_others_alone():
    quiz = Quiz.for_lesson("01-what-is-chronic-back-pain")
    first, second = quiz.cards[:2]
    first.choose(0)
    first.check_button.click()
    assert first.retry_button.layout.display is None
    assert second.retry_button.layout.display == "none"
    assert second.check_button.layout.display is None


def _models(view) -> dict[int, ipw.Widget]:
    """Every model a view sends to the page: its widgets, their layouts and styles."""
    found = {}
    for w in _descendants(view):
        for model in (w, getattr(w, "layout", None), getattr(w, "style", None)):
            if model is not None:
                found[id(model)] = model
    return found


def test_the_myth_quiz_makes_less_than_half_the_models_it_did():
    made = _models(MythQuiz()).values()
    # 306 models before sharing (make bench, lesson 05); now 10 cards of about 13 each.
    assert len(made) < 150
    assert sum(isinstance(w, ipw.Layout) for w in made) <= 12


def test_a_closed_shared_layout_is_made_again():
    layout = shared(ipw.Layout, width="12px")
    layout.close()
    again = shared(ipw.Layout, width="12px")
    assert again is not layout and again.comm is not None and again.width == "12px"
