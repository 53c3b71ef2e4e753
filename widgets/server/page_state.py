"""The state of a page's widgets, written into the page itself (issue 20).

Without it, the page's front end can draw nothing until the kernel's websocket is open,
the kernel has answered, and it has asked the kernel for every widget's state and had the
answer: on the next lesson, about a third of the time before the page can be used. But
the server already saw every widget's state while it ran the lesson: jupyter's notebook
runner (nbclient, which Voila's executor is) records it from the kernel's messages to
save it with a notebook (``store_widget_state``). ``widget_state`` reads that record when
the page's last cell has run, and the template writes it into the page in the standard
form (``application/vnd.jupyter.widget-state+json``, as a saved notebook holds it). The
front end draws from it at once, then asks the kernel for the states once connected and
applies only what changed in the kernel meanwhile (frontend/src/main.js).

Only the widgets the page shows go in: the shown ones and every widget their state names
(children, layout, style), not helpers the lesson made and closed. If one of those is
missing from the record (made by a thread after its cell had run, say), nothing goes in,
and the front end asks the kernel as before. The record does not see a widget closed
(nbclient ignores comm_close): the front end's catch-up closes, in the page, a widget the
kernel no longer has.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MODEL_PREFIX = "IPY_MODEL_"

log = logging.getLogger(__name__)


def shown_models(cells: Iterable[Mapping]) -> list[str]:
    """The model id of every widget view in the cells' outputs, in page order (pure)."""
    found = []
    for cell in cells:
        for output in cell.get("outputs") or []:
            view = (output.get("data") or {}).get(WIDGET_VIEW)
            if isinstance(view, Mapping) and view.get("model_id"):
                found.append(view["model_id"])
    return found


def named_models(value: Any) -> list[str]:
    """The model ids a state names ("IPY_MODEL_<id>"), at any depth (pure)."""
    if isinstance(value, str):
        return [value[len(MODEL_PREFIX) :]] if value.startswith(MODEL_PREFIX) else []
    if isinstance(value, Mapping):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return [found for item in value for found in named_models(item)]
    return []


def page_state(
    states: Mapping[str, Mapping], buffers: Mapping[str, Mapping], cells: Iterable[Mapping]
) -> dict:
    """The widget-state document for the widgets the cells show (pure).

    ``states`` and ``buffers`` are nbclient's record (``widget_state``: model id -> the
    model's traits; ``widget_buffers``: model id -> {path: {path, data, encoding}}).
    Empty when the page shows no widget, or a widget it needs is missing from the record
    or was only seen in part."""
    shown = shown_models(cells)
    if not shown:
        return {}
    wanted: list[str] = []
    todo = list(reversed(shown))
    while todo:
        model_id = todo.pop()
        if model_id not in states:
            return {}  # a widget a shown one names (a child, its layout) was never seen
        if model_id in wanted:
            continue
        wanted.append(model_id)
        todo.extend(reversed(named_models(states[model_id])))
    out = {}
    for model_id in wanted:
        traits = states[model_id]
        if "_model_name" not in traits:
            return {}  # only updates were seen, never the whole state
        entry = {
            "model_name": traits["_model_name"],
            "model_module": traits.get("_model_module"),
            "model_module_version": traits.get("_model_module_version"),
            "state": dict(traits),
        }
        if buffers.get(model_id):
            entry["buffers"] = [dict(b) for b in buffers[model_id].values()]
        out[model_id] = entry
    return {"version_major": 2, "version_minor": 0, "state": out}


def widget_state(cell_generator) -> dict:
    """The page template's filter (``cell_generator | course_widget_state``), once every
    cell has run: the state of the widgets the page shows, or {} (the front end then asks
    the kernel). It never fails a page."""
    from widgets.server import voila_internals

    try:
        client = voila_internals.page_client(cell_generator)
        if client is None or not client.store_widget_state:
            return {}
        return page_state(client.widget_state, client.widget_buffers, client.nb.cells)
    except Exception:  # a page without the record still works: its front end asks the kernel
        log.exception("The page's widget state could not be read; the page asks its kernel")
        return {}
