"""Ready kernels on a real course server: a quiet server keeps them only for the ways
in, and they follow the learners (``Readiness``); getting the room ready: the
facilitator's request over HTTP, then visitors served from the extra ready kernels, then
the room released.

A dedicated server with a room of at most 3 (``--CourseVoila.room_size=3``) and a
known key, so the test stays small on 2 cores. Its pages are not made once
(``--CourseVoila.prepared_pages=``), as on a server without the forking provisioner: every
lesson keeps Voila's ready kernels. The last tests run the course's own settings, where
lessons are made once (``widgets.server.prepared``) and keep none, but a room still
hands out the ready kernels it asked for.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request

import pytest

from tests.browser.conftest import VoilaServer
from widgets.logic.room import JOIN_PAGE, KEY_HEADER, ROUTE, pages_for

pytestmark = pytest.mark.browser

KEY = "room-key-for-the-test"
LESSON = "01-what-is-chronic-back-pain"


def room_server(folder, *flags: str) -> VoilaServer:
    """A course server with a room of at most 3 and the test's room key."""
    mp = pytest.MonkeyPatch()
    mp.setenv("COURSE_ROOM_KEY", KEY)
    try:
        return VoilaServer(
            folder / "voila.log",
            ["--CourseVoila.room_size=3", "--CourseVoila.room_minutes=60", *flags],
        )
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = room_server(tmp_path_factory.mktemp("voila-room"), "--CourseVoila.prepared_pages=")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def prepared_server(tmp_path_factory):
    srv = room_server(tmp_path_factory.mktemp("voila-room-prepared"))
    yield srv
    srv.stop()


def ask(server, method: str, body=None, key: str | None = KEY) -> tuple[int, dict | None]:
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers[KEY_HEADER] = key
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"{server.url}/{ROUTE}", data=data, method=method, headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, json.load(reply)
    except urllib.error.HTTPError as exc:
        text = exc.read()
        return exc.code, (json.loads(text) if text.startswith(b"{") else None)


def wait_until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.2)  # poll interval of the wait-for-condition


WAYS_IN = {"00-index.ipynb": 2, f"{LESSON}.ipynb": 1, "es/00-index.ipynb": 1}


def filled(log: str) -> dict[str, int]:
    """Voila's "Kernel pool of <page> is filled with <n> kernel(s)" lines, page -> n."""
    return {
        m[1]: int(m[2])
        for m in re.finditer(r"Kernel pool of (\S+) is filled with (\d+) kernel", log)
    }


def open_page(server, page: str) -> str:
    with urllib.request.urlopen(f"{server.url}/voila/render/{page}", timeout=60) as reply:
        return reply.read().decode()


def test_a_quiet_server_keeps_ready_kernels_only_for_the_ways_in(server):
    # (The first test on this server: nobody has opened a page yet.)
    wait_until(lambda: filled(server.log()) == WAYS_IN, 120, f"ready kernels for {WAYS_IN}")
    assert server.log().count("Kernel started") == sum(WAYS_IN.values())


def test_ready_kernels_follow_the_learners_to_the_next_lesson(server):
    # Someone opens lesson 05 in Spanish: it was not ready (a kernel started for them),
    # and now it and lesson 06 are, so the next learner there and this one moving on
    # both get a ready kernel.
    mark = len(server.log())
    assert "course-quiz" in open_page(server, "es/05-science-and-myths.ipynb")
    assert "Using pre-heated kernel" not in server.log()[mark:]
    wait_until(
        lambda: (
            {"es/05-science-and-myths.ipynb", "es/06-movement-and-pacing.ipynb"}
            <= filled(server.log()[mark:]).keys()
        ),
        120,
        "ready kernels for Spanish lessons 05 and 06",
    )
    mark = len(server.log())
    open_page(server, "es/06-movement-and-pacing.ipynb")
    assert "Using pre-heated kernel" in server.log()[mark:]
    assert "for es/06-movement-and-pacing.ipynb" in server.log()[mark:]
    # Lesson 06's pool is refilled, and lesson 07 readied for this learner's next move.
    wait_until(
        lambda: (
            {"es/06-movement-and-pacing.ipynb", "es/07-the-mind-body-loop.ipynb"}
            <= filled(server.log()[mark:]).keys()
        ),
        120,
        "ready kernels for Spanish lessons 06 (again) and 07",
    )


def test_without_the_key_nothing_is_prepared(server):
    assert ask(server, "GET", key=None)[0] == 403
    assert ask(server, "POST", {"pages": [JOIN_PAGE], "size": 3}, key="guess")[0] == 403
    assert ask(server, "DELETE", key="")[0] == 403
    assert ask(server, "GET") == (200, {"pages": {}, "minutes_left": None, "max_size": 3})


