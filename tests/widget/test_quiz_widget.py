"""The quiz widget, driven from code as a learner would drive it in the page."""

from __future__ import annotations

import ipywidgets as ipw
import pytest

from widgets import LiveRegion, Quiz

LESSON = "01-what-is-chronic-back-pain"


@pytest.fixture
def quiz() -> Quiz:
    return Quiz.for_lesson(LESSON)


def test_builds_one_card_per_question_with_a_score_line(quiz):
    assert [c.question.id for c in quiz.cards][:2] == ["q01-duration", "q01-waves"]
    assert quiz.score == 0 and not quiz.completed
    assert quiz.summary == f"Score: none answered yet, {len(quiz.cards)} questions."


def test_wrong_then_right_shows_each_feedback_with_explanation_and_source(quiz):
    card = quiz.card("q01-duration")
    card.choose("After one bad week")
    card.check_button.click()
    text = card.feedback_text
    assert text.startswith("✗ Not quite.")
    assert "A week of pain is hard, but it is not called chronic." in text
    assert '"Chronic" is a word about time.' in text
    assert "Source: Treede RD et al. 2019" in text
    assert 'href="https://doi.org/10.1097/j.pain.0000000000001384"' in card.feedback.value
    assert quiz.score == 0 and "0 of 5 right (1 answered)" in quiz.summary

    card.retry_button.click()
    assert card.feedback_text == "" and card.chosen == ()
    card.choose("When it has lasted more than 3 months")
    card.check_button.click()
    assert card.feedback_text.startswith("✓ Right.")
    assert quiz.score == 1 and "1 of 5 right (1 answered)" in quiz.summary


def test_checking_with_nothing_chosen_asks_for_an_answer(quiz):
    card = quiz.card("q01-waves")
    card.check_button.click()
    assert card.feedback_text == "Choose an answer first."
    assert quiz.summary.startswith("Score: none answered yet")


def test_several_correct_question_needs_every_right_box(quiz):
    card = quiz.card("q01-label")
    card.choose(0)
    card.check_button.click()
    assert (
        card.feedback_text.startswith("✗ Not quite.")
        and "You missed 1 right answer." in card.feedback_text
    )
    card.choose(0, 2)
    card.check_button.click()
    assert card.feedback_text.startswith("✓ Right.")


def test_answering_everything_right_completes_the_quiz(quiz):
    for card in quiz.cards:
        right = [i for i, o in enumerate(card.question.options) if o.correct]
        card.choose(*right)
        card.check_button.click()
    assert quiz.completed and quiz.score == len(quiz.cards)
    assert (
        quiz.summary
        == f"Score: {len(quiz.cards)} of {len(quiz.cards)} right ({len(quiz.cards)} answered)."
    )


def test_feedback_is_a_live_region_and_controls_have_names(quiz):
    card = quiz.cards[0]
    assert isinstance(card.feedback, LiveRegion) and not card.feedback.urgent
    assert card.check_button.description == "Check answer"
    assert card.retry_button.layout.display == "none"  # appears only after a check
    radios = [w for w in card.children if isinstance(w, ipw.RadioButtons)]
    assert radios and radios[0].value is None  # nothing pre-selected


def test_choose_refuses_an_option_that_does_not_exist(quiz):
    with pytest.raises(ValueError, match="no option"):
        quiz.card("q01-duration").choose("Maybe")


def test_unknown_lesson_is_an_error():
    with pytest.raises(KeyError):
        Quiz.for_lesson("99-nowhere")
