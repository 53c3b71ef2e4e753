"""Ready kernels on top of Voila's pools: for the pages learners are on now
(``Readiness``), and for a workshop's room (``Room``).

Runs in the server's process. What a facilitator's page sends is checked by
``widgets.logic.room``; the facilitator's panel is ``widgets.room`` (in a kernel).
"""

from __future__ import annotations

import math
import time
from pathlib import Path

from widgets.server import voila_internals


class Room:
    """The facilitator's room: ready kernels for N people on a few pages, for a while.

    Voila keeps ``pool_size`` ready kernels per page (``kernel_pools_config``) and
    refills a page's pool each time a visitor takes one. A room raises the pool of
    each requested page to N; each visitor who opens the page takes one, and the
    pool is refilled only up to what the rest of the room still needs (never below
    the page's usual size), so a room of 30 costs 30 kernels, not 30 plus a refill
    of 30. On release (or when its time is up) the sizes go back and the surplus
    ready kernels are shut down. Voila has no public call to resize a pool, so the
    room wraps ``fill_if_needed`` and trims the manager's list of pool entries, through
    ``voila_internals``.
    """

    def __init__(
        self,
        kernel_manager,
        root_dir: str,
        key: str,
        max_size: int,
        max_minutes: int,
        servers: int = 1,
    ):
        self.servers = servers  # course servers sharing the room (behind a load balancer)
        self.km, self.root_dir, self.key = kernel_manager, Path(root_dir), key
        self.max_size, self.max_minutes = max_size, max_minutes
        self._saved: dict[str, dict | None] = {}  # page -> its pool config before the room
        self._opened: dict[str, int] = {}
        self._size = self._requested = 0
        self._timer = None
        self._until = 0.0
        if self.pooled:
            voila_internals.check_kernel_manager(kernel_manager)
            self._fill = voila_internals.wrap_fill(kernel_manager, self._fill_if_needed)

    @property
    def pooled(self) -> bool:
        """Whether ready kernels are on (``VoilaConfiguration.preheat_kernel``)."""
        return voila_internals.pools_on(self.km)

    def known_pages(self) -> set[str]:
        """Pages that may be pooled: the course's notebooks, minus Voila's denylist."""
        return poolable_pages(self.km, self.root_dir)

    def holds(self, page: str) -> bool:
        """Whether the room is holding ready kernels for ``page`` now."""
        return page in self._saved

    def _usual(self, page: str) -> int:
        """The page's pool size without a room."""
        config = voila_internals.pool_config(self.km)
        before = self._saved[page] if page in self._saved else config.get(page)
        return int((before or config.get("default", {})).get("pool_size", 1))

    def _set_size(self, page: str, size: int) -> None:
        config = voila_internals.pool_config(self.km)
        config[page] = {**(self._saved.get(page) or {}), "pool_size": size}
        voila_internals.set_pool_config(self.km, config)

    def _fill_if_needed(self, delay=None, notebook_name=None, **kwargs):
        # Voila calls this with delay=None right after a visitor took a ready kernel.
        if notebook_name in self._saved and delay is None:
            self._opened[notebook_name] += 1
            left = self._size - self._opened[notebook_name]
            self._set_size(notebook_name, max(self._usual(notebook_name), left))
        return self._fill(delay=delay, notebook_name=notebook_name, **kwargs)

    def prepare(self, body: object) -> dict:
        from tornado.ioloop import IOLoop

        from widgets.logic.room import RoomError, parse_request, room_share

        if not self.pooled:
            raise RoomError(
                "ready kernels are switched off on this server (VoilaConfiguration.preheat_kernel)"
            )
        request = parse_request(body, self.max_size, self.max_minutes, self.known_pages())
        self.release()
        config = voila_internals.pool_config(self.km)
        self._saved = {page: config.get(page) for page in request.pages}
        self._opened = dict.fromkeys(request.pages, 0)
        self._requested = request.size
        self._size = room_share(request.size, self.servers)  # this server's share
        for page in request.pages:
            self._set_size(page, max(self._usual(page), self._size))
            self._fill(delay=0, notebook_name=page)
        self._until = time.monotonic() + request.minutes * 60
        self._timer = IOLoop.current().call_later(request.minutes * 60, self.release)
        return self.status()

    def release(self) -> None:
        if not self._saved:
            return
        from tornado.ioloop import IOLoop

        if self._timer is not None:
            IOLoop.current().remove_timeout(self._timer)
            self._timer = None
        config = voila_internals.pool_config(self.km)
        for page, before in self._saved.items():
            if before is None:
                config.pop(page, None)
            else:
                config[page] = before
        voila_internals.set_pool_config(self.km, config)
        pages, self._saved, self._opened = list(self._saved), {}, {}
        for page in pages:
            self._shrink(page)

    def _shrink(self, page: str) -> None:
        shrink(self.km, page, self._usual(page))

    def status(self) -> dict:
        def ready(page: str) -> int:
            return sum(
                1
                for t in voila_internals.pools(self.km).get(page, [])
                if t.done() and not t.cancelled() and t.exception() is None
            )

        pages = {
            page: {"ready": ready(page), "opened": self._opened[page], "size": self._requested}
            for page in self._saved
        }
        left = math.ceil((self._until - time.monotonic()) / 60) if pages else None
        return {"pages": pages, "minutes_left": left, "max_size": self.max_size}


