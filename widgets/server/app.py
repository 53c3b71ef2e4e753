"""Serve the course with Voila: ``python -m widgets.server [voila options]``.

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
  being taught, for up to two hours (``widgets.server.pools.Room``; the facilitator
  page's panel, ``widgets.room``, asks for it with a key only kernels are given);
* visitors' kernels are forked from a warm template (``widgets.server.forking``,
  chosen in the lean kernelspec);
* lessons and landing pages are made once (``CourseVoila.prepared_pages``,
  ``widgets.server.prepared``): their cells run once in a template, and each visitor
  gets the page with a kernel forked from it, holding its widgets; they keep no ready
  kernels;
* ready kernels follow the learners on the other pages: any page, and the lesson after
  it, gets one when someone opens it, for ``CourseVoila.ready_minutes``
  (``widgets.server.pools.Readiness``); with pages made once that is only the
  workshop's join page, or every page when ``prepared_pages`` is empty (then the
  landing pages and lesson 01 always have one, as ``voila.json`` says);
* it refuses to start on a Voila whose internals it relies on have changed
  (``widgets.server.voila_internals``).

What runs where: this package runs in the server's process; ``widgets`` (the tools,
``widgets.logic``, ``widgets.content``) runs in visitors' kernels and in tests;
``widgets.handouts`` and ``bench`` run offline. Kernels over IPC (unix sockets) need
Linux or macOS.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
LANDING = "voila/render/00-index.ipynb"
JOIN_PAGE = "voila/render/workshop/join.ipynb"  # the short address /join leads here


SHARED = [REPO / "share" / "course-kernel", REPO / "share" / "jupyter"]


def _put_template_on_path() -> None:
    ours = [str(p) for p in SHARED]
    rest = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p and p not in ours]
    os.environ["JUPYTER_PATH"] = os.pathsep.join([*ours, *rest])


def course_resources() -> dict:
    """What the template needs to draw a page's menus, previous/next links and words,
    in each of the course's languages (``sites``, by language code; a page says its
    language in its notebook's ``course_language`` metadata, English when absent)."""
    from widgets.i18n import catalogs

    sites = {code: _site(code) for code in catalogs.languages() if _has_pages(code)}
    offered = [code for code in catalogs.offered() if code in sites]
    for site in sites.values():
        # The language menu: every language offered to learners, and the page's own.
        site["languages"] = [
            {"code": code, "name": sites[code]["name"], "prefix": sites[code]["prefix"]}
            for code in sites
            if code in offered or code == site["code"]
        ]
    return {"sites": sites}


def _has_pages(code: str) -> bool:
    from widgets.content import NOTEBOOKS_DIR
    from widgets.i18n import SOURCE

    return code == SOURCE or (NOTEBOOKS_DIR / code / "00-index.ipynb").is_file()


def _site(code: str) -> dict:
    from widgets.content import LANDING, load_content
    from widgets.i18n import SOURCE, conventions, speaking
    from widgets.i18n.site import site_text

    with speaking(code):
        content = load_content()
        name = conventions()["name"]
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
        "code": code,
        "name": name,
        "prefix": "" if code == SOURCE else f"{code}/",  # where its notebooks are
        "title": content.course.title,
        "disclaimer": content.course.disclaimer,
        "lessons": lessons,
        "nav": nav,  # page -> its previous and next lessons (Content.neighbours)
        "text": site_text(code),
    }


def following_pages(sites: dict) -> dict[str, str]:
    """Each page's notebook -> the notebook its "Next" link opens, in every language
    (``"es/01-….ipynb"`` -> ``"es/02-….ipynb"``)."""
    following = {}
    for site in sites.values():
        for page, links in site["nav"].items():
            if links["next"]:
                following[f"{site['prefix']}{page}.ipynb"] = (
                    f"{site['prefix']}{links['next']['id']}.ipynb"
                )
    return following


def _no_ready_kernels_for_unoffered_languages(config) -> None:
    """A translation not yet offered to learners (``shipped: false``; a preview through
    ``COURSE_LANGUAGES`` included) gets no ready kernels: its pages are served (for
    translators and the tests), each with a kernel started when it is opened, but cost
    nothing while nobody opens them."""
    from widgets.i18n import catalogs

    offered = set(catalogs.shipped())
    hidden = [f"^{code}/" for code in catalogs.translations() if code not in offered]
    if hidden:
        denied = list(config.VoilaKernelManager.get("preheat_denylist", []))
        config.VoilaKernelManager.preheat_denylist = denied + hidden


def _pages_prepared(config) -> bool:
    """Whether the course kernel's provisioner forks kernels and prepares pages (the
    switches ``--ForkingProvisioner.enabled`` and ``--ForkingProvisioner.prepare``)."""
    from widgets.server import forking

    section = config.get("ForkingProvisioner", {})
    wanted = bool(section.get("enabled", True)) and bool(section.get("prepare", True))
    return wanted and forking.SUPPORTED


