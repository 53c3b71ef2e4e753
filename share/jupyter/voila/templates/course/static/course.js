/* The course page's own script (loaded in <head>, before the front end that draws the
 * widgets, static/course-widgets.js, built from frontend/).
 *
 * 1. Ready: marks <body data-course-ready="true"> once every widget of the lesson is
 *    drawn, and until then keeps a "getting ready" status visible and announced.
 * 2. Connection: watches the kernel's websocket; if it closes or the kernel dies while
 *    the page is open, an alert says what happened and offers a reload.
 * 3. Progress: lessons visited and quiz scores are kept in this browser's localStorage
 *    only (nothing is sent anywhere); the landing page shows them with a control
 *    that forgets them. A lesson has the same id in every language, so progress is
 *    shared across languages.
 * 4. Language: the page's words come from the server in its language (#course-site,
 *    window.courseText). A language chosen in the menu is remembered in this browser
 *    (nothing is sent); the server greets "/" in the browser's language, and an English
 *    page reached from another site follows it too when the course is offered in it. A
 *    page opened in another language stays in it.
 */
(function () {
  "use strict";

  var STORE_KEY = "backpain-course-progress-v1";
  var LANGUAGE_KEY = "backpain-course-language-v1";
  var leaving = false;

  // ---------------------------------------------------------------- 4. language
  var site = { language: "en", source: "en", lesson: false, languages: [], text: {} };
  try {
    var siteBlock = document.getElementById("course-site");
    if (siteBlock) { site = JSON.parse(siteBlock.textContent); }
  } catch (e) { /* the English defaults below */ }

  // A text of the page in its language ({name} placeholders filled from `values`).
  function courseText(key, fallback, values) {
    var text = (site.text && site.text[key]) || fallback;
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return values && values[name] !== undefined ? String(values[name]) : all;
    });
  }
  window.courseText = courseText;

  function storedLanguage() {
    try { return window.localStorage.getItem(LANGUAGE_KEY); } catch (e) { return null; }
  }
  function addressIn(code) {
    for (var i = 0; i < site.languages.length; i++) {
      if (site.languages[i].code === code) { return site.languages[i].href; }
    }
    return null;
  }
  function wantedLanguage() {
    var stored = storedLanguage();
    if (stored) { return stored; }
    if (site.language !== site.source) { return null; }  // a page opened in its language
    // Following the browser is for arriving from elsewhere: a move within the course (a
    // link, the language menu) keeps the page it asked for, even where the choice could
    // not be stored (storage blocked, a link opened in a new tab).
    if (document.referrer && document.referrer.indexOf(window.location.origin + "/") === 0) { return null; }
    var asked = navigator.languages || [navigator.language || ""];
    for (var i = 0; i < asked.length; i++) {
      var code = String(asked[i]).toLowerCase().split("-")[0];
      if (code === site.source) { return null; }
      if (addressIn(code)) { return code; }
    }
    return null;
  }
  if (site.lesson) {
    var wanted = wantedLanguage();
    var there = wanted && wanted !== site.language ? addressIn(wanted) : null;
    if (there) { window.location.replace(there + window.location.search + window.location.hash); }
  }
  // On a page that is not a lesson (the workshop pages), the language menu leads to the
  // same page in the other language, with its query (a join code) kept; the server only
  // knows lessons' addresses, so the links are set here from this page's own address.
  function sameInLanguage(code) {
    var codes = site.languages.map(function (l) { return l.code; });
    var m = /^(.*\/voila\/render\/)(.*)$/.exec(window.location.pathname);
    if (!m) { return null; }
    var rest = m[2];
    var first = rest.split("/")[0];
    if (rest.indexOf("/") !== -1 && codes.indexOf(first) !== -1) { rest = rest.slice(first.length + 1); }
    return m[1] + (code === site.source ? "" : code + "/") + rest + window.location.search;
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (site.lesson) { return; }
    var links = document.querySelectorAll("a[data-course-language]");
    for (var i = 0; i < links.length; i++) {
      var there = sameInLanguage(links[i].getAttribute("data-course-language"));
      if (there) { links[i].setAttribute("href", there); }
    }
  });

  function rememberLanguage(event) {
    var link = event.target.closest && event.target.closest("a[data-course-language]");
    if (!link) { return; }
    try { window.localStorage.setItem(LANGUAGE_KEY, link.getAttribute("data-course-language")); } catch (e) { /* not remembered */ }
  }
  document.addEventListener("click", rememberLanguage);
  document.addEventListener("auxclick", rememberLanguage);  // a link opened in a new tab

  // ---------------------------------------------------------------- 2. connection
  // Installed before the front end runs, so the kernel websocket is created through it.
  var NativeWebSocket = window.WebSocket;
  function CourseWebSocket(url, protocols) {
    var ws = protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
    if (String(url).indexOf("/api/kernels/") !== -1 && String(url).indexOf("/channels") !== -1) {
      ws.addEventListener("close", function () { if (!leaving) { connectionLost("closed"); } });
      // Which kernel protocol the page speaks ("" is the original JSON one): for the tests.
      ws.addEventListener("open", function () {
        document.body.setAttribute("data-course-kernel-protocol", ws.protocol || "json");
      });
      // The kernel's status says it died ("dead") or was started again with nothing of
      // this page in it ("restarting"). JupyterLab 4's client speaks the binary
      // websocket protocol, so a message is text, an ArrayBuffer or a Blob.
      var watch = function (text) {
        var found = /"execution_state":\s*"(dead|restarting)"/.exec(text);
        if (found) { connectionLost(found[1]); }
      };
      ws.addEventListener("message", function (event) {
        var data = event.data;
        if (typeof data === "string") {
          watch(data);
        } else if (data instanceof ArrayBuffer && data.byteLength < 4096) {
          watch(new TextDecoder().decode(data));
        } else if (typeof Blob !== "undefined" && data instanceof Blob && data.size < 4096) {
          data.text().then(watch);
        }
      });
    }
    return ws;
  }
  CourseWebSocket.prototype = NativeWebSocket.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (k) { CourseWebSocket[k] = NativeWebSocket[k]; });
  window.WebSocket = CourseWebSocket;
  window.addEventListener("beforeunload", function () { leaving = true; });
  window.addEventListener("pagehide", function () { leaving = true; });
  // A page brought back from the browser's back/forward cache had its kernel shut down
  // when it was left (below): load it again rather than show tools that cannot answer.
  window.addEventListener("pageshow", function (event) { if (event.persisted) { window.location.reload(); } });

  // ------------------------------------------------------- 2b. tab-close shutdown
  // When the tab closes, ask Voila to shut the page's kernel down (Voila's own front end
  // sent this beacon on beforeunload; the course's does not load it). Sent on pagehide,
  // once, even if the tab closes before the widgets are drawn, so no kernel lingers
  // until culled. (The slides run Voila's front end: if it already sent it, not again.)
  var shutdownSent = false;
  var nativeSendBeacon = navigator.sendBeacon && navigator.sendBeacon.bind(navigator);
  if (nativeSendBeacon) {
    navigator.sendBeacon = function (url, data) {
      if (String(url).indexOf("/api/shutdown/") !== -1) { shutdownSent = true; }
      return nativeSendBeacon(url, data);
    };
  }
  window.addEventListener("pagehide", function () {
    if (shutdownSent || !nativeSendBeacon) { return; }
    var cfg = document.getElementById("jupyter-config-data");
    var config = null;
    try { config = cfg && JSON.parse(cfg.textContent); } catch (e) { return; }
    if (!config || !config.kernelId) { return; }
    var base = (config.baseUrl || "/").replace(/\/?$/, "/");
    var m = document.cookie.match("\\b_xsrf=([^;]*)\\b");
    var form = new FormData();
    form.append("_xsrf", (m && m[1]) || "");
    navigator.sendBeacon(base + "voila/api/shutdown/" + config.kernelId, form);
  });

  function connectionLost(reason) {
    var box = document.getElementById("course-connection");
    if (!box || box.getAttribute("data-lost") === "true") { return; }
    box.setAttribute("data-lost", "true");
    box.hidden = false;
    box.innerHTML =
      "<p><strong>" + courseText("lost_title", "This page has lost its connection to the course server.") +
      "</strong> " + courseText("lost_text", "Buttons and quizzes on this page will not respond until it is reloaded. " +
      "Your progress saved in this browser is kept.") + "</p>" +
      '<p><button type="button" class="course-connection__reload">' + courseText("reload", "Reload the page") + "</button></p>";
    box.querySelector("button").addEventListener("click", function () { window.location.reload(); });
    document.body.setAttribute("data-course-connection", reason);
  }

  // The front end says so too, when the page's kernel does not answer at all.
  window.courseConnectionLost = connectionLost;

  // ---------------------------------------------------------------- 1. ready
  var expectedWidgets = null;
  window.courseCountWidgets = function () {
    // Called inline at the end of the page, before the front end turns its output scripts into views.
    var scripts = document.querySelectorAll('script[type="application/vnd.voila.cell-output+json"]');
    var n = 0;
    for (var i = 0; i < scripts.length; i++) {
      if (scripts[i].textContent.indexOf("application/vnd.jupyter.widget-view+json") !== -1) { n++; }
    }
    expectedWidgets = n;
  };

  // A tool is settled once drawn, or once its place says it could not be drawn.
  function drawnWidgets() {
    return document.querySelectorAll("#rendered_cells .jp-OutputArea-output > .jupyter-widgets").length +
      document.querySelectorAll("#rendered_cells .course-widget-error").length;
  }

  // The front end's script could not be fetched: say so where the status is.
  window.courseFrontEndFailed = function () {
    var status = document.getElementById("course-status");
    if (status) {
      status.textContent = courseText("front_end_failed", "The interactive parts of this page could not be loaded. " +
        "Reloading the page usually helps; the lesson's text is all here.");
    }
    document.body.setAttribute("data-course-front-end", "failed");
  };

  function checkReady() {
    if (document.body.getAttribute("data-course-ready") === "true") { return true; }
    var cells = document.getElementById("rendered_cells");
    if (expectedWidgets === null || !cells || cells.style.display === "none") { return false; }
    if (drawnWidgets() < expectedWidgets) { return false; }
    document.body.setAttribute("data-course-ready", "true");
    var status = document.getElementById("course-status");
    if (status) { status.textContent = ""; status.hidden = true; }
    recordScores();
    return true;
  }

  // ---------------------------------------------------------------- 3. progress
  function load() {
    try {
      var data = JSON.parse(window.localStorage.getItem(STORE_KEY) || "{}");
      return data && typeof data === "object" ? data : {};
    } catch (e) { return {}; }
  }
  function save(data) {
    try { window.localStorage.setItem(STORE_KEY, JSON.stringify(data)); } catch (e) { /* private mode: no progress */ }
  }
  function pageId() { return document.body.getAttribute("data-course-page") || ""; }

  function recordVisit() {
    var id = pageId();
    if (!/^\d\d-/.test(id) || id === "00-index") { return; }
    var data = load();
    data.visited = data.visited || {};
    data.visited[id] = data.visited[id] || new Date().toISOString().slice(0, 10);
    save(data);
  }

  function recordScores() {
    var id = pageId();
    var score = document.querySelector("[data-course-quiz-total]");
    if (!score || !/^\d\d-/.test(id)) { return; }
    var answered = parseInt(score.getAttribute("data-course-quiz-answered"), 10);
    if (!answered) { return; }
    var data = load();
    data.quizzes = data.quizzes || {};
    data.quizzes[id] = {
      right: parseInt(score.getAttribute("data-course-quiz-right"), 10),
      total: parseInt(score.getAttribute("data-course-quiz-total"), 10),
      answered: answered
    };
    save(data);
  }

  var progressPlaced = false;
  function placeProgress() {
    // On the landing page, show the progress right after the lesson map once it is drawn.
    if (progressPlaced) { return; }
    var panel = document.getElementById("course-progress");
    var map = document.querySelector("table.course-map");
    var cell = map && map.closest(".jp-Cell");
    if (!panel) { progressPlaced = true; return; }
    if (cell) {
      cell.parentNode.insertBefore(panel, cell.nextSibling);
      progressPlaced = true;
    }
  }

  function showProgress() {
    var panel = document.getElementById("course-progress");
    if (!panel) { return; }
    var data = load();
    var visited = data.visited || {};
    var quizzes = data.quizzes || {};
    var lessons = [];
    try { lessons = JSON.parse(panel.getAttribute("data-lessons") || "[]"); } catch (e) { lessons = []; }
    var items = [];
    lessons.forEach(function (l) {
      if (!visited[l.id] && !quizzes[l.id]) { return; }
      var q = quizzes[l.id];
      var text = courseText("progress_visited", "{number}. {title}: visited", { number: l.number, title: l.title });
      if (q) { text = courseText("progress_quiz", "{line}; quiz {right} of {total} right", { line: text, right: q.right, total: q.total }); }
      items.push("<li>" + text.replace(/[&<>]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;" }[c]; }) + "</li>");
    });
    var list = panel.querySelector(".course-progress__list");
    var forget = panel.querySelector(".course-progress__forget");
    if (items.length) {
      list.innerHTML = "<ul>" + items.join("") + "</ul>";
      forget.hidden = false;
    } else {
      list.innerHTML = "<p></p>";
      list.firstChild.textContent = courseText("progress_none", "You have not started a lesson in this browser yet.");
      forget.hidden = true;
    }
  }

  function forgetProgress() {
    try { window.localStorage.removeItem(STORE_KEY); } catch (e) { /* nothing stored */ }
    showProgress();
    var note = document.getElementById("course-progress-note");
    if (note) { note.textContent = courseText("progress_forgotten", "Your progress has been forgotten in this browser."); }
  }

  // ---------------------------------------------------------------- radio groups
  // ipywidgets' radio buttons share no name, so each is its own tab stop and the
  // question is not tied to its options. Give each group a name (one tab stop, arrows
  // move the choice, as in any web form) and the role of a group labelled by its question.
  var groupCount = 0;
  function groupRadios() {
    var boxes = document.querySelectorAll(".widget-radio-box:not([data-course-grouped])");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var inputs = box.querySelectorAll("input[type=radio]");
      if (!inputs.length) { continue; }
      groupCount += 1;
      for (var j = 0; j < inputs.length; j++) { inputs[j].name = "course-radio-" + groupCount; }
      box.setAttribute("role", "radiogroup");
      var card = box.closest(".course-quiz__card");
      var prompt = card && card.querySelector(".course-quiz__prompt");
      if (prompt) {
        if (!prompt.id) { prompt.id = "course-prompt-" + groupCount; }
        box.setAttribute("aria-labelledby", prompt.id);
      }
      box.setAttribute("data-course-grouped", "true");
    }
  }

  // ---------------------------------------------------------------- wiring
  document.addEventListener("DOMContentLoaded", function () {
    recordVisit();
    showProgress();
    var forget = document.querySelector(".course-progress__forget");
    if (forget) { forget.addEventListener("click", forgetProgress); }
    var observer = new MutationObserver(function () {
      placeProgress();
      groupRadios();
      if (checkReady()) { recordScores(); }
    });
    observer.observe(document.body, { childList: true, subtree: true, attributes: true,
                                      attributeFilter: ["style", "data-course-quiz-answered"] });
    checkReady();
  });
})();
