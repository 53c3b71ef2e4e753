"""A visitor who finishes a lesson's quiz, without a browser.

It speaks to the kernel as the page's widget manager does: it asks for every
widget's state over ipywidgets 8's control comm, then sends what a click sends —
``update`` messages (a radio button chosen, a box ticked) and ``custom``
``{"event": "click"}`` messages (the Check button) — and keeps the kernel's
``update`` replies, so it can read what the learner would see (the feedback under
each question, the score line).

The pure part (:func:`find_quiz`, :func:`answers_for`, :func:`apply_message`,
:func:`score`) reads widget states; :func:`finish_quiz` does the talking.
Used by the load test of 30 visitors at once (tests/browser/test_crowd.py).
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import time
import uuid
from dataclasses import dataclass, field

from bench import pages
from bench.load import _fetch, _read_json, close_tab, kernel_message, request_widget_states

REF = "IPY_MODEL_"
_SCORE = re.compile(
    r'data-course-quiz-right="(\d+)" data-course-quiz-total="(\d+)" '
    r'data-course-quiz-answered="(\d+)"'
)


class QuizNotFound(LookupError):
    """The page's widgets hold no course quiz the client understands."""


# ------------------------------------------------------------------ pure helpers
def _children(states: dict, model_id: str) -> list[str]:
    return [
        c[len(REF) :]
        for c in states[model_id].get("children", [])
        if isinstance(c, str) and c.startswith(REF)
    ]


def _has_class(state: dict, name: str) -> bool:
    return name in state.get("_dom_classes", [])


@dataclass
class Card:
    prompt: str  # the prompt widget's HTML
    choices: str  # RadioButtons model, or the VBox of Checkboxes
    boxes: list[str]  # Checkbox models (multiple choice), else empty
    check: str  # the Check answer button
    feedback: str  # the live region the verdict appears in


@dataclass
class QuizWidgets:
    cards: list[Card]
    score_line: str


def find_quiz(states: dict) -> QuizWidgets:
    """The quiz's widgets, by model id, from the page's widget states."""
    quizzes = [m for m, s in states.items() if _has_class(s, "course-quiz")]
    if len(quizzes) != 1:
        raise QuizNotFound(f"expected one course quiz, found {len(quizzes)}")
    cards, score_line = [], None
    for child in _children(states, quizzes[0]):
        s = states[child]
        if _has_class(s, "course-quiz__card"):
            prompt, _hint, choices, buttons, feedback = _children(states, child)
            boxes = (
                _children(states, choices)
                if states[choices].get("_model_name") != "RadioButtonsModel"
                else []
            )
            check = next(
                b for b in _children(states, buttons) if _has_class(states[b], "course-quiz__check")
            )
            cards.append(Card(prompt, choices, boxes, check, feedback))
        elif _has_class(s, "course-quiz__score"):
            score_line = child
    if not cards or score_line is None:
        raise QuizNotFound("the quiz has no question cards or no score line")
    return QuizWidgets(cards, score_line)


def answers_for(
    card: Card, states: dict, questions, *, right: bool = True
) -> list[tuple[str, dict]]:
    """The (model id, new state) updates that answer ``card`` rightly (or, with
    ``right=False``, with one wrong option), from the course's own questions
    (matched by prompt text, as a reader would)."""
    prompt = states[card.prompt].get("value", "")
    question = next((q for q in questions if html.escape(q.prompt) in prompt), None)
    if question is None:
        raise QuizNotFound(f"no question matches the prompt {prompt[:80]!r}")
    pick = [i for i, o in enumerate(question.options) if o.correct == right]
    if not right:
        pick = pick[:1]
    if card.boxes:
        return [(box, {"value": i in pick}) for i, box in enumerate(card.boxes)]
    labels = states[card.choices].get("_options_labels", [])
    if labels != [o.text for o in question.options]:
        raise QuizNotFound(f"options on the page differ from question {question.id!r}")
    return [(card.choices, {"index": pick[0]})]


