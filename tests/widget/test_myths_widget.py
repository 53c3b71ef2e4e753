"""The myth-or-fact quiz, answered from code as a learner answers it in the page."""

from __future__ import annotations

import pytest

from widgets import LiveRegion
from widgets.content import load_content
from widgets.content.myths import load_myths
from widgets.logic.myths import right_answer
from widgets.myths import MythQuiz
from widgets.quiz import QuestionCard


@pytest.fixture
def quiz() -> MythQuiz:
    return MythQuiz()


def _wrong(answer: str) -> str:
    return "Fact" if answer == "Myth" else "Myth"


def test_one_card_per_myth_each_asking_myth_or_fact(quiz):
    items = load_myths()
    assert [c.item.id for c in quiz.cards] == [i.id for i in items]
    for card in quiz.cards:
        assert isinstance(card, QuestionCard)
        assert [o.text for o in card.question.options] == ["Myth", "Fact"]
        assert card.question.prompt.endswith("Myth or fact?")
    assert quiz.progress_text == "0 of 10 answered, 0 right. Answer all 10 to see your summary."
    assert quiz.summary_text == "" and isinstance(quiz.summary, LiveRegion)


def test_a_shown_fact_and_a_shown_myth_are_both_in_the_quiz(quiz):
    shown = {card.item.shown for card in quiz.cards}
    assert shown == {"myth", "fact"}


def test_each_answer_is_followed_by_evidence_how_sure_and_citation(quiz):
    card = quiz.card("m04-scan")
    card.choose("Fact")
    card.check_button.click()
    text = card.feedback_text
    assert text.startswith("✗ Not quite. Many people believe this, but it is a myth.")
    assert "The myth: You need a scan to find out what is causing your back pain." in text
    assert "The fact: For most back pain, a scan does not help." in text
    assert "The evidence: Six trials with 1,804 people" in text
    assert "How sure is this? Fairly sure." in text
    assert "Source: O'Sullivan PB et al. 2020 ; Chou R et al. 2009 ; National Institute" in text
    assert 'href="https://doi.org/10.1016/S0140-6736(09)60172-0"' in card.feedback.value

    card.retry_button.click()
    card.choose("Myth")
    card.check_button.click()
    assert card.feedback_text.startswith("✓ Right. Yes, this is a myth.")


def test_a_shown_fact_called_a_myth_gets_its_own_feedback(quiz):
    card = quiz.card("m05-exercise-harm")
    card.choose("Myth")
    card.check_button.click()
    expected = "sound too good to be true, but the evidence backs it. It is a fact."
    assert expected in card.feedback_text


def test_checking_with_nothing_chosen_asks_for_an_answer(quiz):
    card = quiz.cards[0]
    card.check_button.click()
    assert card.feedback_text == "Choose an answer first."
    assert quiz.progress_text.startswith("0 of 10 answered")


def test_whole_quiz_summary_lists_beliefs_held_with_where_to_read_more(quiz):
    held = {"m01-serious", "m05-exercise-harm", "m10-strong-treatments"}
    for card in quiz.cards:
        right = right_answer(card.item)
        card.choose(_wrong(right) if card.item.id in held else right)
        card.check_button.click()
        if card is not quiz.cards[-1]:
            assert quiz.summary_text == ""
    assert quiz.completed and quiz.score == 7
    assert quiz.progress_text == "All 10 answered: 7 of 10 right now."
    text = quiz.summary_text
    assert text.startswith(
        "Your summary On your first try, you sided with 3 of the 10 unhelpful beliefs."
    )
    assert "Right on your first try: 7 of 10." in text
    assert "Back pain as a sign of serious disease." in text
    assert "Pain during exercise as a sign of harm." in text
    assert "Strong drugs, injections and surgery as the fix." in text
    assert "Bad posture as the cause" not in text  # answered right: not listed
    assert "Read more: lesson 6, Movement and pacing" in text
    assert "Hayden JA et al. 2021" in text
    assert "All ten facts come from a paper by back pain experts" in text


def test_summary_links_ready_lessons_and_marks_the_others_coming_soon(quiz):
    for card in quiz.cards:
        card.choose(_wrong(right_answer(card.item)))
        card.check_button.click()
    content = load_content()
    markup = quiz.summary.value
    for item in load_myths():
        lesson = content.lesson(item.read_more)
        if lesson.ready:
            assert f'<a href="{lesson.notebook}">' in markup
        else:
            assert f"{lesson.title} (coming soon)" in markup
    assert "sided with 10 of the 10 unhelpful beliefs" in quiz.summary_text


def test_all_right_first_time_says_so(quiz):
    for card in quiz.cards:
        card.choose(right_answer(card.item))
        card.check_button.click()
    assert "You spotted all 10 on your first try. Well done." in quiz.summary_text
    assert "The beliefs you sided with" not in quiz.summary_text


def test_try_again_hides_the_summary_until_answered_and_keeps_first_beliefs(quiz):
    for card in quiz.cards:
        card.choose(right_answer(card.item) if card.item.id != "m06-posture" else "Fact")
        card.check_button.click()
    assert "sided with 1 of the 10 unhelpful belief." in quiz.summary_text
    card = quiz.card("m06-posture")
    card.retry_button.click()
    assert quiz.summary_text == "" and not quiz.completed
    card.choose("Myth")
    card.check_button.click()
    assert quiz.score == 10
    assert "sided with 1 of the 10 unhelpful belief." in quiz.summary_text
    assert "Bad posture as the cause." in quiz.summary_text
