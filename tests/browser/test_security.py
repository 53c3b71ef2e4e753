"""What a visitor's browser may ask of the server: widget messages yes, code no.

Voila lets a page's websocket carry only widget (comm) and kernel-info messages; this
checks that an execute request sent by hand is refused, while the channel itself works.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re
import urllib.request
import uuid
from datetime import UTC, datetime

import pytest
from tornado.websocket import websocket_connect

pytestmark = pytest.mark.browser

LESSON_01 = "/voila/render/01-what-is-chronic-back-pain.ipynb"


def _message(msg_type: str, content: dict, session: str) -> str:
    return json.dumps(
        {
            "header": {
                "msg_id": uuid.uuid4().hex,
                "msg_type": msg_type,
                "username": "visitor",
                "session": session,
                "date": datetime.now(UTC).isoformat(),
                "version": "5.3",
            },
            "parent_header": {},
            "metadata": {},
            "content": content,
            "channel": "shell",
            "buffers": [],
        }
    )


async def _talk(ws_url: str, marker: str) -> list[dict]:
    ws = await websocket_connect(ws_url)
    session = uuid.uuid4().hex
    code = f"open({marker!r}, 'w').write('pwned')"
    await ws.write_message(
        _message(
            "execute_request",
            {
                "code": code,
                "silent": False,
                "store_history": False,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            },
            session,
        )
    )
    await ws.write_message(_message("comm_info_request", {}, session))
    replies = []
    while True:
        raw = await asyncio.wait_for(ws.read_message(), timeout=20)
        msg = json.loads(raw)
        replies.append(msg)
        if msg.get("msg_type") == "comm_info_reply":
            break
    ws.close()
    return replies


def test_execute_requests_are_refused_but_widget_messages_flow(voila, tmp_path):
    with urllib.request.urlopen(voila.url + LESSON_01, timeout=60) as r:
        body = r.read().decode()
    config = json.loads(
        re.search(
            r'<script id="jupyter-config-data" type="application/json">'
            r"\s*(.*?)\s*</script>",
            body,
            re.S,
        ).group(1)
    )
    kernel_id = config["kernelId"]
    marker = tmp_path / "executed.txt"
    ws_url = voila.url.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels"
    # Playwright's loop may be running in this thread (other tests): talk from another one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        replies = pool.submit(asyncio.run, _talk(ws_url, str(marker))).result()

    types = [m.get("msg_type") for m in replies]
    assert "comm_info_reply" in types, "the widget channel answers"
    assert "execute_reply" not in types and "execute_result" not in types
    assert not marker.exists(), "code sent by a visitor must never run"
    assert 'Received message of type "execute_request", which is not allowed' in voila.log()
