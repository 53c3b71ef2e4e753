"""bench.cow: what a forked kernel's private memory is made of, counted page by page."""

from __future__ import annotations

import os
import signal

import pytest

from bench import cow


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


def test_a_forked_child_that_writes_a_little_and_allocates_is_counted():
    """A real fork of this process: the child changes one word on some shared pages and
    fills a new buffer, then waits to be read."""
    shared = bytearray(64 * cow.PAGE)  # the "template's" pages, written so they are resident
    for i in range(0, len(shared), cow.PAGE):
        shared[i] = 1
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: one word on 16 pages, heavy changes on 8, and 32 new pages
        try:
            for i in range(16):
                shared[i * cow.PAGE + 8] = 2
            for i in range(16, 24):
                shared[i * cow.PAGE : (i + 1) * cow.PAGE] = b"\xff" * cow.PAGE
            fresh = bytearray(b"\x01" * (32 * cow.PAGE))
            os.write(ready_w, b"1")
            signal.pause()
            del fresh
        finally:
            os._exit(0)
    try:
        os.read(ready_r, 1)
        pages = cow.breakdown(pid, os.getpid())
        if pages is None:
            pytest.skip("page frames are hidden here (needs root)")
        assert cow.parent_pid(pid) == os.getpid()
        assert pages["counts"] >= 16 * cow.PAGE
        assert pages["copied"] >= 8 * cow.PAGE
        assert pages["new"] + pages["copied"] >= 32 * cow.PAGE  # where malloc put it
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(ready_r)
        os.close(ready_w)
