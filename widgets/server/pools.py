"""Getting the room ready: ready kernels for a workshop, on top of Voila's pools.

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
        return hasattr(self.km, "fill_if_needed")

    def known_pages(self) -> set[str]:
        """Pages that may be pooled: the course's notebooks, minus Voila's denylist."""
        return {
            p.relative_to(self.root_dir).as_posix()
            for p in self.root_dir.rglob("*.ipynb")
            if voila_internals.may_pool(self.km, p.relative_to(self.root_dir))
        }

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
        from tornado.ioloop import IOLoop

        size = self._usual(page)
        pool = voila_internals.pools(self.km).get(page, [])
        surplus, pool[:] = pool[size:], pool[:size]
        for task in surplus:
            IOLoop.current().add_callback(self._discard, task)

    async def _discard(self, task) -> None:
        try:
            kernel_id = (await task)["kernel_id"]
        except Exception:  # noqa: BLE001 - a kernel that failed to start has nothing to stop
            return
        await self.km.shutdown_kernel(kernel_id)

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
