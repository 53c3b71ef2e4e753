"""The course server's manager for each kernel: jupyter_server's, with one fix.

jupyter_server's culler reads every kernel's ``last_activity`` each ``cull_interval``
(``voila.json``). A kernel that is still starting (Voila fills its pools of ready kernels
in the background) is already listed but has no ``last_activity`` yet, and reading the
trait then raises ``TraitError``, which the server logs as an ERROR with a traceback (seen
with 30 visitors arriving at once). A kernel being started is active now, so here its last
activity defaults to the moment its manager was made; jupyter_server sets it again when the
kernel has started, and on every message.

Plugged in through jupyter_server's own setting, ``MappingKernelManager.kernel_manager_class``
(in ``voila.json``). The fix proposed upstream is in ``docs/upstream.md``.

And ``fresh_when_handed_out``: a ready kernel waits in Voila's pool, where the culler spares
it, but its last activity is when it was made. Once Voila hands it to a visitor it is no
longer in a pool, and before the visitor's page connects (about a second) the culler
could take it as idle for longer than ``cull_idle_timeout`` and shut it down: the page
then says it lost its connection (seen in the browser tests, on a page whose ready kernel
had waited 412 s). Handing a kernel out counts as activity, so it gets the same grace as a
kernel started for the visitor.

And its event logger: jupyter_server gives each kernel's manager the server's event
logger when the server has one, and a new one otherwise (Voila's application has none),
then registers the kernel-action event schemas on it, reading and checking the schema
files each time: 2 % of the server's busy time while 30 visitors arrived (py-spy). Here
every kernel of a Voila server shares one logger, whose schemas are registered once;
like the new ones it replaces, it has no handler unless the server's own logger is used.

And its client (``RenderClient``): Voila renders a page through a client of the kernel's
manager, whose ``start_channels`` also starts a heartbeat channel: a thread with an event
loop of its own, pinging the kernel about once a second, for each page being rendered. Its
only reader is ``is_alive``, and a client made by a kernel manager asks the manager instead
(``jupyter_client``'s ``KernelClient._async_is_alive``), so the heartbeat is never read.
Here it is not started.
"""

from __future__ import annotations

import weakref
from datetime import datetime

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import ServerKernelManager
from traitlets import default

# Event loggers that already carry the kernel-action schemas.
_SCHEMAS_REGISTERED: weakref.WeakSet = weakref.WeakSet()
# The logger shared by every kernel of a server that has none of its own (Voila).
_SHARED: list = []


class RenderClient(AsyncKernelClient):
    """A kernel manager's client that starts no heartbeat channel (see above)."""

    def start_channels(
        self,
        shell: bool = True,
        iopub: bool = True,
        stdin: bool = True,
        hb: bool = False,
        control: bool = True,
    ) -> None:
        super().start_channels(shell=shell, iopub=iopub, stdin=stdin, hb=hb, control=control)


class CourseKernelManager(ServerKernelManager):
    """``ServerKernelManager`` whose ``last_activity`` is never unset, whose event
    logger gets the kernel-action schemas registered once, not once per kernel, and
    whose clients start no heartbeat."""

    @default("client_class")
    def _client_class_default(self) -> str:
        return f"{RenderClient.__module__}.{RenderClient.__qualname__}"

    @default("client_factory")
    def _client_factory_default(self) -> type:
        return RenderClient

    @default("last_activity")
    def _last_activity_default(self) -> datetime:
        return utcnow()

    @default("event_logger")
    def _event_logger_default(self):
        server = self.parent.parent if self.parent is not None else None
        shared = getattr(server, "event_logger", None)
        if shared is None and _SHARED:
            return _SHARED[0]
        if shared is not None and shared in _SCHEMAS_REGISTERED:
            return shared
        logger = self._default_event_logger()  # jupyter_server's: registers the schemas
        _SCHEMAS_REGISTERED.add(logger)
        if shared is None:
            _SHARED.append(logger)
        return logger


def fresh_when_handed_out(kernel_manager):
    """What to do when Voila hands the ready kernel ``kernel_id`` to a visitor (see
    ``widgets.server.voila_internals.on_handout``): mark it active now."""

    def touch(kernel_id: str) -> None:
        if kernel_id in kernel_manager:
            kernel_manager.get_kernel(kernel_id).last_activity = utcnow()

    return touch
