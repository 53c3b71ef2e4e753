"""The short join address and its QR code, for a facilitator to show the room.

The course server answers ``/join`` with the join page and ``/join/<CODE>`` with the
join page and the code filled in (``widgets.server``); ``/es/join`` and ``/es/join/<CODE>``
with the Spanish one (each language with pages has its own). The facilitator's page knows
where it is served (``widgets._page.PageContext``: origin and base path), so it can
show ``http://host:8866/join`` in large letters and a QR code of
``http://host:8866/join/ACE-F47`` that a phone's camera opens directly.

The QR code is made here, in the kernel, with segno (pure Python): nothing is
fetched from another host.
"""

from __future__ import annotations

import html
import re

import segno

ROUTE = "join"
_CODE = re.compile(r"^[A-Za-z0-9-]{1,12}$")


def join_address(origin: str, base: str = "/", language: str = "en") -> str:
    """``http://host:8866`` and ``/`` -> ``http://host:8866/join``; in another language,
    its join page: ``http://host:8866/es/join``."""
    base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    folder = "" if language == "en" else f"{language}/"
    return f"{origin.rstrip('/')}{base}{folder}{ROUTE}"


def join_url(origin: str, base: str, code: str, language: str = "en") -> str:
    """The address that opens the join page with ``code`` filled in."""
    if not _CODE.match(code):
        raise ValueError(f"not a join code: {code!r}")
    return f"{join_address(origin, base, language)}/{code}"


def qr_svg(url: str, label: str) -> str:
    """An inline SVG QR code of ``url``, announced to screen readers as ``label``."""
    svg = segno.make(url, error="m").svg_inline(
        scale=8, border=4, dark="#000", light="#fff", omitsize=True
    )
    # An image with a name of its own: role="img" and aria-label, and a viewBox that
    # lets the page size it.
    return svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(label)}" ', 1)
