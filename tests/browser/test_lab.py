"""`make lab`: JupyterLab starts as the README says, also as root, on the landing page."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.browser.conftest import _free_port
from tests.conftest import REPO

pytestmark = pytest.mark.browser


def _get(url: str) -> tuple[int, str, str]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as reply:
            return reply.status, reply.headers.get("Location", ""), reply.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location", ""), ""


def test_make_lab_opens_the_landing_page_with_a_clean_workspace_also_as_root(tmp_path):
    port = _free_port()
    log = (tmp_path / "lab.log").open("w")
    lab = subprocess.Popen(
        ["make", "lab", f"PORT={port}", "ARGS=--no-browser --ServerApp.token="],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        status = None
        while time.monotonic() < deadline and lab.poll() is None:
            try:
                status, location, _ = _get(f"http://127.0.0.1:{port}/")
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.5)
        assert lab.poll() is None, (tmp_path / "lab.log").read_text()  # root: still running
        assert status == 302 and location.rstrip("?") == "/lab/tree/00-index.ipynb"
        status, _, _ = _get(f"http://127.0.0.1:{port}/lab/tree/00-index.ipynb")
        assert status == 200
        # A clean workspace: nothing saved from an earlier run.
        status, _, body = _get(f"http://127.0.0.1:{port}/lab/api/workspaces")
        assert status == 200 and json.loads(body)["workspaces"]["ids"] == []
        # No news feed fetched from another host.
        status, _, body = _get(f"http://127.0.0.1:{port}/lab/api/news")
        assert status == 200 and json.loads(body)["news"] == []
        if os.geteuid() == 0:
            assert "--allow-root" in (tmp_path / "lab.log").read_text()
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        lab.wait(timeout=30)
