"""What a forked kernel's private memory is made of (``make bench``, at the crowd's peak).

A kernel forked from the template (``widgets/server/forking``) starts with every page
shared. A page becomes the kernel's own when it writes to it: copied from the template
(copy-on-write), or new (memory the template never had). For each copied page this
compares the kernel's bytes with the template's, 8 bytes at a time: a page on which at
most ``FEW`` words changed was copied for a few reference counts (CPython writes an
object's reference count each time code uses it, even code that only reads it); a page
with more changes holds objects the kernel made or changed.

Reads ``/proc/<pid>/maps``, ``pagemap`` and ``mem`` of both processes, which needs
root (without it the page frame numbers read as 0 and :func:`breakdown` returns None).
The counting (:func:`changed_words`, :func:`classify`, :func:`tally`) is pure.
"""

from __future__ import annotations

import struct
from collections import Counter
from collections.abc import Iterable

PAGE = 4096
FEW = 4  # changed 8-byte words on a copied page still counted as "reference counts"
_PRESENT = 1 << 63
_PFN = (1 << 55) - 1


def changed_words(ours: bytes, theirs: bytes) -> int:
    """How many of the 8-byte words of two pages differ."""
    words = len(ours) // 8
    a = struct.unpack(f"{words}Q", ours[: words * 8])
    b = struct.unpack(f"{words}Q", theirs[: words * 8])
    return sum(1 for x, y in zip(a, b, strict=True) if x != y)


def classify(kernel_frame: int | None, template_frame: int | None, changed: int | None) -> str:
    """One resident page of the kernel: ``shared`` (the template's own frame), ``new``
    (the template had no page there), ``counts`` (copied, at most ``FEW`` words changed)
    or ``copied`` (copied, more changed)."""
    if kernel_frame is None:
        return "absent"
    if template_frame is None:
        return "new"
    if kernel_frame == template_frame:
        return "shared"
    return "counts" if changed is not None and changed <= FEW else "copied"


def tally(kinds: Iterable[str]) -> dict[str, int]:
    """Bytes per kind of page."""
    counted = Counter(kinds)
    return {k: counted.get(k, 0) * PAGE for k in ("shared", "counts", "copied", "new")}


# ------------------------------------------------------------------------- procfs
def _writable_ranges(pid: int) -> list[tuple[int, int]]:
    out = []
    with open(f"/proc/{pid}/maps") as maps:
        for line in maps:
            span, perms = line.split()[:2]
            if "w" in perms:
                start, end = (int(x, 16) for x in span.split("-"))
                out.append((start, end))
    return out


def _frames(pagemap, start: int, end: int) -> list[int | None]:
    pagemap.seek(start // PAGE * 8)
    data = pagemap.read((end - start) // PAGE * 8)
    return [(e & _PFN) if e & _PRESENT else None for (e,) in struct.iter_unpack("Q", data)]


def _within(ranges: list[tuple[int, int]], only: list[tuple[int, int]] | None):
    if only is None:
        return ranges
    return [
        (max(a, lo), min(b, hi)) for a, b in ranges for lo, hi in only if max(a, lo) < min(b, hi)
    ]


def breakdown(
    kernel_pid: int, template_pid: int, only: list[tuple[int, int]] | None = None
) -> dict[str, int] | None:
    """Bytes of the kernel's writable memory by kind of page (see :func:`classify`), or
    None when the page frames cannot be read (not root) or a process is gone. ``only``
    (page-aligned address ranges) limits the count to those addresses."""
    try:
        template_ranges = _writable_ranges(template_pid)
        with (
            open(f"/proc/{kernel_pid}/pagemap", "rb", 0) as kmap,
            open(f"/proc/{template_pid}/pagemap", "rb", 0) as tmap,
            open(f"/proc/{kernel_pid}/mem", "rb", 0) as kmem,
            open(f"/proc/{template_pid}/mem", "rb", 0) as tmem,
        ):
            kinds: list[str] = []
            seen_frame = False
            for start, end in _within(_writable_ranges(kernel_pid), only):
                kernel = _frames(kmap, start, end)
                template: list[int | None] = [None] * len(kernel)
                for t_start, t_end in template_ranges:
                    lo, hi = max(start, t_start), min(end, t_end)
                    if lo < hi:
                        first = (lo - start) // PAGE
                        template[first : first + (hi - lo) // PAGE] = _frames(tmap, lo, hi)
                for i, (k, t) in enumerate(zip(kernel, template, strict=True)):
                    seen_frame = seen_frame or bool(k)
                    changed = None
                    if k is not None and t is not None and k != t:
                        address = start + i * PAGE
                        try:
                            kmem.seek(address)
                            ours = kmem.read(PAGE)
                            tmem.seek(address)
                            changed = changed_words(ours, tmem.read(PAGE))
                        except OSError:
                            changed = None
                    kinds.append(classify(k, t, changed))
    except (OSError, ValueError):
        return None
    if not seen_frame:  # page frame numbers hidden: not root
        return None
    return tally(kinds)