def apply_message(states: dict, msg: dict) -> None:
    """Keep ``states`` as the front end would: new widgets, updates, echoes."""
    content = msg.get("content", {})
    data = content.get("data", {}) or {}
    comm_id = content.get("comm_id")
    kind = msg.get("msg_type")
    if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
        states[comm_id] = dict(data.get("state", {}))
    elif (
        kind == "comm_msg" and data.get("method") in ("update", "echo_update") and comm_id in states
    ):
        states[comm_id].update(data.get("state", {}))
    elif kind == "comm_close":
        states.pop(comm_id, None)


def score(states: dict, quiz: QuizWidgets) -> tuple[int, int, int]:
    """(right, total, answered), read from the score line the learner sees."""
    m = _SCORE.search(states[quiz.score_line].get("value", ""))
    if not m:
        raise QuizNotFound("the score line shows no score")
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


# ------------------------------------------------------------------ talking
@dataclass
class QuizVisit:
    ok: bool = False
    error: str | None = None
    kernel_id: str | None = None
    render_s: float | None = None
    done_s: float | None = None
    score: tuple[int, int, int] | None = None
    feedback: list[str] = field(default_factory=list)
    shutdown_status: int | None = None
    cookies: dict = field(default_factory=dict, repr=False)


class _Channel:
    def __init__(self, ws, session: str, deadline: float):
        self.ws, self.session, self.deadline = ws, session, deadline
        self.states: dict[str, dict] = {}

    async def send(self, msg_type: str, content: dict, metadata: dict | None = None) -> dict:
        msg = kernel_message(msg_type, content, self.session, metadata=metadata)
        await self.ws.write_message(json.dumps(msg))
        return msg

    async def read(self) -> dict | None:
        msg, _ = await _read_json(self.ws, self.deadline)  # binary frames: None
        if msg is not None:
            apply_message(self.states, msg)
        return msg

    async def until(self, done) -> None:
        while not done():
            await self.read()


