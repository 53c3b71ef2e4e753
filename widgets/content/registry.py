"""Every kind of content by name, validated once and then read from the snapshot.

Each schema module registers the function that validates its kind under a folder
(``@kind("myths")``). ``everything`` runs them all, in the order they registered;
``validated`` gives one kind of the course's own content, from the saved snapshot
(``_snapshot.py``) when it is fresh, so a visitor's kernel needs neither pydantic nor
PyYAML. The package (``widgets/content/__init__.py``) imports every schema module,
so every kind is registered before any is read.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any, TypeVar

from .. import i18n
from . import _snapshot
from .base import DATA_DIR

Loader = Callable[[Path], Any]
L = TypeVar("L", bound=Loader)

KINDS: dict[str, Loader] = {}
_RAW: dict[str, Loader] = {}


def kind(name: str) -> Callable[[L], L]:
    """Register ``loader(root)`` as the validator of the content kind ``name``.

    The kind is then read in the language the process speaks (``widgets.i18n``):
    ``data/`` is translated as it is read, and kept per folder and language."""

    def register(loader: L) -> L:
        if name in _RAW and _RAW[name] is not loader:
            raise ValueError(f"two loaders for the content kind {name!r}")
        _RAW[name] = loader
        raw = getattr(loader, "__wrapped__", loader)  # under its own per-folder cache
        per_language = lru_cache(maxsize=16)(lambda root, language: raw(root))

        @wraps(raw)
        def in_language(root: Path) -> Any:
            return per_language(root, i18n.current())

        in_language.cache_clear = per_language.cache_clear  # type: ignore[attr-defined]
        KINDS[name] = in_language
        return loader

    return register


def everything(root: Path) -> dict[str, Any]:
    """Every content file under ``root``, validated and cross-checked, by kind."""
    return {name: loader(root) for name, loader in KINDS.items()}


def read(name: str, data_dir: Path | str | None = None) -> Any:
    """One kind of content: the course's own (``data_dir`` None), from the snapshot;
    any other folder, validated (and kept per folder by the kind's loader)."""
    if data_dir is None:
        return validated(name)
    return KINDS[name](Path(data_dir).resolve())


def validated(name: str, language: str | None = None) -> Any:
    """One kind of the course's own content (a key of ``KINDS``), in ``language``
    (default: the one the process speaks), validated once and then read from the
    snapshot."""
    language = language or i18n.current()
    if language != i18n.current():
        with i18n.speaking(language):
            return validated(name, language)
    return _snapshot.bundle(_root(), everything, language)[name]


@lru_cache(maxsize=1)
def _root() -> Path:
    """The course's data folder, resolved once (every ``_()`` of a translated page passes
    here, so no file-system call per text)."""
    return DATA_DIR.resolve()
