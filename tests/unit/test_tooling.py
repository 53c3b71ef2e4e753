"""The lint gate: ruff's checks and its formatting pass over the code, so they can fail CI.

The version is pinned in pyproject.toml's [test] extra, and .pre-commit-config.yaml uses
the same one, so a contributor's hook and CI agree.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import pytest

from tests.conftest import REPO

CODE = ["widgets", "tests", "bench"]


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=" ".join)
def test_ruff_passes(command):
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", *command, *CODE], cwd=REPO, capture_output=True, text=True
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr


def test_the_pre_commit_hook_runs_the_pinned_ruff():
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["test"]
    pinned = next(d for d in extras if d.startswith("ruff=="))
    hooks = (REPO / ".pre-commit-config.yaml").read_text()
    assert re.search(r"ruff-pre-commit\n\s+rev: v(\S+)", hooks).group(1) == pinned.split("==")[1]
