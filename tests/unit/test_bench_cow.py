"""bench.cow: what a forked kernel's private memory is made of, counted page by page."""

from __future__ import annotations

import os
import signal

import pytest

from bench import cow, procs


def test_changed_words_counts_8_byte_words():
    page = bytes(cow.PAGE)
    assert cow.changed_words(page, page) == 0
    one = bytearray(page)
    one[16] = 1  # a reference count going up
    assert cow.changed_words(bytes(one), page) == 1
    many = bytes(range(256)) * 16
    assert cow.changed_words(many, page) == 512


@pytest.mark.parametrize(
    ("kernel", "template", "changed", "kind"),
    [
        (7, 7, None, "shared"),
        (8, 7, 1, "counts"),
        (8, 7, cow.FEW, "counts"),
        (8, 7, cow.FEW + 1, "copied"),
        (8, 7, None, "copied"),  # unreadable: not counted as reference counts
        (8, None, None, "new"),
        (None, 7, None, "absent"),
    ],
)
def test_each_page_is_shared_copied_for_counts_copied_or_new(kernel, template, changed, kind):
    assert cow.classify(kernel, template, changed) == kind


def test_tally_gives_bytes_per_kind():
    assert cow.tally(["shared", "counts", "counts", "new", "absent"]) == {
        "shared": cow.PAGE,
        "counts": 2 * cow.PAGE,
        "copied": 0,
        "new": cow.PAGE,
    }


def test_a_forked_child_that_changes_a_word_or_a_whole_page_is_counted_page_by_page():
    """A real fork of this process, counted on one buffer's pages only: the child changes
    one word on 16 of them and every word on 8; the other 40 stay shared."""
    import ctypes
    import mmap

    pages = 64
    # Private and anonymous, as a process's heap is (a shared mapping is never copied).
    shared = mmap.mmap(-1, pages * cow.PAGE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    for i in range(pages):
        shared[i * cow.PAGE] = 1  # resident before the fork
    start = ctypes.addressof(ctypes.c_char.from_buffer(shared))
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            for i in range(16):
                shared[i * cow.PAGE + 8] = 2
            for i in range(16, 24):
                shared[i * cow.PAGE : (i + 1) * cow.PAGE] = b"\xff" * cow.PAGE
            os.write(ready_w, b"1")
            signal.pause()
        finally:
            os._exit(0)
    try:
        os.read(ready_r, 1)
        counted = cow.breakdown(pid, os.getpid(), only=[(start, start + pages * cow.PAGE)])
        if counted is None:
            pytest.skip("page frames are hidden here (needs root)")
        assert procs.parent_pid(pid) == os.getpid()
        assert counted == {
            "shared": 40 * cow.PAGE,
            "counts": 16 * cow.PAGE,
            "copied": 8 * cow.PAGE,
            "new": 0,
        }
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(ready_r)
        os.close(ready_w)
