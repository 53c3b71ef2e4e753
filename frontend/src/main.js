/* The course pages' front end (issue 20): one file that draws a lesson's widgets.
 *
 * Voila renders the lesson on the server and starts its kernel; the page already shows
 * the prose, and each widget's place holds a script with the widget's model id. This
 * file connects to that kernel and draws each view in its place, from the widgets'
 * state the server wrote into the page when it ran the lesson (widgets.server.
 * page_state), without waiting for the kernel. Once the kernel answers, it asks it for
 * every widget's state (ipywidgets' control comm, as Voila's own front end does) and
 * applies what changed since. A page without that state waits for the kernel's.
 *
 * It knows the widget libraries the course uses, built in: @jupyter-widgets/base and
 * controls (ipywidgets 8) and anywidget. It loads nothing else, so a lesson costs one
 * script and one stylesheet instead of Voila's ~100 files (JupyterLab's application
 * shell, its plugins, the widget libraries as separate chunks).
 *
 * Built by frontend/build.mjs into the course template's static folder.
 */
import * as base from "@jupyter-widgets/base";
import { ManagerBase } from "@jupyter-widgets/base-manager";
import * as controls from "@jupyter-widgets/controls";
import { CommsOverSubshells } from "@jupyterlab/services/lib/kernel/comm";
import { KernelConnection } from "@jupyterlab/services/lib/kernel/default";
import { ServerConnection } from "@jupyterlab/services/lib/serverconnection";
import { Widget } from "@lumino/widgets";
import anywidget from "anywidget";

// The widgets' own styles. Not controls/css/widgets.css: its labvariables.css sets
// JupyterLab's colours again (a lighter brand blue that fails contrast on buttons) over
// the theme the page already has.
import "@jupyter-widgets/base/css/index.css";
import "@jupyter-widgets/controls/css/widgets-base.css";

const WIDGET_MIME = "application/vnd.jupyter.widget-view+json";
const OUTPUT_SCRIPT = 'script[type="application/vnd.voila.cell-output+json"]';

// The widget libraries, by the module name a model gives (its _model_module).
const MODULES = {
  "@jupyter-widgets/base": base,
  "@jupyter-widgets/controls": controls,
  anywidget: anywidget(base),
};

class CourseWidgetManager extends ManagerBase {
  constructor(kernel) {
    super();
    this.kernel = kernel;
    this._sliceStart = performance.now();
    this._viewsInFlight = 0;
    this._whenSettled = [];
    this._made = new Map(); // model id -> model, each made here
    this.hosts = new Map(); // model id -> the place on the page its tool is drawn
    kernel.registerCommTarget(this.comm_target_name, async (comm, msg) => {
      await this.handle_comm_open(new base.shims.services.Comm(comm), msg);
    });
  }

  async loadClass(className, moduleName, moduleVersion) {
    const found = MODULES[moduleName] && MODULES[moduleName][className];
    if (!found) {
      throw new Error(`The page does not have ${className} from ${moduleName} ${moduleVersion}.`);
    }
    return found;
  }

  // ManagerBase turns a class it cannot load into an "error widget" whose view shows the
  // JavaScript stack; here the error goes on, so the tool's place says it in a sentence.
  loadModelClass(className, moduleName, moduleVersion) {
    return this.loadClass(className, moduleName, moduleVersion);
  }

  loadViewClass(className, moduleName, moduleVersion) {
    return this.loadClass(className, moduleName, moduleVersion);
  }

  async _create_comm(targetName, modelId, data, metadata, buffers) {
    const comm = this.kernel.createComm(targetName, modelId);
    if (data || metadata) {
      comm.open(data, metadata, buffers);
    }
    return new base.shims.services.Comm(comm);
  }

  async _get_comm_info() {
    const reply = await this.kernel.requestCommInfo({ target_name: this.comm_target_name });
    if (reply.content.status !== "ok") {
      throw new Error("The kernel did not list its widgets.");
    }
    return reply.content.comms;
  }

  // Gives the browser the main thread back once this task has run SLICE_MS.
  async _breathe() {
    if (performance.now() - this._sliceStart > SLICE_MS) {
      await nextTask();
      this._sliceStart = performance.now();
    }
  }

