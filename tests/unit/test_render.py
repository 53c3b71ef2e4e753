"""A page render costs the server less: compiled templates are kept between pages
(widgets.server.render), and debug log records are not built only to be dropped."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import jinja2
import pytest

from widgets.server import voila_internals
from widgets.server.render import CompiledTemplates


def _environment(cache, source: dict[str, str], is_async=False) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.DictLoader(source), bytecode_cache=cache, enable_async=is_async
    )


@pytest.fixture
def compiles(monkeypatch):
    """How many times Jinja compiled a template."""
    counted = []
    compile_ = jinja2.Environment.compile

    def counting(self, *args, **kwargs):
        counted.append(args[0] if args else None)
        return compile_(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return counted


def test_a_template_is_compiled_once_for_every_new_environment(compiles):
    cache = CompiledTemplates()
    pages = {
        "page.html": "{% extends 'base.html' %}{% block b %}{{ x }}!{% endblock %}",
        "base.html": "<p>{% block b %}{% endblock %}</p>",
    }
    first = _environment(cache, pages).get_template("page.html").render(x="one")
    second = _environment(cache, pages).get_template("page.html").render(x="two")
    assert (first, second) == ("<p>one!</p>", "<p>two!</p>")
    assert len(compiles) == 2 and len(cache) == 2  # page and base, once each


def test_an_edited_template_is_compiled_again(compiles):
    cache = CompiledTemplates()
    before = _environment(cache, {"t": "old {{ x }}"}).get_template("t").render(x=1)
    after = _environment(cache, {"t": "new {{ x }}"}).get_template("t").render(x=1)
    assert (before, after) == ("old 1", "new 1") and len(compiles) == 2


def test_async_and_plain_environments_do_not_share_code(compiles):
    cache = CompiledTemplates()
    _environment(cache, {"t": "{{ x }}"}).get_template("t")
    _environment(cache, {"t": "{{ x }}"}, is_async=True).get_template("t")
    assert len(compiles) == 2


def test_voilas_page_exporter_gets_the_shared_cache():
    from voila.exporter import VoilaExporter

    installed = VoilaExporter._create_environment
    voilas = getattr(VoilaExporter, "_voila_create_environment", installed)
    # Voila itself keeps no compiled templates between pages (when it does, this fails
    # and the course's workaround can go: docs/upstream.md).
    assert voilas(VoilaExporter(template_name="lab")).bytecode_cache is None
    cache = CompiledTemplates()
    saved = VoilaExporter.__dict__.get("_course_cache")
    try:
        VoilaExporter._course_cache = None
        voila_internals.share_compiled_templates(cache)
        assert VoilaExporter(template_name="lab").environment.bytecode_cache is cache
    finally:
        VoilaExporter._create_environment = installed
        VoilaExporter._course_cache = saved


def test_the_server_logger_drops_debug_calls_before_building_a_record():
    from widgets.server.app import make_app_class

    app = make_app_class()()
    config = app.get_default_logging_config()
    handler = config["handlers"]["console"]["level"]
    assert handler == "INFO"
    assert {logger["level"] for logger in config["loggers"].values()} == {"INFO"}
    app.log_level = logging.DEBUG
    config = app.get_default_logging_config()
    assert {logger["level"] for logger in config["loggers"].values()} == {"DEBUG"}


def test_a_templates_static_file_is_found_once_and_a_missing_one_each_time(monkeypatch):
    import voila.static_file_handler as static
    from voila.utils import make_url

    voila_internals.remember_template_files()
    searches = []
    collect = static.collect_static_paths

    def counting(*args, **kwargs):
        searches.append(args)
        return collect(*args, **kwargs)

    monkeypatch.setattr(static, "collect_static_paths", counting)
    static.TemplateStaticFileHandler._course_found.clear()  # the places found so far
    first = make_url("lab", "/", "static/voila.js")
    again = make_url("lab", "/", "static/voila.js")
    assert first == again and "?v=" in first
    assert len(searches) == 1
    make_url("lab", "/", "static/no-such-file.js")
    make_url("lab", "/", "static/no-such-file.js")
    assert len(searches) == 3
    # Another spelling of a found file is searched each time and never kept, so a
    # request cannot make the store grow.
    Handler = static.TemplateStaticFileHandler
    Handler.get_absolute_path(None, "lab/static/x/../voila.js")
    Handler.get_absolute_path(None, "lab/static/x/../voila.js")
    assert len(searches) == 5 and list(Handler._course_found) == ["lab/static/voila.js"]


def test_the_page_configuration_is_made_once_and_each_page_gets_its_own_copy():
    import voila.handler
    from voila.configuration import VoilaConfiguration

    voila_internals.remember_page_config()
    settings, conf = {}, VoilaConfiguration()
    kwargs = {
        "base_url": "/",
        "settings": settings,
        "log": logging.getLogger("test"),
        "voila_configuration": conf,
    }
    one = voila.handler.get_page_config(**kwargs)
    two = voila.handler.get_page_config(**kwargs)
    made = voila.handler.get_page_config._course_memo
    assert sum(1 for key in made if key[1:] == (id(settings), id(conf))) == 1
    assert one == two and one is not two
    one["federated_extensions"].append({"name": "changed by a hook"})
    assert voila.handler.get_page_config(**kwargs) == two
    # The ready kernels' renders use the same (Voila imports the name there too).
    import voila.voila_kernel_manager

    assert voila.voila_kernel_manager.get_page_config is voila.handler.get_page_config
    # What Voila itself makes, for the same arguments.
    assert two == voila.handler.get_page_config._voila_get_page_config(**kwargs)


def test_a_markdown_text_is_made_into_html_once_unless_it_has_an_image():
    from voila.exporter import VoilaExporter

    voila_internals.remember_markdown()
    exporter = VoilaExporter(template_name="lab")
    exporter.contents_manager = SimpleNamespace(file_exists=lambda path: False)
    context = {"cell": {"cell_type": "markdown", "source": ""}}
    made = VoilaExporter._course_markdown
    made.clear()
    text = "## Key points\n\n- Pain is real [(NICE 2016)](#ref-nice2016)."
    html = exporter.markdown2html(context, text)
    assert html == VoilaExporter._voila_markdown2html(exporter, context, text)
    assert "<h2" in html and len(made) == 1
    assert exporter.markdown2html(context, text) == html and len(made) == 1
    exporter.markdown2html(context, "![a chart](chart.png)")
    assert len(made) == 1  # read from disk each time, as Voila does
    attached = {"cell": {"cell_type": "markdown", "attachments": {"a.png": {}}}}
    exporter.markdown2html(attached, "## Another text")
    assert len(made) == 1  # a cell with attachments is rendered each time


def test_the_exporter_checks_the_notebook_once_per_page():
    from traitlets.config import Config
    from voila.exporter import VoilaExporter

    from widgets.server.app import course_exporter_config

    config = Config()
    course_exporter_config(config)
    exporter = VoilaExporter(config=config, template_name="lab")
    assert exporter.optimistic_validation is True
    assert config.VoilaExporter.filters["course_widget_state"].endswith("page_state.widget_state")
    assert VoilaExporter(template_name="lab").optimistic_validation is False  # nbconvert's
