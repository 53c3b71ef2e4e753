"""One small background poller for the views that watch something change.

The facilitator's dashboard reads the poll's totals every second, the room panel asks
the server how far it got, and a participant's page looks for the 'after' round. Each
runs ``step`` in a daemon thread every ``interval`` seconds until ``step`` returns True,
``stop()`` is called, or ``for_seconds`` have passed (a forgotten page stops by itself),
so a kernel whose page is gone falls idle and can be culled.

A failing step never ends in a traceback: ``on_error`` gets the exception and returns
True to stop, False to try again next time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Poller:
    """Call ``step`` in the background every ``interval`` s (see the module's text)."""

    def __init__(self, name: str):
        self.name = name
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(
        self,
        step: Callable[[], bool],
        interval: float,
        for_seconds: float,
        on_error: Callable[[Exception], bool] = lambda exc: False,
    ) -> None:
        """Start polling (a poller already running is stopped first)."""
        self.stop()
        self._stop = stop = threading.Event()

        def loop() -> None:
            deadline = time.monotonic() + for_seconds
            while not stop.wait(interval) and time.monotonic() < deadline:
                try:
                    if step():
                        return
                except Exception as exc:  # noqa: BLE001 - a failed step must not kill the loop
                    if on_error(exc):
                        return

        self._thread = threading.Thread(target=loop, name=self.name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop and wait for the thread (not when called from the poller's own step)."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)

    def join(self, timeout: float | None = None) -> None:
        """Wait for the poller to end by itself (for tests)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
