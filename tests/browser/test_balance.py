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
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bench import quiz_client
from tests.browser.conftest import _free_port, wait_for_lesson
from tests.conftest import REPO
from widgets.content import load_content
from widgets.logic import room as room_rules

pytestmark = pytest.mark.browser

LESSON = "01-what-is-chronic-back-pain"
KEY = "test-room-key-balance"


def _haproxy() -> str | None:
    return shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None
    )


class Balanced:
    """``python -m widgets.server.balance --workers 2``: its address and its servers'."""

    def __init__(self, log_path: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = log_path.open("w")
        env = {**os.environ, room_rules.KEY_ENV: KEY}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "widgets.server.balance", "--workers=2", f"--port={self.port}"],
            cwd=REPO,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.servers = self._wait_ready()

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text()

    def _wait_ready(self, timeout: float = 120) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the balanced course exited early:\n{self.log()}")
            found = re.search(r"behind HAProxy: (.+)\)", self.log())
            if found:
                try:
                    with urllib.request.urlopen(self.url + "/voila/static/voila.js", timeout=2):
                        return found.group(1).split()
                except OSError:
                    pass
            time.sleep(0.1)
        raise RuntimeError(f"the balanced course did not start:\n{self.log()}")

    def holder(self, kernel_id: str) -> str | None:
        """The server that holds a kernel (asked directly, not through the balancer)."""
        for server in self.servers:
            try:
                with urllib.request.urlopen(f"{server}/api/kernels/{kernel_id}", timeout=5):
                    return server
            except urllib.error.HTTPError as exc:
                if exc.code != 404:
                    raise
        return None

    def room(self, method: str, body: dict | None = None, server: str | None = None) -> dict:
        headers = {room_rules.KEY_HEADER: KEY}
        if server:  # one server alone: not passed on to the others
            headers["X-Course-Room-Forwarded"] = "1"
        request = urllib.request.Request(
            (server or self.url) + "/" + room_rules.ROUTE.lstrip("/"),
            data=None if body is None else json.dumps(body).encode(),
            headers=headers,
            method=method,
        )
        with urllib.request.urlopen(request, timeout=30) as reply:
            return json.load(reply)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self._log.close()


@pytest.fixture(scope="module")
def balanced(tmp_path_factory):
    if _haproxy() is None:
        if os.environ.get("CI"):
            pytest.fail("HAProxy is missing in CI (.ci/ensure-haproxy installs it)")
        pytest.skip("HAProxy is not installed (apt-get install haproxy)")
    course = Balanced(tmp_path_factory.mktemp("balance") / "balance.log")
    yield course
    course.stop()


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
    card = pg.locator(".course-quiz__card").first
    card.get_by_role("radio", name="When it has lasted more than 3 months").check()
    card.get_by_role("button", name="Check answer").click()
    expect(card.get_by_role("status")).to_contain_text("Right.")
    kernel_id = json.loads(pg.locator("#jupyter-config-data").text_content())["kernelId"]
    holder = balanced.holder(kernel_id)
    cookie = {c["name"]: c["value"] for c in context.cookies()}["course-server"]
    assert holder == balanced.servers[int(cookie[1:]) - 1]
    pg.close()
    wait_until(lambda: balanced.holder(kernel_id) is None, 60, "the closed tab's kernel to go")
    context.close()


def test_a_room_asked_of_the_balancer_is_ready_on_both_servers(balanced):
    pages = room_rules.pages_for(LESSON)
    asked = balanced.room("POST", {"pages": pages, "size": 6})
    assert sorted(asked["pages"]) == sorted(pages)
    assert {p["size"] for p in asked["pages"].values()} == {6}
    share = room_rules.room_share(6, 2)
    for server in balanced.servers:
        wait_until(
            lambda server=server: all(
                p["ready"] >= share for p in balanced.room("GET", server=server)["pages"].values()
            ),
            120,
            f"{server} to have its share of the room ready",
        )
    whole = balanced.room("GET")
    assert room_rules.is_ready(whole)
    assert all(p["ready"] == 2 * share for p in whole["pages"].values())
    released = balanced.room("DELETE")
    assert released["pages"] == {}
    for server in balanced.servers:
        assert balanced.room("GET", server=server)["pages"] == {}
