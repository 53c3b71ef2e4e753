"""Files a learner downloads, made in the kernel and handed over in the page itself.

The file travels inside the link (a ``data:`` URL), so nothing is written to the
server's disk and nothing is sent anywhere: the learner's browser saves it.
"""

from __future__ import annotations

import base64
import html
import re

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$")


def download_link(filename: str, content: str, label: str, mime: str = "text/plain") -> str:
    """An ``<a download>`` link whose target holds ``content`` (UTF-8).

    Parameters
    ----------
    filename : str
        Suggested file name: letters, digits, dot, dash, underscore.
    content : str
        The whole file.
    label : str
        The link text the learner reads, e.g. "Download my plan (Markdown)".
    mime : str
        Media type, e.g. "text/markdown" or "text/html".
    """
    if not _SAFE_NAME.match(filename):
        raise ValueError(f"unsafe file name {filename!r}")
    if not re.match(r"^[a-z]+/[a-z0-9.+-]+$", mime):
        raise ValueError(f"odd media type {mime!r}")
    data = base64.b64encode(content.encode("utf-8")).decode("ascii")
    return (
        f'<a class="course-download" download="{filename}" '
        f'href="data:{mime};charset=utf-8;base64,{data}">{html.escape(label)}</a>'
    )
