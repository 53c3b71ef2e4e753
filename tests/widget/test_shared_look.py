"""The quizzes, the red-flag checker, the safety balance and the plans build few widget
models: layouts and styles that never change are shared (widgets._view.shared), and
classes are given when a widget is made, not sent after. Each model is a message to the
page and work for the server (make bench: lesson 01 went from 121 models and 41 updates
to 57 and none; lesson 08 from 248 to 150)."""

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


def test_the_red_flag_checker_shares_all_but_the_marks_layouts():
    from widgets.red_flags import RedFlagChecker

    checker = RedFlagChecker()
    made = _models(checker).values()
    layouts = [w for w in made if isinstance(w, ipw.Layout)]
    # Each warning sign's mark is shown and hidden, so it has a layout of its own; the
    # boxes, their explanations and the rest share a few (248 models in lesson 08 before).
    assert len(layouts) <= len(checker.marks) + 8
    assert len(made) < 110
    first, second = list(checker.marks)[:2]
    checker.tick(first)
    assert checker.marks[first].layout.display is None
    assert checker.marks[second].layout.display == "none"
    assert checker.boxes[first].layout is checker.boxes[second].layout


def test_the_balance_and_my_plan_share_their_layouts_and_styles():
    from widgets.balance import SafetyBalance
    from widgets.my_plan import MyPlanBuilder

    balance = _models(SafetyBalance()).values()
    assert sum(isinstance(w, ipw.Layout) for w in balance) <= 14  # 52 before
    plan = _models(MyPlanBuilder()).values()
    assert sum(isinstance(w, ipw.Layout) for w in plan) <= 18  # 70 before
    assert sum(not isinstance(w, ipw.Layout) and "Style" in type(w).__name__ for w in plan) <= 8
