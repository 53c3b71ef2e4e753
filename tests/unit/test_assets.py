"""How long browsers keep the server's files (widgets/server/assets.py), without a server."""

from __future__ import annotations

import pytest

from widgets.server import assets


def test_the_static_tag_changes_with_any_file_or_the_version_and_not_with_time(tmp_path):
    (tmp_path / "voila.js").write_text("one")
    (tmp_path / "1.voila.js").write_text("chunk")
    first = assets.static_tag([tmp_path], "0.5.13")
    assert first == assets.static_tag([tmp_path], "0.5.13")
    (tmp_path / "1.voila.js").touch()  # another time, the same bytes: the same tag
    assert assets.static_tag([tmp_path], "0.5.13") == first
    assert assets.static_tag([tmp_path], "0.5.14") != first
    (tmp_path / "1.voila.js").write_text("chunk, changed")
    assert assets.static_tag([tmp_path], "0.5.13") != first
    (tmp_path / "2.voila.js").write_text("new")
    assert len({first, assets.static_tag([tmp_path], "0.5.13")}) == 2


@pytest.mark.parametrize(
    ("path", "kept"),
    [
        ("/voila/labextensions/anywidget/static/remoteEntry.698dcaf7.js", True),
        (
            "/voila/labextensions/@jupyter-widgets/jupyterlab-manager/static/7.2a0ce575775f5aad.js",
            True,
        ),
        ("/voila/labextensions/anywidget/static/528.d9f5934c.js", True),
        ("/voila/labextensions/anywidget/package.json", False),
        ("/voila/labextensions/@jupyter-widgets/jupyterlab-manager/static/style.js", False),
        ("/voila/labextensions/x/static/plugin.abc.js", False),
    ],
)
def test_a_widget_library_file_is_kept_only_when_its_name_carries_a_hash(path, kept):
    assert bool(assets.HASHED_NAME.search(path)) is kept


def test_the_page_config_hook_points_at_the_versioned_front_end_after_the_operators_hook():
    calls = []

    def operators(page_config, **kwargs):
        calls.append(kwargs["notebook_path"])
        return {**page_config, "theirs": True, "fullStaticUrl": "/elsewhere"}

    hook = assets.page_config_hook("abc123", operators)
    out = hook({"fullStaticUrl": "/voila/static"}, base_url="/course/", notebook_path="01.ipynb")
    assert out == {"theirs": True, "fullStaticUrl": "/course/voila/static/v/abc123"}
    assert calls == ["01.ipynb"]
    alone = assets.page_config_hook("abc123")({}, base_url="/", notebook_path="x")
    assert alone == {"fullStaticUrl": "/voila/static/v/abc123"}