def poolable_pages(kernel_manager, root_dir) -> set[str]:
    """The course's notebooks that Voila may pool (minus its denylist), as pool keys."""
    root = Path(root_dir)
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*.ipynb")
        if voila_internals.may_pool(kernel_manager, p.relative_to(root))
    }


def pool_size(config: dict, page: str) -> int:
    """How many ready kernels ``config`` (``kernel_pools_config``) gives ``page``."""
    return int((config.get(page) or config.get("default", {})).get("pool_size", 1))


def shrink(kernel_manager, page: str, size: int) -> None:
    """Keep at most ``size`` ready kernels for ``page``; shut the others down."""
    from tornado.ioloop import IOLoop

    pool = voila_internals.pools(kernel_manager).get(page, [])
    surplus, pool[:] = pool[size:], pool[:size]
    for task in surplus:
        IOLoop.current().add_callback(_discard, kernel_manager, task)


async def _discard(kernel_manager, task) -> None:
    try:
        ready = await task
    except Exception:  # noqa: BLE001 - a kernel that failed to start has nothing to stop
        return
    # Let the server finish running the page in it first: shut down mid-run, the
    # server's reading of its messages fails (a ZMQError traceback in the log).
    rendering = ready.get("task")
    if rendering is not None:
        try:
            await rendering
        except Exception:  # noqa: BLE001 - a page that failed to run is shut down all the same
            pass
    try:
        await kernel_manager.shutdown_kernel(ready["kernel_id"])
    except (KeyError, RuntimeError):  # already shut down (by a visitor's tab, the culler)
        pass


class Readiness:
    """Ready kernels follow the learners: the pages someone is on, and the lesson after.

    ``voila.json`` keeps ready kernels all the time only for the ways in (the landing
    pages and lesson 01); every other page has none (``"default": {"pool_size": 0}``).
    When someone opens a page, that page and the next lesson (the page's "Next" link)
    each get one ready kernel, kept while someone opened either within ``minutes``;
    then it is shut down. So a learner moving on through the course finds the next
    lesson ready, a second visitor finds the page ready, and a quiet server keeps a
    handful of kernels instead of one for every page in every language (33 with
    Spanish: 1.5 GB RSS). The first visitor to a page nobody opened recently gets a
    kernel started for them (forked: about half a second later than a ready one).

    Only the course's own pages count (``pages``: pool keys such as ``"es/05-….ipynb"``),
    never another spelling of an address. Pages with a configured pool (one or more) and
    pages Voila does not pool (its denylist) are left alone, and so is a page while a
    room holds it. ``visited`` is called by the render handler once a page has been
    served, ``sweep`` about once a minute.
    """

    def __init__(
        self,
        kernel_manager,
        pages: set[str],
        following: dict[str, str],
        minutes: float,
        room: Room | None = None,
        clock=time.monotonic,
    ):
        self.km, self.pages, self.following, self.room = kernel_manager, pages, following, room
        self.seconds, self.clock = minutes * 60, clock
        self._until: dict[str, float] = {}  # page -> when its ready kernel may go
        self.delay = float(getattr(kernel_manager, "fill_delay", 0) or 0)
        self._configured = voila_internals.pool_config(kernel_manager)

    def managed(self, page: str) -> bool:
        """One of the course's pages, without ready kernels of its own."""
        return page in self.pages and pool_size(self._configured, page) == 0

    def ready_pages(self) -> list[str]:
        """The pages kept ready because learners are on them or the page before."""
        return sorted(self._until)

    def visited(self, page: str) -> None:
        until = self.clock() + self.seconds
        for wanted in (page, self.following.get(page)):
            if wanted is None or not self.managed(wanted):
                continue
            self._until[wanted] = until
            if self.room and self.room.holds(wanted):
                continue  # the room fills it; followed again once the room lets go
            config = voila_internals.pool_config(self.km)
            if pool_size(config, wanted) == 0:  # (a released room may have reset it)
                config[wanted] = {**(config.get(wanted) or {}), "pool_size": 1}
                voila_internals.set_pool_config(self.km, config)
                self.km.fill_if_needed(delay=self.delay, notebook_name=wanted)

    def sweep(self) -> None:
        now = self.clock()
        for page, until in list(self._until.items()):
            if until > now or (self.room and self.room.holds(page)):
                continue
            del self._until[page]
            config = voila_internals.pool_config(self.km)
            config.pop(page, None)
            if page in self._configured:
                config[page] = self._configured[page]
            voila_internals.set_pool_config(self.km, config)
            shrink(self.km, page, 0)
