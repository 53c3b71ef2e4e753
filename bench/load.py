"""Simulated visitors without a browser: render, kernel websocket, widget state.

Each visitor does what a learner's page does, minus drawing it:

1. GET /voila/render/<lesson>.ipynb and read the body to the end (the kernel
   runs the notebook while the page streams; time to first byte is kept too);
2. with progressive rendering, open /voila/execution/<kernel> and ask for the
   cells, as the page does, until the last cell's result arrives;
3. open the kernel websocket /api/kernels/<id>/channels and do what the widget
   manager does first: ``kernel_info_request``, then ipywidgets 8's control comm
   (``comm_open`` on ``jupyter.widget.control`` + ``request_states``) until the
   ``update_states`` reply (all widget models of the page);
4. stay connected until every visitor is done (so memory is measured with N
   live sessions), then "close the tab": POST /voila/api/shutdown/<id> with the
   cookies the page set, as the page's beacon does.

Uses tornado (already a dependency of Voila): no new packages.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import time
import uuid
from dataclasses import asdict, dataclass, field

from bench import pages

CONTROL_TARGET = "jupyter.widget.control"
CONTROL_PROTOCOL = "1.0.0"  # ipywidgets 8's __control_protocol_version__


def kernel_message(
    msg_type: str, content: dict, session: str, channel: str = "shell", metadata: dict | None = None
) -> dict:
    """A Jupyter message in jupyter_server's JSON websocket form (pure)."""
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "username": "bench",
            "session": session,
            "msg_type": msg_type,
            "version": "5.3",
            "date": datetime.datetime.now(datetime.UTC).isoformat(),
        },
        "parent_header": {},
        "metadata": metadata or {},
        "content": content,
        "channel": channel,
        "buffers": [],
    }


@dataclass
class Visit:
    ok: bool = False
    error: str | None = None
    ttfb_s: float | None = None
    render_s: float | None = None  # page body complete
    content_s: float | None = None  # all cells shown (== render unless progressive)
    connect_s: float | None = None  # render + websocket + kernel_info + widget state
    ws_open_s: float | None = None
    widget_views: bool | None = None  # the rendered HTML shows an ipywidget
    outputs: int | None = None  # outputs the page shows (lost ones are missing)
    widget_models: int | None = None
    state_bytes: int | None = None
    kernel_id: str | None = None
    shutdown_status: int | None = None
    cookies: dict = field(default_factory=dict, repr=False)


async def _fetch(client, url: str, timeout: float) -> tuple[float | None, bytes, list[str]]:
    from tornado.httpclient import HTTPRequest

    chunks: list[bytes] = []
    first: list[float] = []
    t0 = time.perf_counter()

    def on_chunk(chunk: bytes) -> None:
        if not first:
            first.append(time.perf_counter() - t0)
        chunks.append(chunk)

    req = HTTPRequest(
        url,
        request_timeout=timeout,
        connect_timeout=timeout,
        streaming_callback=on_chunk,
        follow_redirects=False,
    )
    resp = await client.fetch(req, raise_error=True)
    return (first[0] if first else None), b"".join(chunks), resp.headers.get_list("Set-Cookie")


async def _read_json(ws, deadline: float):
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError("websocket reply timed out")
    raw = await asyncio.wait_for(ws.read_message(), remaining)
    if raw is None:
        raise ConnectionError("websocket closed by the server")
    if isinstance(raw, bytes):
        return None, len(raw)
    return json.loads(raw), len(raw)


