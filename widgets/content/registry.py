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
from pathlib import Path
from typing import Any, TypeVar

from . import _snapshot
from .base import DATA_DIR

Loader = Callable[[Path], Any]
L = TypeVar("L", bound=Loader)

KINDS: dict[str, Loader] = {}


def kind(name: str) -> Callable[[L], L]:
    """Register ``loader(root)`` as the validator of the content kind ``name``."""

    def register(loader: L) -> L:
        if name in KINDS and KINDS[name] is not loader:
            raise ValueError(f"two loaders for the content kind {name!r}")
        KINDS[name] = loader
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


def validated(name: str) -> Any:
    """One kind of the course's own content (a key of ``KINDS``), validated once and
    then read from the snapshot."""
    return _snapshot.bundle(DATA_DIR.resolve(), everything)[name]