async def finish_quiz(
    client,
    base: str,
    lesson: str,
    questions,
    *,
    timeout: float,
    wrong: int = 0,
    answer: int | None = None,
    hold=None,
    ready=None,
) -> QuizVisit:
    """Open ``lesson`` as a visitor, answer every question (the first ``wrong``
    of them wrongly, the rest rightly), press each Check button, and wait until
    the score line shows them all answered. With ``answer``, only that many
    questions; with ``hold`` (an awaitable), the page stays open, its websocket
    connected, until it is done (``ready()`` is called as it starts waiting)."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    v = QuizVisit()
    t0 = time.perf_counter()
    deadline = time.monotonic() + timeout
    ws = None
    try:
        _, body, set_cookies = await _fetch(client, f"{base}/voila/render/{lesson}.ipynb", timeout)
        v.render_s = time.perf_counter() - t0
        page = body.decode("utf-8", errors="replace")
        v.kernel_id = pages.kernel_id(page)
        v.cookies = pages.cookies_from_headers(set_cookies)
        headers = {"Cookie": pages.cookie_header(v.cookies)} if v.cookies else {}
        session = uuid.uuid4().hex
        ws = await websocket_connect(
            HTTPRequest(
                pages.ws_url(base, f"/api/kernels/{v.kernel_id}/channels?session_id={session}"),
                headers=headers,
                connect_timeout=timeout,
                request_timeout=timeout,
            )
        )
        ch = _Channel(ws, session, deadline)

        states = pages.held_states(page)  # a page made once: its own copy (bench.load.visit)
        if states is None:
            states, _ = await request_widget_states(
                ws, session, deadline, on_message=lambda m: apply_message(ch.states, m)
            )
        ch.states.update(states)

        quiz = find_quiz(ch.states)
        cards = quiz.cards if answer is None else quiz.cards[:answer]
        for i, card in enumerate(cards):
            for model, state in answers_for(card, ch.states, questions, right=i >= wrong):
                await ch.send(
                    "comm_msg",
                    {
                        "comm_id": model,
                        "data": {"method": "update", "state": state, "buffer_paths": []},
                    },
                )
            await ch.send(
                "comm_msg",
                {
                    "comm_id": card.check,
                    "data": {"method": "custom", "content": {"event": "click"}},
                },
            )
        total = len(cards)
        await ch.until(lambda: score(ch.states, quiz)[2] >= total)
        v.score = score(ch.states, quiz)
        v.feedback = [ch.states[c.feedback].get("value", "") for c in cards]
        v.done_s = time.perf_counter() - t0
        v.ok = True
        if hold is not None:
            if ready is not None:
                ready()
            await hold
    except Exception as exc:  # a failed visitor is counted, never fatal
        v.error = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        if ws is not None:
            ws.close()
    return v


async def soak(
    base: str,
    lesson: str,
    n: int,
    questions,
    *,
    per_second: float,
    probe: str,
    timeout: float = 600.0,
    on_all_open=None,
) -> dict:
    """``n`` visitors open ``lesson``, ``per_second`` arriving each second, and each
    answers one question and stays, its websocket connected, until all ``n`` are there;
    meanwhile ``probe`` (a light address) is fetched twice a second and timed. Then
    every tab closes. Returns the visits and the probe's times."""
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest

    client = AsyncHTTPClient(force_instance=True, max_clients=max(16, n * 2))
    probe_client = AsyncHTTPClient(force_instance=True, max_clients=4)
    everyone_here = asyncio.get_running_loop().create_future()
    probes: list[float] = []
    probe_errors: list[str] = []
    stop = asyncio.Event()

    async def probing() -> None:
        while not stop.is_set():
            t = time.perf_counter()
            reply = await probe_client.fetch(
                HTTPRequest(base + probe, follow_redirects=False, request_timeout=30),
                raise_error=False,
            )
            if reply.code >= 400 or reply.code == 599:
                probe_errors.append(f"{reply.code} {reply.reason}")
            probes.append(time.perf_counter() - t)
            await asyncio.sleep(0.5)

    holding = [0]

    def ready() -> None:
        holding[0] += 1

    async def arrive(i: int) -> QuizVisit:
        await asyncio.sleep(i / per_second)
        return await finish_quiz(
            client,
            base,
            lesson,
            questions,
            timeout=timeout,
            answer=1,
            hold=everyone_here,
            ready=ready,
        )

    started = time.perf_counter()
    prober = asyncio.ensure_future(probing())
    try:
        tasks = [asyncio.ensure_future(arrive(i)) for i in range(n)]
        # Until every visitor holds its page open (or has failed, and so finished).
        while holding[0] + sum(1 for t in tasks if t.done()) < n:
            await asyncio.sleep(0.2)
        all_here_s = time.perf_counter() - started
        if on_all_open is not None:
            on_all_open()  # every page open and connected: e.g. measure memory now
        everyone_here.set_result(None)
        visits = await asyncio.gather(*tasks)
        stop.set()
        await prober
        await asyncio.gather(*(close_tab(client, base, v) for v in visits))
    finally:
        stop.set()
        client.close()
        probe_client.close()
    return {
        "visits": list(visits),
        "all_open_s": all_here_s,
        "probe_s": probes,
        "probe_errors": probe_errors,
    }


async def crowd_finishes_quiz(
    base: str,
    lesson: str,
    n: int,
    questions,
    *,
    timeout: float = 600.0,
    wrong=lambda i: 0,
    before_close=None,
) -> list[QuizVisit]:
    """``n`` visitors arrive at once and each finishes the quiz, visitor ``i``
    getting the first ``wrong(i)`` questions wrong; ``before_close()`` runs once all
    are done; then each closes the tab (the page's shutdown request, with the
    cookies its page set)."""
    from tornado.httpclient import AsyncHTTPClient

    client = AsyncHTTPClient(force_instance=True, max_clients=max(16, n * 2))
    try:
        visits = await asyncio.gather(
            *(
                finish_quiz(client, base, lesson, questions, timeout=timeout, wrong=wrong(i))
                for i in range(n)
            )
        )
        if before_close is not None:
            before_close()
        # Close each tab as the page does (QuizVisit has the fields close_tab reads).
        await asyncio.gather(*(close_tab(client, base, v) for v in visits))
    finally:
        client.close()
    return list(visits)
