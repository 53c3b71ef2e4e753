"""Getting the room ready: ready kernels for a workshop's pages before the room opens them.

A served page needs a kernel that has run it; starting one takes about a second of
CPU, so 30 people opening a lesson at the same moment on a 2-core server would wait
15 s or more. The course server keeps a few ready kernels per page (``voila.json``)
and, on the facilitator's request, up to ``room size`` for the join page and the
lesson being taught, until the workshop ends (``widgets.server``, ``/course/room``).

This module is the pure part, shared by the server and the facilitator's widget:
which pages a lesson needs, what a request may ask for, and the status line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..i18n import _, ngettext, number

JOIN_PAGE = "workshop/join.ipynb"
ROUTE = "course/room"
KEY_HEADER = "X-Course-Room-Key"
# Behind a load balancer (widgets/server/balance.py): the other course servers' addresses,
# space-separated, and the header on a room request one server passed on to another.
PEERS_ENV = "COURSE_ROOM_PEERS"
FORWARDED_HEADER = "X-Course-Room-Forwarded"
KEY_ENV = "COURSE_ROOM_KEY"  # given to kernels, so only the facilitator page's code can ask
SIZE_ENV = "COURSE_ROOM_SIZE"
HOST_ENV = "COURSE_ROOM_HOST"  # the address the server listens on, as seen from its kernels
# A course page: a lesson or a workshop page, in a language's folder or not (es/...).
_PAGE = re.compile(r"^([a-z]{2,3}/)?(workshop/)?[0-9a-z][0-9a-z_-]*\.ipynb$")


class RoomError(ValueError):
    """A request the server refuses; the message says why, in plain words."""


def pages_for(lesson_id: str, language: str = "en") -> list[str]:
    """The pages the room opens for a lesson: the join page (the poll) and the lesson,
    in the workshop's language (a translation's pages are in its folder, e.g. ``es/``)."""
    folder = "" if language == "en" else f"{language}/"
    return [f"{folder}{JOIN_PAGE}", f"{folder}{lesson_id}.ipynb"]


@dataclass(frozen=True)
class RoomRequest:
    pages: tuple[str, ...]
    size: int
    minutes: int


def parse_request(
    body: object, max_size: int, max_minutes: int, known_pages: set[str]
) -> RoomRequest:
    """The checked request, or ``RoomError``. ``body`` is the decoded JSON."""
    if not isinstance(body, dict):
        raise RoomError("send a JSON object")
    pages, size, minutes = body.get("pages"), body.get("size"), body.get("minutes", max_minutes)
    if (
        not isinstance(pages, list)
        or not pages
        or len(pages) > 3
        or not all(isinstance(p, str) and _PAGE.match(p) for p in pages)
    ):
        raise RoomError("pages: one to three course pages, e.g. workshop/join.ipynb")
    unknown = [p for p in pages if p not in known_pages]
    if unknown:
        raise RoomError(f"no such page: {unknown[0]}")
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= max_size:
        raise RoomError(f"size: a whole number from 1 to {max_size}")
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= max_minutes:
        raise RoomError(f"minutes: a whole number from 1 to {max_minutes}")
    return RoomRequest(tuple(dict.fromkeys(pages)), size, minutes)


# What a ready page costs while it waits (make bench: 50 to 60 MB RSS per live page) and
# how long the server takes to ready one (about 0.6 to 0.8 s of CPU on one of 2 cores).
MB_PER_PAGE = 60
SECONDS_PER_PAGE = 0.4


def page_name(page: str, titles: dict[str, str] | None = None) -> str:
    """A page as a facilitator knows it: "the join page", or the lesson's title."""
    page = re.sub(r"^[a-z]{2,3}/(?=(workshop/)?[0-9a-z])", "", page)  # its language's folder
    if page == JOIN_PAGE:
        # Translators: the workshop's join page, in the room's status line, e.g.
        # "the join page: 12 of 30".
        return _("the join page")
    lesson = page.removesuffix(".ipynb")
    return (titles or {}).get(lesson, lesson)


