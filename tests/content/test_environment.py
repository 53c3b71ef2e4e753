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
    # The conda environment is Binder's, which opens JupyterLab: the runtime and the lab extra.
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    lab = project["optional-dependencies"]["lab"]
    pip_deps = dict(_split(d) for d in [*project["dependencies"], *lab])
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    conda_deps = dict(_split(d) for d in conda if not d.startswith(("python=", "pip")))
    assert conda_deps == pip_deps


def test_environment_pins_python_311_from_conda_forge():
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    assert "python=3.11" in env["dependencies"]


def test_the_dev_environment_has_the_runtime_and_every_test_tool():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    runtime = yaml.safe_load((REPO / "environment.yml").read_text())["dependencies"]
    dev = yaml.safe_load((REPO / "environment-dev.yml").read_text())
    assert dev["channels"] == ["conda-forge"]
    conda = [d for d in dev["dependencies"] if isinstance(d, str)]
    assert conda == [d for d in runtime if isinstance(d, str)]  # pip included
    pip = next(d["pip"] for d in dev["dependencies"] if isinstance(d, dict))
    # The test extra's tools by pip; what conda already installs (JupyterLab) stays conda's.
    from_conda = {_split(d)[0] for d in conda if not d.startswith(("python=", "pip"))}
    wanted = [t for t in project["optional-dependencies"]["test"] if _split(t)[0] not in from_conda]
    assert sorted(pip) == sorted(wanted)
    assert any(p.startswith("nbval") for p in pip)
