"""The course's languages as content: each one's conventions (``locale/<code>/language.yaml``)
and the widgets' catalog, validated with the rest of ``data/`` and saved in the same
snapshot, so a visitor's kernel reads its language's words without Babel or the
catalogs (``widgets.i18n``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import i18n
from ._frozen import FrozenMap
from .base import ContentError, read_yaml
from .registry import kind

CONVENTIONS = {
    "name": str,
    "shipped": bool,
    "decimal": str,
    "group": str,
    "group_from": int,
    "plurals": int,
    "plural": str,
}


# Optional: the emergency numbers (ids under ``emergency_numbers`` in data/red_flags.yaml)
# that the language's texts made from that list name first, in this order.
OPTIONAL = {"emergency_numbers_first": list}


@kind("language")
def _conventions(root: Path) -> FrozenMap[str, Any]:
    return conventions()


def conventions() -> FrozenMap[str, Any]:
    """The conventions of the language the process speaks, validated (for loaders of other
    kinds, which cannot ask the snapshot while it is being built)."""
    path = i18n.LOCALE_DIR / i18n.current() / "language.yaml"
    shown = f"locale/{i18n.current()}/language.yaml"
    if not path.is_file():
        raise ContentError(shown, None, None, "file not found")
    with i18n.speaking(i18n.SOURCE):  # the file itself is not translated
        doc = read_yaml(path, shown)
    for field, typ in CONVENTIONS.items():
        if not isinstance(doc.get(field), typ):
            raise ContentError(shown, None, field, f"needs a {typ.__name__}")
    for field, typ in OPTIONAL.items():
        if field in doc and not isinstance(doc[field], typ):
            raise ContentError(shown, None, field, f"needs a {typ.__name__}")
    first = doc.get("emergency_numbers_first", [])
    if not all(isinstance(number_id, str) for number_id in first):
        raise ContentError(shown, None, "emergency_numbers_first", "needs ids (text)")
    return FrozenMap({**doc, "emergency_numbers_first": tuple(first)})


@kind("messages")
def _messages(root: Path) -> FrozenMap[Any, Any]:
    if i18n.current() == i18n.SOURCE:
        return FrozenMap({})
    from ..i18n.catalogs import messages_for

    return FrozenMap(messages_for(i18n.current()))
