"""How long a visitor's browser may keep what the server sends, so that the next lesson
costs a handful of requests instead of a hundred revalidations (issue 20).

Three kinds of files make a lesson page:

* **Voila's own front end** (``voila.js`` and its ~200 numbered chunks, fonts and icons).
  Voila serves them at ``/voila/static/`` with names that do not change when Voila does,
  and with no cache header, so a browser guesses how long to keep them. The course serves
  the same files under ``/voila/static/v/<tag>/``, where the tag is a hash of Voila's
  version and of the files' names and contents, and tells each page to load them from
  there (``fullStaticUrl`` in the page's configuration, through Voila's documented
  ``page_config_hook``). A file under that address never changes, so it is kept a year
  ("immutable"); a Voila upgrade changes the tag, so no visitor runs a stale script.
* **Widget libraries** (``/voila/labextensions/``): their scripts carry a hash of their
  content in their names (``remoteEntry.c8c9eed2.js``, ``7.2a0ce575.js?v=2a0ce575``), so
  they are kept a year too. Voila marks them all ``no-cache``; a file without a hash
  (``package.json``, ``style.js``) keeps that.
* **The course template's files** (``course.js``, ``course.css``, the theme) already carry
  ``?v=<hash of the file>`` and are kept ten years by Tornado; nothing changes here.

The lesson's HTML itself holds the page's own kernel and is never cached (Voila).

Both handlers are jupyter_server's ``FileFindHandler`` (a search path of folders, the class
Voila serves labextensions with), each with its own memo of where a file was found: the
base class keeps one memo for every subclass, by relative path only, so two handlers over
different folders could answer with each other's file.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from jupyter_server.base.handlers import FileFindHandler
from jupyter_server.utils import url_path_join

IMMUTABLE = "public, max-age=31536000, immutable"
# A content hash in a file name: "remoteEntry.c8c9eed2cdefdeac.js", "7.2a0ce575.js".
HASHED_NAME = re.compile(r"\.[0-9a-f]{8,}\.(?:js|css|woff2?|ttf|eot|svg|png)$")


def static_tag(folders: Iterable[str | Path], version: str) -> str:
    """A short hash of Voila's version and of every file under ``folders`` (names and
    contents, about 10 MB: some 30 ms at start). The same install gives the same tag on
    every server, so a visitor's cache serves them all; any change gives another."""
    digest = hashlib.sha256(version.encode())
    for folder in folders:
        root = Path(folder)
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(f"{path.relative_to(root)}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def static_path(tag: str) -> str:
    """Where pages load Voila's front end from, below the server's base URL (no trailing
    slash, like Voila's own ``fullStaticUrl``)."""
    return f"voila/static/v/{tag}"


class VersionedStaticHandler(FileFindHandler):
    """Voila's front end under ``/voila/static/v/<tag>/``: kept a year (the tag changes
    with the files). The route names the server's own tag only, so a page from before an
    upgrade gets 404 for a chunk rather than a mix of two versions of Voila's scripts."""

    _static_paths: dict[str, str] = {}
    _lock = threading.Lock()

    def set_headers(self) -> None:
        super().set_headers()
        self.set_header("Cache-Control", IMMUTABLE)


class LabextensionsHandler(FileFindHandler):
    """The widget libraries at ``/voila/labextensions/``: a file whose name (or ``?v=``)
    carries its content's hash is kept a year; any other is revalidated, as Voila does."""

    _static_paths: dict[str, str] = {}
    _lock = threading.Lock()

    def set_headers(self) -> None:
        super().set_headers()
        if HASHED_NAME.search(self.request.path) or "v" in self.request.arguments:
            self.set_header("Cache-Control", IMMUTABLE)
        else:
            self.set_header("Cache-Control", "no-cache")


def page_config_hook(
    tag: str, chained: Callable[..., dict[str, Any]] | None = None
) -> Callable[..., dict[str, Any]]:
    """A Voila ``page_config_hook`` that loads Voila's front end from its versioned
    address; it runs an operator's own hook (``chained``) first."""

    def hook(page_config: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        if chained is not None:
            page_config = chained(page_config, **kwargs)
        page_config["fullStaticUrl"] = url_path_join(kwargs["base_url"], static_path(tag))
        return page_config

    return hook