  // A tool's views are made one by one in short tasks too (ipywidgets makes a box's
  // children all in one): see viewsSettled for why nothing shows half made.
  create_view(model, options) {
    this._viewsInFlight += 1;
    const made = (async () => {
      await this._breathe();
      return super.create_view(model, options);
    })();
    const done = () => {
      this._viewsInFlight -= 1;
      if (this._viewsInFlight === 0) {
        this._whenSettled.splice(0).forEach((resolve) => resolve());
      }
    };
    made.then(done, done);
    return made;
  }

  // Once every view asked for, its children's included, is made. A tool is put on the
  // page only then, so it never grows in place while its parts arrive (no layout shift).
  // (At most 10 s: a part that never comes must not hold back the rest of the page.)
  viewsSettled() {
    if (this._viewsInFlight === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this._whenSettled.push(resolve);
      setTimeout(resolve, 10000);
    });
  }

  // ipywidgets' own _loadFromKernel, in short tasks: it asks the kernel for every
  // widget's state (the control comm, as ipywidgets does) and makes the models.
  async _loadFromKernel() {
    let reply;
    try {
      reply = await this._requestStates();
    } catch (error) {
      return this._loadFromKernelModels(); // a kernel without the control comm (ipywidgets 7)
    }
    return this._makeModels(reply);
  }

  // Once the kernel answers, after the page was drawn from the state written into it
  // (`drawnFrom`, that script's text): asks the kernel for every widget's state and
  // brings the page up to date with what changed in the kernel since the page was made
  // (a value a timer moved, a widget made or closed after the cells had run).
  async _catchUp(drawnFrom) {
    let fresh = null;
    await this._requestStates((now) => {
      fresh = this._applyChanges(JSON.parse(drawnFrom).state || {}, now);
    });
    if (fresh) {
      await this._makeModels(fresh);
    }
  }

  // Runs in the turn that got the kernel's states, so each change is queued on its model
  // after every message the kernel sent before them and before any it sends after. A
  // change goes to its model as the kernel's own update would, except a value the
  // visitor changed that the kernel has not yet confirmed: that one is kept (as
  // ipywidgets keeps it against the kernel's echo). Returns the widgets that are new.
  _applyChanges(before, now) {
    const fresh = { states: {}, buffers: now.buffers, bufferPaths: now.bufferPaths };
    for (const [id, state] of Object.entries(now.states)) {
      const model = this._made.get(id);
      if (!model) {
        if (!this.has_model(id)) {
          fresh.states[id] = state; // made in the kernel after the page was
        }
        continue;
      }
      const old = before[id];
      const parts = (now.bufferPaths[id] || []).map((path, i) => [path.slice(1), now.buffers[id][i]]);
      const binary = parts.length > 0 || Boolean(old && old.buffers);
      const keys = [...new Set([...Object.keys(state.state), ...parts.map(([p]) => p[0])])].filter(
        (key) =>
          (binary || !old || JSON.stringify(state.state[key]) !== JSON.stringify(old.state[key])) &&
          !changedHere(model, key),
      );
      if (keys.length) {
        const kept = parts.filter(([path]) => keys.includes(path[0]));
        const update = Object.fromEntries(
          keys.filter((k) => k in state.state).map((k) => [k, state.state[k]]),
        );
        model._handle_comm_msg({
          content: { data: { method: "update", state: update, buffer_paths: kept.map(([p]) => p) } },
          buffers: kept.map(([, b]) => b),
        });
      }
    }
    for (const id of Object.keys(before)) {
      if (!(id in now.states) && this._made.has(id)) {
        this._gone(id);
      }
    }
    return Object.keys(fresh.states).length ? fresh : null;
  }

  // A widget the page was drawn with that the kernel no longer has (closed after its
  // cell ran): closed here too; a tool that was that widget says so in its place.
  _gone(id) {
    const model = this._made.get(id);
    this._made.delete(id);
    model.close(true);
    const host = this.hosts.get(id);
    if (host) {
      failed(host, new Error(`The kernel no longer has the widget ${id}.`));
    }
  }

  // Makes the models of `states` (model id -> its name, module and state) and updates
  // those that exist. ipywidgets makes all the models in one task: on a phone, a third
  // of a second in which the page cannot answer a tap (Lighthouse's "total blocking
  // time"). Here each model is made in turn, the widgets a model names (children,
  // layout, style) before it, and the browser gets the main thread back every few
  // milliseconds.
  async _makeModels(reply) {
    return this._make(await this._register(reply));
  }

  // Every new model is registered, and its comm opened, before any is made: a model
  // can name any other, and a message the kernel sends a widget meanwhile is kept for
  // it (ipywidgets makes them all in the task that got the states, so none can come).
  // The models `first` names (a page's tools, in page order) are made first, each after
  // the widgets it names: a tool can be drawn as soon as its own parts are made.
  async _register(reply, first = []) {
    const { order, cyclic } = dependencyOrder(reply.states, first);
    const pending = new Map();
    for (const id of order) {
      if (!this.has_model(id)) {
        const made = { early: [] };
        made.promise = new Promise((resolve, reject) => {
          made.resolve = resolve;
          made.reject = reject;
        });
        pending.set(id, made);
        this.register_model(id, made.promise);
        try {
          made.comm = await this._create_comm(this.comm_target_name, id);
          made.comm.on_msg((msg) => made.early.push(msg));
        } catch (error) {
          made.reject(error);
        }
      }
    }
    return { ...reply, order, cyclic, pending };
  }

  // Makes the models _register registered, and updates those that existed.
  async _make({ states, buffers, bufferPaths, order, cyclic, pending }) {
    for (const id of order) {
      const state = states[id];
      try {
        if (bufferPaths[id]) {
          base.put_buffers(state, bufferPaths[id], buffers[id]); // paths start at "state"
        }
        if (pending.has(id)) {
          const made = pending.get(id);
          if (!made.comm) {
            continue; // its comm could not be opened: already rejected
          }
          const options = {
            model_name: state.model_name,
            model_module: state.model_module,
            model_module_version: state.model_module_version,
            model_id: id,
            comm: made.comm,
          };
          const making = this._make_model(options, state.state).then((model) => {
            made.early.forEach((msg) => model._handle_comm_msg(msg)); // its comm is the model's now
            this._made.set(id, model);
            return model;
          });
          made.resolve(making);
          if (!cyclic) {
            await making; // (models that name each other are made together, as ipywidgets does)
          }
        } else {
          const model = await this.get_model(id);
          model.set_state(await model.constructor._deserialize_state(state.state, this));
        }
      } catch (error) {
        // The other widgets are still made; this one's place says so.
        if (pending.has(id)) {
          pending.get(id).reject(error);
        } else {
          console.error(error);
        }
      }
      await this._breathe();
    }
  }

  // Every widget's state, over ipywidgets' control comm (protocol 1.0.0); `onReply`, if
  // given, runs in the same turn as the reply.
  async _requestStates(onReply = null) {
    const comm = await this._create_comm(CONTROL_TARGET, base.uuid(), {}, { version: "1.0.0" });
    const reply = await new Promise((resolve, reject) => {
      comm.on_msg((m) => {
        if (m.content.data.method === "update_states") {
          const got = statesInReply(m);
          try {
            if (onReply) {
              onReply(got);
            }
          } finally {
            resolve(got);
          }
        }
      });
      comm.on_close(() => reject(new Error("The control comm was closed too early.")));
      comm.send({ method: "request_states" }, {});
      setTimeout(() => reject(new Error("The control comm did not answer in time.")), 4000);
    });
    comm.close();
    return reply;
  }
}

