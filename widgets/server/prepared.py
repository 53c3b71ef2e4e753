"""A page made once, and each visitor's kernel forked holding it (issue 15).

Voila runs a page's cells for every visitor, in a kernel of the visitor's own: with 30
visitors at once on 2 cores that alone set the floor ("The floor of a page", README). Here
a lesson's cells run once, in a *prepared template* (``widgets.server.forking``: a fork of
the warm template that has run the notebook's cells, before any kernel, with the comm
messages its widgets would have sent kept aside). Then:

* the first visitor of a page gets it as Voila makes it, from a kernel forked from that
  template, which *replays* the cells (shows their results and sends their widgets'
  messages again, without running them); the server keeps the page Voila wrote;
* every later visitor gets that page as it was written, with a kernel forked from the same
  template (so it holds the same widgets, with the same ids) put in place of the first
  kernel's id. No cell runs for them, in the kernel or in the server.

A page is remembered with the run it came from (``generation``); if that template has gone
(it died, or stopped when nobody had opened the page for a while), or the notebook or a
file in ``data/`` has changed since, the next visitor gets a page made again. Only pages
whose address matches ``CourseVoila.prepared_pages`` are made this way (the lessons and
landing pages, whose widgets start no thread and read no request: a page with a query
string is always made for its visitor), and only on the forking provisioner.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Made:
    """A page as Voila wrote it for the first visitor of one prepared run."""

    html: str
    kernel_id: str
    generation: str
    kernel_name: str
    held: bool = False  # the page's widget state is all its kernel holds, as it holds it
    version: str = ""  # of the notebook and what it reads (PreparedPages.version)

    def for_kernel(self, kernel_id: str) -> str:
        """The page for another kernel of the same run (kernel ids are uuid4s: unique).
        If ``held``, the page's widget state says so (``data-course-held``): the front end
        then need not ask the kernel for the states it already has."""
        html = self.html.replace(self.kernel_id, kernel_id)
        if self.held:
            html = html.replace(STATE_SCRIPT, STATE_SCRIPT + " data-course-held", 1)
        return html


class PreparedPages:
    """Which pages are made once, and the pages made (bookkeeping; the only I/O is reading
    whether a page exists and when files last changed)."""

    def __init__(
        self,
        root_dir: str,
        pattern: str,
        retry_after: float = 600,
        clock=time.monotonic,
        read: list[Path] | tuple = (),
    ):
        self.read = [Path(p) for p in read]  # folders the pages read (the course's data/)
        self.root = Path(root_dir).resolve()
        self.pattern = re.compile(pattern) if pattern else None
        self.retry_after, self.clock = retry_after, clock
        self._made: dict[str, Made] = {}
        self._failed: dict[str, float] = {}  # page -> until when it is made as usual
        self._making: dict[str, asyncio.Event] = {}  # page -> set once it has been made
        self._read_checked: tuple[float, int] = (float("-inf"), 0)  # (until when, latest)

    def wanted(self, path: str | None, arguments: dict) -> bool:
        """Whether the page at ``path`` (relative to the root) is made once: its address
        matches, and the request has no query string (the page could read it)."""
        if self.pattern is None or not path or arguments or not self.pattern.fullmatch(path):
            return False
        if self._failed.get(path, 0) > self.clock():
            return False
        return (self.root / path).is_file()

    def failed(self, path: str) -> None:
        """Its page could not be prepared (the log says why): made as usual for a while."""
        self._failed[path] = self.clock() + self.retry_after

    def notebook(self, path: str) -> str:
        return str(self.root / path)

    def version(self, path: str) -> str:
        """When the page, or any file it reads (``read``), last changed: a page edited on a
        running server is made again, from a template that runs the new version."""
        return str(max((self.root / path).stat().st_mtime_ns, self._read_version()))

    def _read_version(self) -> int:
        """The latest change under ``read``, looked up at most once a second (it walks the
        folders; every visitor of every page made once asks)."""
        now = self.clock()
        if now >= self._read_checked[0]:
            times = [0]
            for folder in self.read:
                for found in folder.rglob("*"):
                    with contextlib.suppress(OSError):
                        times.append(found.stat().st_mtime_ns)
            self._read_checked = (now + 1.0, max(times))
        return self._read_checked[1]

    def made(self, path: str, live: set[str], version: str = "") -> Made | None:
        """The page made for ``path`` if its run is one of ``live`` and it is of this
        ``version``; else forget it."""
        made = self._made.get(path)
        if made is not None and (made.generation not in live or made.version != version):
            del self._made[path]
            return None
        return made

    async def wait_while_made(self, path: str, timeout: float) -> None:
        """If another visitor's request is making this page now, wait until it is done
        (at most ``timeout`` s): visitors arriving together then get the page made once."""
        making = self._making.get(path)
        if making is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(making.wait(), timeout)

    @contextlib.contextmanager
    def making(self, path: str):
        """While a request makes the page (the others wait, ``wait_while_made``)."""
        event = self._making.setdefault(path, asyncio.Event())
        try:
            yield
        finally:
            if self._making.get(path) is event:
                del self._making[path]
            event.set()

    def remember(self, path: str, made: Made) -> None:
        self._made[path] = made

    def forget(self, path: str) -> None:
        self._made.pop(path, None)


STATE_SCRIPT = '<script id="course-widget-state"'  # the page template's, with the state


def state_ids_in(html: str) -> set[str] | None:
    """The widget ids whose state the page holds (its ``course-widget-state`` script), or
    None if it has none."""
    start = html.find(STATE_SCRIPT)
    if start < 0:
        return None
    start = html.index(">", start) + 1
    try:
        document = json.loads(html[start : html.index("</script>", start)])
    except ValueError:
        return None
    return set(document.get("state", {})) if document else None


def from_run(html: str, comms: frozenset[str]) -> bool:
    """Whether a page is fit to give other kernels of its run: written whole (``</html>``),
    with no cell's error in it, and every widget whose state it holds made by the run
    (``comms``), not by a cell its kernel ran itself."""
    ids = state_ids_in(html)
    return (
        html.rstrip().endswith("</html>")
        and not _ERROR_OUTPUT.search(html)
        and (ids is None or ids <= comms)
    )


# A cell's error, as Voila's page shows it (nbconvert's stderr output), or as output JSON.
_ERROR_OUTPUT = re.compile(r'"output_type":\s*"error"|application/vnd\.jupyter\.stderr')


def holds_all(html: str, comms: frozenset[str]) -> bool:
    """Whether a page made from a prepared run holds every widget a kernel of that run has
    (``comms``): then its state is the kernel's, and nothing needs asking."""
    ids = state_ids_in(html)
    return bool(comms) and ids is not None and comms <= ids


def kernel_id_in(html: str) -> str | None:
    """The kernel id a Voila page names (``"kernelId": "..."`` in its page config)."""
    found = re.search(r'"kernelId": "([0-9a-f-]{36})"', html)
    return found.group(1) if found else None