async def _progressive_cells(
    base: str, kernel_id: str, headers: dict, deadline: float
) -> tuple[bool, int]:
    """Ask for the cells as the progressive page does; (any widget shown, outputs)."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    req = HTTPRequest(pages.ws_url(base, f"/voila/execution/{kernel_id}"), headers=headers)
    ws = await websocket_connect(req)
    views, outputs = False, 0
    try:
        while True:
            msg, _ = await _read_json(ws, deadline)
            if msg is None:
                continue
            if msg.get("action") == "initialized":
                await ws.write_message(
                    json.dumps({"action": "execute", "payload": {"kernel_id": kernel_id}})
                )
            elif msg.get("action") == "execution_error":
                raise RuntimeError(f"progressive execution: {msg.get('payload')}")
            elif msg.get("action") == "execution_result":
                p = msg["payload"]
                cell = p.get("output_cell") or {}
                views = views or pages.WIDGET_VIEW_MIME in json.dumps(cell)
                outputs += len(cell.get("outputs", []))
                if p["cell_index"] >= p["total_cell"] - 1:
                    return views, outputs
    finally:
        ws.close()


async def request_widget_states(
    ws, session: str, deadline: float, on_message=None
) -> tuple[dict, int]:
    """What the widget manager does first on a page: ipywidgets 8's control comm
    (``comm_open`` on ``jupyter.widget.control`` + ``request_states``) until the
    ``update_states`` reply. Returns ({model id: state}, reply size in bytes); no
    models when the kernel has no ipywidgets (it closes the comm). ``on_message``
    sees every other message read meanwhile."""
    comm_id = uuid.uuid4().hex
    await ws.write_message(
        json.dumps(
            kernel_message(
                "comm_open",
                {"comm_id": comm_id, "target_name": CONTROL_TARGET, "data": {}},
                session,
                metadata={"version": CONTROL_PROTOCOL},
            )
        )
    )
    await ws.write_message(
        json.dumps(
            kernel_message(
                "comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}}, session
            )
        )
    )
    while True:
        msg, size = await _read_json(ws, deadline)
        if msg is None:
            continue
        content = msg.get("content", {})
        if content.get("comm_id") != comm_id:
            if on_message is not None:
                on_message(msg)
            continue
        if (
            msg.get("msg_type") == "comm_msg"
            and content.get("data", {}).get("method") == "update_states"
        ):
            states = content["data"].get("states", {})
            return {m: dict(s["state"]) for m, s in states.items()}, size
        if msg.get("msg_type") == "comm_close":
            return {}, 0


async def visit(
    client,
    base: str,
    lesson: str,
    *,
    timeout: float,
    hold: asyncio.Event,
    t_start: float,
    arrived=None,
) -> Visit:
    """One visitor. Calls ``arrived()`` once connected (or failed), then keeps the
    websocket open until ``hold`` is set."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    v = Visit()
    deadline = time.monotonic() + timeout
    ws = None
    try:
        ttfb, body, set_cookies = await _fetch(
            client, f"{base}/voila/render/{lesson}.ipynb", timeout
        )
        v.ttfb_s = ttfb
        v.render_s = time.perf_counter() - t_start
        html = body.decode("utf-8", errors="replace")
        v.kernel_id = pages.kernel_id(html)
        v.cookies = pages.cookies_from_headers(set_cookies)
        v.widget_views = pages.has_widget_views(html)
        v.outputs = pages.output_count(html)
        headers = {"Cookie": pages.cookie_header(v.cookies)} if v.cookies else {}
        if pages.is_progressive(html):
            v.widget_views, v.outputs = await _progressive_cells(
                base, v.kernel_id, headers, deadline
            )
        v.content_s = time.perf_counter() - t_start

        session = uuid.uuid4().hex
        req = HTTPRequest(
            pages.ws_url(base, f"/api/kernels/{v.kernel_id}/channels?session_id={session}"),
            headers=headers,
            connect_timeout=timeout,
            request_timeout=timeout,
        )
        ws = await websocket_connect(req)
        v.ws_open_s = time.perf_counter() - t_start

        info = kernel_message("kernel_info_request", {}, session)
        await ws.write_message(json.dumps(info))
        while True:
            msg, _ = await _read_json(ws, deadline)
            if (
                msg
                and msg.get("msg_type") == "kernel_info_reply"
                and msg["parent_header"].get("msg_id") == info["header"]["msg_id"]
            ):
                break

        # As the page's front end does: a page made once that holds its kernel's widgets
        # draws from its own copy and asks nothing (course frontend/src/main.js).
        states = pages.held_states(html)
        v.state_bytes = 0
        if states is None:
            states, v.state_bytes = await request_widget_states(ws, session, deadline)
        v.widget_models = len(states)
        v.connect_s = time.perf_counter() - t_start
        v.ok = True
    except Exception as exc:  # a failed visitor is counted, never fatal
        v.error = f"{type(exc).__name__}: {exc}"[:300]
    if arrived is not None:
        arrived()
    try:
        await hold.wait()
    finally:
        if ws is not None:
            ws.close()
    return v


async def close_tab(client, base: str, v: Visit) -> None:
    """POST /voila/api/shutdown/<id> with the page's cookies, as the page's beacon does."""
    from tornado.httpclient import HTTPRequest

    if not v.kernel_id:
        return
    headers = {"Content-Type": "text/plain;charset=UTF-8"}
    if v.cookies:
        headers["Cookie"] = pages.cookie_header(v.cookies)
    body = ""
    if "_xsrf" in v.cookies:
        # The page sends the cookie's value as the _xsrf form field.
        headers["X-XSRFToken"] = v.cookies["_xsrf"]
    req = HTTPRequest(
        f"{base}/voila/api/shutdown/{v.kernel_id}",
        method="POST",
        body=body,
        headers=headers,
        request_timeout=60,
    )
    resp = await client.fetch(req, raise_error=False)
    v.shutdown_status = resp.code


async def crowd(
    base: str, lesson: str, n: int, *, timeout: float = 300.0, on_all_connected=None
) -> list[Visit]:
    """N visitors arriving at the same moment. ``on_all_connected()`` runs (in a
    thread) while every visitor still holds its websocket, e.g. to read memory."""
    from tornado.httpclient import AsyncHTTPClient

    client = AsyncHTTPClient(force_instance=True, max_clients=max(16, n * 2))
    hold = asyncio.Event()
    everyone = asyncio.Event()
    count = [0]

    def arrived() -> None:
        count[0] += 1
        if count[0] == n:
            everyone.set()

    t_start = time.perf_counter()
    tasks = [
        asyncio.ensure_future(
            visit(
                client, base, lesson, timeout=timeout, hold=hold, t_start=t_start, arrived=arrived
            )
        )
        for _ in range(n)
    ]
    await everyone.wait()  # each visitor's own deadline bounds this
    if on_all_connected is not None:
        await asyncio.get_running_loop().run_in_executor(None, on_all_connected)
    hold.set()
    visits = await asyncio.gather(*tasks)
    await asyncio.gather(*(close_tab(client, base, v) for v in visits))
    client.close()
    return list(visits)


def visit_dict(v: Visit) -> dict:
    d = asdict(v)
    d.pop("cookies", None)
    return d