// The control comm's reply in the form _makeModels takes (buffer paths start at "state").
function statesInReply(msg) {
  const data = msg.content.data;
  const bufferPaths = {};
  const buffers = {};
  (data.buffer_paths || []).forEach(([id, ...path], i) => {
    const b = msg.buffers[i];
    (bufferPaths[id] = bufferPaths[id] || []).push(path);
    (buffers[id] = buffers[id] || []).push(
      b instanceof DataView ? b : new DataView(b instanceof ArrayBuffer ? b : b.buffer),
    );
  });
  return { states: data.states, buffers, bufferPaths };
}

// Whether the visitor changed `key` of `model` and the kernel has not yet confirmed it:
// its echo is awaited, or the change waits to be sent (ipywidgets' own bookkeeping;
// frontend/build.mjs checks that @jupyter-widgets/base still keeps it).
function changedHere(model, key) {
  return (
    (model._expectedEchoMsgIds instanceof Map && model._expectedEchoMsgIds.has(key)) ||
    Boolean(model._msg_buffer && Object.prototype.hasOwnProperty.call(model._msg_buffer, key))
  );
}

// The model id of each tool the page shows, in page order.
function toolModels(scripts) {
  return scripts
    .map((script) => {
      try {
        const view = (JSON.parse(script.textContent).data || {})[WIDGET_MIME];
        return view && view.model_id;
      } catch (error) {
        return null;
      }
    })
    .filter(Boolean);
}

