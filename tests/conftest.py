"""Shared fixtures: the repository paths, a writable copy of data/, a clock a test moves by
hand, and an empty workshop-poll store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
NOTEBOOKS = REPO / "notebooks"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of data/ that a test may break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


class Clock:
    """A clock a test moves by hand (seconds since the epoch)."""

    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(tmp_path: Path):
    """An empty workshop-poll store in a temporary folder."""
    from widgets.logic.poll_store import PollStore

    return PollStore(tmp_path / "poll.sqlite3")
