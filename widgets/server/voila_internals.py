"""Every private Voila and jupyter_server name the course server relies on, in one place.

Voila 0.5 has no public way to do some of what the course needs: resize one page's pool
of ready kernels for a workshop's room, read which pages may be pooled, put its own
render handler in place of Voila's, add template resources once the configuration is
read, or find its default configuration folders. The course's page template also copies
two blocks of Voila's ``lab`` template (``body_header``, ``body_footer``) to add its
landmarks. Each such reliance is named here with the shape the course expects, and every
other server module goes through this one. Four of them are changes, not reads: each
page's Jinja environment gets the course's shared cache of compiled templates
(``share_compiled_templates``; why in ``widgets.server.render``); a template's static
files and the page configuration are found once per server, and each Markdown text is
made into HTML once, not once per page (``remember_template_files``,
``remember_page_config``, ``remember_markdown``).

``check()`` runs when the server starts. If any name is gone or has another shape (a
Voila upgrade), the server refuses to start with a message naming the Voila version and
what changed, instead of failing later on a visitor's page or, worse, silently (a room
that never fills, a tab close that leaves its kernel running). The versions the course
was tested on are ``TESTED``; ``pyproject.toml`` pins Voila to them.
"""

from __future__ import annotations

import hashlib
import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

TESTED = {"voila": "0.5.13"}

# sha256 of the body_header and body_footer blocks of Voila's lab/index.html.j2, which the
# course template (share/jupyter/voila/templates/course/index.html.j2) copies and extends.
LAB_BLOCKS_SHA256 = "11b2425de31b98939272b961fa3372fe48992f1f10830f90a87f56ef99537270"

# sha256 of the source of VoilaExporter.markdown2html, whose HTML remember_markdown keeps.
MARKDOWN2HTML_SHA256 = "187c2c2d72b5c8f36c83a53b6f44d7d43893fb9a97c4a8c8bb3b93a59748782a"

_BLOCK = re.compile(
    r"\{%-? block (body_header|body_footer) -?%\}(.*?)\{%-? endblock \1 -?%\}", re.S
)


class VoilaChanged(RuntimeError):
    """An internal the course server relies on is gone or has another shape."""


def voila_version() -> str:
    from voila._version import __version__

    return __version__


# ------------------------------------------------------------------- the accessors


def pools_on(kernel_manager) -> bool:
    """Whether Voila made its kernel manager with ready kernels (``preheat_kernel``): only
    then does it have pools, ``fill_if_needed`` and ``get_rendered_notebook``."""
    return hasattr(kernel_manager, "fill_if_needed")


def pools(kernel_manager) -> dict[str, list]:
    """Voila's ready kernels per page: page path -> list of futures (``_pools``)."""
    return kernel_manager._pools


def pool_config(kernel_manager) -> dict:
    """Ready kernels per page, as configured (``kernel_pools_config``: page -> settings)."""
    return dict(kernel_manager.kernel_pools_config)


def set_pool_config(kernel_manager, config: dict) -> None:
    """Change the pool sizes while serving (Voila reads them at each refill)."""
    kernel_manager.kernel_pools_config = config


def may_pool(kernel_manager, relative: Path) -> bool:
    """Whether Voila would pool a page (its preheat denylist, ``_notebook_filter``)."""
    return bool(kernel_manager._notebook_filter(relative))


def on_handout(kernel_manager, after: Callable[[str], None]) -> None:
    """Call ``after(kernel_id)`` each time Voila hands a ready kernel to a visitor
    (``get_rendered_notebook`` returns the render task, the cells so far and its id)."""
    original = kernel_manager.get_rendered_notebook

    async def handed_out(*args: Any, **kwargs: Any) -> Any:
        result = await original(*args, **kwargs)
        after(result[2])
        return result

    kernel_manager.get_rendered_notebook = handed_out


def wrap_fill(kernel_manager, wrapper: Callable[..., Any]) -> Callable[..., Any]:
    """Put ``wrapper`` in place of the manager's ``fill_if_needed`` (Voila calls it after a
    visitor takes a ready kernel); return the original, which the wrapper must call."""
    original = kernel_manager.fill_if_needed
    kernel_manager.fill_if_needed = wrapper
    return original


