"""Voila served for real on a free port, and headless Chromium driven by Playwright.

The server is the course's own launcher (``python -m widgets.server``), so the
tests see exactly what ``make app`` serves. Chromium is Debian's package; when it
is missing the browser tests skip on a developer's machine but fail in CI
(``CI`` set), so they can never pass by not running.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import REPO

CHROMIUM = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO / "artifacts"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http_get(url: str, follow: bool = False) -> tuple[int, str, str]:
    """(status, body, Location) of a GET, without following a redirect unless asked."""
    opener = urllib.request.build_opener(*([] if follow else [_NoRedirect]))
    try:
        with opener.open(url, timeout=60) as r:
            return r.status, r.read().decode(), r.headers.get("Location", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace"), exc.headers.get("Location", "")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_env() -> dict[str, str]:
    """The tests' server offers every language with pages, shipped or not, so a
    translation's pages are tested before it ships (tests/browser/test_languages.py)."""
    from widgets.i18n import catalogs

    return {**os.environ, catalogs.OFFER_ENV: ",".join(catalogs.languages())}


class VoilaServer:
    def __init__(
        self, log_path: Path, extra_args: list[str] | None = None, port: int | None = None
    ):
        self.port = port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = log_path.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "widgets.server",
                f"--port={self.port}",
                "--Voila.port_retries=0",
                "--no-browser",
                *(extra_args or []),
            ],
            cwd=REPO,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=_server_env(),
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Voila exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/voila/static/voila.js", timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        raise RuntimeError(f"Voila did not start within {timeout} s:\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text()

    def kernel_alive(self, kernel_id: str) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/api/kernels/{kernel_id}", timeout=5) as r:
                return json.load(r)["id"] == kernel_id
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return False
            raise

    def still_alive(self, kernel_ids: list[str], timeout: float) -> list[str]:
        """Wait up to ``timeout`` s for these kernels to be gone; those still alive."""
        deadline = time.monotonic() + timeout
        alive = list(kernel_ids)
        while True:
            alive = [k for k in alive if self.kernel_alive(k)]
            if not alive or time.monotonic() >= deadline:
                return alive
            time.sleep(0.1)  # poll interval of the wait-for-condition

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self._log.close()


@pytest.fixture(scope="session")
def voila(tmp_path_factory) -> VoilaServer:
    server = VoilaServer(tmp_path_factory.mktemp("voila") / "voila.log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        message = f"Chromium not found at {CHROMIUM}; install Debian's 'chromium' package"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class RecordedPage:
    """A Playwright page that remembers every request it made."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.requests: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))

    def off_server(self) -> list[str]:
        return [
            u
            for u in self.requests
            if not u.startswith(self.base_url) and not u.startswith(("data:", "blob:", "about:"))
        ]


@pytest.fixture
def page(browser, voila):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    recorded = RecordedPage(context.new_page(), voila.url)
    yield recorded
    context.close()


@pytest.fixture
def phone_page(browser, voila):
    context = browser.new_context(
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    context.set_default_timeout(30_000)
    recorded = RecordedPage(context.new_page(), voila.url)
    yield recorded
    context.close()


def wait_for_lesson(page) -> None:
    """Wait until the page says it is ready: cells shown and every widget drawn.

    The course template sets ``<body data-course-ready="true">`` then (course.js).
    """
    page.wait_for_selector("#rendered_cells", state="visible")
    page.wait_for_selector("body[data-course-ready='true']", state="attached")


def frames_sent(page) -> list[str]:
    """Start recording every websocket frame ``page`` sends (as text); returns the list,
    which fills as the page runs."""
    sent: list[str] = []

    def watch(ws):
        ws.on(
            "framesent",
            lambda payload: sent.append(
                payload if isinstance(payload, str) else payload.decode("latin-1")
            ),
        )

    page.on("websocket", watch)
    return sent


def answer_lesson_01_first_question(page):
    """Answer lesson 1's first quiz question right, as a learner would, and wait for the
    feedback: proof that the page's widgets talk to its kernel. Returns the question card."""
    card = page.locator(".course-quiz__card").first
    card.get_by_role("radio", name="When it has lasted more than 3 months").check()
    card.get_by_role("button", name="Check answer").click()
    expect(card.get_by_role("status")).to_contain_text("Right.")
    return card


# Screenshots are for people to look at and assert nothing, so `make test` skips them (about
# 40 s of the suite); `make screenshots` (COURSE_SCREENSHOTS=1) runs the browser tests with
# them, into artifacts/screenshots/.
SCREENSHOTS = os.environ.get("COURSE_SCREENSHOTS") == "1"


def save_shot(target, path: Path, **options) -> None:
    """A screenshot of a page or an element to ``path``, when screenshots are on."""
    if SCREENSHOTS:
        path.parent.mkdir(parents=True, exist_ok=True)
        target.screenshot(path=str(path), **options)


def screenshot(page, name: str) -> Path | None:
    """Save the whole lesson (Voila scrolls inside #rendered_cells) under artifacts/,
    when screenshots are on."""
    if not SCREENSHOTS:
        return None
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(exist_ok=True)
    size = page.viewport_size
    height = page.evaluate("() => document.querySelector('#rendered_cells').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": min(max(height, 200), 16000)})
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


# Accessibility exceptions, all in one place, each with its reason. Empty on purpose:
# any critical or serious axe-core violation on any page fails its test.
AXE_EXCEPTIONS: dict[str, str] = {}


def axe_serious(page, context: str | dict | None = None) -> list[str]:
    """axe-core's critical and serious violations on the page (or in the part that an
    axe ``context`` names: a CSS selector, or include/exclude lists), one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context)
    found = []
    for v in results.response["violations"]:
        if v["impact"] in ("critical", "serious") and v["id"] not in AXE_EXCEPTIONS:
            targets = [n["target"] for n in v["nodes"]][:3]
            found.append(f"{v['id']} ({v['impact']}): {v['help']} at {targets}")
    return found
