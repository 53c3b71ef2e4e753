"""Time-to-interactive in headless Chromium, and where the time goes.

Each load opens the lesson in a fresh browser context (empty cache, like a
first visit) or in one reused browser profile (warm cache, like moving between
lessons). The warm profile is kept on disk, as a visitor's own browser keeps it,
not in memory like a private window: only such a profile keeps a script's
compiled code (Chromium's code cache, from the third page that runs the script),
so a private context would compile every page's scripts again. A script
injected before the page's own records, with the page's own clock
(``performance.now()``, 0 = navigation start):

* ``cells``: the lesson's cells shown (``#rendered_cells`` visible: at once for the
  course, whose lesson is readable before the scripts; for default Voila once its
  spinner goes);
* ``fcp_ms``, ``lcp_ms``, ``layout_shift``: first and largest contentful paint and the
  cumulative layout shift, as Lighthouse reads them;
* ``network_requests``: the page and every file that was not in the cache;
* ``ready``: the first widget usable: a button, input, select or textarea inside
  a ``.jupyter-widgets`` view, visible and enabled (pages without widgets: the
  cells shown);
* ``ws_created`` / ``ws_open``: the kernel websocket asked for and open;
* the Navigation Timing marks (TTFB, HTML complete, DOMContentLoaded, load), the
  resources (count, bytes over the wire, bytes decoded, JavaScript bytes) and
  the main thread's long tasks (> 50 ms) before ``ready``.

After each load the tab is "closed" by navigating to about:blank, which fires
``beforeunload`` and so the page's kernel-shutdown request; the kernel id is
kept so the caller can check the kernel is gone a minute later.
"""

from __future__ import annotations

import json
import tempfile
import time

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

INIT_SCRIPT = r"""
(() => {
  if (window.top !== window) return;
  const B = window.__bench = {ready: null, cells: null, first_widget: null,
    ws_created: null, ws_open: null, long_tasks_ms: 0, long_tasks: 0};
  try { performance.setResourceTimingBufferSize(5000); } catch (e) {}
  B.lcp = null; B.cls = 0;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) B.lcp = e.startTime;
    }).observe({type: 'largest-contentful-paint', buffered: true});
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) B.cls += e.value;
    }).observe({type: 'layout-shift', buffered: true});
  } catch (e) {}
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (B.ready === null) { B.long_tasks_ms += e.duration; B.long_tasks += 1; }
      }
    }).observe({type: 'longtask', buffered: true});
  } catch (e) {}
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      if (String(url).includes('/channels') && B.ws_created === null) {
        B.ws_created = performance.now();
        this.addEventListener('open', () => {
          if (B.ws_open === null) B.ws_open = performance.now();
        });
      }
    }
  };
  const CONTROLS = '.jupyter-widgets button, .jupyter-widgets input, ' +
                   '.jupyter-widgets select, .jupyter-widgets textarea';
  const shown = (el) => el.checkVisibility
      ? el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
      : el.offsetParent !== null;
  const check = () => {
    const now = performance.now();
    const cells = document.getElementById('rendered_cells');
    const loading = document.getElementById('loading');
    const cellsShown = cells && shown(cells) && (!loading || !shown(loading));
    if (cellsShown && B.cells === null) B.cells = now;
    if (B.first_widget === null && document.querySelector('.jupyter-widgets')) B.first_widget = now;
    if (!cellsShown) return false;
    if (!window.__benchExpectWidgets) { B.ready = now; return true; }
    for (const el of document.querySelectorAll(CONTROLS)) {
      if (!el.disabled && shown(el)) { B.ready = now; return true; }
    }
    return false;
  };
  const tick = () => { if (B.ready === null && !check()) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  const iv = setInterval(() => { if (B.ready !== null || check()) clearInterval(iv); }, 25);
})();
"""

