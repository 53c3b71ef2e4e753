"""Read-only containers for content, so no caller can change it for the whole process.

Content is loaded once per process and shared (``lru_cache``, the snapshot), so a list
or dict in it that one caller changed would change for every other. Models hold tuples
(the schema turns YAML lists into tuples), and mappings are ``FrozenMap``: a ``Mapping``
with no way to set or delete, and (unlike ``types.MappingProxyType``) picklable, so it
goes into the content snapshot as it is.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V]):
    """A read-only mapping that keeps its keys' order."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[K, V] | Any = ()):
        object.__setattr__(self, "_data", dict(data))

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("content is read-only")

    def __reduce__(self):
        return (FrozenMap, (self._data,))
