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


@kind("language")
def _conventions(root: Path) -> FrozenMap[str, Any]:
    path = i18n.LOCALE_DIR / i18n.current() / "language.yaml"
    shown = f"locale/{i18n.current()}/language.yaml"
    if not path.is_file():
        raise ContentError(shown, None, None, "file not found")
    with i18n.speaking(i18n.SOURCE):  # the file itself is not translated
        doc = read_yaml(path, shown)
    for field, typ in CONVENTIONS.items():
        if not isinstance(doc.get(field), typ):
            raise ContentError(shown, None, field, f"needs a {typ.__name__}")
    return FrozenMap(doc)


@kind("messages")
def _messages(root: Path) -> FrozenMap[Any, Any]:
    if i18n.current() == i18n.SOURCE:
        return FrozenMap({})
    from ..i18n.catalogs import messages_for

    return FrozenMap(messages_for(i18n.current()))