// The widgets' state the server wrote into the page (widgets.server.page_state; the
// standard application/vnd.jupyter.widget-state+json), in the form _makeModels takes,
// the script's text for _catchUp, and whether the kernel is known to hold just that
// (`held`); null when the page has none.
function statesInPage() {
  const element = document.getElementById("course-widget-state");
  if (!element) {
    return null;
  }
  try {
    const text = element.textContent;
    const states = {};
    const buffers = {};
    const bufferPaths = {};
    for (const [id, entry] of Object.entries(JSON.parse(text).state || {})) {
      const { model_name, model_module, model_module_version, state } = entry;
      states[id] = { model_name, model_module, model_module_version, state };
      for (const b of entry.buffers || []) {
        (bufferPaths[id] = bufferPaths[id] || []).push(["state", ...b.path]);
        const bytes = Uint8Array.from(atob(b.data), (c) => c.charCodeAt(0));
        (buffers[id] = buffers[id] || []).push(new DataView(bytes.buffer));
      }
    }
    // Written by the server on a page made once (widgets/server/prepared.py), whose
    // kernel was forked holding exactly these widgets in this state: nothing to ask it.
    const held = element.hasAttribute("data-course-held");
    return Object.keys(states).length ? { text, held, states: { states, buffers, bufferPaths } } : null;
  } catch (error) {
    console.error(error); // then the kernel is asked, as without it
    return null;
  }
}

const CONTROL_TARGET = "jupyter.widget.control";
// Longest stretch of model-making before the browser gets the main thread back. Lighthouse
// slows the CPU four times and counts each task's time over 50 ms as blocking.
const SLICE_MS = 8;

// The widget ids in an order where each comes after the widgets its state names
// ("IPY_MODEL_<id>": children, layout, style, ...), so each can be made in turn; and
// whether some name each other (then no order has every one after those it names).
function dependencyOrder(states, first = []) {
  const order = [];
  const done = new Set();
  const open = new Set();
  let cyclic = false;
  const visit = (id) => {
    if (open.has(id)) {
      cyclic = true;
    }
    if (done.has(id) || open.has(id) || !(id in states)) {
      return;
    }
    open.add(id);
    for (const named of namedModels(states[id].state)) {
      visit(named);
    }
    open.delete(id);
    done.add(id);
    order.push(id);
  };
  first.forEach(visit);
  Object.keys(states).forEach(visit);
  return { order, cyclic };
}

function namedModels(value, found = []) {
  if (typeof value === "string") {
    if (value.startsWith("IPY_MODEL_")) {
      found.push(value.slice("IPY_MODEL_".length));
    }
  } else if (Array.isArray(value)) {
    value.forEach((v) => namedModels(v, found));
  } else if (value && typeof value === "object" && !(value instanceof DataView)) {
    Object.values(value).forEach((v) => namedModels(v, found));
  }
  return found;
}

function pageConfig() {
  const element = document.getElementById("jupyter-config-data");
  return element ? JSON.parse(element.textContent) : {};
}

function connect(config) {
  const baseUrl = new URL(config.baseUrl || "/", window.location.href).href;
  const serverSettings = ServerConnection.makeSettings({
    baseUrl,
    wsUrl: baseUrl.replace(/^http/, "ws"),
    appendToken: false,
  });
  // Widget messages on the kernel's main shell, as Voila's own front end sends them:
  // @jupyterlab/services 7.6 would otherwise open a subshell per comm target, and the
  // course's callbacks would run on another thread of the kernel.
  return new KernelConnection({
    model: { id: config.kernelId, name: "" },
    serverSettings,
    commsOverSubshells: CommsOverSubshells.Disabled,
  });
}

// What a visitor sees where a tool could not be drawn: a plain sentence, no traceback.
// (course.js counts such a place as settled, like a drawn tool.)
// The sentence is in the page's language (course.js's window.courseText).
function failed(host, error) {
  console.error(error);
  const english =
    "This tool could not be shown. Reloading the page usually helps; the rest of the " +
    "lesson works without it.";
  const p = document.createElement("p");
  p.className = "course-widget-error";
  p.setAttribute("role", "alert");
  p.textContent = window.courseText ? window.courseText("tool_failed", english) : english;
  host.replaceChildren(p);
}

