"""The facilitator's "Get the room ready" panel (notebooks/workshop/facilitator.ipynb).

Before saying "everyone open lesson 3 now", the facilitator picks the lesson and
how many people are in the room. The course server then prepares that many ready
kernels for the join page and the lesson (``widgets.server``, ``/course/room``), so
nobody waits while 30 kernels start at once. It lasts until the facilitator
releases the room, or two hours.

The request goes from this page's kernel to the server over the machine's own
network, with a key the server gives only to kernels (a visitor's page cannot
run code, so cannot read it). Driven from code as from the page::

    panel = RoomReady(client=fake)
    panel.lesson_picker.value = "03-sensitisation"
    panel.size_input.value = 25
    panel.ready_button.click()
"""

from __future__ import annotations

import html
import json
import os
import urllib.error
import urllib.request
from typing import Any, Protocol

import ipywidgets as ipw

from ._live import LiveRegion
from ._poller import Poller
from ._safe import friendly
from ._view import View
from .content import load_content
from .i18n import N_, _, current
from .logic.room import (
    HOST_ENV,
    KEY_ENV,
    KEY_HEADER,
    ROUTE,
    SIZE_ENV,
    cost_line,
    is_ready,
    pages_for,
    status_line,
)
from .logic.text import plain_text as _plain

DEFAULT_SIZE = 12  # a typical group; the facilitator can change it
MAX_SIZE = 30  # the server's own limit (--CourseVoila.room_size) when it does not say
WATCH_SECONDS = 2.0
WATCH_FOR = 180.0  # stop watching the room fill after three minutes


class RoomClient(Protocol):
    def send(self, method: str, body: dict | None = None) -> dict: ...


class ServerUnavailable(Exception):
    """Not served by the course server (JupyterLab), or the server did not answer."""


class HttpRoomClient:
    """Talks to the course server that started this kernel (its address and key are in
    the kernel's environment: ``COURSE_ROOM_HOST``, ``VOILA_APP_PORT``,
    ``VOILA_SERVER_URL``, ``COURSE_ROOM_KEY``)."""

    def __init__(self, environ: dict[str, str] | None = None):
        env = os.environ if environ is None else environ
        self.key = env.get(KEY_ENV, "")
        port = env.get("VOILA_APP_PORT", "")
        base = env.get("VOILA_SERVER_URL", "/")
        host = env.get(HOST_ENV) or "127.0.0.1"
        host = f"[{host}]" if ":" in host else host
        self.url = f"http://{host}:{port}{base.rstrip('/')}/{ROUTE}" if port else ""

    def send(self, method: str, body: dict | None = None) -> dict:
        if not (self.key and self.url):
            raise ServerUnavailable
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url,
            data=data,
            method=method,
            headers={KEY_HEADER: self.key, "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                return json.load(reply)
        except urllib.error.HTTPError as exc:
            try:
                return {"error": json.load(exc)["error"]}
            except (ValueError, KeyError, TypeError):
                raise ServerUnavailable from exc
        except (urllib.error.URLError, OSError) as exc:
            raise ServerUnavailable from exc


# Translators: "make app" and "make workshop" are commands: keep them as they are.
NOT_SERVED = N_(
    "Getting the room ready works on the served course (make app or make workshop), "
    "not in JupyterLab. Everything else on this page works as usual."
)


class RoomReady(View):
    """Pick the lesson and the number of people; the server gets their pages ready."""

    def __init__(
        self,
        client: RoomClient | None = None,
        max_size: int | None = None,
        watch_seconds: float = WATCH_SECONDS,
    ):
        super().__init__()
        self._titles: dict[str, str] = {}
        self.watch_seconds = watch_seconds
        self.add_class("course-poll")
        self.add_class("course-room")
        self.client = client if client is not None else HttpRoomClient()
        if max_size is None:
            max_size = int(os.environ.get(SIZE_ENV) or MAX_SIZE)
        lessons = [lesson for lesson in load_content().course.lessons if lesson.ready]
        self._titles = {lesson.id: lesson.title for lesson in lessons}
        self.lesson_picker = ipw.Dropdown(
            options=[(f"{n}. {lesson.title}", lesson.id) for n, lesson in enumerate(lessons, 1)],
            description=_("Lesson you will teach"),
            style={"description_width": "initial"},
        )
        self.size_input = ipw.BoundedIntText(
            value=min(DEFAULT_SIZE, max_size),
            min=1,
            max=max_size,
            description=_("People in the room"),
            style={"description_width": "initial"},
        )
        self.cost = ipw.HTML("")
        self.cost.add_class("course-room__cost")
        self.size_input.observe(self._on_size, names="value")
        self._on_size()
        self.ready_button = ipw.Button(
            # Translators: a button: the server prepares pages for everyone in the room.
            description=_("Get the room ready"),
            button_style="primary",
        )
        # Translators: a button: ask the server again how far it got.
        self.check_button = ipw.Button(description=_("Check again"))
        # Translators: a button: the server stops keeping the room's pages ready.
        self.release_button = ipw.Button(description=_("Release the room"))
        self.message = LiveRegion()
        self.ready_button.on_click(self._on_ready)
        self.check_button.on_click(self._on_check)
        self.release_button.on_click(self._on_release)
        buttons = ipw.HBox([self.ready_button, self.check_button, self.release_button])
        buttons.add_class("course-poll__buttons")
        self.children = [self.lesson_picker, self.size_input, self.cost, buttons, self.message]
        self._watcher = Poller("room-ready")

    @property
    def message_text(self) -> str:
        return _plain(self.message.value)

    @property
    def cost_text(self) -> str:
        return _plain(self.cost.value)

    @friendly
    def _on_size(self, _change=None) -> None:
        self.cost.value = f"<p>{html.escape(cost_line(int(self.size_input.value)))}</p>"

    def show_error(self, message: str) -> None:
        self.message.value = f'<p class="course-poll__error">{html.escape(message)}</p>'

    def _show(self, reply: dict[str, Any]) -> bool:
        """Show the server's reply; True when the room is ready (or nothing is asked)."""
        if "error" in reply:
            # Translators: {error} is the server's reason (it may stay in English).
            self.show_error(
                _("The server did not get the room ready: {error}").format(error=reply["error"])
            )
            return True
        line = status_line(reply, self._titles)
        self.message.value = f'<p class="course-room__status">{html.escape(line)}</p>'
        return is_ready(reply)

    def _ask(self, method: str, body: dict | None = None) -> bool:
        try:
            return self._show(self.client.send(method, body))
        except ServerUnavailable:
            self.show_error(_(NOT_SERVED))
            return True

    @friendly
    def _on_ready(self, _button=None) -> None:
        body = {
            "pages": pages_for(self.lesson_picker.value, current()),
            "size": int(self.size_input.value),
        }
        if not self._ask("POST", body):
            self.watch(self.watch_seconds)

    @friendly
    def _on_check(self, _button=None) -> None:
        self._ask("GET")

    @friendly
    def _on_release(self, _button=None) -> None:
        self.stop_watching()
        self._ask("DELETE")

    def watch(self, interval: float = WATCH_SECONDS, for_seconds: float = WATCH_FOR) -> None:
        """Ask how far the server got every ``interval`` s until ready (background thread)."""

        def failed(_exc: Exception) -> bool:
            # Translators: "Check again" is the button's name.
            self.show_error(
                _("The server could not be asked just now. Press Check again in a moment.")
            )
            return True

        self._watcher.start(lambda: self._ask("GET"), interval, for_seconds, failed)

    def stop_watching(self) -> None:
        self._watcher.stop()

    def close(self) -> None:
        self.stop_watching()
        super().close()
