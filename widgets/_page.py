"""What the kernel may know about the page that shows it: an anonymous browser token,
a join code in the address, and the address the course is served at.

A tiny anywidget with no visible content. When the page draws it, it sends:

- ``token``: a random 128-bit token that this browser keeps in its local storage
  (key ``course-poll-participant``), so a participant who reloads or opens a second
  tab is still one participant. It carries nothing personal. Where storage is
  blocked, a fresh token is sent that lasts only as long as the page.
- ``url_code``: the ``code`` in the page's address (``/join/ACE-F47`` redirects to
  ``.../join.ipynb?code=ACE-F47``), so the join code is filled in for the participant.
- ``origin`` and ``base``: where the course is served (``https://host`` and the
  server's base path), so the facilitator page can show the short join address.

Tests set these traits directly, as the page would.
"""

from __future__ import annotations

import anywidget
import traitlets

TOKEN_KEY = "course-poll-participant"

_ESM = """
const KEY = "TOKEN_KEY";
const fresh = () => {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
};
function render({ model, el }) {
  let token = null;
  let kept = false;
  try {
    token = localStorage.getItem(KEY);
    if (!/^[0-9a-f]{32}$/.test(token || "")) {
      token = fresh();
      localStorage.setItem(KEY, token);
    }
    kept = true;
  } catch (e) {
    token = fresh();
  }
  const code = new URLSearchParams(location.search).get("code") || "";
  const body = document.body.dataset.baseUrl || "";
  model.set("token", token);
  model.set("token_kept", kept);
  model.set("origin", location.origin);
  model.set("base", body.replace(/voila\\/$/, ""));
  model.set("url_code", code.slice(0, 40));
  model.save_changes();
  el.hidden = true;
}
export default { render };
""".replace("TOKEN_KEY", TOKEN_KEY)


class PageContext(anywidget.AnyWidget):
    """The page's anonymous token, the code in its address and where it is served."""

    _esm = _ESM
    token = traitlets.Unicode("", help="This browser's anonymous participant token.").tag(sync=True)
    token_kept = traitlets.Bool(False, help="True when the browser keeps the token.").tag(sync=True)
    url_code = traitlets.Unicode("", help="The join code in the page's address.").tag(sync=True)
    origin = traitlets.Unicode("", help="location.origin of the page.").tag(sync=True)
    base = traitlets.Unicode("", help="The course server's base path, e.g. '/'.").tag(sync=True)
