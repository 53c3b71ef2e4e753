"""What a facilitator may ask the server to get ready, and what they read back."""

from __future__ import annotations

import pytest

from widgets.logic.room import (
    JOIN_PAGE,
    RoomError,
    combine_status,
    cost_line,
    is_ready,
    pages_for,
    parse_request,
    room_share,
    status_line,
)

KNOWN = {"00-index.ipynb", "01-what-is-chronic-back-pain.ipynb", JOIN_PAGE}


def test_a_lesson_needs_the_join_page_and_its_own_page():
    assert pages_for("03-sensitisation") == [JOIN_PAGE, "03-sensitisation.ipynb"]


def test_a_good_request_is_read_with_the_longest_time_by_default():
    request = parse_request(
        {"pages": pages_for("01-what-is-chronic-back-pain"), "size": 30},
        max_size=30,
        max_minutes=120,
        known_pages=KNOWN,
    )
    assert request.pages == (JOIN_PAGE, "01-what-is-chronic-back-pain.ipynb")
    assert (request.size, request.minutes) == (30, 120)


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (None, "JSON object"),
        ({"pages": [], "size": 2}, "pages"),
        ({"pages": ["../data/red_flags.yaml"], "size": 2}, "pages"),
        ({"pages": ["/etc/passwd.ipynb"], "size": 2}, "pages"),
        ({"pages": ["workshop/facilitator.ipynb"], "size": 2}, "no such page"),
        ({"pages": ["00-index.ipynb"] * 4, "size": 2}, "pages"),
        ({"pages": ["00-index.ipynb"], "size": 31}, "1 to 30"),
        ({"pages": ["00-index.ipynb"], "size": 0}, "1 to 30"),
        ({"pages": ["00-index.ipynb"], "size": True}, "1 to 30"),
        ({"pages": ["00-index.ipynb"], "size": "30"}, "1 to 30"),
        ({"pages": ["00-index.ipynb"], "size": 2, "minutes": 121}, "1 to 120"),
    ],
)
def test_a_request_the_server_must_refuse(body, says):
    with pytest.raises(RoomError) as info:
        parse_request(body, max_size=30, max_minutes=120, known_pages=KNOWN)
    assert says in str(info.value)


def test_the_same_page_twice_is_prepared_once():
    request = parse_request(
        {"pages": ["00-index.ipynb", "00-index.ipynb"], "size": 2},
        max_size=30,
        max_minutes=120,
        known_pages=KNOWN,
    )
    assert request.pages == ("00-index.ipynb",)


def test_the_status_line_says_how_far_the_server_got_and_for_how_long():
    filling = {
        "pages": {
            JOIN_PAGE: {"ready": 12, "opened": 0, "size": 30},
            "01-what-is-chronic-back-pain.ipynb": {"ready": 3, "opened": 0, "size": 30},
        },
        "minutes_left": 120,
    }
    assert not is_ready(filling)
    assert status_line(filling) == (
        "Getting the room ready (the join page: 12 of 30; 01-what-is-chronic-back-pain: 3 of "
        "30). This takes about a second per person. It lasts 120 more minutes."
    )
    ready = {"pages": {JOIN_PAGE: {"ready": 30, "opened": 0, "size": 30}}, "minutes_left": 1}
    assert is_ready(ready)
    assert status_line(ready) == (
        "The room is ready (the join page: 30 of 30). It lasts 1 more minute."
    )
    assert status_line({"pages": {}}).startswith("No room is being prepared")
    # With the lessons' titles, the facilitator reads no file name.
    titles = {"01-what-is-chronic-back-pain": "What is chronic back pain?"}
    assert status_line(filling, titles).startswith(
        "Getting the room ready (the join page: 12 of 30; What is chronic back pain?: 3 of 30)"
    )
    for line in (status_line(filling, titles), status_line({"pages": {}})):
        assert "kernel" not in line and ".ipynb" not in line


