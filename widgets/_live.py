"""A live region: HTML that screen readers announce when it changes.

ipywidgets emits no ARIA attributes, so text written into an ``ipw.HTML`` is
shown but never announced. This tiny anywidget keeps one element with
``role="status"`` (or ``role="alert"`` when ``urgent``) in the page and swaps
only its content, which is what assistive technology listens for.
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = """
function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "course-live";
  const urgent = model.get("urgent");
  box.setAttribute("role", urgent ? "alert" : "status");
  box.setAttribute("aria-live", urgent ? "assertive" : "polite");
  box.setAttribute("aria-atomic", "true");
  const show = () => { box.innerHTML = model.get("value"); };
  show();
  model.on("change:value", show);
  el.appendChild(box);
}
export default { render };
"""


class LiveRegion(anywidget.AnyWidget):
    """HTML content announced to screen readers whenever ``value`` changes.

    Parameters
    ----------
    value : str
        Trusted HTML made by the course (escape anything a learner typed).
    urgent : bool
        Announce at once (``role="alert"``) instead of politely.
    """

    _esm = _ESM
    value = traitlets.Unicode("", help="HTML shown and announced.").tag(sync=True)
    urgent = traitlets.Bool(False, help="Use role=alert.").tag(sync=True)
