"""Callbacks that fail show a kind message, never a traceback.

Voila hides tracebacks, but then a failing click looks like nothing happened.
``friendly`` wraps a view's callback: the error goes to the server log (with
no learner input in it) and the view's ``show_error`` puts a plain message on
the page.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from .i18n import N_, _

log = logging.getLogger("widgets")

# Translators: shown in a tool when one of its buttons or boxes failed.
SORRY = N_(
    "Sorry, something went wrong on our side. Please try again. "
    "If it keeps happening, reload the page."
)


def friendly(method: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a view method so that an exception becomes ``self.show_error(_(SORRY))``."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - the point is to catch everything
            # Log the kind of error and where, not the values: they may be what a learner chose.
            log.error("%s.%s failed: %s", type(self).__name__, method.__name__, type(exc).__name__)
            self.show_error(_(SORRY))
            return None

    wrapper.friendly = True  # tests check that every view's callback is wrapped
    return wrapper
