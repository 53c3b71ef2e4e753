"""One participant's kernel answering the poll: run in a separate process by
tests/unit/test_poll_store.py. Kept apart from the test module so that each spawned
process imports only this and the store, as a real kernel would."""

from __future__ import annotations

from widgets.logic.poll_store import ANSWERS, PollStore, new_participant_id


def answers_of(index: int, items: tuple[str, ...]) -> dict[str, str]:
    """Participant ``index``'s answers: a fixed pattern, so exact counts are known."""
    return {item: ANSWERS[(index + j) % len(ANSWERS)] for j, item in enumerate(items)}


def write_once(path: str, code: str, index: int, items: tuple[str, ...], barrier) -> None:
    """Join, wait until every writer is ready, then send one round of answers."""
    store = PollStore(path)
    joined = store.join(code)
    who = new_participant_id()
    barrier.wait(timeout=120)
    store.submit(code, who, joined.phase, answers_of(index, items))
