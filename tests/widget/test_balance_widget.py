"""The danger/safety balance, driven from code as a learner drives it in the page."""

from __future__ import annotations

import base64
import re

import ipywidgets as ipw
import pytest

from widgets import LiveRegion
from widgets.balance import DOWNLOAD_NAME, SafetyBalance
from widgets.content.cues import load_cues
from widgets.logic.balance import MAX_CUE_CHARS, MAX_OWN_CUES


@pytest.fixture
def balance() -> SafetyBalance:
    return SafetyBalance()


def _download(balance: SafetyBalance) -> str:
    data = re.search(r'base64,([^"]+)"', balance.download.value).group(1)
    return base64.b64decode(data).decode("utf-8")


def _desc(balance: SafetyBalance) -> str:
    return re.search(r"<desc[^>]*>(.*?)</desc>", balance.drawing.value).group(1)


def test_starts_empty_with_every_cue_unticked(balance):
    cues = load_cues()
    assert set(balance.boxes) == {c.id for c in cues}
    assert not any(box.value for box in balance.boxes.values())
    assert balance.verdict_text.startswith("The balance is empty.")
    assert "The beam is level." in _desc(balance)
    assert "Tick some cues first" in balance.suggestions_text


def test_ticking_cues_moves_the_balance_and_changes_its_words(balance):
    balance.checkbox("poor-sleep").value = True  # what a click on the box does
    balance.tick("worry-damage")
    assert balance.verdict_text.startswith("Danger weighs more: 2 danger cues and 0 safety cues.")
    assert "The danger side hangs lower." in _desc(balance)
    assert ">Danger: 2</text>" in balance.drawing.value

    balance.tick("good-sleep", "know-pain")
    assert balance.verdict_text == "The two sides are even: 2 danger cues and 2 safety cues."
    assert "The beam is level." in _desc(balance)

    balance.tick("went-well")
    assert balance.verdict_text.startswith("Safety weighs more: 3 safety cues and 2 danger cues.")
    assert "The safety side hangs lower." in _desc(balance)

    balance.untick("went-well", "know-pain", "good-sleep")
    assert balance.verdict_text.startswith("Danger weighs more")


def test_suggestions_name_safety_cues_of_the_same_kind_as_the_danger_ticked(balance):
    balance.tick("poor-sleep", "avoid-moving")
    text = balance.suggestions_text
    assert "A good night's sleep." in text and "things happening in your body" in text
    assert "A movement that went better than I expected." in text
    balance.tick("good-sleep")
    assert "A good night's sleep." not in balance.suggestions_text


def test_every_safety_cue_ticked_leaves_nothing_to_suggest(balance):
    balance.tick(*(c.id for c in load_cues() if c.side == "safety"))
    assert "You have ticked every safety cue on the list." in balance.suggestions_text


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", 'Please type a few words first, for example "a walk with my dog".'),
        ("     ", 'Please type a few words first, for example "a walk with my dog".'),
        (
            "x" * (MAX_CUE_CHARS + 5),
            f"Please keep your cue to {MAX_CUE_CHARS} characters or fewer. "
            f"Yours has {MAX_CUE_CHARS + 5}.",
        ),
        (
            "<b>my dog</b>",
            "Please use only letters, numbers and simple punctuation. These cannot be used: < >",
        ),
        ("A good night's sleep", "That cue is already on your balance."),
    ],
)
def test_bad_own_cue_gets_a_clear_inline_message_and_changes_nothing(balance, typed, message):
    balance.tick("poor-sleep")
    before = balance.verdict_text
    balance.own_text.value = typed
    balance.add_safety_button.click()
    assert balance.message_text == message
    assert 'class="course-balance__error"' in balance.message.value
    assert "<b>" not in balance.message.value  # what the learner typed is escaped
    assert balance.own_cues == () and balance.verdict_text == before
    assert balance.own_text.value == typed  # kept, so the learner can fix it


def test_own_cue_is_added_ticked_and_weighs_like_any_other(balance):
    balance.tick("poor-sleep", "worry-damage")
    balance.own_text.value = "  A walk   with my dog "
    balance.add_safety_button.click()
    assert balance.message_text == "Added to the safety side and ticked: A walk with my dog"
    assert balance.own_cues == (("safety", "A walk with my dog"),)
    assert balance.own_text.value == ""
    box = balance.checkbox("own-1")
    assert box.value and box.description == "A walk with my dog (my own)"
    assert balance.verdict_text.startswith("Danger weighs more: 2 danger cues and 1 safety cue.")

    balance.own_text.value = "Money worries"
    balance.add_danger_button.click()
    assert balance.verdict_text.startswith("Danger weighs more: 3 danger cues")
    balance.untick("own-2")
    assert balance.verdict_text.startswith("Danger weighs more: 2 danger cues and 1 safety cue.")


def test_own_cue_checkbox_sits_in_its_side_column(balance):
    balance.own_text.value = "My sister"
    balance.add_safety_button.click()
    columns = [w for w in balance.children if isinstance(w, ipw.HBox)][0].children
    danger, safety = columns
    in_safety = [w for box in safety.children if isinstance(box, ipw.VBox) for w in box.children]
    assert balance.checkbox("own-1") in in_safety


def test_own_cue_with_accents_and_phone_quotes_is_fine(balance):
    balance.own_text.value = "Zoë’s “you’ve got this”"
    balance.add_safety_button.click()
    assert balance.own_cues == (("safety", "Zoë’s “you’ve got this”"),)


def test_limit_on_own_cues_is_explained(balance):
    for n in range(MAX_OWN_CUES):
        balance.own_text.value = f"cue number {n}"
        balance.add_danger_button.click()
    balance.own_text.value = "one too many"
    balance.add_danger_button.click()
    assert f"You can add up to {MAX_OWN_CUES} cues of your own" in balance.message_text
    assert len(balance.own_cues) == MAX_OWN_CUES


def test_download_holds_the_learners_own_list(balance):
    balance.tick("poor-sleep", "good-sleep")
    balance.own_text.value = "Money worries"
    balance.add_danger_button.click()
    assert f'download="{DOWNLOAD_NAME}"' in balance.download.value
    assert "Download my list (text file)" in balance.download.value
    text = _download(balance)
    danger = text.split("Danger cues")[1].split("Safety cues")[0]
    assert "- A run of poor sleep" in danger and "- Money worries" in danger
    assert "- A good night's sleep" in text.split("Safety cues (signs that my body is safe)")[1]
    assert "Danger weighs more: 2 danger cues and 1 safety cue." in text
    balance.untick("own-1")
    assert "Money worries" not in _download(balance)


def test_verdict_and_message_are_live_regions_and_controls_have_names(balance):
    assert isinstance(balance.verdict, LiveRegion) and isinstance(balance.message, LiveRegion)
    assert balance.own_text.description == "Your own cue"
    assert balance.add_danger_button.description == "Add to danger side"
    assert balance.add_safety_button.description == "Add to safety side"
    assert all(box.description for box in balance.boxes.values())


def test_ticking_an_unknown_cue_is_an_error(balance):
    with pytest.raises(KeyError, match="no cue 'nope'"):
        balance.tick("nope")