def course_exporter_config(config) -> None:
    """The page exporter's settings (nbconvert's configurable ``VoilaExporter``)."""
    # The template's filter that writes the widgets' state into the page
    # (widgets.server.page_state), through nbconvert's configurable filters.
    filters = dict(config.VoilaExporter.get("filters", {}) or {})
    filters["course_widget_state"] = "widgets.server.page_state.widget_state"
    config.VoilaExporter.filters = filters
    # nbconvert checks the whole notebook against its schema after each of the
    # exporter's preprocessors (about 10, on every page); once, after the last, is its
    # documented option (the notebook was checked when it was read).
    config.VoilaExporter.setdefault("optimistic_validation", True)


def make_app_class():
    """Build the Voila subclass (imports Voila only when serving)."""
    import asyncio
    import secrets

    from jupyter_server.utils import url_path_join
    from tornado.ioloop import PeriodicCallback
    from traitlets import Float, Int, Unicode, default
    from voila.app import Voila

    from widgets import i18n
    from widgets.i18n import catalogs
    from widgets.logic import room as room_rules
    from widgets.server import assets, handlers, kernels, voila_internals
    from widgets.server.pools import Readiness, Room, poolable_pages
    from widgets.server.prepared import PreparedPages
    from widgets.server.render import COMPILED

    voila_internals.check()
    voila_internals.share_compiled_templates(COMPILED)
    voila_internals.remember_template_files()
    voila_internals.remember_page_config()
    voila_internals.remember_markdown()

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

        ready_minutes = Float(
            30,
            config=True,
            help="A page someone opened, and the lesson after it, keep one ready kernel "
            "for this many minutes after the last such visit (widgets.server.pools"
            ".Readiness); pages with a pool of their own in kernel_pools_config keep it "
            "always. 0 = only those pools.",
        )

        prepared_pages = Unicode(
            r"(es/)?\d\d-[^/]+\.ipynb",
            config=True,
            help="Pages (paths under the notebooks' folder, a regular expression) whose "
            "cells run once, in a template each visitor's kernel is forked from "
            "(widgets.server.prepared); they get no ready kernels. Empty: none. Needs "
            "the forking provisioner.",
        )

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
            _no_ready_kernels_for_unoffered_languages(self.config)
            self.prepared = None
            if self.prepared_pages and _pages_prepared(self.config):
                self.prepared = PreparedPages(
                    self.root_dir, self.prepared_pages, read=[REPO / "data"]
                )
                voila_internals.no_pools_for(self.config, self.prepared.pattern)
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
            extra["course"] = self.course = course_resources()  # also for init_handlers
            self.config.VoilaConfiguration.resources = extra
            course_exporter_config(self.config)

        def init_settings(self):
            # gzip for every response that is not already compressed (HTML, JS, CSS,
            # JSON): Tornado adds its gzip transform only when the application is made
            # with this setting (Voila's tornado_settings are applied after, too late).
            # Pages load Voila's front end from an address that names its version, so a
            # browser keeps it (widgets.server.assets); the hook must be in place before
            # Voila makes its kernel manager here, which renders the pooled pages.
            self.static_tag = assets.static_tag(self.static_paths, voila_internals.voila_version())
            conf = self.voila_configuration
            conf.page_config_hook = assets.page_config_hook(self.static_tag, conf.page_config_hook)
            settings = super().init_settings()
            settings["compress_response"] = True
            return settings

        def get_default_logging_config(self):
            # traitlets sets the app's logger to DEBUG and filters in the handler, so
            # every debug call in Voila, nbclient and jupyter_client (about 600 per
            # page) builds a record only to drop it; the logger's level follows the
            # handler's instead (--Voila.log_level=DEBUG still shows them).
            config = super().get_default_logging_config()
            for logger in config.get("loggers", {}).values():
                logger["level"] = config["handlers"]["console"]["level"]
            return config

        @default("config_file_paths")
        def _course_config_paths(self):
            return [str(REPO), *voila_internals.default_config_paths(self)]

        def init_handlers(self):
            # Voila has made its kernel manager by now and started no kernel yet.
            _room_for_many_kernels(self.kernel_manager)
            pooled = voila_internals.pools_on(self.kernel_manager)
            if pooled:
                voila_internals.on_handout(
                    self.kernel_manager, kernels.fresh_when_handed_out(self.kernel_manager)
                )
            room = None
            if self.room_size > 0:
                # Other course servers behind the same load balancer (widgets.server.balance).
                peers = tuple(os.environ.get(room_rules.PEERS_ENV, "").split())
                room = Room(
                    self.kernel_manager,
                    self.root_dir,
                    os.environ[room_rules.KEY_ENV],
                    self.room_size,
                    self.room_minutes,
                    servers=1 + len(peers),
                )
            if self.prepared is not None and self.ready_minutes > 0:
                # A page's template goes once nobody has opened the page for as long as a
                # ready kernel is kept; the page is made again for its next visitor.
                from widgets.server import forking

                async def stop_idle_templates(seconds=self.ready_minutes * 60):
                    stopped = await asyncio.to_thread(forking.stop_idle_prepared, seconds)
                    for notebook in stopped:
                        self.log.info(
                            "Nobody opened %s for a while: its template stopped", notebook
                        )

                self._idle_templates = PeriodicCallback(stop_idle_templates, 60_000)
                self._idle_templates.start()
            readiness = None
            if self.ready_minutes > 0 and pooled:
                pages = poolable_pages(self.kernel_manager, self.root_dir)
                if self.prepared is not None:
                    pages = {p for p in pages if not self.prepared.pattern.fullmatch(p)}
                readiness = self.readiness = Readiness(
                    self.kernel_manager,
                    pages,
                    following_pages(self.course["sites"]),
                    self.ready_minutes,
                    room,
                )
                self._sweeper = PeriodicCallback(readiness.sweep, 60_000)
                self._sweeper.start()
            ours_for = {
                handlers.TornadoVoilaHandler: handlers.CourseRenderHandler,
                handlers.TemplateStaticFileHandler: handlers.TemplateStaticHandler,
            }
            specs, replaced = [], set()
            for spec in super().init_handlers():
                if len(spec) >= 2 and spec[1] in ours_for:
                    replaced.add(spec[1])
                    extra = spec[2:]
                    if spec[1] is handlers.TornadoVoilaHandler and extra:
                        ours_extra = {
                            "readiness": readiness,
                            "prepared": self.prepared,
                            "room": room,
                        }
                        extra = ({**extra[0], **ours_extra}, *extra[1:])
                    spec = (spec[0], ours_for[spec[1]], *extra)
                specs.append(spec)
            voila_internals.check_handlers_replaced(specs, replaced)
            sites = self.course["sites"]
            homes = {
                code: url_path_join(
                    self.server_url, LANDING.replace("render/", "render/" + site["prefix"])
                )
                for code, site in sites.items()
                if code == i18n.SOURCE or code in catalogs.offered()
            }
            ours = [(url_path_join(self.server_url, "/?"), handlers.HomeHandler, {"homes": homes})]
            # The short join address: /join in the browser's language, /es/join in Spanish.
            joins = {
                code: url_path_join(
                    self.server_url, JOIN_PAGE.replace("render/", "render/" + site["prefix"])
                )
                for code, site in sites.items()
            }
            offered_joins = {code: page for code, page in joins.items() if code in homes}
            for code, site in sites.items():
                short = url_path_join(self.server_url, site["prefix"], "join")
                pages = offered_joins if code == i18n.SOURCE else {code: joins[code]}
                ours += [
                    (short + "/?", handlers.JoinHandler, {"pages": pages}),
                    (short + r"/([^/]{1,40})/?", handlers.JoinHandler, {"pages": pages}),
                ]
            # Caching (widgets.server.assets): Voila's front end under an address that
            # names its version, widget libraries by their content hashes.
            ours += [
                (
                    url_path_join(self.server_url, assets.static_path(self.static_tag), "(.*)"),
                    assets.VersionedStaticHandler,
                    {"path": list(self.static_paths)},
                ),
                (
                    url_path_join(self.server_url, "/voila/labextensions/(.*)"),
                    assets.LabextensionsHandler,
                    {"path": list(self.labextensions_path)},
                ),
            ]
            if room is not None:
                ours.append(
                    (
                        url_path_join(self.server_url, room_rules.ROUTE),
                        handlers.RoomHandler,
                        {"room": room, "peers": peers},
                    )
                )
            return [*ours, *specs]

    return CourseVoila


