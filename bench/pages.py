"""What a rendered Voila page and its response headers tell the harness (pure)."""

from __future__ import annotations

import json
import re
from http.cookies import SimpleCookie

_CONFIG = re.compile(r'<script[^>]*id="jupyter-config-data"[^>]*>(.*?)</script>', re.S | re.I)
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"


class PageError(ValueError):
    """The page is not a Voila render page the harness understands."""


def config_data(html: str) -> dict:
    """The page's ``jupyter-config-data`` JSON (holds ``kernelId``)."""
    m = _CONFIG.search(html)
    if not m:
        raise PageError("no jupyter-config-data script in the page")
    try:
        return json.loads(m.group(1))
    except json.JSONDecodeError as exc:
        raise PageError(f"jupyter-config-data is not JSON: {exc}") from exc


def kernel_id(html: str) -> str:
    kid = config_data(html).get("kernelId")
    if not kid:
        raise PageError("jupyter-config-data has no kernelId")
    return kid


def is_progressive(html: str) -> bool:
    """Whether the server renders progressively (cells come over a websocket)."""
    try:
        return bool(config_data(html).get("progressiveRendering"))
    except PageError:
        return False


def has_widget_views(html: str) -> bool:
    """Whether the rendered cells show at least one ipywidget (a widget view output)."""
    return WIDGET_VIEW_MIME in html


_HELD = re.compile(
    r'<script id="course-widget-state" data-course-held[^>]*>(.*?)</script>', re.S | re.I
)


def held_states(html: str) -> dict | None:
    """The widgets' states of a page made once whose kernel holds just those (the course
    server marks its state script ``data-course-held``): model id -> its traits, as the
    kernel's ``update_states`` would give them. None for any other page, whose front end
    asks its kernel."""
    m = _HELD.search(html)
    if not m:
        return None
    try:
        doc = json.loads(m.group(1))
    except json.JSONDecodeError:
        return None
    return {model: dict(entry["state"]) for model, entry in (doc.get("state") or {}).items()}


def output_count(html: str) -> int:
    """How many outputs the rendered cells show (figures, tables, widgets, text)."""
    return len(re.findall(r'class="jp-OutputArea-child\b', html))


def cookies_from_headers(set_cookie_headers: list[str]) -> dict[str, str]:
    """name -> value from a response's Set-Cookie headers."""
    jar: dict[str, str] = {}
    for header in set_cookie_headers:
        c = SimpleCookie()
        try:
            c.load(header)
        except Exception:  # a malformed cookie is skipped, like a browser would
            continue
        for name, morsel in c.items():
            jar[name] = morsel.value
    return jar


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def ws_url(http_base: str, path: str) -> str:
    """ws:// URL for a path on an http:// base."""
    if http_base.startswith("https://"):
        return "wss://" + http_base[len("https://") :].rstrip("/") + path
    if http_base.startswith("http://"):
        return "ws://" + http_base[len("http://") :].rstrip("/") + path
    raise ValueError(f"not an http(s) URL: {http_base}")
