"""Serve the course with Voila: ``python -m widgets.serve [voila options]``.

This is plain Voila (standalone, directory mode over ``notebooks/``) with the
project's configuration (``voila.json``: preheated kernels, kernels over IPC,
culling) and what Voila lacks:

* the course template in ``share/jupyter`` is found without installing it,
  by putting that folder on ``JUPYTER_PATH``, and so is a lean kernelspec in
  ``share/course-kernel`` (the usual ``python3`` kernel without the debugger
  library or input history: about 9 MB less per visitor);
* ``/`` goes to the landing page instead of a file browser;
* a malformed path to the template's static files gets 404, not Voila's 500;
* closing a tab really shuts its kernel down. Voila's page sends the shutdown
  request with the ``_xsrf`` cookie, but the render page never sets that cookie
  (Voila issue 1458), so the request is refused and kernels linger. Here the
  render page sets it, and XSRF protection stays on for every request;
* the server gives freed memory back every few seconds (``malloc_trim``), so
  less of the peak of rendering many pages at once stays with the server;
* a workshop's facilitator can get the room ready: ``/course/room`` prepares up
  to ``CourseVoila.room_size`` ready kernels for the join page and the lesson
  being taught, for up to two hours (``Room``; the facilitator page's panel,
  ``widgets.room``, asks for it with a key only kernels are given).

Kernels over IPC (unix sockets) need Linux or macOS.
"""

from __future__ import annotations

import math
import os
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LANDING = "voila/render/00-index.ipynb"
JOIN_PAGE = "voila/render/workshop/join.ipynb"  # the short address /join leads here


SHARED = [REPO / "share" / "course-kernel", REPO / "share" / "jupyter"]


def _put_template_on_path() -> None:
    ours = [str(p) for p in SHARED]
    rest = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p and p not in ours]
    os.environ["JUPYTER_PATH"] = os.pathsep.join([*ours, *rest])


def course_resources() -> dict:
    """What the template needs to draw the lesson menu and previous/next links."""
    from widgets.content import LANDING, load_content

    content = load_content()
    lessons = [
        {
            "id": lesson.id,
            "number": n,
            "title": lesson.title,
            "minutes": lesson.minutes,
            "ready": lesson.ready,
        }
        for n, lesson in enumerate(content.course.lessons, start=1)
    ]
    pages = [LANDING, *(lesson.id for lesson in content.course.lessons if lesson.ready)]
    nav = {}
    for page in pages:
        before, after = content.neighbours(page)
        nav[page] = {
            "prev": {"id": before.id, "title": before.title} if before else None,
            "next": {"id": after.id, "title": after.title} if after else None,
        }
    return {
        "title": content.course.title,
        "disclaimer": content.course.disclaimer,
        "lessons": lessons,
        "nav": nav,  # page -> its previous and next lessons (Content.neighbours)
    }


