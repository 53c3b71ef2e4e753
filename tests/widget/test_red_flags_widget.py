"""The red-flag checker, driven from code as a learner drives it in the page."""

from __future__ import annotations

import logging
import re

import ipywidgets as ipw
import pytest

import widgets._red_flags_view as red_flags_module
import widgets.logic.red_flags as red_flags_rules
from widgets import LiveRegion
from widgets._safe import SORRY
from widgets.content import load_content
from widgets.red_flags import RED_FLAGS, RedFlagChecker

EMERGENCY = (
    "bladder_bowel",
    "saddle_numbness",
    "both_legs",
    "leg_weakness",
    "sexual_change",
    "chest_pain",
    "major_trauma",
)
URGENT = (
    "systemic_unwell",
    "cancer_history",
    "fracture_risk",
    "night_or_rest_pain",
    "cough_sneeze_strain",
    "upper_back",
    "lump_shape",
)


@pytest.fixture
def checker() -> RedFlagChecker:
    return RedFlagChecker()


def _words(markup: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)).strip()


def test_one_yes_no_box_per_flag_whose_name_is_the_question(checker):
    assert list(checker.boxes) == [flag.id for flag in RED_FLAGS]
    for flag in RED_FLAGS:
        box = checker.boxes[flag.id]
        assert isinstance(box, ipw.Checkbox) and box.value is False
        assert box.description == flag.question and box.description.endswith("?")
        assert not box.description_allow_html
        assert box.indent is False  # the label sits next to its box


def test_before_any_tick_the_result_says_none_carefully(checker):
    text = checker.result_text
    assert text.startswith("ℹ You have not ticked a red flag.")
    assert "not a diagnosis" in text and "speak to a clinician" in text
    assert checker.alert.value == ""
    assert "course-red-flags__result--none" in checker.status.value


@pytest.mark.parametrize("flag_id", EMERGENCY)
def test_ticking_an_emergency_flag_shows_unmistakable_advice_in_the_alert(checker, flag_id):
    checker.boxes[flag_id].value = True
    assert checker.result.level == "emergency"
    assert checker.status.value == ""
    alert = checker.alert
    assert isinstance(alert, LiveRegion) and alert.urgent is True  # role="alert"
    words = _words(alert.value)
    # In words, not colour alone: the level is named, the action and the numbers are there.
    assert words.startswith("⚠ Emergency: get help now.")
    assert "emergency department" in words
    assert "999 in the UK" in words and "112 in the EU" in words and "911 in the US" in words
    name = next(f.name for f in RED_FLAGS if f.id == flag_id)
    assert f"You ticked 1 sign: {name}." in words
    # and the colour as well: the emergency style
    assert "course-red-flags__result--emergency" in alert.value
    assert "Emergency sign." in checker.marks[flag_id].value
    assert checker.marks[flag_id].layout.display is None


@pytest.mark.parametrize("flag_id", URGENT)
def test_ticking_an_urgent_flag_asks_for_a_check_today_politely(checker, flag_id):
    checker.tick(flag_id)
    assert checker.alert.value == ""
    assert not checker.status.urgent
    words = _words(checker.status.value)
    assert words.startswith("⚠ Urgent: get a medical check today.")
    assert "course-red-flags__result--urgent" in checker.status.value
    assert "Urgent sign." in checker.marks[flag_id].value


def test_the_result_updates_with_every_tick_and_untick(checker):
    checker.tick("cancer_history")
    assert checker.result.level == "urgent"
    checker.tick("major_trauma")
    assert checker.result.level == "emergency"
    assert (
        "You ticked 2 signs: pain after a serious injury; cancer in the past."
        in checker.result_text
    )
    checker.untick("major_trauma")
    assert checker.result.level == "urgent" and checker.alert.value == ""
    assert checker.marks["major_trauma"].value == ""
    assert checker.marks["major_trauma"].layout.display == "none"
    checker.untick("cancer_history")
    assert checker.result_text.startswith("ℹ You have not ticked a red flag.")


def test_clear_all_answers_unticks_everything(checker):
    for flag in RED_FLAGS:
        checker.boxes[flag.id].value = True
    assert checker.result.level == "emergency"
    assert checker.clear_button.description == "Clear all answers"
    checker.clear_button.click()
    assert checker.ticked == ()
    assert all(box.value is False for box in checker.boxes.values())
    assert checker.alert.value == ""
    assert checker.result_text.startswith("ℹ You have not ticked a red flag.")
    assert all(mark.value == "" for mark in checker.marks.values())


def test_clearing_updates_the_result_once(checker, monkeypatch):
    checker.tick(*EMERGENCY)
    calls = []
    original = checker._update
    monkeypatch.setattr(checker, "_update", lambda: (calls.append(1), original()))
    checker.clear_button.click()
    assert len(calls) == 1


