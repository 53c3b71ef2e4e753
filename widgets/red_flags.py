"""The red-flag checker: the rules' public API, and the widget of lesson 08.

Safety-critical: read ``docs/clinical-safety.md`` before changing anything here.

The API (other checks rely on it), with no user-interface import::

    from widgets.red_flags import assess, RED_FLAGS

    result = assess({"saddle_numbness"})
    result.level    # "emergency" | "urgent" | "soon" | "none"
    result.flags    # the ticked ids, in the order of RED_FLAGS
    result.advice   # what to do now, in plain words

``RED_FLAGS`` holds the validated records of ``data/red_flags.yaml`` (id, name,
sign, question, why, level, sources), fifteen NHS and NICE warning signs, in the
language the process speaks when it is read. Where each
part lives: the rule is ``widgets.logic.red_flags`` (pure), the data and its binding
``widgets.content.red_flags``, and the view ``widgets._red_flags_view``; lessons show
it as ``from widgets.red_flags import RedFlagChecker``, imported only then.
"""

from __future__ import annotations

from typing import Any

from .content.red_flags import RedFlag, assess, load_red_flags  # noqa: F401 (API)
from .logic.red_flags import LEVELS, Assessment

# RedFlagChecker comes from __getattr__, so the rules alone never import ipywidgets.
__all__ = ["LEVELS", "RED_FLAGS", "Assessment", "RedFlag", "RedFlagChecker", "assess"]  # noqa: F822


def __getattr__(name: str) -> Any:
    # RED_FLAGS: the warning signs, in the order the checker asks them, in the language
    # the process speaks when it is read (never kept from import time: a kernel learns its
    # language after the template imported this module).
    if name == "RED_FLAGS":
        return load_red_flags().flags
    if name == "RedFlagChecker":
        from ._red_flags_view import RedFlagChecker

        return RedFlagChecker
    raise AttributeError(f"module 'widgets.red_flags' has no attribute {name!r}")