@pytest.mark.parametrize(
    "size, words",
    [
        (
            12,
            "For 12 people, the server keeps 24 pages ready: about 1.4 GB of its memory while "
            "the room waits, ready in about 10 seconds.",
        ),
        (
            30,
            "For 30 people, the server keeps 60 pages ready: about 3.6 GB of its memory while "
            "the room waits, ready in about 25 seconds.",
        ),
        (1, "For 1 person, the server keeps 2 pages ready: about 120 MB of its memory"),
    ],
)
def test_the_cost_is_said_in_plain_numbers(size, words):
    assert cost_line(size).startswith(words)
    assert "kernel" not in cost_line(size)


def test_pages_people_opened_count_towards_the_room():
    using = {
        "pages": {
            JOIN_PAGE: {"ready": 18, "opened": 12, "size": 30},
            "03-sensitisation.ipynb": {"ready": 1, "opened": 30, "size": 30},
        },
        "minutes_left": 90,
    }
    assert is_ready(using)
    assert status_line(using) == (
        "The room is ready (the join page: 30 of 30; 03-sensitisation: 30 of 30). "
        "42 pages opened so far. It lasts 90 more minutes."
    )


@pytest.mark.parametrize(
    ("size", "servers", "share"),
    [(30, 1, 30), (30, 2, 17), (6, 2, 5), (1, 2, 1), (2, 2, 2), (30, 3, 12), (10, 4, 5)],
)
def test_each_server_behind_a_balancer_prepares_its_share_and_two_more(size, servers, share):
    assert room_share(size, servers) == share


def test_the_room_status_adds_up_what_every_server_has_ready():
    one = {
        "pages": {
            "a": {"ready": 3, "opened": 1, "size": 6},
            "b": {"ready": 5, "opened": 0, "size": 6},
        },
        "minutes_left": 119,
        "max_size": 30,
    }
    two = {
        "pages": {
            "a": {"ready": 2, "opened": 2, "size": 6},
            "b": {"ready": 4, "opened": 0, "size": 6},
        },
        "minutes_left": 118,
        "max_size": 30,
    }
    both = combine_status([one, two])
    assert both["pages"] == {
        "a": {"ready": 5, "opened": 3, "size": 6},
        "b": {"ready": 9, "opened": 0, "size": 6},
    }
    assert both["minutes_left"] == 119 and is_ready(both)
    assert combine_status([one]) == one
    assert combine_status([]) == {"pages": {}, "minutes_left": None}


def test_a_workshop_in_another_language_readies_that_languages_pages():
    from widgets.logic.room import page_name

    pages = pages_for("03-sensitisation", "es")
    assert pages == [f"es/{JOIN_PAGE}", "es/03-sensitisation.ipynb"]
    request = parse_request(
        {"pages": pages, "size": 5}, max_size=30, max_minutes=120, known_pages=set(pages)
    )
    assert request.pages == tuple(pages)
    titles = {"03-sensitisation": "Un sistema de alarma sensible"}
    assert page_name("es/03-sensitisation.ipynb", titles) == "Un sistema de alarma sensible"


def test_the_short_join_address_names_the_workshops_language():
    from widgets.logic.join_link import join_address, join_url

    assert join_address("http://192.0.2.7:8866", "/") == "http://192.0.2.7:8866/join"
    assert join_address("http://192.0.2.7:8866", "/", "es") == "http://192.0.2.7:8866/es/join"
    assert join_url("http://h", "/course/", "ACE-F47", "es") == "http://h/course/es/join/ACE-F47"


@pytest.mark.parametrize(
    ("header", "greeted"),
    [
        ("es-ES,es;q=0.9,en;q=0.8", "es"),
        ("en-GB,en;q=0.9,es;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,es;q=0.5", "es"),
        ("fr-FR", "en"),
        ("", "en"),
        ("en;q=0.2, es-MX;q=0.7", "es"),
        ("es;q=0", "en"),
    ],
)
def test_the_home_page_greets_a_browser_in_the_first_language_it_asks_for(header, greeted):
    from widgets.i18n import preferred

    assert preferred(header, ["en", "es"]) == greeted