COLLECT = r"""
() => {
  const B = window.__bench;
  const nav = performance.getEntriesByType('navigation')[0] || {};
  const res = performance.getEntriesByType('resource');
  const before = res.filter(r => r.startTime <= B.ready);
  const sum = (xs, k) => xs.reduce((a, r) => a + (r[k] || 0), 0);
  const isJs = (r) => r.initiatorType === 'script' || /\.m?js(\?|$)/.test(r.name);
  const z = (v) => (v ? v : null);
  return {
    ready_ms: B.ready, cells_ms: B.cells, first_widget_ms: B.first_widget,
    ws_created_ms: B.ws_created, ws_open_ms: B.ws_open,
    ttfb_ms: z(nav.responseStart), html_done_ms: z(nav.responseEnd),
    dom_interactive_ms: z(nav.domInteractive),
    dom_content_loaded_ms: z(nav.domContentLoadedEventEnd), load_ms: z(nav.loadEventEnd),
    html_bytes: nav.decodedBodySize || null,
    requests: res.length + 1, requests_before_ready: before.length + 1,
    transfer_bytes: sum(res, 'transferSize') + (nav.transferSize || 0),
    decoded_bytes: sum(res, 'decodedBodySize') + (nav.decodedBodySize || 0),
    js_decoded_bytes: sum(res.filter(isJs), 'decodedBodySize'),
    js_requests: res.filter(isJs).length,
    cached_requests: res.filter(r => r.transferSize === 0 && r.decodedBodySize > 0).length,
    last_resource_before_ready_ms: before.reduce((a, r) => Math.max(a, r.responseEnd), 0) || null,
    long_tasks_ms: B.long_tasks_ms, long_tasks: B.long_tasks,
    fcp_ms: z((performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime),
    lcp_ms: B.lcp, layout_shift: B.cls,
    // What reached the network (the page, and each file not served from the cache).
    network_requests: 1 + res.filter(r => r.name.startsWith(location.origin)
                                         && r.transferSize > 0).length,
    resources: res.map(r => ({path: r.name.replace(location.origin, ''), type: r.initiatorType,
      start_ms: Math.round(r.startTime), end_ms: Math.round(r.responseEnd),
      transfer: r.transferSize, decoded: r.decodedBodySize})),
  };
}
"""


class Browser:
    """One headless Chromium for the whole run (Playwright's sync API)."""

    def __init__(self, executable: str = CHROMIUM):
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        self.version = self.browser.version
        self.executable = executable
        self._warm: dict[str, object] = {}
        self._folders: dict[str, object] = {}

    def close(self) -> None:
        for key in list(self._warm):
            self.close_warm(key)
        self.browser.close()
        self._pw.stop()

    def _context(self):
        ctx = self.browser.new_context(viewport={"width": 1280, "height": 900})
        ctx.add_init_script(INIT_SCRIPT)
        return ctx

    def warm_context(self, key: str):
        """A browser profile on disk for the loads under ``key`` (its own browser
        process, as Playwright gives a persistent profile), removed on close."""
        if key not in self._warm:
            folder = tempfile.TemporaryDirectory(prefix="bench-profile-")
            ctx = self._pw.chromium.launch_persistent_context(
                folder.name,
                executable_path=self.executable,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1280, "height": 900},
            )
            ctx.add_init_script(INIT_SCRIPT)
            self._folders[key] = folder
            self._warm[key] = ctx
        return self._warm[key]

    def close_warm(self, key: str) -> None:
        """Close the browser profile of ``key`` (its own browser process) and remove it."""
        ctx = self._warm.pop(key, None)
        if ctx is not None:
            ctx.close()
            folder = self._folders.pop(key, None)
            if folder is not None:
                folder.cleanup()

    def load(
        self,
        url: str,
        expect_widgets: bool,
        *,
        warm_key: str | None = None,
        timeout_s: float = 120,
        bounce: bool = False,
    ) -> dict:
        """Open url, wait until ready, collect the timeline, close the tab.

        The tab is closed once the page has opened its kernel websocket (at most
        10 s after ready), as a reader would; with ``bounce`` it is closed the
        moment the page is ready, like a visitor who leaves at once.
        """
        ctx = self.warm_context(warm_key) if warm_key else self._context()
        page = ctx.new_page()
        page.add_init_script(f"window.__benchExpectWidgets = {json.dumps(bool(expect_widgets))};")
        requests: list[str] = []
        failed: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("requestfailed", lambda r: failed.append(r.url))
        out: dict = {"ok": False}
        try:
            page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
            page.wait_for_function(
                "() => window.__bench && window.__bench.ready !== null",
                timeout=timeout_s * 1000,
                polling=100,
            )
            out.update(page.evaluate(COLLECT))
            out["tti_s"] = out["ready_ms"] / 1000
            out["ok"] = True
        except Exception as exc:
            out["error"] = f"{type(exc).__name__}: {exc}"[:300]
        try:
            cfg = page.locator("#jupyter-config-data").text_content(timeout=5000)
            out["kernel_id"] = json.loads(cfg).get("kernelId")
        except Exception:
            out["kernel_id"] = None
        out["requests_seen"] = len(requests)
        out["off_server"] = sorted(
            {
                u
                for u in requests
                if not u.startswith(url.split("/voila/")[0])
                and not u.startswith(("data:", "blob:", "about:"))
            }
        )
        out["failed_requests"] = len(failed)
        if out["ok"] and not bounce:
            try:
                page.wait_for_function(
                    "() => window.__bench.ws_open !== null", timeout=10_000, polling=50
                )
            except Exception:
                out["closed_before_kernel_connected"] = True
        # "Close the tab": about:blank fires beforeunload, which sends the shutdown beacon.
        try:
            page.goto("about:blank", timeout=30_000)
        except Exception:
            pass
        out["closed_at"] = time.monotonic()
        page.close()
        if not warm_key:
            ctx.close()
        return out