def test_requests_beyond_the_servers_limits_are_refused_in_words(server):
    assert ask(server, "POST", {"pages": [JOIN_PAGE], "size": 4}) == (
        400,
        {"error": "size: a whole number from 1 to 3"},
    )
    # The facilitator page is never pooled: each visit to it opens a workshop.
    assert ask(server, "POST", {"pages": ["workshop/facilitator.ipynb"], "size": 2}) == (
        400,
        {"error": "no such page: workshop/facilitator.ipynb"},
    )
    assert ask(server, "POST", {"pages": [JOIN_PAGE], "size": 2, "minutes": 61})[0] == 400


def room_of_three(server) -> dict:
    """A facilitator asks for a room of 3 for the lesson (and its join page); once all 3
    ready kernels of each page are there, the server's first answer."""
    status, reply = ask(server, "POST", {"pages": pages_for(LESSON), "size": 3})
    assert status == 200

    def ready():
        pages = ask(server, "GET")[1]["pages"]
        return all(v["ready"] == 3 for v in pages.values()) and pages

    wait_until(ready, 120, "3 ready kernels for each page")
    return reply


def three_open_the_lesson(server) -> int:
    """Three people open the lesson; where the server's log was before."""
    mark = len(server.log())
    for _ in range(3):
        assert "course-quiz" in open_page(server, f"{LESSON}.ipynb")
    assert server.log()[mark:].count("Using pre-heated kernel") == 3, server.log()[mark:]
    return mark


def test_the_room_is_prepared_used_and_released(server):
    reply = room_of_three(server)
    assert reply["minutes_left"] == 60
    assert {p: v["size"] for p, v in reply["pages"].items()} == {JOIN_PAGE: 3, f"{LESSON}.ipynb": 3}

    # Three people open the lesson: each gets one of the ready kernels, and the lesson's
    # pool is refilled only to its usual one kernel (the room needed 3, not 3 more).
    # (The next lesson gets its ready kernel too, as for any visit.)
    mark = three_open_the_lesson(server)
    wait_until(
        lambda: (
            ask(server, "GET")[1]["pages"][f"{LESSON}.ipynb"]
            == {"ready": 1, "opened": 3, "size": 3}
        ),
        60,
        "the lesson's pool refilled with one kernel",
    )
    wait_until(
        lambda: "02-why-pain-persists.ipynb" in filled(server.log()[mark:]),
        60,
        "the next lesson's ready kernel",
    )
    assert server.log()[mark:].count("Kernel started") == 2

    # Released: the join page goes back to no ready kernel (nobody opened it), its 3 are
    # shut; the lesson keeps its usual one.
    mark = len(server.log())
    assert ask(server, "DELETE") == (200, {"pages": {}, "minutes_left": None, "max_size": 3})
    wait_until(
        lambda: server.log()[mark:].count("Kernel shutdown") >= 3,
        60,
        "the join page's 3 ready kernels shut down",
    )
    assert server.log()[mark:].count("Kernel shutdown") == 3


def test_lessons_made_once_keep_no_ready_kernels(prepared_server):
    # The ways in are lessons and landing pages: made once, so a quiet server starts none.
    assert prepared_server.log().count("Kernel started") == 0
    first = open_page(prepared_server, f"{LESSON}.ipynb")
    second = open_page(prepared_server, f"{LESSON}.ipynb")
    # Two kernels, one for each visitor (Voila would have started 4 ready kernels for the
    # ways in by now); the second page is the first with its own kernel.
    assert prepared_server.log().count("Kernel started") == 2
    ids = [re.search(r'"kernelId": "([0-9a-f-]{36})"', p)[1] for p in (first, second)]
    # ... and says its kernel holds just its widgets (widgets.server.prepared.Made.held).
    held = '<script id="course-widget-state" data-course-held'
    assert held in second and held not in first
    unmarked = second.replace(" data-course-held", "", 1)
    assert ids[0] != ids[1] and first.replace(ids[0], ids[1]) == unmarked
    assert all(prepared_server.kernel_alive(i) for i in ids)
    assert "Kernel pool of" not in prepared_server.log()  # nor for the next lesson


def test_a_room_still_hands_out_its_ready_kernels_for_a_lesson_made_once(prepared_server):
    room_of_three(prepared_server)
    three_open_the_lesson(prepared_server)  # each gets one of the room's ready kernels
    assert ask(prepared_server, "DELETE")[0] == 200