def default_config_paths(app) -> list[str]:
    """Voila's own default configuration folders (``_config_file_paths_default``)."""
    return list(type(app).__mro__[1]._config_file_paths_default(app))


def share_compiled_templates(cache) -> None:
    """Give every Jinja environment Voila's exporter makes (one per page) ``cache`` as
    its bytecode cache (``TemplateExporter._create_environment``; see widgets.server.render).
    """
    from voila.exporter import VoilaExporter

    if getattr(VoilaExporter, "_course_cache", None) is cache:
        return
    create = VoilaExporter._create_environment

    def _create_environment(self):
        environment = create(self)
        environment.bytecode_cache = cache
        return environment

    VoilaExporter._create_environment = _create_environment
    VoilaExporter._course_cache = cache
    VoilaExporter._voila_create_environment = getattr(
        VoilaExporter, "_voila_create_environment", create
    )


def remember_template_files(limit: int = 1024) -> None:
    """Find each of a template's static files once, not on every page.

    Each ``include_css``/``include_js``/``include_url`` in a page template makes a URL
    with a version hash (``voila.utils.make_url``), and Voila's
    ``TemplateStaticFileHandler.get_absolute_path`` first searches every Jupyter data
    folder for the template's static folders (``collect_static_paths``), about ten
    times per page: 7 % of the server's busy time while 400 learners arrived (``make
    bench`` soak, py-spy). Tornado already keeps each file's hash for the server's
    life; a found file's place is now kept too (up to ``limit`` paths, each in its plain
    form). A path not found is searched again the next time (a 404 now does not stay a
    404).
    """
    import os.path

    from voila.static_file_handler import TemplateStaticFileHandler as Handler

    if getattr(Handler, "_course_found", None) is not None:
        return
    search = Handler.get_absolute_path.__func__
    found: dict[str, str] = {}

    def get_absolute_path(cls, root, path):
        # Voila's search never reads ``root``: the template folders decide. Only a path
        # already in its plain form is kept (a request may spell one file many ways),
        # and at most ``limit`` of them.
        place = found.get(path)
        if place is None:
            place = search(cls, root, path)
            if os.path.normpath(path) == path and len(found) < limit and os.path.isfile(place):
                found[path] = place
        return place

    Handler.get_absolute_path = classmethod(get_absolute_path)
    Handler._course_found = found
    Handler._voila_get_absolute_path = search


def remember_page_config() -> None:
    """Make Voila's page configuration once per server, not on every page.

    ``get_page_config`` reads every JupyterLab extension's files and the lab
    configuration from disk for each page, whether a visitor's (``voila.handler``, 3 %
    of the server's busy time in the same soak) or a ready kernel's
    (``voila.voila_kernel_manager``), though nothing it reads changes while the server
    runs (a new extension needs a restart anyway). It is made once for each base URL,
    settings and configuration (the same objects for the server's life), and each page
    gets its own deep copy, so the page's hook (``widgets.server.assets.page_config_hook``)
    and Voila may change it freely.
    """
    import copy

    from voila import handler, voila_kernel_manager

    if getattr(handler.get_page_config, "_course_memo", None) is not None:
        return
    compute = handler.get_page_config
    made: dict[tuple, tuple] = {}

    def get_page_config(base_url, settings, log, voila_configuration):
        key = (base_url, id(settings), id(voila_configuration))
        kept = made.get(key)
        # The objects are kept with the result, so their ids cannot be reused.
        if kept is None or kept[0] is not settings or kept[1] is not voila_configuration:
            result = compute(
                base_url=base_url,
                settings=settings,
                log=log,
                voila_configuration=voila_configuration,
            )
            kept = made[key] = (settings, voila_configuration, result)
        return copy.deepcopy(kept[2])

    get_page_config._course_memo = made  # type: ignore[attr-defined]
    get_page_config._voila_get_page_config = compute  # type: ignore[attr-defined]
    handler.get_page_config = get_page_config
    voila_kernel_manager.get_page_config = get_page_config


