"""The course server's own request handlers (run in the server's process).

* ``CourseRenderHandler``: Voila's page handler, also setting the ``_xsrf`` cookie the
  page's tab-close shutdown request sends back (Voila issue 1458), telling
  ``Readiness`` which page was opened, and serving the pages made once
  (``widgets.server.prepared``);
* ``TemplateStaticHandler``: Voila's template static files, 404 for a malformed path;
* ``JoinHandler``: ``/join`` and ``/join/<CODE>``, the short address shown to a room;
* ``RoomHandler``: ``/course/room``, getting the room ready (``widgets.server.pools``).

The two Voila classes subclassed here are named, with every other Voila internal the
server relies on, in ``widgets.server.voila_internals``.
"""

from __future__ import annotations

import hmac
import json
import posixpath
import re

import tornado.web

from widgets.logic import room as room_rules
from widgets.server import forking, voila_internals
from widgets.server import prepared as prepared_pages
from widgets.server.pools import Readiness, Room
from widgets.server.prepared import PreparedPages
from widgets.server.voila_internals import handler_classes

TornadoVoilaHandler, TemplateStaticFileHandler = handler_classes()


class CourseRenderHandler(TornadoVoilaHandler):
    """Voila's page handler; pages in ``prepared`` are made once (``widgets.server.prepared``)."""

    _making: list[str] | None = None

    def initialize(
        self,
        readiness: Readiness | None = None,
        prepared: PreparedPages | None = None,
        room: Room | None = None,
        **kwargs,
    ):
        self.readiness, self.prepared, self.room = readiness, prepared, room
        super().initialize(**kwargs)

    @tornado.web.authenticated
    async def get(self, path=None):
        if (
            self.prepared is not None
            and self.prepared.wanted(path, self.request.arguments)
            and not (self.room is not None and self.room.holds(path))  # its ready kernels
        ):
            await self._get_prepared(path)
            return
        await super().get(path)
        # Once the page has its kernel (a ready one is never held back by this): the
        # page and the lesson after it get a ready kernel for the next learner.
        if self.readiness is not None and path and self.get_status() == 200:
            self.readiness.visited(path)

    async def _get_prepared(self, path: str) -> None:
        notebook = self.prepared.notebook(path)
        await self.prepared.wait_while_made(path, timeout=30)
        version = self.prepared.version(path)
        made = self.prepared.made(path, forking.live_generations(notebook), version)
        if made is not None:
            token = forking.prepared_notebook.set((notebook, made.generation, version))
            try:
                kernel_id = await self.kernel_manager.start_kernel(
                    kernel_name=made.kernel_name,
                    path=posixpath.dirname(path),
                    env=voila_internals.kernel_env(self),
                )
            except forking.PreparedGone:  # its template went since the line above
                self.prepared.forget(path)
            else:
                self.set_header("Content-Type", "text/html")
                self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
                self.set_header("Pragma", "no-cache")
                self.set_header("Expires", "0")
                self.finish(made.for_kernel(kernel_id))
                return
            finally:
                forking.prepared_notebook.reset(token)
        # Made by Voila, in a kernel from the page's prepared template; kept for the next.
        with self.prepared.making(path):
            self._making = []
            token = forking.prepared_notebook.set((notebook, None, version))
            try:
                await super().get(path)
            finally:
                forking.prepared_notebook.reset(token)
            html, self._making = "".join(self._making), None
            self._remember(path, html, version)

    def _remember(self, path: str, html: str, version: str) -> None:
        """Keep the page Voila wrote, if its kernel came from the page's prepared template."""
        kernel_id = prepared_pages.kernel_id_in(html)
        if self.get_status() != 200 or kernel_id is None:
            return
        try:
            kernel = self.kernel_manager.get_kernel(kernel_id)
        except KeyError:  # the visitor has gone already
            return
        provisioner = getattr(kernel, "provisioner", None)
        generation = getattr(provisioner, "generation", None)
        comms = getattr(provisioner, "held_comms", frozenset())
        if generation is None or not prepared_pages.from_run(html, comms):
            # Not prepared (the log says why), or its kernel ran cells itself, or the page
            # is not whole: this visitor got it as usual; the next ones do for a while.
            self.prepared.failed(path)
            return
        held = prepared_pages.holds_all(html, comms)
        made = prepared_pages.Made(html, kernel_id, generation, kernel.kernel_name, held, version)
        self.prepared.remember(path, made)

    async def get_generator(self, path=None):
        async for html in super().get_generator(path):
            if self._making is not None:
                self._making.append(html)
            yield html

    def should_use_rendered_notebook(self, notebook_data, *args, **kwargs):
        # A page being made once takes a kernel of its prepared template, not a ready one.
        if self._making is not None:
            return False
        return super().should_use_rendered_notebook(notebook_data, *args, **kwargs)

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