// An output that is not a widget and not plain HTML (the template writes HTML into the
// page itself): text and images, as JupyterLab would show them.
function drawPlain(host, output) {
  const data = output.data || {};
  if (data["image/png"] || data["image/jpeg"]) {
    const type = data["image/png"] ? "image/png" : "image/jpeg";
    const img = document.createElement("img");
    img.src = `data:${type};base64,${data[type]}`;
    img.alt = (output.metadata && output.metadata.alt) || "";
    host.appendChild(img);
  } else if (data["image/svg+xml"]) {
    host.innerHTML = data["image/svg+xml"];
  } else if (output.output_type === "error") {
    failed(host, new Error("A cell of this lesson failed on the server."));
  } else if (output.output_type === "stream" || data["text/plain"] !== undefined) {
    const pre = document.createElement("pre");
    const text = output.output_type === "stream" ? output.text : data["text/plain"];
    pre.textContent = Array.isArray(text) ? text.join("") : String(text);
    host.appendChild(pre);
  }
}

// Draws one output in place of its script; `unavailable` is why the widgets' states
// could not be had, if they could not (text and images are still drawn).
async function drawOutput(manager, script, unavailable) {
  const output = JSON.parse(script.textContent);
  const data = output.data || {};
  const host = document.createElement("div");
  host.className = "lm-Widget jp-OutputArea-output";
  const view = data[WIDGET_MIME];
  host.setAttribute("data-mime-type", view ? WIDGET_MIME : "text/plain");
  script.replaceWith(host);
  if (!view) {
    drawPlain(host, output);
    return;
  }
  try {
    if (unavailable) {
      throw unavailable;
    }
    if (!manager.has_model(view.model_id)) {
      throw new Error(`The kernel has no widget ${view.model_id}.`);
    }
    manager.hosts.set(view.model_id, host);
    const model = await manager.get_model(view.model_id);
    const widgetView = await manager.create_view(model);
    await manager.viewsSettled();
    Widget.attach(widgetView.luminoWidget, host);
  } catch (error) {
    failed(host, error);
  }
}

// Lets the browser paint and take input between two tools, so drawing a lesson is many
// short tasks rather than one long one (a phone stays responsive; Lighthouse's "total
// blocking time" counts each task's time over 50 ms).
// (Not setTimeout(0): after five nested timers a browser waits at least 4 ms each time.)
function nextTask() {
  if (globalThis.scheduler && typeof globalThis.scheduler.yield === "function") {
    return globalThis.scheduler.yield();
  }
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

async function start() {
  performance.mark("course-widgets:start");
  const scripts = Array.from(document.querySelectorAll(OUTPUT_SCRIPT));
  const config = pageConfig();
  if (!config.kernelId) {
    return;
  }
  const kernel = connect(config);
  const manager = new CourseWidgetManager(kernel);
  const inPage = statesInPage();
  let unavailable = null;
  let making = Promise.resolve();
  try {
    if (inPage) {
      // Drawn from the page's own copy while the kernel's websocket opens (a widget's
      // messages wait in the connection until it does); each tool as soon as its own
      // models are made, while the next tool's are.
      const job = await manager._register(inPage.states, toolModels(scripts));
      making = manager._make(job);
    } else {
      // Connected first, so the control comm's own 4 s wait starts then; a kernel that
      // does not answer within 30 s gets the sentence in each tool's place.
      await Promise.race([
        kernel.info,
        new Promise((resolve, reject) => {
          setTimeout(() => reject(new Error("The kernel did not answer in 30 s.")), 30000);
        }),
      ]);
      await manager._loadFromKernel(); // ipywidgets' control comm: every widget's state
    }
    performance.mark("course-widgets:states");
  } catch (error) {
    unavailable = error; // each tool's place says so in a sentence
  }
  for (const script of scripts) {
    await nextTask();
    await drawOutput(manager, script, unavailable);
  }
  await making;
  performance.mark("course-widgets:drawn");
  if (inPage && !unavailable) {
    // The tools are drawn but cannot answer until the kernel does: after 30 s, say so.
    const late = setTimeout(() => window.courseConnectionLost("unanswered"), 30000);
    await kernel.info;
    clearTimeout(late);
    if (inPage.held) {
      return; // the kernel holds what the page was drawn from: no change to catch up
    }
    try {
      await manager._catchUp(inPage.text);
      performance.mark("course-widgets:caught-up");
    } catch (error) {
      console.error(error); // the page works as drawn; only a kernel-side change is missed
    }
  }
}

start();