def cost_line(size: int, pages: int = 2) -> str:
    """What getting the room ready costs, in plain numbers (memory and time)."""
    memory = size * pages * MB_PER_PAGE
    # Translators: an amount of memory, e.g. "1.4 GB" or "120 MB".
    amount = (
        _("{amount} GB").format(amount=number(memory / 1000, 1))
        if memory >= 1000
        else _("{amount} MB").format(amount=number(memory))
    )
    seconds = size * pages * SECONDS_PER_PAGE
    if seconds >= 90:
        minutes = round(seconds / 60)
        # Translators: how long getting the room ready takes, in "ready in about 2 minutes".
        time = ngettext("about {n} minute", "about {n} minutes", minutes).format(n=minutes)
    else:
        n = max(5, round(seconds / 5) * 5)
        # Translators: how long getting the room ready takes, in "ready in about 10 seconds".
        time = ngettext("about {n} second", "about {n} seconds", n).format(n=n)
    # Translators: {amount} is an amount of memory ("1.4 GB") and {time} how long it takes
    # ("about 10 seconds"); "the room" is the workshop's room of people.
    text = ngettext(
        "For {size} person, the server keeps {pages} pages ready: about {amount} of its memory "
        "while the room waits, ready in {time}. Release the room after the session to free it.",
        "For {size} people, the server keeps {pages} pages ready: about {amount} of its memory "
        "while the room waits, ready in {time}. Release the room after the session to free it.",
        size,
    )
    return text.format(size=size, pages=size * pages, amount=amount, time=time)


def room_share(size: int, servers: int) -> int:
    """Ready kernels each of ``servers`` course servers behind a load balancer prepares
    for a room of ``size`` (people arrive spread over them): an even share and two more
    for an uneven arrival, never more than the room."""
    if servers <= 1:
        return size
    return min(size, -(-size // servers) + 2)


def combine_status(statuses: list[dict]) -> dict:
    """One room status from each server's: ready and opened kernels added up per page,
    the room's size and the time left as the first server says."""
    if not statuses:
        return {"pages": {}, "minutes_left": None}
    first = statuses[0]
    pages = {}
    for page, own in (first.get("pages") or {}).items():
        pages[page] = {
            "ready": sum((s.get("pages") or {}).get(page, {}).get("ready", 0) for s in statuses),
            "opened": sum((s.get("pages") or {}).get(page, {}).get("opened", 0) for s in statuses),
            "size": own["size"],
        }
    return {**first, "pages": pages}


def is_ready(status: dict) -> bool:
    """Every page of the room has a kernel ready, or already opened, for each person."""
    return all(
        p["ready"] + p.get("opened", 0) >= p["size"] for p in (status.get("pages") or {}).values()
    )


def status_line(status: dict, titles: dict[str, str] | None = None) -> str:
    """What the facilitator reads, from the server's status (``{"pages": {page:
    {"ready": n, "opened": n, "size": n}}, "minutes_left": m}``). ``titles`` maps lesson
    ids to their titles, so no file name reaches the page."""
    pages = status.get("pages") or {}
    if not pages:
        return _("No room is being prepared. The course keeps a few pages ready, as usual.")
    # Translators: how many pages of the room are ready, e.g. "the join page: 12 of 30".
    count = _("{page}: {ready} of {size}")
    counts = "; ".join(
        count.format(
            page=page_name(page, titles),
            ready=min(p["ready"] + p.get("opened", 0), p["size"]),
            size=p["size"],
        )
        for page, p in pages.items()
    )
    if is_ready(status):
        # Translators: {counts} says how many pages are ready, e.g. "the join page: 30 of 30".
        parts = [_("The room is ready ({counts}).").format(counts=counts)]
    else:
        # Translators: {counts} says how many pages are ready, e.g. "the join page: 12 of 30".
        parts = [
            _("Getting the room ready ({counts}). This takes about a second per person.").format(
                counts=counts
            )
        ]
    opened = sum(p.get("opened", 0) for p in pages.values())
    if opened:
        parts.append(
            ngettext("{n} page opened so far.", "{n} pages opened so far.", opened).format(n=opened)
        )
    left = status.get("minutes_left")
    if left:
        parts.append(
            ngettext("It lasts {n} more minute.", "It lasts {n} more minutes.", left).format(n=left)
        )
    return " ".join(parts)