class Room:
    """The facilitator's room: ready kernels for N people on a few pages, for a while.

    Voila keeps ``pool_size`` ready kernels per page (``kernel_pools_config``) and
    refills a page's pool each time a visitor takes one. A room raises the pool of
    each requested page to N; each visitor who opens the page takes one, and the
    pool is refilled only up to what the rest of the room still needs (never below
    the page's usual size), so a room of 30 costs 30 kernels, not 30 plus a refill
    of 30. On release (or when its time is up) the sizes go back and the surplus
    ready kernels are shut down. Voila has no public call to resize a pool, so the
    room wraps ``fill_if_needed`` and trims the manager's list of pool entries.
    """

    def __init__(self, kernel_manager, root_dir: str, key: str, max_size: int, max_minutes: int):
        self.km, self.root_dir, self.key = kernel_manager, Path(root_dir), key
        self.max_size, self.max_minutes = max_size, max_minutes
        self._saved: dict[str, dict | None] = {}  # page -> its pool config before the room
        self._opened: dict[str, int] = {}
        self._size = 0
        self._timer = None
        self._until = 0.0
        if self.pooled:
            self._fill = kernel_manager.fill_if_needed
            kernel_manager.fill_if_needed = self._fill_if_needed

    @property
    def pooled(self) -> bool:
        return hasattr(self.km, "fill_if_needed") and hasattr(self.km, "_pools")

    def known_pages(self) -> set[str]:
        """Pages that may be pooled: the course's notebooks, minus Voila's denylist."""
        return {
            p.relative_to(self.root_dir).as_posix()
            for p in self.root_dir.rglob("*.ipynb")
            if self.km._notebook_filter(p.relative_to(self.root_dir))
        }

    def _usual(self, page: str) -> int:
        """The page's pool size without a room."""
        config = self.km.kernel_pools_config
        before = self._saved[page] if page in self._saved else config.get(page)
        return int((before or config.get("default", {})).get("pool_size", 1))

    def _set_size(self, page: str, size: int) -> None:
        config = dict(self.km.kernel_pools_config)
        config[page] = {**(self._saved.get(page) or {}), "pool_size": size}
        self.km.kernel_pools_config = config

    def _fill_if_needed(self, delay=None, notebook_name=None, **kwargs):
        # Voila calls this with delay=None right after a visitor took a ready kernel.
        if notebook_name in self._saved and delay is None:
            self._opened[notebook_name] += 1
            left = self._size - self._opened[notebook_name]
            self._set_size(notebook_name, max(self._usual(notebook_name), left))
        return self._fill(delay=delay, notebook_name=notebook_name, **kwargs)

    def prepare(self, body: object) -> dict:
        from tornado.ioloop import IOLoop

        from widgets.logic.room import RoomError, parse_request

        if not self.pooled:
            raise RoomError(
                "ready kernels are switched off on this server (VoilaConfiguration.preheat_kernel)"
            )
        request = parse_request(body, self.max_size, self.max_minutes, self.known_pages())
        self.release()
        config = self.km.kernel_pools_config
        self._saved = {page: config.get(page) for page in request.pages}
        self._opened = dict.fromkeys(request.pages, 0)
        self._size = request.size
        for page in request.pages:
            self._set_size(page, max(self._usual(page), request.size))
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
        config = dict(self.km.kernel_pools_config)
        for page, before in self._saved.items():
            if before is None:
                config.pop(page, None)
            else:
                config[page] = before
        self.km.kernel_pools_config = config
        pages, self._saved, self._opened = list(self._saved), {}, {}
        for page in pages:
            self._shrink(page)

    def _shrink(self, page: str) -> None:
        from tornado.ioloop import IOLoop

        size = self._usual(page)
        pool = self.km._pools.get(page, [])
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
                for t in self.km._pools.get(page, [])
                if t.done() and not t.cancelled() and t.exception() is None
            )

        pages = {
            page: {"ready": ready(page), "opened": self._opened[page], "size": self._size}
            for page in self._saved
        }
        left = math.ceil((self._until - time.monotonic()) / 60) if pages else None
        return {"pages": pages, "minutes_left": left, "max_size": self.max_size}


