"""The quiz client reads a real quiz's widget states as the page's widget manager would."""

from __future__ import annotations

import json

import ipywidgets as ipw
import pytest

from bench import quiz_client as qc
from widgets import Quiz
from widgets.content import load_content

LESSON = "01-what-is-chronic-back-pain"


def _tree(widget: ipw.Widget) -> dict[str, ipw.Widget]:
    found = {widget.model_id: widget}
    for child in getattr(widget, "children", ()):
        found.update(_tree(child))
    return found


@pytest.fixture
def page():
    """A lesson's quiz, its widgets by model id, and the widget states the browser
    would receive for it (as JSON, the way they travel)."""
    quiz = Quiz.for_lesson(LESSON)
    models = _tree(quiz)
    states = {m: json.loads(json.dumps(w.get_state())) for m, w in models.items()}
    return quiz, models, states


def test_find_quiz_names_every_card_its_controls_and_the_score_line(page):
    quiz, _, states = page
    found = qc.find_quiz(states)
    assert [c.check for c in found.cards] == [card.check_button.model_id for card in quiz.cards]
    assert [c.feedback for c in found.cards] == [card.feedback.model_id for card in quiz.cards]
    assert found.score_line == quiz._score_line.model_id
    assert qc.score(states, found) == (0, len(quiz.cards), 0)


def test_answers_from_the_page_score_right_or_wrong_as_a_click_would(page):
    quiz, models, states = page
    questions = load_content().questions_for(LESSON)
    found = qc.find_quiz(states)
    wrong = {0} | {i for i, card in enumerate(found.cards) if card.boxes}
    assert len(wrong) == 2, "lesson 01 has a single-choice first and one multiple-choice"
    for i, (card, view) in enumerate(zip(found.cards, quiz.cards, strict=True)):
        for model, state in qc.answers_for(card, states, questions, right=i not in wrong):
            models[model].set_state(state)  # what the kernel does with an update
        view.check_button.click()
    assert quiz.score == len(quiz.cards) - 2 and quiz.completed
    for i, view in enumerate(quiz.cards):
        verdict = "✗ Not quite." if i in wrong else "✓ Right."
        assert view.feedback_text.startswith(verdict), (i, view.feedback_text)


def test_apply_message_keeps_states_as_the_front_end_does():
    states = {"a": {"value": "old"}}
    qc.apply_message(
        states,
        {
            "msg_type": "comm_msg",
            "content": {"comm_id": "a", "data": {"method": "update", "state": {"value": "new"}}},
        },
    )
    qc.apply_message(
        states,
        {
            "msg_type": "comm_open",
            "content": {
                "comm_id": "b",
                "target_name": "jupyter.widget",
                "data": {"state": {"value": 1}},
            },
        },
    )
    qc.apply_message(
        states,
        {
            "msg_type": "comm_msg",
            "content": {"comm_id": "zzz", "data": {"method": "update", "state": {"value": 2}}},
        },
    )
    assert states == {"a": {"value": "new"}, "b": {"value": 1}}
    qc.apply_message(states, {"msg_type": "comm_close", "content": {"comm_id": "a"}})
    assert states == {"b": {"value": 1}}


def test_a_page_without_one_quiz_or_with_other_options_is_refused(page):
    quiz, _, states = page
    with pytest.raises(qc.QuizNotFound):
        qc.find_quiz({})
    found = qc.find_quiz(states)
    single = next(c for c in found.cards if not c.boxes)
    states[single.choices] = {**states[single.choices], "_options_labels": ["x", "y"]}
    with pytest.raises(qc.QuizNotFound, match="options on the page differ"):
        qc.answers_for(single, states, load_content().questions_for(LESSON))
