"""A workshop's worth of visitors at once: 30 sessions each finish a quiz, with 0 errors.

No browser per visitor (30 Chromium pages would measure the client's CPU, not the
server): each visitor is bench/quiz_client.py, which renders the page and then
talks to its kernel as the page's widget manager does — choosing answers and
pressing Check — and reads the feedback and score the learner would see. The
course server is the same one the other browser tests use.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import re

import pytest

from bench import quiz_client
from widgets.content import load_content

pytestmark = pytest.mark.browser

LESSON = "01-what-is-chronic-back-pain"
VISITORS = 30


def test_thirty_visitors_at_once_each_finish_the_quiz_with_no_errors(voila):
    questions = load_content().questions_for(LESSON)
    log_start = len(voila.log())
    # Every third visitor gets the first question wrong: each kernel keeps its own score.
    wrong = lambda i: 1 if i % 3 == 0 else 0  # noqa: E731
    # Playwright's loop may be running in this thread (other tests): run in another one.
    served: list[str] = []  # the server's log while the 30 worked, before any tab closed
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        visits = pool.submit(
            asyncio.run,
            quiz_client.crowd_finishes_quiz(
                voila.url,
                LESSON,
                VISITORS,
                questions,
                timeout=300,
                wrong=wrong,
                before_close=lambda: served.append(voila.log()[log_start:]),
            ),
        ).result()

    errors = [v.error for v in visits if not v.ok]
    assert errors == [], f"{len(errors)} of {VISITORS} visitors failed: {errors[:3]}"
    total = len(questions)
    assert [v.score for v in visits] == [(total - wrong(i), total, total) for i in range(VISITORS)]
    for i, v in enumerate(visits):
        marks = ["✗" if "--wrong" in f else "✓" if "--right" in f else "?" for f in v.feedback]
        assert marks == ["✗" if q < wrong(i) else "✓" for q in range(total)], (i, marks)
    assert len({v.kernel_id for v in visits}) == VISITORS, "one kernel per visitor"

    # Each closed its tab: the shutdown request was accepted and the kernels go.
    assert [v.shutdown_status for v in visits] == [204] * VISITORS
    alive = voila.still_alive([v.kernel_id for v in visits], timeout=60)
    assert alive == [], f"{len(alive)} kernels still alive after the tabs closed"

    # No error while serving them. (Once the tabs close, a kernel being shut down may
    # print an ipykernel traceback of its own to the shared log: not the server's.)
    assert server_errors(served[0]) == [], tracebacks(served[0])
    assert "ERROR |" not in voila.log()[log_start:]


# Tornado's note that a message could not go to a page that had already gone (an
# earlier test's tab closing on the shared server): nobody was there to see it.
GONE = "tornado.websocket.WebSocketClosedError"


def server_errors(log: str) -> list[str]:
    """The log's ERROR lines, and the last line of each traceback (the error itself),
    except a write to a page that had already left."""
    errors = [line for line in log.splitlines() if "ERROR |" in line]
    # A traceback runs until the server's next log line; its last line names the error.
    for block in re.split(r"\n(?=\[CourseVoila\])", log):
        if "Traceback (most recent call last)" in block:
            last = block.rstrip().splitlines()[-1]
            if last != GONE:
                errors.append(last)
    return errors


def tracebacks(log: str) -> str:
    """Every traceback in the log, whole (for a failure's message)."""
    blocks = re.split(r"\n(?=\[CourseVoila\])", log)
    return "\n".join(b for b in blocks if "Traceback (most recent call last)" in b)[-8000:]


def test_server_errors_ignores_only_writes_to_a_page_that_left():
    gone = (
        "[CourseVoila] Kernel shutdown: 98c5\nTask exception was never retrieved\n"
        'Traceback (most recent call last):\n  File "websocket.py", line 1140\n'
        "tornado.iostream.StreamClosedError: Stream is closed\n\nDuring handling of the "
        "above exception, another exception occurred:\n\nTraceback (most recent call "
        'last):\n  File "websocket.py", line 1142\n' + GONE + "\n"
    )
    other = "[CourseVoila] Rendering\nTraceback (most recent call last):\n  x\nKeyError: 'a'\n"
    assert server_errors(gone + "[CourseVoila] Kernel started: 1\n") == []
    assert server_errors(gone + other) == ["KeyError: 'a'"]
    assert server_errors("[CourseVoila] ERROR | 500 GET /x\n") == [
        "[CourseVoila] ERROR | 500 GET /x"
    ]
