"""The facilitator's "Get the room ready" panel, driven from code with a fake server."""

from __future__ import annotations

import threading

import pytest

from widgets.logic.room import JOIN_PAGE
from widgets.room import NOT_SERVED, HttpRoomClient, RoomReady, ServerUnavailable

LESSON = "03-sensitisation"


class FakeServer:
    """Answers like the course server: each status check finds ``step`` more ready."""

    def __init__(self, step: int = 30, error: str | None = None):
        self.step, self.error, self.sent, self.pages = step, error, [], {}
        self.checked = threading.Event()

    def send(self, method, body=None):
        self.sent.append((method, body))
        if self.error:
            return {"error": self.error}
        if method == "POST":
            self.pages = {p: {"ready": 0, "size": body["size"]} for p in body["pages"]}
        elif method == "DELETE":
            self.pages = {}
        else:
            for p in self.pages.values():
                p["ready"] = min(p["size"], p["ready"] + self.step)
            self.checked.set()
        return {"pages": self.pages, "minutes_left": 120 if self.pages else None}


@pytest.fixture
def panel():
    views = []

    def make(server, **kw):
        views.append(RoomReady(client=server, watch_seconds=0.01, **kw))
        return views[-1]

    yield make
    for view in views:
        view.close()


def test_the_panel_asks_for_the_join_page_and_the_chosen_lesson(panel):
    server = FakeServer()
    view = panel(server)
    view.lesson_picker.value = LESSON
    view.size_input.value = 25
    view.ready_button.click()
    assert server.sent[0] == ("POST", {"pages": [JOIN_PAGE, f"{LESSON}.ipynb"], "size": 25})
    assert (
        "Getting the room ready (the join page: 0 of 25; A sensitive alarm system: 0 of 25)"
        in view.message_text
    )
    assert server.checked.wait(10)  # the panel keeps asking until the room is ready
    view.stop_watching()
    assert view.message_text.startswith("The room is ready (the join page: 25 of 25;")


def test_only_ready_lessons_are_offered_and_the_size_stays_within_the_servers_limit(panel):
    view = panel(FakeServer(), max_size=12)
    ids = [value for _label, value in view.lesson_picker.options]
    assert LESSON in ids and "00-index" not in ids
    assert view.lesson_picker.options[0][0].startswith("1. ")
    assert (view.size_input.value, view.size_input.max) == (12, 12)


def test_a_typical_group_is_the_default_and_the_cost_is_said_plainly(panel):
    view = panel(FakeServer())
    assert view.size_input.value == 12 and view.size_input.max == 30
    assert view.cost_text.startswith("For 12 people, the server keeps 24 pages ready: about 1.4 GB")
    view.size_input.value = 20
    assert view.cost_text.startswith("For 20 people")
    view.lesson_picker.value = LESSON
    view.ready_button.click()
    view.stop_watching()
    # The facilitator reads the lesson's title, never a file name or "kernels".
    assert "A sensitive alarm system: 0 of 20" in view.message_text
    for text in (view.message_text, view.cost_text):
        assert "kernel" not in text and ".ipynb" not in text


def test_release_puts_the_pages_back(panel):
    server = FakeServer()
    view = panel(server)
    view.ready_button.click()
    view.release_button.click()
    assert server.sent[-1] == ("DELETE", None)
    assert view.message_text.startswith("No room is being prepared")


def test_a_refusal_from_the_server_is_said_in_plain_words(panel):
    view = panel(FakeServer(error="size: a whole number from 1 to 30"))
    view.ready_button.click()
    assert view.message_text == (
        "The server did not get the room ready: size: a whole number from 1 to 30"
    )


def test_in_jupyterlab_the_panel_says_it_works_on_the_served_course(panel):
    view = panel(HttpRoomClient(environ={}))
    view.ready_button.click()
    assert view.message_text == NOT_SERVED
    with pytest.raises(ServerUnavailable):
        HttpRoomClient(environ={}).send("GET")


def test_the_client_finds_the_server_that_started_its_kernel():
    client = HttpRoomClient(
        environ={"COURSE_ROOM_KEY": "k", "VOILA_APP_PORT": "8866", "VOILA_SERVER_URL": "/course/"}
    )
    assert client.url == "http://127.0.0.1:8866/course/course/room"
    assert client.key == "k"


def test_the_client_reaches_a_server_that_listens_on_one_address_only():
    client = HttpRoomClient(
        environ={
            "COURSE_ROOM_KEY": "k",
            "VOILA_APP_PORT": "8866",
            "COURSE_ROOM_HOST": "192.168.1.20",
        }
    )
    assert client.url == "http://192.168.1.20:8866/course/room"
    ipv6 = HttpRoomClient(
        environ={"COURSE_ROOM_KEY": "k", "VOILA_APP_PORT": "8866", "COURSE_ROOM_HOST": "fd00::2"}
    )
    assert ipv6.url == "http://[fd00::2]:8866/course/room"
