"""Ready kernels follow the learners (widgets.server.pools.Readiness), without a server:
a stand-in for Voila's kernel manager that keeps pools the way Voila does."""

from __future__ import annotations

import asyncio
import itertools
from concurrent.futures import ThreadPoolExecutor

import pytest

from widgets.content import NOTEBOOKS_DIR
from widgets.server.app import course_resources, following_pages
from widgets.server.pools import Readiness


class Manager:
    """Voila's kernel manager as far as Readiness uses it: its pool sizes, its pools of
    ready kernels, the refill it calls, its denylist and shutdown."""

    fill_delay = 3.0

    def __init__(self, config: dict, denied: tuple[str, ...] = ()):
        self.kernel_pools_config = config
        self._pools: dict[str, list] = {}
        self.denied = denied
        self.fills: list[tuple[str, float]] = []
        self.shut: list[str] = []
        self._ids = itertools.count(1)

    def _notebook_filter(self, path) -> bool:
        return not any(str(path).startswith(d) for d in self.denied)

    def fill_if_needed(self, delay=None, notebook_name=None, **kwargs):
        config = self.kernel_pools_config
        size = config.get(notebook_name, config["default"])["pool_size"]
        pool = self._pools.setdefault(notebook_name, [])
        self.fills.append((notebook_name, delay))
        while len(pool) < size:
            ready = asyncio.get_event_loop().create_future()
            ready.set_result({"kernel_id": f"k{next(self._ids)}"})
            pool.append(ready)

    async def shutdown_kernel(self, kernel_id: str) -> None:
        self.shut.append(kernel_id)

    def ready(self, page: str) -> int:
        return len(self._pools.get(page, []))


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


CONFIG = {"default": {"pool_size": 0}, "00-index.ipynb": {"pool_size": 2}}
NEXT = {"00-index.ipynb": "01-a.ipynb", "01-a.ipynb": "02-b.ipynb", "02-b.ipynb": "03-c.ipynb"}
PAGES = {*NEXT, *NEXT.values()}  # the course's pages that Voila may pool


class Room:
    def __init__(self, pages=()):
        self.pages = set(pages)

    def holds(self, page: str) -> bool:
        return page in self.pages


def run(steps):
    """Run ``steps`` (a coroutine function) on an event loop, then let the loop finish
    the shutdowns it scheduled. (In a thread of its own: the full suite may already run
    an event loop in this one.)"""

    async def main():
        result = await steps()
        for _ in range(3):
            await asyncio.sleep(0)
        return result

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main()).result()


def test_opening_a_page_readies_it_and_the_next_lesson_once_after_the_fill_delay():
    async def steps():
        km, clock = Manager(dict(CONFIG)), Clock()
        readiness = Readiness(km, PAGES, NEXT, minutes=30, clock=clock)
        readiness.visited("01-a.ipynb")
        assert (km.ready("01-a.ipynb"), km.ready("02-b.ipynb")) == (1, 1)
        assert km.fills == [("01-a.ipynb", 3.0), ("02-b.ipynb", 3.0)]
        assert readiness.ready_pages() == ["01-a.ipynb", "02-b.ipynb"]
        readiness.visited("01-a.ipynb")  # again: no second fill (Voila refills what it hands out)
        assert len(km.fills) == 2
        return km

    run(steps)


def test_a_page_with_its_own_pool_or_on_the_denylist_is_left_alone():
    async def steps():
        km = Manager(dict(CONFIG), denied=("workshop/facilitator",))
        readiness = Readiness(km, PAGES, {"workshop/facilitator.ipynb": "02-b.ipynb"}, minutes=30)
        readiness.visited("00-index.ipynb")
        readiness.visited("workshop/facilitator.ipynb")
        # The landing page keeps its configured 2; the facilitator page gets none; its
        # next page does.
        assert km.kernel_pools_config["00-index.ipynb"] == {"pool_size": 2}
        assert "workshop/facilitator.ipynb" not in km.kernel_pools_config
        assert readiness.ready_pages() == ["02-b.ipynb"]

    run(steps)


def test_ready_kernels_go_once_nobody_opened_the_page_or_the_one_before_for_the_time():
    async def steps():
        km, clock = Manager(dict(CONFIG)), Clock()
        readiness = Readiness(km, PAGES, NEXT, minutes=30, clock=clock)
        readiness.visited("01-a.ipynb")
        clock.now += 20 * 60
        readiness.visited("02-b.ipynb")  # 02 (and 03) wanted for 30 more minutes
        clock.now += 15 * 60  # 35 min after 01, 15 after 02
        readiness.sweep()
        assert readiness.ready_pages() == ["02-b.ipynb", "03-c.ipynb"]
        assert km.ready("01-a.ipynb") == 0 and km.ready("02-b.ipynb") == 1
        assert "01-a.ipynb" not in km.kernel_pools_config
        clock.now += 16 * 60
        readiness.sweep()
        assert readiness.ready_pages() == []
        assert km.kernel_pools_config == CONFIG
        return km

    km = run(steps)
    assert sorted(km.shut) == ["k1", "k2", "k3"]  # 01's, 02's and 03's ready kernels


