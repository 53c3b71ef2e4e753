"""Shared fixtures: the repository paths and a writable copy of data/."""

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
