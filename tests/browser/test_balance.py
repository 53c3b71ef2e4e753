"""Two course servers behind HAProxy (``make app WORKERS=2``), driven for real.

A crowd through the balancer finishes a quiz with no error and is spread over both
servers; each visitor's requests stay on the server that holds their kernel (HAProxy's
cookie), so widgets are live in a browser and a closed tab shuts its kernel down; a
workshop's room asked of one server is prepared on both, and released on both.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import re
import shutil
import time
import urllib.request
from pathlib import Path

import pytest

from bench import quiz_client, servers
from tests.browser.conftest import answer_lesson_01_first_question, wait_for_lesson
from widgets.content import load_content
from widgets.logic import room as room_rules

pytestmark = pytest.mark.browser

LESSON = "01-what-is-chronic-back-pain"


def _haproxy() -> str | None:
    return shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None
    )


def room(server, method: str, body: dict | None = None, at: str | None = None) -> dict:
    """The room's API, through the balancer or (``at``) one course server alone."""
    headers = {room_rules.KEY_HEADER: server.env[room_rules.KEY_ENV]}
    if at:  # one server alone: not passed on to the others
        headers[room_rules.FORWARDED_HEADER] = "1"
    request = urllib.request.Request(
        (at or server.url) + "/" + room_rules.ROUTE.lstrip("/"),
        data=None if body is None else json.dumps(body).encode(),
        headers=headers,
        method=method,
    )
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.load(reply)


@pytest.fixture(scope="module")
def balanced(tmp_path_factory):
    """``python -m widgets.server.balance --workers 2``, driven as the bench drives it."""
    if _haproxy() is None:
        if os.environ.get("CI"):
            pytest.fail("HAProxy is missing in CI (.ci/ensure-haproxy installs it)")
        pytest.skip("HAProxy is not installed (apt-get install haproxy)")
    server = servers.make_balanced_server(tmp_path_factory.mktemp("balance"), 2, [])
    server.start()
    assert len(server.workers()) == 2, server.log()
    yield server
    server.stop()


def wait_until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_crowd_through_the_balancer_finishes_on_both_servers(balanced):
    questions = load_content().questions_for(LESSON)
    visitors = 12
    log_start = len(balanced.log())
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        visits = pool.submit(
            asyncio.run,
            quiz_client.crowd_finishes_quiz(
                balanced.url, LESSON, visitors, questions, timeout=300, wrong=lambda i: 0
            ),
        ).result()
    errors = [v.error for v in visits if not v.ok]
    assert errors == [], f"{len(errors)} of {visitors} visitors failed: {errors[:3]}"
    total = len(questions)
    assert [v.score for v in visits] == [(total, total, total)] * visitors
    # HAProxy's cookie named each visitor's server; the crowd went to both, evenly.
    servers = [v.cookies.get("course-server") for v in visits]
    assert sorted(set(servers)) == ["w1", "w2"] and servers.count("w1") == visitors // 2
    # Each closed its tab through the balancer: the shutdown reached the kernel's server.
    assert [v.shutdown_status for v in visits] == [204] * visitors
    wait_until(
        lambda: all(balanced.holder(v.kernel_id) is None for v in visits),
        60,
        "every kernel to be gone from both servers",
    )
    assert " ERROR " not in balanced.log()[log_start:] and "[ALERT]" not in balanced.log()


def test_a_page_through_the_balancer_is_live_and_a_closed_tab_ends_its_kernel(browser, balanced):
    context = browser.new_context()
    pg = context.new_page()
    pg.goto(balanced.url + f"/voila/render/{LESSON}.ipynb")
    wait_for_lesson(pg)
    answer_lesson_01_first_question(pg)
    kernel_id = json.loads(pg.locator("#jupyter-config-data").text_content())["kernelId"]
    holder = balanced.holder(kernel_id)
    cookie = {c["name"]: c["value"] for c in context.cookies()}["course-server"]
    assert holder == balanced.workers()[int(cookie[1:]) - 1]
    pg.close()
    wait_until(lambda: balanced.holder(kernel_id) is None, 60, "the closed tab's kernel to go")
    context.close()


def test_a_room_asked_of_the_balancer_is_ready_on_both_servers(balanced):
    pages = room_rules.pages_for(LESSON)
    asked = room(balanced, "POST", {"pages": pages, "size": 6})
    assert sorted(asked["pages"]) == sorted(pages)
    assert {p["size"] for p in asked["pages"].values()} == {6}
    share = room_rules.room_share(6, 2)
    for server in balanced.workers():
        wait_until(
            lambda server=server: all(
                p["ready"] >= share for p in room(balanced, "GET", at=server)["pages"].values()
            ),
            120,
            f"{server} to have its share of the room ready",
        )
    whole = room(balanced, "GET")
    assert room_rules.is_ready(whole)
    assert all(p["ready"] == 2 * share for p in whole["pages"].values())
    released = room(balanced, "DELETE")
    assert released["pages"] == {}
    for server in balanced.workers():
        assert room(balanced, "GET", at=server)["pages"] == {}


def test_both_servers_name_the_same_front_end_and_it_stays_cached_through_the_balancer(balanced):
    """One install, one address for the course's front end on every server (a visitor's
    cache serves them all), sent through HAProxy gzip-compressed and kept."""
    found = set()
    for _ in range(4):  # round robin: both servers render a page
        with urllib.request.urlopen(balanced.url + f"/voila/render/{LESSON}.ipynb") as reply:
            body = reply.read().decode()
        found |= set(
            re.findall(r'"(/voila/templates/course/static/course-widgets\.js\?v=[0-9a-f]+)"', body)
        )
    assert len(found) == 1, found
    request = urllib.request.Request(
        balanced.url + found.pop(), headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request) as reply:
        assert reply.headers["Cache-Control"] == "max-age=315360000"
        assert reply.headers["Content-Encoding"] == "gzip"
