"""The validated content snapshot: what kernels read instead of validating ``data/``.

It must hold exactly what validation gives, never be read once the data (or the
code behind it) has changed, and never stop the course from loading when the
cache folder is broken or read-only.
"""

from __future__ import annotations

import pytest

from widgets.content import _snapshot, everything


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("COURSE_CACHE_DIR", str(folder))
    _snapshot.bundle.cache_clear()
    yield folder
    _snapshot.bundle.cache_clear()


def _never(root):
    raise AssertionError("validated again although a fresh snapshot was saved")


def test_the_snapshot_holds_what_validation_gives(data_copy, cache):
    built = _snapshot.bundle(data_copy, everything)
    assert [p.name for p in cache.iterdir()] == [f"content-{_snapshot.key(data_copy)}.pickle"]
    _snapshot.bundle.cache_clear()
    read = _snapshot.bundle(data_copy, _never)
    assert read == built == everything(data_copy)
    assert read["red_flags"].advice["emergency"].sources  # a mapping again, not a dict copy
    assert {
        "content",
        "cues",
        "myths",
        "red_flags",
        "imaging",
        "odds_ratios",
        "poll_items",
        "plans",
        "table:natural_course",
    } <= set(read)


def test_an_edit_to_the_data_makes_the_snapshot_stale(data_copy, cache):
    _snapshot.bundle(data_copy, everything)
    path = data_copy / "myths.yaml"  # any file: the whole folder is hashed
    path.write_text(path.read_text().replace("number: 10", "number: 11", 1))
    _snapshot.bundle.cache_clear()
    assert _snapshot.bundle(data_copy, lambda root: {"validated": "again"}) == {
        "validated": "again"
    }


def test_a_damaged_snapshot_is_validated_again_and_replaced(data_copy, cache):
    first = _snapshot.bundle(data_copy, everything)
    (saved,) = cache.iterdir()
    saved.write_bytes(saved.read_bytes()[:100])
    _snapshot.bundle.cache_clear()
    assert _snapshot.bundle(data_copy, everything) == first
    _snapshot.bundle.cache_clear()
    assert _snapshot.bundle(data_copy, _never) == first


def test_a_cache_folder_that_cannot_be_written_still_loads(data_copy, tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("COURSE_CACHE_DIR", str(blocked / "cache"))
    _snapshot.bundle.cache_clear()
    try:
        content = _snapshot.bundle(data_copy, everything)["content"]
        assert content.questions
    finally:
        _snapshot.bundle.cache_clear()


def test_a_change_to_the_code_behind_the_objects_makes_the_snapshot_stale(
    data_copy, tmp_path, monkeypatch
):
    code = tmp_path / "code"
    code.mkdir()
    (code / "models.py").write_text("class Lesson: pass\n")
    monkeypatch.setattr(_snapshot, "CODE", (code,))
    before = _snapshot.key(data_copy)
    (code / "models.py").write_text("class Lesson:\n    title = ''\n")
    assert _snapshot.key(data_copy) != before
