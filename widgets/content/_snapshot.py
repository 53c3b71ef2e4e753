"""The validated content of ``data/``, saved once so that kernels need not validate it.

Validating ``data/`` needs pydantic and PyYAML, which cost a visitor's kernel about
9 MB (``make bench``). So the first process that loads the course's content (the
course server, at start) validates everything and saves the result here: a pickle
of the frozen content objects in ``.cache/content/`` (``COURSE_CACHE_DIR``), named
by a hash of every file under the data folder and of the code that defines the
objects. A kernel then reads that file, which needs neither library. Any edit to
the data or to that code changes the hash, so a stale file is never read; the next
load validates again and saves a new one. The folder belongs to the course like
its code does: nothing from visitors is ever written there.

Reading or writing can fail (a read-only install, a half-written file from a
crash); then the content is simply validated in the process that needs it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..i18n import LOCALE_DIR, SOURCE

PACKAGE = Path(__file__).resolve().parent.parent  # widgets/
# The code whose classes are in the pickle: the content models and what the
# loaders build from them (widgets/logic/imaging.py's tables).
CODE = (PACKAGE / "content", PACKAGE / "logic", PACKAGE / "i18n")


def cache_dir() -> Path:
    default = PACKAGE.parent / ".cache" / "content"
    return Path(os.environ.get("COURSE_CACHE_DIR") or default)


def key(root: Path, language: str = SOURCE) -> str:
    """A hash of everything the snapshot is made from (in a translation, its catalogs too)."""
    digest = hashlib.sha256(f"{sys.version_info[:2]} {root} {language}".encode())
    files = sorted(p for p in root.rglob("*") if p.is_file())
    files += sorted(p for p in (LOCALE_DIR / language).rglob("*") if p.is_file())
    files += sorted(p for folder in CODE for p in folder.glob("*.py"))
    for path in files:
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def file_name(root: Path, language: str) -> str:
    prefix = "content-" if language == SOURCE else f"content-{language}-"
    return f"{prefix}{key(root, language)}.pickle"


@lru_cache(maxsize=8)
def bundle(
    root: Path, build: Callable[[Path], dict[str, Any]], language: str = SOURCE
) -> dict[str, Any]:
    """Every kind of validated content under ``root`` in ``language``, by name (see
    ``build``, which runs while the process speaks ``language``)."""
    path = cache_dir() / file_name(root, language)
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except (
        OSError,
        EOFError,
        pickle.UnpicklingError,
        AttributeError,
        ImportError,
        TypeError,
        ValueError,
    ):
        pass
    built = build(root)
    _save(path, built)
    return built


def _save(path: Path, built: dict[str, Any]) -> None:
    data = pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".content-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)  # readers see the whole file or none
    except OSError:
        return
    for old in path.parent.glob("content-*.pickle"):
        if old != path and _language_of(old) == _language_of(path):
            old.unlink(missing_ok=True)


def _language_of(path: Path) -> str:
    parts = path.stem.split("-")
    return parts[1] if len(parts) == 3 else SOURCE