class HomeHandler(tornado.web.RequestHandler):
    """``{server_url}``: the landing page in the browser's language when the course is
    offered in it (``Accept-Language``), else in English. Deciding here, not in the page,
    spares a kernel for a page nobody would read. A language chosen in the menu is
    remembered by the page itself (course.js), in the browser only."""

    def initialize(self, homes: dict[str, str]) -> None:
        self.homes = homes  # language -> its landing page's address

    def get(self) -> None:
        from widgets.i18n import preferred

        language = preferred(self.request.headers.get("Accept-Language", ""), list(self.homes))
        self.set_header("Vary", "Accept-Language")
        self.redirect(self.homes.get(language) or next(iter(self.homes.values())))


class JoinHandler(tornado.web.RequestHandler):
    """``{server_url}join`` and ``{server_url}join/<CODE>``: the short address a
    facilitator shows the room. Redirects to the join page, with the code in its
    address (the page fills it in); anything but letters, digits and "-" is dropped.
    ``/join`` opens the join page in the browser's language when the course is offered
    in it (``pages``: language -> join page); ``/es/join`` always the Spanish one."""

    def initialize(self, pages: dict[str, str]) -> None:
        self.pages = pages

    def get(self, code: str | None = None) -> None:
        from widgets.i18n import preferred

        language = preferred(self.request.headers.get("Accept-Language", ""), list(self.pages))
        target = self.pages.get(language) or next(iter(self.pages.values()))
        cleaned = re.sub(r"[^A-Za-z0-9-]", "", code or "")[:12]
        if cleaned:
            target += "?code=" + cleaned
        if len(self.pages) > 1:
            self.set_header("Vary", "Accept-Language")
        self.redirect(target)


class RoomHandler(tornado.web.RequestHandler):
    """``{server_url}course/room``: GET the room's status, POST ``{"pages": [...],
    "size": n}`` to get it ready, DELETE to release it. Every request needs the
    room key in ``X-Course-Room-Key``; a browser cannot send that header to
    another site without its consent, so there is no XSRF cookie to check.

    Behind a load balancer (``widgets.server.balance``) each request is passed on to
    the other course servers (``peers``), each preparing its share of the room, and
    the answer adds up what they all have ready."""

    def initialize(self, room: Room, peers: tuple[str, ...] = ()) -> None:
        self.room, self.peers = room, peers

    def check_xsrf_cookie(self) -> None:
        return None

    def prepare(self) -> None:
        given = self.request.headers.get(room_rules.KEY_HEADER, "").encode()
        if not hmac.compare_digest(given, self.room.key.encode()):
            raise tornado.web.HTTPError(403)

    async def _from_peers(self, method: str) -> list[dict]:
        """The same request, passed on to every other server (not passed on again)."""
        if self.request.headers.get(room_rules.FORWARDED_HEADER) or not self.peers:
            return []
        from tornado.httpclient import AsyncHTTPClient

        client, answers = AsyncHTTPClient(), []
        for peer in self.peers:
            reply = await client.fetch(
                peer.rstrip("/") + "/" + room_rules.ROUTE.lstrip("/"),
                method=method,
                headers={room_rules.KEY_HEADER: self.room.key, room_rules.FORWARDED_HEADER: "1"},
                body=self.request.body if method == "POST" else None,
                allow_nonstandard_methods=True,
                raise_error=False,
                request_timeout=10,
            )
            if reply.code == 200:
                answers.append(json.loads(reply.body))
        return answers

    async def get(self) -> None:
        self.finish(room_rules.combine_status([self.room.status(), *await self._from_peers("GET")]))

    async def post(self) -> None:
        try:
            body = json.loads(self.request.body or b"null")
        except ValueError:
            body = None
        try:
            own = self.room.prepare(body)
        except room_rules.RoomError as exc:
            self.set_status(400)
            self.finish({"error": str(exc)})
            return
        self.finish(room_rules.combine_status([own, *await self._from_peers("POST")]))

    async def delete(self) -> None:
        self.room.release()
        self.finish(
            room_rules.combine_status([self.room.status(), *await self._from_peers("DELETE")])
        )
