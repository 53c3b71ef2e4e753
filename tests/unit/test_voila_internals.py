"""The adapter over Voila's internals (widgets.server.voila_internals): the installed Voila
has every internal the server relies on, and a changed one stops the server at start
with a message naming the Voila version and what changed."""

from __future__ import annotations

import pytest

from widgets.server import voila_internals


def test_the_installed_voila_has_every_internal_the_server_relies_on():
    assert voila_internals.problems() == []
    assert voila_internals.voila_version() == voila_internals.TESTED["voila"]


def test_a_changed_page_template_stops_the_server_naming_the_version(monkeypatch):
    monkeypatch.setattr(voila_internals, "LAB_BLOCKS_SHA256", "0" * 64)
    with pytest.raises(voila_internals.VoilaChanged) as caught:
        voila_internals.check()
    said = str(caught.value)
    assert f"this is Voila {voila_internals.voila_version()}" in said
    assert "body_header or body_footer" in said and "index.html.j2" in said


def test_a_kernel_manager_without_fill_if_needed_stops_the_server(monkeypatch):
    import voila.voila_kernel_manager as vkm

    real = vkm.voila_kernel_manager_factory

    def factory(*args, **kwargs):
        cls = real(*args, **kwargs)
        return type(cls.__name__, (cls,), {"fill_if_needed": lambda self: None})

    monkeypatch.setattr(vkm, "voila_kernel_manager_factory", factory)
    with pytest.raises(
        voila_internals.VoilaChanged, match=r"fill_if_needed\(delay, notebook_name\)"
    ):
        voila_internals.check()


def test_the_app_is_not_built_on_a_changed_voila(monkeypatch):
    from widgets.server import app

    monkeypatch.setattr(voila_internals, "problems", lambda: ["Voila.something is gone"])
    with pytest.raises(voila_internals.VoilaChanged, match="Voila.something is gone"):
        app.make_app_class()


def test_handlers_not_found_in_voilas_routes_stop_the_server():
    render, static = voila_internals.handler_classes()
    voila_internals.check_handlers_replaced([], {render, static})  # both found: no error
    with pytest.raises(voila_internals.VoilaChanged, match="TemplateStaticFileHandler"):
        voila_internals.check_handlers_replaced([], {render})


def test_a_kernel_manager_without_pools_stops_the_room():
    class NoPools:
        fill_if_needed = None

    with pytest.raises(voila_internals.VoilaChanged, match="_pools"):
        voila_internals.check_kernel_manager(NoPools())


def test_a_renderer_that_runs_cells_elsewhere_stops_the_server(monkeypatch):
    """The page's widget state is read from the runner Voila's cell_generator uses
    (widgets.server.page_state); a Voila that runs the cells another way is refused."""
    from voila.notebook_renderer import NotebookRenderer

    async def cell_generator(self, nb, kernel_id):
        yield nb

    monkeypatch.setattr(NotebookRenderer, "_jinja_cell_generator", cell_generator)
    with pytest.raises(voila_internals.VoilaChanged, match="cell_generator"):
        voila_internals.check()


def test_a_notebook_runner_without_the_widget_record_stops_the_server(monkeypatch):
    from nbclient import NotebookClient

    source = voila_internals._source

    def without_buffers(obj):  # an nbclient that no longer records the binary parts
        text = source(obj)
        return text.replace("self.widget_buffers", "self.other") if obj is NotebookClient else text

    monkeypatch.setattr(voila_internals, "_source", without_buffers)
    with pytest.raises(voila_internals.VoilaChanged, match="widget_state"):
        voila_internals.check()


@pytest.mark.parametrize(
    ("internal", "needle", "named"),
    [
        ("static", "collect_static_paths", "no longer searches the template folders"),
        ("page_config", "get_page_config(**page_config_kwargs)", "get_page_config"),
        ("markdown", 'context["cell"]', "markdown2html"),
    ],
)
def test_a_voila_that_finds_files_makes_page_config_or_markdown_another_way_is_refused(
    monkeypatch, internal, needle, named
):
    """What the server keeps once per server instead of once per page
    (remember_template_files, remember_page_config, remember_markdown) is refused when
    Voila no longer makes it the way the course kept it."""
    source = voila_internals._source

    def changed(obj):
        text = source(obj)
        return text.replace(needle, "something_else()")

    monkeypatch.setattr(voila_internals, "_source", changed)
    with pytest.raises(voila_internals.VoilaChanged, match=named):
        voila_internals.check()