def _room_for_many_kernels(kernel_manager) -> int:
    """Let one server hold hundreds of open lessons: each open page costs the server about
    six zmq sockets (its kernel's channels and the activity watch), and a zmq context
    allows 1023 sockets unless told otherwise, about 170 pages (make bench, --soak 400:
    "Too many open files" from zmq). So the open-files limit is raised to what the
    system allows, and the kernels' shared context to as many sockets. Done before the
    first kernel starts (zmq reads the limit when the context makes its first socket).
    Returns the socket limit set."""
    import resource

    import zmq

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 16)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    context = kernel_manager.context
    limit = min(context.get(zmq.SOCKET_LIMIT), soft)
    context.set(zmq.MAX_SOCKETS, limit)
    return limit


def _malloc_trim():
    """glibc's malloc_trim(0) as a callable, or None on another C library."""
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    return lambda: trim(0)


def _check_provisioner_installed() -> None:
    """The course kernelspec names the forking provisioner, which jupyter_client finds by
    its entry point: without ``pip install -e .`` (``make app`` does it) no kernel starts."""
    from importlib.metadata import entry_points

    if not entry_points(group="jupyter_client.kernel_provisioners", name="fork-provisioner"):
        sys.exit(
            "The course package is not installed, so its kernels cannot start: run "
            "`make app`, or `pip install -e .` in this folder first."
        )


def main(argv: list[str] | None = None) -> None:
    _check_provisioner_installed()
    _put_template_on_path()
    args = list(sys.argv[1:] if argv is None else argv)
    if not any(not a.startswith("-") for a in args):
        args.append(str(REPO / "notebooks"))
    app = make_app_class()
    app.launch_instance(args)
