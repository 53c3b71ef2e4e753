"""environment.yml and pyproject.toml list the same runtime dependencies."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.conftest import REPO


def _split(spec: str) -> tuple[str, str]:
    name, bounds = re.match(r"^([A-Za-z0-9_.-]+)\s*(.*)$", spec.strip()).groups()
    return name.lower().replace("_", "-"), bounds.replace(" ", "")


def test_conda_and_pip_runtime_dependencies_agree():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pip_deps = dict(_split(d) for d in project["dependencies"])
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    conda_deps = dict(_split(d) for d in conda if not d.startswith(("python=", "pip")))
    assert conda_deps == pip_deps


def test_environment_pins_python_311_from_conda_forge():
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    assert "python=3.11" in env["dependencies"]
