"""Serve the course with Voila: ``python -m widgets.serve [voila options]``.

This is plain Voila (standalone, directory mode over ``notebooks/``) with the
project's configuration (``voila.json``: preheated kernels, kernels over IPC,
culling) and what Voila lacks:

* the course template in ``share/jupyter`` is found without installing it,
  by putting that folder on ``JUPYTER_PATH``, and so is a lean kernelspec in
  ``share/course-kernel`` (the usual ``python3`` kernel without the debugger
  library or input history: about 9 MB less per visitor);
* ``/`` goes to the landing page instead of a file browser;
* closing a tab really shuts its kernel down. Voila's page sends the shutdown
  request with the ``_xsrf`` cookie, but the render page never sets that cookie
  (Voila issue 1458), so the request is refused and kernels linger. Here the
  render page sets it, and XSRF protection stays on for every request;
* the server gives freed memory back every few seconds (``malloc_trim``), so
  less of the peak of rendering many pages at once stays with the server.

Kernels over IPC (unix sockets) need Linux or macOS.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LANDING = "voila/render/00-index.ipynb"


SHARED = [REPO / "share" / "course-kernel", REPO / "share" / "jupyter"]


def _put_template_on_path() -> None:
    ours = [str(p) for p in SHARED]
    rest = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep)
            if p and p not in ours]
    os.environ["JUPYTER_PATH"] = os.pathsep.join([*ours, *rest])


def course_resources() -> dict:
    """What the template needs to draw the lesson menu and previous/next links."""
    from widgets.content import load_content

    content = load_content()
    lessons = [
        {"id": lesson.id, "number": n, "title": lesson.title, "minutes": lesson.minutes,
         "ready": lesson.ready}
        for n, lesson in enumerate(content.course.lessons, start=1)
    ]
    return {"title": content.course.title, "disclaimer": content.course.disclaimer,
            "lessons": lessons}


def make_app_class():
    """Build the Voila subclass (imports Voila only when serving)."""
    import tornado.web
    from tornado.ioloop import PeriodicCallback
    from traitlets import Float, default
    from jupyter_server.utils import url_path_join
    from voila.app import Voila
    from voila.tornado.handler import TornadoVoilaHandler

    class CourseRenderHandler(TornadoVoilaHandler):
        async def prepare(self, *args, **kwargs):
            result = super().prepare(*args, **kwargs)
            if result is not None:
                await result
            # Reading the token makes Tornado set the _xsrf cookie on this page,
            # which the page's tab-close shutdown request then sends back.
            self.xsrf_token  # noqa: B018
            return result

    class CourseVoila(Voila):
        name = "voila"  # keep Voila's config section and voila.json file name

        malloc_trim_interval = Float(
            5.0, config=True,
            help="Seconds between giving the server's freed memory back to the system "
                 "(glibc malloc_trim); 0 = never. Rendering many pages at once leaves "
                 "the server's heap at its peak otherwise (make bench: 30 visitors at "
                 "once on lesson 05, server RSS 224 MB without, 195 MB with).")

        def initialize(self, argv=None):
            super().initialize(argv)
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
                handlers.append(spec)
            home = url_path_join(self.server_url, LANDING)
            return [(url_path_join(self.server_url, "/?"), tornado.web.RedirectHandler,
                     {"url": home}), *handlers]

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