def remember_markdown(limit: int = 4096) -> None:
    """Turn each Markdown text into HTML once, not for every visitor.

    Voila's exporter makes a new Markdown parser and renders every Markdown cell again
    for each page (``VoilaExporter.markdown2html``: 3 % of the server's busy time in the
    soak), though the HTML depends only on the text and the exporter's settings. The HTML
    is kept for texts with no image and no attachment: an image is read from disk when
    rendered (Voila inlines it), so it is rendered each time, as before. At most
    ``limit`` texts are kept; past that the store starts again.
    """
    from jinja2 import pass_context
    from voila.exporter import VoilaExporter

    if getattr(VoilaExporter, "_course_markdown", None) is not None:
        return
    render = VoilaExporter.markdown2html
    made: dict[tuple, str] = {}

    @pass_context
    def markdown2html(self, context, source):
        if "![" in source or context["cell"].get("attachments"):
            return render(self, context, source)
        key = (source, self.anchor_link_text, self.markdown_renderer_class)
        html = made.get(key)
        if html is None:
            if len(made) >= limit:
                made.clear()
            html = made[key] = render(self, context, source)
        return html

    VoilaExporter.markdown2html = markdown2html
    VoilaExporter._course_markdown = made
    VoilaExporter._voila_markdown2html = render


def page_client(cell_generator):
    """The notebook runner that ran a page's cells (Voila's ``VoilaExecutor``, an nbclient
    ``NotebookClient``), from the ``cell_generator`` Voila gives the page template: a bound
    method of the page's ``NotebookRenderer``, whose ``executor`` ran the cells. None if
    the page was not run that way."""
    renderer = getattr(cell_generator, "__self__", None)
    return getattr(renderer, "executor", None)


def no_pools_for(config, pattern) -> None:
    """Before the kernel manager is made: pages whose path matches ``pattern`` get no
    ready kernels of their own (``kernel_pools_config`` in the configuration). Pages
    made once (``widgets.server.prepared``) need none: a kernel forked holding the page
    costs less than keeping one ready."""
    pools = dict(config.VoilaKernelManager.get("kernel_pools_config", {}) or {})
    kept = {page: pool for page, pool in pools.items() if not pattern.fullmatch(page)}
    if kept != pools:
        config.VoilaKernelManager.kernel_pools_config = kept


def kernel_env(handler) -> dict[str, str]:
    """The environment Voila's render handler gives a page's kernel (``VoilaHandler.
    get_generator``, which builds it inline): the server's own, the request's CGI-style
    variables and Voila's. For a kernel the course starts for a page itself."""
    import os

    from tornado.httputil import split_host_and_port
    from voila._version import __version__
    from voila.utils import ENV_VARIABLE as V

    host, port = split_host_and_port(handler.request.host.lower())
    return {
        **os.environ,
        V.SCRIPT_NAME: handler.request.path,
        V.PATH_INFO: "",
        V.QUERY_STRING: str(handler.request.query),
        V.SERVER_SOFTWARE: f"voila/{__version__}",
        V.SERVER_PROTOCOL: str(handler.request.version),
        V.SERVER_PORT: str(port) if port else "",
        V.SERVER_NAME: host,
        V.VOILA_PREHEAT: "False",
        V.VOILA_BASE_URL: handler.base_url,
        V.VOILA_SERVER_URL: handler.settings.get("server_url", "/"),
        V.VOILA_REQUEST_URL: handler.request.full_url(),
        V.VOILA_APP_PORT: str(port) if port else "",
    }


def handler_classes():
    """Voila's render handler and its template static-file handler, which the course
    replaces by subclasses in the list ``init_handlers`` returns."""
    from voila.static_file_handler import TemplateStaticFileHandler
    from voila.tornado.handler import TornadoVoilaHandler

    return TornadoVoilaHandler, TemplateStaticFileHandler


# ------------------------------------------------------------------- the checks


def _has_params(function, *names: str) -> bool:
    try:
        params = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
    return all(name in params for name in names)


def _source(obj) -> str:
    try:
        return inspect.getsource(obj)
    except (OSError, TypeError):
        return ""


