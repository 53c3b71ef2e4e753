"""Loaded content cannot be changed by accident: it is shared by every caller in a process.

Each loader's result is tried: setting a field, appending to or replacing an item of a
list, setting or deleting a key. Every try must fail, and the content must be unchanged.
"""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from widgets.content import load_content, load_table
from widgets.content._frozen import FrozenMap
from widgets.content.cues import load_cues
from widgets.content.myths import load_myths
from widgets.content.poll import load_poll_items
from widgets.content.red_flags import load_red_flags
from widgets.content.workshop import load_plans

CHANGES = (AttributeError, TypeError, dataclasses.FrozenInstanceError)


def _tries(name, value):
    """Ways a caller might change ``value``, each a (label, function) pair."""
    yield f"{name}.append", lambda: value.append(None)
    yield f"{name}[0] =", lambda: value.__setitem__(0, None)
    yield f"{name}['x'] =", lambda: value.__setitem__("x", None)
    yield f"del {name}[first]", lambda: value.__delitem__(next(iter(value)))
    yield f"{name}.clear", lambda: value.clear()
    yield f"{name}.update", lambda: value.update({})


def _containers():
    content = load_content()
    question = next(iter(content.questions.values()))
    rules = load_red_flags()
    plan = next(iter(load_plans().values()))
    yield "course.lessons", content.course.lessons
    yield "references", content.references
    yield "questions", content.questions
    yield "question.options", question.options
    yield "question.references", question.references
    yield "red_flags.flags", rules.flags
    yield "red_flags.advice", rules.advice
    yield "red_flags.flags[0].sources", rules.flags[0].sources
    yield "plans", load_plans()
    yield "plan.parts", plan.parts
    yield "plan.parts[0].lessons", plan.parts[0].lessons
    yield "myths[0].references", load_myths()[0].references
    yield "poll_items[0].references", load_poll_items()[0].references
    yield "cues", load_cues()
    yield "natural_course rows", load_table("natural_course")
    yield "natural_course row", load_table("natural_course")[0]


@pytest.mark.parametrize(
    "name, value", list(_containers()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_no_list_or_mapping_in_loaded_content_can_be_changed(name, value):
    before = pickle.dumps(value)
    for label, change in _tries(name, value):
        try:
            change()
        except CHANGES:
            continue
        pytest.fail(f"{label} changed loaded content")
    assert pickle.dumps(value) == before


def test_no_field_of_a_content_item_can_be_set():
    content = load_content()
    lesson = content.course.lessons[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        lesson.title = "changed"
    with pytest.raises(dataclasses.FrozenInstanceError):
        content.references = {}
    with pytest.raises(AttributeError):
        content.references._data = {}


def test_frozen_maps_keep_order_compare_as_mappings_and_pickle():
    frozen = FrozenMap({"b": (1, 2), "a": 3})
    assert list(frozen) == ["b", "a"] and frozen == {"b": (1, 2), "a": 3}
    assert pickle.loads(pickle.dumps(frozen)) == frozen
