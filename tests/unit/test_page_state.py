"""The widgets' state written into a page (widgets.server.page_state): only what the page
shows, in the standard widget-state form, or nothing when a shown widget is missing."""

from __future__ import annotations

from types import SimpleNamespace

from widgets.server import page_state
from widgets.server.page_state import named_models, shown_models
from widgets.server.page_state import page_state as state_of

VIEW = "application/vnd.jupyter.widget-view+json"


def model(name: str, **traits) -> dict:
    return {
        "_model_name": name,
        "_model_module": "@jupyter-widgets/controls",
        "_model_module_version": "2.0.0",
        **traits,
    }


def shown(*model_ids: str) -> list[dict]:
    return [
        {"cell_type": "code", "outputs": [{"data": {VIEW: {"model_id": m}}} for m in model_ids]},
        {"cell_type": "markdown"},
        {"cell_type": "code", "outputs": [{"output_type": "stream", "text": "hello"}]},
    ]


STATES = {
    "box": model(
        "VBoxModel", children=["IPY_MODEL_button", "IPY_MODEL_text"], layout="IPY_MODEL_l1"
    ),
    "button": model("ButtonModel", layout="IPY_MODEL_l2", description="Check answer"),
    "text": model("HTMLModel", value="<p>Hello</p>"),
    "l1": model("LayoutModel"),
    "l2": model("LayoutModel"),
    "closed": model("ButtonModel", description="made and closed by the lesson"),
}


def test_shown_models_are_the_widget_views_in_page_order():
    assert shown_models(shown("b", "a")) == ["b", "a"]
    assert shown_models([{"cell_type": "markdown"}]) == []


def test_named_models_are_found_at_any_depth():
    assert named_models({"a": ["IPY_MODEL_x", {"b": "IPY_MODEL_y"}], "c": "text"}) == ["x", "y"]
    assert named_models("IPY_MODEL_") == [""]
    assert named_models(3) == []


def test_the_state_holds_what_the_page_shows_and_what_that_names_and_nothing_else():
    doc = state_of(STATES, {}, shown("box"))
    assert doc["version_major"] == 2
    assert set(doc["state"]) == {"box", "button", "text", "l1", "l2"}  # not "closed"
    button = doc["state"]["button"]
    assert button["model_name"] == "ButtonModel"
    assert button["model_module"] == "@jupyter-widgets/controls"
    assert button["model_module_version"] == "2.0.0"
    assert button["state"]["description"] == "Check answer"


def test_binary_parts_go_with_their_model():
    part = {"path": ["value"], "data": "aGk=", "encoding": "base64"}
    doc = state_of(STATES, {"text": {("value",): part}}, shown("box"))
    assert doc["state"]["text"]["buffers"] == [part]
    assert "buffers" not in doc["state"]["button"]


def test_nothing_is_written_when_a_shown_widget_or_a_whole_state_is_missing():
    """Then the page's front end asks the kernel, as without this."""
    assert state_of(STATES, {}, shown("box", "gone")) == {}
    without_layout = {k: v for k, v in STATES.items() if k != "l2"}  # named by "button"
    assert state_of(without_layout, {}, shown("box")) == {}
    assert state_of(without_layout, {}, shown("text"))["state"].keys() == {"text"}
    assert state_of({**STATES, "l2": {"width": "10px"}}, {}, shown("box")) == {}
    assert state_of(STATES, {}, [{"cell_type": "markdown"}]) == {}


def test_the_template_filter_reads_the_runner_that_ran_the_page():
    client = SimpleNamespace(
        store_widget_state=True,
        widget_state=STATES,
        widget_buffers={},
        nb=SimpleNamespace(cells=shown("text")),
    )
    renderer = SimpleNamespace(executor=client)

    class Renderer:
        def cell_generator(self):
            pass

    bound = Renderer().cell_generator
    bound.__self__.executor = client  # the page's renderer, as Voila binds cell_generator
    assert set(page_state.widget_state(bound)["state"]) == {"text"}
    client.store_widget_state = False
    assert page_state.widget_state(bound) == {}
    assert page_state.widget_state(renderer) == {}  # not a bound method: nothing, no error


def test_the_template_filter_never_fails_a_page(caplog):
    class Broken:
        def cell_generator(self):
            pass

        @property
        def executor(self):
            raise RuntimeError("boom")

    assert page_state.widget_state(Broken().cell_generator) == {}
    assert "asks its kernel" in caplog.text