def make_app_class():
    """Build the Voila subclass (imports Voila only when serving)."""
    import hmac
    import json
    import secrets

    import tornado.web
    from jupyter_server.utils import url_path_join
    from tornado.ioloop import PeriodicCallback
    from traitlets import Float, Int, default
    from voila.app import Voila
    from voila.static_file_handler import TemplateStaticFileHandler
    from voila.tornado.handler import TornadoVoilaHandler

    from widgets.logic import room as room_rules

    class CourseRenderHandler(TornadoVoilaHandler):
        async def prepare(self, *args, **kwargs):
            result = super().prepare(*args, **kwargs)
            if result is not None:
                await result
            # Reading the token makes Tornado set the _xsrf cookie on this page,
            # which the page's tab-close shutdown request then sends back.
            self.xsrf_token  # noqa: B018
            return result

    class TemplateStaticHandler(TemplateStaticFileHandler):
        """Voila's handler for the template's static files, answering 404 (not 500 and a
        traceback in the log) to a path that is not ``<template>/static/<file>``."""

        def parse_url_path(self, path):
            try:
                return super().parse_url_path(path)
            except (AssertionError, ValueError):
                raise tornado.web.HTTPError(404) from None

        @classmethod
        def get_absolute_path(cls, root, path):
            try:
                return super().get_absolute_path(root, path)
            except (AssertionError, ValueError):
                raise tornado.web.HTTPError(404) from None

    class JoinHandler(tornado.web.RequestHandler):
        """``{server_url}join`` and ``{server_url}join/<CODE>``: the short address a
        facilitator shows the room. Redirects to the join page, with the code in its
        address (the page fills it in); anything but letters, digits and "-" is dropped."""

        def initialize(self, page: str) -> None:
            self.page = page

        def get(self, code: str | None = None) -> None:
            target = self.page
            cleaned = re.sub(r"[^A-Za-z0-9-]", "", code or "")[:12]
            if cleaned:
                target += "?code=" + cleaned
            self.redirect(target)

    class RoomHandler(tornado.web.RequestHandler):
        """``{server_url}course/room``: GET the room's status, POST ``{"pages": [...],
        "size": n}`` to get it ready, DELETE to release it. Every request needs the
        room key in ``X-Course-Room-Key``; a browser cannot send that header to
        another site without its consent, so there is no XSRF cookie to check."""

        def initialize(self, room: Room) -> None:
            self.room = room

        def check_xsrf_cookie(self) -> None:
            return None

        def prepare(self) -> None:
            given = self.request.headers.get(room_rules.KEY_HEADER, "").encode()
            if not hmac.compare_digest(given, self.room.key.encode()):
                raise tornado.web.HTTPError(403)

        def get(self) -> None:
            self.finish(self.room.status())

        def post(self) -> None:
            try:
                body = json.loads(self.request.body or b"null")
            except ValueError:
                body = None
            try:
                self.finish(self.room.prepare(body))
            except room_rules.RoomError as exc:
                self.set_status(400)
                self.finish({"error": str(exc)})

        def delete(self) -> None:
            self.room.release()
            self.finish(self.room.status())

    class CourseVoila(Voila):
        name = "voila"  # keep Voila's config section and voila.json file name

        room_size = Int(
            30,
            config=True,
            help="Most ready kernels a facilitator may ask for, per page, for a workshop "
            "(the join page and the lesson being taught): about 60 MB each while "
            "they wait. 0 switches getting the room ready off.",
        )
        room_minutes = Int(120, config=True, help="Longest a room stays ready, in minutes.")

        malloc_trim_interval = Float(
            5.0,
            config=True,
            help="Seconds between giving the server's freed memory back to the system "
            "(glibc malloc_trim); 0 = never. Rendering many pages at once leaves "
            "the server's heap at its peak otherwise (make bench: 30 visitors at "
            "once on lesson 05, server RSS 224 MB without, 195 MB with).",
        )

        def initialize(self, argv=None):
            # Kernels inherit the server's environment: the facilitator page's kernel
            # reads the room key from it. Visitors' pages cannot run code to read it.
            os.environ.setdefault(room_rules.KEY_ENV, secrets.token_urlsafe(32))
            super().initialize(argv)
            os.environ[room_rules.SIZE_ENV] = str(self.room_size)
            # Where the facilitator page's kernel reaches this server (same machine).
            everywhere = self.ip in ("", "0.0.0.0", "::", "*", "localhost")
            os.environ[room_rules.HOST_ENV] = "127.0.0.1" if everywhere else self.ip
            trim = _malloc_trim()
            if self.malloc_trim_interval > 0 and trim is not None:
                self._trimmer = PeriodicCallback(trim, self.malloc_trim_interval * 1000)
                self._trimmer.start()
            # Extra template resources (Voila passes VoilaConfiguration.resources to
            # every page): the lesson list for the menu and previous/next.
            extra = dict(self.config.VoilaConfiguration.get("resources", {}) or {})
            extra["course"] = course_resources()
            self.config.VoilaConfiguration.resources = extra

        @default("config_file_paths")
        def _course_config_paths(self):
            return [str(REPO), *super()._config_file_paths_default()]

        def init_handlers(self):
            handlers = []
            for spec in super().init_handlers():
                if len(spec) >= 2 and spec[1] is TornadoVoilaHandler:
                    spec = (spec[0], CourseRenderHandler, *spec[2:])
                elif len(spec) >= 2 and spec[1] is TemplateStaticFileHandler:
                    spec = (spec[0], TemplateStaticHandler, *spec[2:])
                handlers.append(spec)
            home = url_path_join(self.server_url, LANDING)
            join = url_path_join(self.server_url, JOIN_PAGE)
            ours = [
                (url_path_join(self.server_url, "/?"), tornado.web.RedirectHandler, {"url": home}),
                (url_path_join(self.server_url, r"/join/?"), JoinHandler, {"page": join}),
                (
                    url_path_join(self.server_url, r"/join/([^/]{1,40})/?"),
                    JoinHandler,
                    {"page": join},
                ),
            ]
            if self.room_size > 0:
                room = Room(
                    self.kernel_manager,
                    self.root_dir,
                    os.environ[room_rules.KEY_ENV],
                    self.room_size,
                    self.room_minutes,
                )
                ours.append(
                    (url_path_join(self.server_url, room_rules.ROUTE), RoomHandler, {"room": room})
                )
            return [*ours, *handlers]

    return CourseVoila


def _malloc_trim():
    """glibc's malloc_trim(0) as a callable, or None on another C library."""
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    return lambda: trim(0)


def main(argv: list[str] | None = None) -> None:
    _put_template_on_path()
    args = list(sys.argv[1:] if argv is None else argv)
    if not any(not a.startswith("-") for a in args):
        args.append(str(REPO / "notebooks"))
    app = make_app_class()
    app.launch_instance(args)


if __name__ == "__main__":
    main()