def test_a_page_the_room_holds_is_left_to_the_room():
    async def steps():
        km, clock = Manager(dict(CONFIG)), Clock()
        room = Room({"02-b.ipynb"})
        readiness = Readiness(km, PAGES, NEXT, minutes=30, room=room, clock=clock)
        readiness.visited("01-a.ipynb")
        assert km.fills == [("01-a.ipynb", 3.0)]  # not 02: the room fills it
        clock.now += 31 * 60
        readiness.sweep()
        assert readiness.ready_pages() == ["02-b.ipynb"]  # kept until the room lets go
        room.pages.clear()
        readiness.sweep()
        assert readiness.ready_pages() == []
        return km

    run(steps)


def test_a_page_configured_with_no_pool_gets_its_own_settings_back():
    config = {**CONFIG, "01-a.ipynb": {"pool_size": 0, "kernel_env_variables": {"A": "1"}}}

    async def steps():
        km, clock = Manager(dict(config)), Clock()
        readiness = Readiness(km, PAGES, NEXT, minutes=1, clock=clock)
        readiness.visited("01-a.ipynb")
        assert km.kernel_pools_config["01-a.ipynb"] == {
            "pool_size": 1,
            "kernel_env_variables": {"A": "1"},
        }
        clock.now += 61
        readiness.sweep()
        assert km.kernel_pools_config == config

    run(steps)


@pytest.fixture(scope="module")
def following():
    return following_pages(course_resources()["sites"])


def test_each_page_is_followed_by_its_next_lesson_in_its_own_language(following):
    assert following["00-index.ipynb"] == "01-what-is-chronic-back-pain.ipynb"
    assert following["01-what-is-chronic-back-pain.ipynb"] == "02-why-pain-persists.ipynb"
    assert following["es/01-what-is-chronic-back-pain.ipynb"] == "es/02-why-pain-persists.ipynb"
    assert not any(page.startswith("14-") for page in following)  # the last has no next
    for page, after in following.items():
        assert page.rpartition("/")[0] == after.rpartition("/")[0], (page, after)
        assert (NOTEBOOKS_DIR / after).is_file(), after


def test_a_ready_kernel_still_running_its_page_is_shut_down_once_the_page_has_run():
    async def steps():
        km, clock = Manager(dict(CONFIG)), Clock()
        readiness = Readiness(km, PAGES, NEXT, minutes=1, clock=clock)
        readiness.visited("02-b.ipynb")
        rendering = asyncio.get_running_loop().create_future()
        ready = km._pools["03-c.ipynb"][0].result()
        ready["task"] = rendering  # the server is still running 03's page in it
        clock.now += 61
        readiness.sweep()
        for _ in range(5):
            await asyncio.sleep(0)
        assert ready["kernel_id"] not in km.shut
        rendering.set_result(None)
        for _ in range(3):
            await asyncio.sleep(0)
        assert ready["kernel_id"] in km.shut

    run(steps)


def test_only_the_course_pages_as_named_count_not_another_spelling_of_an_address():
    async def steps():
        km = Manager(dict(CONFIG))
        readiness = Readiness(km, PAGES, NEXT, minutes=30)
        for address in ("./02-b.ipynb", "/02-b.ipynb", "02-b.ipynb/", "x.png", "99-z.ipynb"):
            readiness.visited(address)
        assert km.fills == [] and readiness.ready_pages() == []
        assert km.kernel_pools_config == CONFIG

    run(steps)


def test_a_followed_page_a_released_room_left_without_a_kernel_is_readied_again():
    async def steps():
        km, clock = Manager(dict(CONFIG)), Clock()
        room = Room({"02-b.ipynb"})
        readiness = Readiness(km, PAGES, NEXT, minutes=30, room=room, clock=clock)
        readiness.visited("02-b.ipynb")  # during the room: followed, left to the room
        assert ("02-b.ipynb", 3.0) not in km.fills
        room.pages.clear()  # released: the room put 02's pool back to none
        clock.now += 60
        readiness.visited("02-b.ipynb")
        assert ("02-b.ipynb", 3.0) in km.fills
        assert km.ready("02-b.ipynb") == 1

    run(steps)