def test_why_this_matters_is_on_demand_with_a_name_of_its_own(checker):
    for flag in RED_FLAGS:
        why = checker.why[flag.id].value
        assert why.startswith('<details class="course-red-flags__why"><summary>Why this matters')
        assert "<details open" not in why  # closed until asked for
        summary = re.sub(r"<[^>]+>", "", why.split("</summary>")[0])
        assert summary == f"Why this matters ({flag.name})"  # each summary has its own name
        assert flag.why.replace("'", "&#x27;") in why
        assert "Source:" in why


def test_every_flag_shows_its_sources_as_links(checker):
    refs = load_content().references
    for flag in RED_FLAGS:
        for ref_id in flag.sources:
            assert f'href="{refs[ref_id].link}"' in checker.why[flag.id].value
    checker.tick("bladder_bowel")
    assert 'href="https://www.nhs.uk/conditions/back-pain/"' in checker.sources_line.value


def test_the_disclaimer_is_always_visible(checker):
    disclaimer = load_content().course.disclaimer
    for step in (
        lambda: None,
        lambda: checker.tick("leg_weakness"),
        lambda: checker.clear_button.click(),
    ):
        step()
        assert disclaimer in checker.notice_text
        assert checker.children[0].layout.display in (None, "")
    assert "does not save your answers or send them anywhere" in checker.notice_text


def test_controls_have_names_and_nothing_is_icon_only(checker):
    assert checker.clear_button.description.strip()
    assert checker.clear_button.icon == ""
    for box in checker.boxes.values():
        assert len(box.description) > 10


def test_unknown_flag_from_code_is_an_error(checker):
    with pytest.raises(ValueError, match="'typo'"):
        checker.tick("typo")


def test_a_failing_update_fails_safe_and_logs_no_answer(checker, monkeypatch, caplog):
    def broken(*_args, **_kwargs):
        raise RuntimeError("saddle_numbness secret")

    monkeypatch.setattr(red_flags_rules, "assess", broken)
    with caplog.at_level(logging.DEBUG):
        checker.boxes["saddle_numbness"].value = True
    text = _words(checker.alert.value)
    assert text.startswith(f"⚠ {SORRY}")
    # The learner is never left without the safety advice.
    assert "go to an emergency department or call your local emergency number" in text
    assert "999 in the UK" in text and "112 in the EU" in text
    assert "Traceback" not in checker.alert.value and "secret" not in checker.alert.value
    # friendly logs only the error type and the method: no flag id, no question.
    assert [r.getMessage() for r in caplog.records] == [
        "RedFlagChecker._on_change failed: RuntimeError"
    ]
    assert "saddle" not in caplog.text


def test_the_view_subclasses_vbox_and_carries_its_class(checker):
    assert isinstance(checker, ipw.VBox)
    assert "course-red-flags" in checker._dom_classes


def test_inflammatory_alone_gives_gp_advice_and_no_emergency_numbers(checker):
    checker.tick("inflammatory")
    assert checker.result.level == "soon"
    assert checker.alert.value == ""  # not announced as an alert
    words = _words(checker.status.value)
    assert words.startswith("ℹ Not an emergency: book a GP appointment.")
    assert "inflammatory back pain" in words
    for number in ("999", "112", "911"):
        assert number not in words
    assert "Worth a GP visit." in checker.marks["inflammatory"].value
    checker.tick("upper_back")
    assert checker.result.level == "urgent"  # a higher level wins


def test_questions_come_in_groups_under_their_level(checker):
    rules = red_flags_module._RULES
    heading = '<h3 class="course-red-flags__group">'
    groups = [
        child
        for child in checker.children
        if isinstance(child, ipw.HTML) and child.value.startswith(heading)
    ]
    assert [_words(g.value) for g in groups] == [
        rules.advice[level].intro for level in ("emergency", "urgent", "soon")
    ]
    order = list(checker.children)
    first = {
        level: next(
            i
            for i, c in enumerate(order)
            if isinstance(c, ipw.VBox) and checker.boxes[flag.id] in c.children
        )
        for level in ("emergency", "urgent", "soon")
        for flag in [next(f for f in RED_FLAGS if f.level == level)]
    }
    for group, level in zip(groups, ("emergency", "urgent", "soon"), strict=True):
        assert order.index(group) == first[level] - 1  # the heading sits right above


def test_emergency_numbers_are_a_tap_away_and_each_mark_links_to_the_advice(checker):
    checker.tick("chest_pain")
    for number in ("999", "112", "911"):
        assert f'<a href="tel:{number}">{number}</a>' in checker.alert.value
    assert f'id="{red_flags_module.RESULT_ANCHOR}"' in checker.alert.value
    mark = checker.marks["chest_pain"].value
    assert f'<a href="#{red_flags_module.RESULT_ANCHOR}">See what to do now</a>' in mark
    assert _words(mark).startswith("Emergency sign. See what to do now")
    checker.clear()
    checker.tick("upper_back")  # no numbers in the urgent advice, so no tel: links
    assert "tel:" not in checker.status.value
