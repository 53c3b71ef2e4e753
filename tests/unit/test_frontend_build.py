"""The lesson pages' front end (frontend/) is committed built; these tests say when the
build is older than its sources, or when it would reach past the course's server."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FRONTEND = ROOT / "frontend"
STATIC = ROOT / "share" / "jupyter" / "voila" / "templates" / "course" / "static"
BUILT = [STATIC / "course-widgets.js", STATIC / "course-widgets.css"]


def sources_stamp(folder: Path = FRONTEND) -> str:
    """frontend/build.mjs's stamp(), in Python: a hash of the lock file, the build script
    and every file in src/ (names and contents)."""
    names = ["package-lock.json", "build.mjs"] + [
        f"src/{p.name}" for p in sorted((folder / "src").iterdir(), key=lambda p: p.name)
    ]
    digest = hashlib.sha256()
    for name in names:
        digest.update(f"{name}\0".encode())
        digest.update(hashlib.sha256((folder / name).read_bytes()).digest())
    return digest.hexdigest()[:16]


def test_the_built_front_end_is_built_from_the_sources_as_they_are():
    want = sources_stamp()
    for path in BUILT:
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        found = re.match(r"/\* course-widgets ([0-9a-f]{16}):", first)
        assert found, f"{path.name} has no build stamp: run make frontend"
        assert found.group(1) == want, f"{path.name} is older than frontend/: run make frontend"


def test_the_stamp_changes_when_a_source_does(tmp_path):
    """The check above can fail: one byte more in a source gives another stamp."""
    copy = tmp_path / "frontend"
    shutil.copytree(FRONTEND, copy, ignore=shutil.ignore_patterns("node_modules", "meta.json"))
    before = sources_stamp(copy)
    main = copy / "src" / "main.js"
    main.write_text(main.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert sources_stamp(copy) != before


def test_the_versions_are_pinned_and_locked():
    """Exact versions in package.json, and the lock file agrees, so make frontend builds
    the same file on any machine."""
    package = json.loads((FRONTEND / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((FRONTEND / "package-lock.json").read_text(encoding="utf-8"))
    wanted = {**package["dependencies"], **package["devDependencies"]}
    for name, version in wanted.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), (name, version)
        assert lock["packages"][f"node_modules/{name}"]["version"] == version, name


def test_the_front_end_names_no_other_host_to_load_from():
    """No import(), fetch or stylesheet from a CDN: URLs in the built files are only XML
    namespaces and documentation links inside messages."""
    text = BUILT[0].read_text(encoding="utf-8") + BUILT[1].read_text(encoding="utf-8")
    hosts = set(re.findall(r"https?://([a-z0-9.-]+)", text))
    allowed = {"www.w3.org", "github.com", "jupyter.org", "ipywidgets.readthedocs.io"}
    assert hosts <= allowed, hosts - allowed