def lab_template_blocks() -> str:
    """The body_header and body_footer blocks of Voila's lab template, as the course copies."""
    from jupyter_core.paths import jupyter_path

    for folder in jupyter_path("voila", "templates", "lab"):
        template = Path(folder) / "index.html.j2"
        if template.is_file():
            found = dict(
                (m.group(1), m.group(2)) for m in _BLOCK.finditer(template.read_text("utf-8"))
            )
            return found.get("body_header", "") + "\0" + found.get("body_footer", "")
    return ""


def problems() -> list[str]:
    """What differs from the Voila the course was written against (empty: nothing)."""
    found: list[str] = []
    try:
        from jupyter_server.services.kernels.kernelmanager import MappingKernelManager
        from voila.app import Voila
        from voila.configuration import VoilaConfiguration
        from voila.notebook_renderer import NotebookRenderer
        from voila.voila_kernel_manager import voila_kernel_manager_factory

        render, static = handler_classes()
    except ImportError as err:
        return [f"a module or name is gone: {err}"]

    generator = _source(render.get_generator)
    for name in ("SCRIPT_NAME", "QUERY_STRING", "VOILA_PREHEAT", "VOILA_REQUEST_URL"):
        if f"ENV_VARIABLE.{name}]" not in generator:
            found.append(f"pages' kernels no longer get {name} in their environment (kernel_env)")
    if not _has_params(getattr(render, "should_use_rendered_notebook", None), "notebook_data"):
        found.append("VoilaHandler.should_use_rendered_notebook(notebook_data, ...) is gone")

    manager = voila_kernel_manager_factory(MappingKernelManager, True, 1)
    if not _has_params(getattr(manager, "fill_if_needed", None), "delay", "notebook_name"):
        found.append("VoilaKernelManager.fill_if_needed(delay, notebook_name) is gone")
    if "return render_task, renderer.rendered_cache, kernel_id" not in _source(
        getattr(manager, "get_rendered_notebook", None)
    ):
        found.append("VoilaKernelManager.get_rendered_notebook no longer returns the kernel id")
    if not callable(getattr(manager, "_notebook_filter", None)):
        found.append("VoilaKernelManager._notebook_filter is gone")
    if "self._pools" not in _source(voila_kernel_manager_factory):
        found.append("VoilaKernelManager no longer keeps its ready kernels in _pools")
    if not manager.class_traits().get("kernel_pools_config"):
        found.append("VoilaKernelManager.kernel_pools_config is gone")
    if not callable(getattr(Voila, "_config_file_paths_default", None)):
        found.append("Voila._config_file_paths_default is gone")
    if "resources" not in VoilaConfiguration.class_traits():
        found.append("VoilaConfiguration.resources is gone")
    elif "VoilaConfiguration.resources" not in _source(NotebookRenderer.initialize):
        found.append("pages no longer read VoilaConfiguration.resources when rendered")
    from voila.exporter import VoilaExporter

    if not callable(getattr(VoilaExporter, "_create_environment", None)):
        found.append("VoilaExporter._create_environment (nbconvert) is gone")
    if not hasattr(render, "prepare"):
        found.append("TornadoVoilaHandler.prepare is gone")
    for name in ("parse_url_path", "get_absolute_path"):
        if not hasattr(static, name):
            found.append(f"TemplateStaticFileHandler.{name} is gone")
    # remember_template_files: the search it keeps the result of.
    search = getattr(static, "_voila_get_absolute_path", None) or getattr(
        getattr(static, "get_absolute_path", None), "__func__", None
    )
    if "collect_static_paths" not in _source(search):
        found.append(
            "TemplateStaticFileHandler.get_absolute_path no longer searches the template folders"
        )
    # remember_markdown: Voila's Markdown filter as the course read it (the cache key
    # holds what it reads: the text, the renderer class and the anchor link text; the
    # cell's attachments and images are never cached).
    markdown = getattr(VoilaExporter, "_voila_markdown2html", None) or getattr(
        VoilaExporter, "markdown2html", None
    )
    digest = hashlib.sha256(_source(markdown).encode()).hexdigest()
    if markdown is None or digest != MARKDOWN2HTML_SHA256:
        found.append(
            "VoilaExporter.markdown2html changed (sha256 "
            f"{digest[:12]}): check what it reads against remember_markdown's cache key, "
            "then update MARKDOWN2HTML_SHA256"
        )
    # remember_page_config: the name both callers use, with these arguments.
    import voila.handler as page_handler
    import voila.voila_kernel_manager as pool_manager

    current = getattr(page_handler, "get_page_config", None)
    compute = getattr(current, "_voila_get_page_config", None) or current
    if compute is None or list(inspect.signature(compute).parameters) != [
        "base_url",
        "settings",
        "log",
        "voila_configuration",
    ]:
        found.append("voila.handler.get_page_config is gone or takes other arguments")
    elif "get_page_config(**page_config_kwargs)" not in _source(
        getattr(getattr(page_handler, "VoilaHandler", None), "get_generator", None)
    ):
        found.append("Voila's page handler no longer calls get_page_config(**page_config_kwargs)")
    elif getattr(pool_manager, "get_page_config", None) is None or (
        "get_page_config(**page_config_kwargs)" not in _source(pool_manager)
    ):
        found.append("Voila's ready kernels no longer call get_page_config(**page_config_kwargs)")
    blocks = lab_template_blocks()
    digest = hashlib.sha256(blocks.encode()).hexdigest()
    if not blocks.strip("\0"):
        found.append("Voila's lab/index.html.j2 (body_header, body_footer) was not found")
    elif digest != LAB_BLOCKS_SHA256:
        found.append(
            "Voila's lab template changed its body_header or body_footer, which the course "
            f"template copies (sha256 {digest[:12]}); compare and update "
            "share/jupyter/voila/templates/course/index.html.j2, then LAB_BLOCKS_SHA256"
        )
    # The page's widget state (widgets.server.page_state): the template's cell_generator
    # is the renderer's method whose executor runs each cell, and nbclient records the
    # widgets' state from the kernel's messages.
    if "self.executor.execute_cell" not in _source(
        getattr(NotebookRenderer, "_jinja_cell_generator", None)
    ) or '"cell_generator"' not in _source(NotebookRenderer.generate_content_generator):
        found.append("the page template's cell_generator no longer runs cells on renderer.executor")
    from nbclient import NotebookClient

    client_source = _source(NotebookClient)
    if NotebookClient.class_traits().get("store_widget_state") is None or not all(
        f"self.{name}" in client_source for name in ("widget_state", "widget_buffers")
    ):
        found.append("nbclient's NotebookClient no longer records widget_state and widget_buffers")
    try:
        from jupyter_server._tz import utcnow  # noqa: F401  (widgets/server/kernels.py)
    except ImportError:
        found.append("jupyter_server._tz.utcnow is gone")
    return found


def check() -> None:
    """Refuse to start, naming the Voila version and what changed, if anything did."""
    found = problems()
    if found:
        raise VoilaChanged(
            f"The course server was written for Voila {TESTED['voila']}; this is Voila "
            f"{voila_version()}, where: " + "; ".join(found) + ". See widgets/server/"
            "voila_internals.py, or install the tested version (pip install -e .)."
        )


def check_kernel_manager(kernel_manager) -> None:
    """The running server's kernel manager has the pools the room resizes."""
    if not isinstance(getattr(kernel_manager, "_pools", None), dict):
        raise VoilaChanged(
            f"Voila {voila_version()}'s kernel manager keeps no _pools dict: "
            "see widgets/server/voila_internals.py"
        )


def check_handlers_replaced(specs: list, replaced: set) -> None:
    """Both Voila handlers the course subclasses were found in ``init_handlers``."""
    missing = [cls.__name__ for cls in handler_classes() if cls not in replaced]
    if missing:
        raise VoilaChanged(
            f"Voila {voila_version()} no longer routes pages through {', '.join(missing)}, "
            "which the course replaces (tab-close shutdown, 404 for bad static paths): see "
            "widgets/server/voila_internals.py"
        )
