"""The culler and a kernel that is still starting (widgets.server.kernels).

jupyter_server lists a kernel before it has started; its culler then read the kernel's
``last_activity`` before it was set and logged a TraitError as an ERROR (seen with 30
visitors at once). The course's per-kernel manager gives it a value from the start.
"""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from jupyter_server.services.kernels.kernelmanager import (
    AsyncMappingKernelManager,
    ServerKernelManager,
)
from traitlets import TraitError
from traitlets.config import Config
from voila.voila_kernel_manager import voila_kernel_manager_factory

from tests.conftest import REPO
from widgets.server.kernels import CourseKernelManager

VOILA_JSON = json.loads((REPO / "voila.json").read_text())


def _manager(kernel_class: type) -> AsyncMappingKernelManager:
    config = Config(VOILA_JSON)
    config.MappingKernelManager.kernel_manager_class = (
        f"{kernel_class.__module__}.{kernel_class.__qualname__}"
    )
    return voila_kernel_manager_factory(AsyncMappingKernelManager, False, 1)(config=config)


async def _cull_one_still_starting(manager: AsyncMappingKernelManager) -> None:
    # What the manager holds while a kernel starts: listed, not yet started.
    manager._kernels["starting"] = manager.kernel_manager_factory(kernel_name="python3")
    await manager.cull_kernel_if_idle("starting")


def _run(coroutine):
    # In its own thread: the browser tests' driver keeps an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_the_culler_passes_over_a_kernel_that_is_still_starting():
    manager = _manager(CourseKernelManager)
    _run(_cull_one_still_starting(manager))
    assert "starting" in manager._kernels  # not culled: it was active a moment ago


def test_without_the_fix_the_culler_fails_on_it():
    # jupyter_server's own class (if this stops failing, the fix is upstream: drop ours).
    with pytest.raises(TraitError, match="last_activity"):
        _run(_cull_one_still_starting(_manager(ServerKernelManager)))


def test_the_course_server_is_configured_with_it():
    name = VOILA_JSON["MappingKernelManager"]["kernel_manager_class"]
    assert name == "widgets.server.kernels.CourseKernelManager"
    served = voila_kernel_manager_factory(AsyncMappingKernelManager, False, 1)(
        config=Config(VOILA_JSON)
    )
    assert served.kernel_manager_class == name


def test_a_ready_kernel_handed_to_a_visitor_counts_as_active_so_the_culler_spares_it():
    """A ready kernel's last activity is when it was made; handed out after waiting longer
    than the cull timeout, the culler would shut it down before the page connects."""
    import datetime as dt

    from jupyter_server._tz import utcnow

    from widgets.server import voila_internals
    from widgets.server.kernels import fresh_when_handed_out

    class Kernel:
        last_activity = utcnow() - dt.timedelta(seconds=412)

    class Manager:
        kernels = {"k1": Kernel()}

        def __contains__(self, kernel_id):
            return kernel_id in self.kernels

        def get_kernel(self, kernel_id):
            return self.kernels[kernel_id]

        async def get_rendered_notebook(self, notebook_name, **kwargs):
            return ("task", ["cells"], "k1")

    manager = Manager()
    voila_internals.on_handout(manager, fresh_when_handed_out(manager))
    before = manager.kernels["k1"].last_activity
    # (in a thread of its own: the suite may already run an event loop in this one)
    with ThreadPoolExecutor(1) as pool:
        page = "es/12-treatments.ipynb"
        result = pool.submit(asyncio.run, manager.get_rendered_notebook(page)).result()
    assert result == ("task", ["cells"], "k1")
    assert (utcnow() - manager.kernels["k1"].last_activity).total_seconds() < 5
    assert manager.kernels["k1"].last_activity > before


@pytest.fixture
def registered(monkeypatch) -> list:
    """Every kernel-action schema registration on any event logger, in order."""
    from jupyter_events import EventLogger

    from widgets.server import kernels as course_kernels

    counted: list = []
    register = EventLogger.register_event_schema

    def counting(self, schema):
        counted.append(schema)
        return register(self, schema)

    monkeypatch.setattr(EventLogger, "register_event_schema", counting)
    monkeypatch.setattr(course_kernels, "_SHARED", [])
    return counted


def test_the_kernel_action_schemas_are_registered_once_on_the_servers_event_logger(
    registered,
):
    from jupyter_events import EventLogger
    from traitlets import Instance
    from traitlets.config import Configurable

    class Server(Configurable):
        event_logger = Instance(EventLogger)

    server = Server(event_logger=EventLogger())
    kernels = Configurable(parent=server)  # the server's MultiKernelManager
    first = CourseKernelManager(parent=kernels).event_logger
    once = len(registered)
    second = CourseKernelManager(parent=kernels).event_logger
    assert first is second is server.event_logger
    assert once >= 1 and len(registered) == once  # not again for the second kernel
    # jupyter_server's own manager registers them again for every kernel.
    ServerKernelManager(parent=kernels).event_logger  # noqa: B018
    assert len(registered) == 2 * once


def test_on_a_voila_server_every_kernel_shares_one_event_logger_registered_once(registered):
    """Voila's application has no event logger: jupyter_server would make a new one for
    each kernel and register the schemas on it."""
    from voila.app import Voila

    assert not hasattr(Voila, "event_logger")
    kernels = _manager(CourseKernelManager)  # its parent, like Voila's, has no logger
    first = kernels.kernel_manager_factory(kernel_name="python3").event_logger
    once = len(registered)
    second = kernels.kernel_manager_factory(kernel_name="python3").event_logger
    assert once >= 1 and first is second and len(registered) == once
    plain = _manager(ServerKernelManager)
    a = plain.kernel_manager_factory(kernel_name="python3").event_logger
    b = plain.kernel_manager_factory(kernel_name="python3").event_logger
    assert a is not b and len(registered) == 3 * once  # jupyter_server: new, again


def test_a_page_is_rendered_through_a_client_that_starts_no_heartbeat():
    """Voila renders through ``km.client()``; its heartbeat channel would be one more
    thread and event loop per page being rendered, and nothing reads it."""
    manager = _manager(CourseKernelManager)
    km = manager.kernel_manager_factory(kernel_name="python3")
    kc = km.client()
    kc.start_channels()
    try:
        assert kc.shell_channel.is_alive() and kc.iopub_channel.is_alive()
        assert kc._hb_channel is None
        # What nbclient asks when a reply is late: answered by the kernel's manager, so
        # a kernel that is not running is reported dead without any heartbeat.
        assert _run(kc.is_alive()) is False
    finally:
        kc.stop_channels()
