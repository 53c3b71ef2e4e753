// The progress diary's view (widgets/diary.py), an anywidget module.
//
// Everything the learner writes stays in this browser: entries live in localStorage
// under STORE_KEY and are drawn, charted and exported here. The module never writes
// to the model, so no entry is ever sent to the kernel or the server
// (tests/unit/test_diary.py checks that this file has no model.set or save_changes; a
// browser test watches the wire).
//
// The same module gives "My plan" its "add my diary" choice (renderPlanOption): it
// adds the diary to the plan file's link on the page, in the browser.
//
// Its words are in the page's language: widgets/diary.py writes the kernel's language and
// the translations of the texts below (its N_() list, from the widgets' catalog) into the
// LOCALE line when it makes a view. As this file stands, and for any text without a
// translation, it speaks English. Every text is written here in English, marked with
// N_(), t() or tn(), exactly as diary.py lists it. The stored diary (STORE_KEY, its JSON)
// and the CSV's values are the same in every language, so a diary is kept across them.

export const STORE_KEY = "backpain-course-diary-v1";
const PLAN_MARKER = "<!-- course-diary -->";
const LOCALE = { language: "en", words: {}, plurals: {} };
const N_ = (text) => text;  // marks a text kept in a constant; t() translates it where shown
const MOODS = [N_("very low"), N_("low"), N_("OK"), N_("good"), N_("very good")];  // 1..5
export const FIELDS = [
  // key, name (charts, table, messages), label (the form), min, max, step, and what its
  // chart says in words (summary: written on some days; nothing: none written)
  {
    key: "pain", name: N_("Pain"), label: N_("Pain (0 = none, 10 = worst)"), min: 0, max: 10, step: 1,
    summary: N_("Pain: written on {count} of {days} days. Average {average} out of 10; lowest {low} ({low_day}), highest {high} ({high_day})."),
    nothing: N_("Pain: nothing written in these {days} days."),
  },
  {
    key: "activity", name: N_("Active minutes"), label: N_("Active minutes"), min: 0, max: 1440, step: 5,
    summary: N_("Active minutes: written on {count} of {days} days. Average {average} minutes; lowest {low} ({low_day}), highest {high} ({high_day})."),
    nothing: N_("Active minutes: nothing written in these {days} days."),
  },
  {
    key: "sleep", name: N_("Sleep"), label: N_("Sleep (hours)"), min: 0, max: 24, step: 0.5,
    summary: N_("Sleep: written on {count} of {days} days. Average {average} hours; lowest {low} ({low_day}), highest {high} ({high_day})."),
    nothing: N_("Sleep: nothing written in these {days} days."),
  },
  {
    key: "mood", name: N_("Mood"), label: N_("Mood (1 = very low, 5 = very good)"), min: 1, max: 5, step: 1,
    summary: N_("Mood: written on {count} of {days} days. Average {average} out of 5; lowest {low} ({low_day}), highest {high} ({high_day})."),
    nothing: N_("Mood: nothing written in these {days} days."),
  },
];
// The CSV file's columns (a spreadsheet's header row), in the order of toCsv's values.
const CSV_COLUMNS = [N_("date"), N_("pain_0_to_10"), N_("active_minutes"), N_("sleep_hours"), N_("mood_1_to_5"), N_("note")];
const NOTE_MAX = 200;
let counter = 0;

// ------------------------------------------------------------------ words

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

// A text in the page's language, its {name} marks filled in from values.
function t(text, values = {}) {
  const own = LOCALE.words[text];
  return fill(typeof own === "string" && own ? own : text, values);
}

// The singular or the plural (for n) of a text, in the page's language; {n} is n.
// A language's two forms are chosen as gettext's "n != 1" does (Intl's "one" or not).
function tn(singular, plural, n, values = {}) {
  const forms = LOCALE.plurals[singular];
  const one = new Intl.PluralRules(LOCALE.language).select(n) === "one";
  const form = Array.isArray(forms) && forms.length === 2 && forms[0] && forms[1]
    ? forms[one ? 0 : 1]
    : (n === 1 ? singular : plural);
  return fill(form, { n: number(n), ...values });
}

// A number as the page's language writes it, with at most one decimal (4.5, or 4,5).
const NUMBER = new Intl.NumberFormat(LOCALE.language, { maximumFractionDigits: 1, useGrouping: false });
function number(v) {
  return NUMBER.format(v);
}

// ------------------------------------------------------------------ storage

function memoryStore() {
  const data = {};
  return {
    ok: false,
    get: () => data.value || null,
    set: (v) => { data.value = v; },
    remove: () => { delete data.value; },
  };
}

function browserStore() {
  try {
    const probe = STORE_KEY + "-probe";
    window.localStorage.setItem(probe, "1");
    window.localStorage.removeItem(probe);
  } catch (e) {
    return memoryStore();
  }
  return {
    ok: true,
    get: () => window.localStorage.getItem(STORE_KEY),
    set: (v) => window.localStorage.setItem(STORE_KEY, v),
    remove: () => window.localStorage.removeItem(STORE_KEY),
  };
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

export function readEntries(store) {
  let raw;
  try {
    raw = JSON.parse(store.get() || "{}");
  } catch (e) {
    return {};
  }
  const entries = {};
  const source = raw && typeof raw.entries === "object" && raw.entries ? raw.entries : {};
  for (const [day, entry] of Object.entries(source)) {
    if (DAY_RE.test(day) && entry && typeof entry === "object") {
      entries[day] = cleanEntry(entry);
    }
  }
  return entries;
}

function writeEntries(store, entries) {
  store.set(JSON.stringify({ version: 1, entries }));
}

function cleanEntry(entry) {
  const out = {};
  for (const f of FIELDS) {
    const v = entry[f.key];
    out[f.key] = typeof v === "number" && Number.isFinite(v) && v >= f.min && v <= f.max ? v : null;
  }
  out.note = typeof entry.note === "string" ? entry.note.slice(0, NOTE_MAX) : "";
  return out;
}

// ------------------------------------------------------------------ dates

export function dayString(d) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function dayDate(day) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d);
}

export function lastDays(n, today = new Date()) {
  const days = [];
  for (let i = n - 1; i >= 0; i -= 1) {
    const d = new Date(today.getFullYear(), today.getMonth(), today.getDate() - i);
    days.push(dayString(d));
  }
  return days;
}

// Dates as the page's language writes them (the course's English is British).
const DATE_LOCALE = LOCALE.language === "en" ? "en-GB" : LOCALE.language;

function longDay(day) {
  return dayDate(day).toLocaleDateString(DATE_LOCALE, { weekday: "short", day: "numeric", month: "long" });
}

// A chart's tick: day/month ("5/1") in English, the language's short day and month otherwise.
function shortDay(day) {
  const d = dayDate(day);
  if (LOCALE.language === "en") return `${d.getDate()}/${d.getMonth() + 1}`;
  return d.toLocaleDateString(DATE_LOCALE, { day: "numeric", month: "numeric" });
}

// ------------------------------------------------------------------ words and numbers

function show(v) {
  return v === null || v === undefined ? "" : number(Math.round(v * 10) / 10);
}

export function summary(field, days, entries) {
  const values = days
    .map((day) => [day, entries[day] ? entries[day][field.key] : null])
    .filter(([, v]) => v !== null);
  if (!values.length) return t(field.nothing, { days: number(days.length) });
  const nums = values.map(([, v]) => v);
  const avg = nums.reduce((a, b) => a + b, 0) / nums.length;
  const [lowDay, low] = values.reduce((a, b) => (b[1] < a[1] ? b : a));
  const [highDay, high] = values.reduce((a, b) => (b[1] > a[1] ? b : a));
  return t(field.summary, {
    count: number(values.length), days: number(days.length), average: show(avg),
    low: show(low), low_day: longDay(lowDay), high: show(high), high_day: longDay(highDay),
  });
}

// ------------------------------------------------------------------ export

function csvCell(v) {
  let s = v === null || v === undefined ? "" : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;  // a spreadsheet must not run it as a formula
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// The values stay as a spreadsheet reads them in every language (ISO dates, decimal
// points); only the header row is in the page's language.
export function toCsv(entries) {
  const rows = [CSV_COLUMNS.map((column) => t(column))];
  for (const day of Object.keys(entries).sort()) {
    const e = entries[day];
    rows.push([day, e.pain, e.activity, e.sleep, e.mood, e.note]);
  }
  return rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function mdCell(s) {
  return String(s).replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/[<>*_`#[\]]/g, (c) => "\\" + c).replace(/\s+/g, " ");
}

export function planSection(entries, format, days) {
  const written = days.filter((day) => entries[day]);
  const heading = t("My diary, the last 4 weeks");
  const intro = written.length
    ? t("Written on {count} of the last {days} days. Pain is out of 10, mood out of 5.", { count: number(written.length), days: number(days.length) })
    : t("Nothing written in the last {days} days.", { days: number(days.length) });
  const head = [t("Date"), t("Pain"), t("Active minutes"), t("Sleep (hours)"), t("Mood"), t("Note")];
  const cells = (day) => {
    const e = entries[day];
    return [longDay(day), show(e.pain), show(e.activity), show(e.sleep), show(e.mood), e.note];
  };
  if (format === "markdown") {
    const lines = [`## ${heading}`, "", intro];
    if (written.length) {
      lines.push("", `| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`);
      for (const day of written) lines.push(`| ${cells(day).map(mdCell).join(" | ")} |`);
    }
    return lines.join("\n") + "\n";
  }
  let table = "";
  if (written.length) {
    const th = head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("");
    const rows = written
      .map((day) => {
        const [first, ...rest] = cells(day).map(escapeHtml);
        return `<tr><th scope="row">${first}</th>${rest.map((c) => `<td>${c}</td>`).join("")}</tr>`;
      })
      .join("");
    const caption = escapeHtml(t("My diary, day by day"));
    table = `<table><caption>${caption}</caption><thead><tr>${th}</tr></thead><tbody>${rows}</tbody></table>`;
  }
  return `<h2>${escapeHtml(heading)}</h2>\n<p>${escapeHtml(intro)}</p>\n${table}\n`;
}

function utf8Base64(text) {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

function base64Utf8(b64) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i += 1) bytes[i] = bin.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}

// ------------------------------------------------------------------ small DOM helpers

function make(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") node.className = v;
    else if (k in node && k !== "list") node[k] = v;
    else node.setAttribute(k, v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

function chart(field, days, entries, id) {
  const width = 320;
  const height = 90;
  const top = 8;
  const bottom = 18;
  const slot = width / days.length;
  const label = summary(field, days, entries);
  const root = svg("svg", {
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-labelledby": id,
    class: "course-diary__chart",
    preserveAspectRatio: "none",
  });
  const title = svg("title", { id });
  title.textContent = label;
  root.append(title);
  root.append(svg("line", { x1: 0, x2: width, y1: height - bottom, y2: height - bottom, class: "course-diary__axis" }));
  days.forEach((day, i) => {
    const v = entries[day] ? entries[day][field.key] : null;
    if (v !== null) {
      const h = Math.max(2, (v / chartMax(field, days, entries)) * (height - top - bottom));
      root.append(svg("rect", {
        x: i * slot + slot * 0.15, width: slot * 0.7, y: height - bottom - h, height: h,
        class: `course-diary__bar course-diary__bar--${field.key}`,
      }));
    }
    // Every day on a week's chart; every 7th day, counted back from today, on a month's.
    if (days.length <= 7 || (days.length - 1 - i) % 7 === 0) {
      const anchor = i === days.length - 1 ? "end" : i === 0 ? "start" : "middle";
      const x = anchor === "end" ? width : anchor === "start" ? 0 : i * slot + slot / 2;
      const t = svg("text", { x, y: height - 4, "text-anchor": anchor, class: "course-diary__tick" });
      t.textContent = shortDay(day);
      root.append(t);
    }
  });
  return make("figure", { class: "course-diary__figure" },
    make("figcaption", { class: "course-diary__caption" }, t(field.name)),
    root,
    make("p", { class: "course-diary__summary" }, label));
}

// The top of a chart: the scale's own top for pain and mood; for minutes and hours, an
// everyday top (an hour, 12 hours) that grows to the largest value written.
function chartMax(field, days, entries) {
  if (field.key === "pain" || field.key === "mood") return field.max;
  let m = field.key === "sleep" ? 12 : 60;
  for (const day of days) {
    const v = entries[day] ? entries[day][field.key] : null;
    if (v !== null && v > m) m = v;
  }
  return m;
}

// ------------------------------------------------------------------ the diary

function render({ model, el }) {
  counter += 1;
  const uid = `course-diary-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const store = browserStore();
  let entries = readEntries(store);
  let range = 7;

  const status = make("p", { class: "course-diary__status", role: "status" });
  const say = (text) => { status.textContent = text; };

  // The form: a day, four numbers and a note.
  const dayInput = make("input", { type: "date", id: `${uid}-day`, value: dayString(new Date()), max: dayString(new Date()) });
  const inputs = {};
  const rows = [make("div", { class: "course-diary__field" }, make("label", { htmlFor: `${uid}-day` }, t("Day")), dayInput)];
  for (const f of FIELDS) {
    const input = f.key === "mood"
      ? make("select", { id: `${uid}-${f.key}` },
          make("option", { value: "" }, t("Not written")),
          ...MOODS.map((words, i) => make("option", { value: String(i + 1) }, `${number(i + 1)}: ${t(words)}`)))
      : make("input", { type: "number", id: `${uid}-${f.key}`, min: String(f.min), max: String(f.max), step: String(f.step), inputMode: f.step < 1 ? "decimal" : "numeric" });
    inputs[f.key] = input;
    rows.push(make("div", { class: "course-diary__field" }, make("label", { htmlFor: input.id }, t(f.label)), input));
  }
  const note = make("input", { type: "text", id: `${uid}-note`, maxLength: NOTE_MAX, autocomplete: "off" });
  rows.push(make("div", { class: "course-diary__field course-diary__field--note" },
    make("label", { htmlFor: note.id }, t("Note (up to {max} characters)", { max: number(NOTE_MAX) })), note));
  const save = make("button", { type: "submit", class: "course-diary__save" }, t("Save this day"));
  const clearDay = make("button", { type: "button", class: "course-diary__clear" }, t("Clear this day"));
  // noValidate: the page checks the numbers itself and says what is wrong in its status.
  const form = make("form", { class: "course-diary__form", "aria-label": t("Diary entry"), noValidate: true },
    ...rows, make("div", { class: "course-diary__buttons" }, save, clearDay));

  const fillForm = () => {
    const e = entries[dayInput.value];
    for (const f of FIELDS) inputs[f.key].value = e && e[f.key] !== null ? String(e[f.key]) : "";
    note.value = e ? e.note : "";
  };

  const readForm = () => {
    const day = dayInput.value;
    if (!DAY_RE.test(day)) return { error: t("Please choose a day first.") };
    if (day > dayString(new Date())) return { error: t("Please choose today or a day before it.") };
    const entry = {};
    for (const f of FIELDS) {
      const raw = inputs[f.key].value.trim();
      if (raw === "") { entry[f.key] = null; continue; }
      const v = Number(raw);
      if (!Number.isFinite(v) || v < f.min || v > f.max) {
        const error = t("{name} needs a number from {min} to {max}.", { name: t(f.name), min: number(f.min), max: number(f.max) });
        return { error, focus: inputs[f.key] };
      }
      entry[f.key] = Math.round(v / f.step) * f.step;
    }
    entry.note = note.value.trim().slice(0, NOTE_MAX);
    if (FIELDS.every((f) => entry[f.key] === null) && !entry.note) {
      return { error: t("Please write at least one thing for this day."), focus: inputs.pain };
    }
    return { day, entry };
  };

  // The charts: week or month, one small chart per number, and the numbers as a table.
  const weekId = `${uid}-week`;
  const monthId = `${uid}-month`;
  const week = make("input", { type: "radio", name: `${uid}-range`, id: weekId, value: "7", checked: true });
  const month = make("input", { type: "radio", name: `${uid}-range`, id: monthId, value: "28" });
  const ranges = make("fieldset", { class: "course-diary__range" },
    make("legend", {}, t("Show")),
    make("span", { class: "course-diary__choice" }, week, make("label", { htmlFor: weekId }, t("the last 7 days"))),
    make("span", { class: "course-diary__choice" }, month, make("label", { htmlFor: monthId }, t("the last 4 weeks"))));
  const charts = make("div", { class: "course-diary__charts" });
  const tableBox = make("details", { class: "course-diary__numbers" });

  const drawCharts = () => {
    const days = lastDays(range);
    charts.replaceChildren(...FIELDS.map((f) => chart(f, days, entries, `${uid}-${f.key}-chart`)));
    const written = days.filter((day) => entries[day]);
    const head = make("tr", {}, make("th", { scope: "col" }, t("Day")),
      ...FIELDS.map((f) => make("th", { scope: "col" }, t(f.name))),
      make("th", { scope: "col" }, t("Note")));
    const body = written.map((day) => make("tr", {},
      make("th", { scope: "row" }, longDay(day)),
      ...FIELDS.map((f) => make("td", {}, entries[day][f.key] === null ? "–" : show(entries[day][f.key]))),
      make("td", {}, entries[day].note)));
    tableBox.replaceChildren(
      make("summary", {}, t("Show the numbers as a table")),
      written.length
        ? make("table", {}, make("caption", {}, range === 7 ? t("Your diary, the last 7 days") : t("Your diary, the last 4 weeks")),
            make("thead", {}, head), make("tbody", {}, ...body))
        : make("p", {}, t("Nothing written in these days yet.")));
  };

  // Export and delete.
  const csvLink = make("a", { class: "course-diary__csv", download: "my-back-pain-diary.csv" }, t("Download my diary (CSV, for a spreadsheet)"));
  const drawLink = () => {
    const any = Object.keys(entries).length > 0;
    csvLink.hidden = !any;
    csvLink.href = any ? "data:text/csv;charset=utf-8;base64," + utf8Base64(toCsv(entries)) : "#";
  };
  const deleteAll = make("button", { type: "button", class: "course-diary__delete" }, t("Delete my whole diary"));
  const confirmYes = make("button", { type: "button", class: "course-diary__delete-yes" }, t("Yes, delete it"));
  const confirmNo = make("button", { type: "button" }, t("No, keep it"));
  const confirmBox = make("div", { class: "course-diary__confirm", hidden: true },
    make("p", {}, t("Delete every day of your diary from this browser? This cannot be undone.")), confirmYes, confirmNo);

  const redraw = () => { drawCharts(); drawLink(); };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const got = readForm();
    if (got.error) {
      say(got.error);
      if (got.focus) got.focus.focus();
      return;
    }
    entries = { ...entries, [got.day]: got.entry };
    try { writeEntries(store, entries); } catch (e) { /* full or blocked: kept on this page */ }
    say(store.ok
      ? t("Saved for {day}. It is kept in this browser only.", { day: longDay(got.day) })
      : t("Saved for {day}. This browser does not let the page keep it, so it will be lost when you close the page.", { day: longDay(got.day) }));
    redraw();
  });
  clearDay.addEventListener("click", () => {
    const day = dayInput.value;
    if (!entries[day]) {
      say(DAY_RE.test(day) ? t("Nothing is written for {day}.", { day: longDay(day) }) : t("Nothing is written for that day."));
      return;
    }
    entries = { ...entries };
    delete entries[day];
    writeEntries(store, entries);
    fillForm();
    say(t("Cleared {day}.", { day: longDay(day) }));
    redraw();
  });
  dayInput.addEventListener("change", fillForm);
  for (const r of [week, month]) r.addEventListener("change", () => { range = Number(r.value); drawCharts(); });
  deleteAll.addEventListener("click", () => { confirmBox.hidden = false; confirmNo.focus(); });
  confirmNo.addEventListener("click", () => { confirmBox.hidden = true; deleteAll.focus(); });
  confirmYes.addEventListener("click", () => {
    store.remove();
    entries = {};
    confirmBox.hidden = true;
    fillForm();
    say(t("Your diary is deleted from this browser."));
    redraw();
    deleteAll.focus();
  });
  // Another tab of the course wrote to the diary: show it here too.
  window.addEventListener("storage", (event) => {
    if (event.key === STORE_KEY) { entries = readEntries(store); fillForm(); redraw(); }
  });

  const where = make("p", { class: "course-form__hint" },
    store.ok
      ? t("Your diary is kept in this browser only, on this device. It is never sent to the course's server. Anyone who uses this browser can see it.")
      : t("This browser does not let the page keep a diary (it may be in private mode). You can still fill it in, but it is lost when you close the page."));
  fillForm();
  redraw();
  el.appendChild(make("div", { class: "course-diary course-form" },
    where, form, status,
    make("h3", { class: "course-diary__heading" }, t("Your diary, as charts")), ranges, charts, tableBox,
    make("div", { class: "course-diary__keep" }, csvLink, deleteAll, confirmBox)));
}

// ------------------------------------------------------------------ "My plan": add my diary

function renderPlanOption({ el }) {
  counter += 1;
  const id = `course-diary-plan-${counter}`;
  const store = browserStore();
  const box = make("input", { type: "checkbox", id });
  const note = make("p", { class: "course-form__hint" });
  const wrap = make("div", { class: "course-diary-plan" },
    make("div", { class: "course-diary-plan__row" }, box,
      make("label", { htmlFor: id }, t("Add my diary from the last 4 weeks to the plan file"))),
    note);
  el.appendChild(wrap);

  const describe = () => {
    const n = lastDays(28).filter((day) => readEntries(store)[day]).length;
    note.textContent = n
      ? tn("Your diary has {n} day written in the last 4 weeks. It is added here, in your browser; it is not sent anywhere.",
           "Your diary has {n} days written in the last 4 weeks. It is added here, in your browser; it is not sent anywhere.", n)
      : t("Your diary has nothing written in the last 4 weeks. You can keep one in lesson 13.");
  };
  // The plan's download link is made in the kernel, without the diary. When the box is
  // ticked, the link on this page gets a new address that holds the diary too. For each
  // link we remember the kernel's address and the one we set: any other address is a
  // new file from the kernel.
  const kernelHref = new WeakMap();
  const ourHref = new WeakMap();
  const DATA = /^data:([^;]+);charset=utf-8;base64,(.*)$/;
  const fix = () => {
    const root = wrap.closest(".course-myplan") || document;
    // (My plan's download links, whatever the page's language names the file)
    for (const link of root.querySelectorAll("a.course-download[download]")) {
      const href = link.getAttribute("href") || "";
      if (href !== ourHref.get(link)) kernelHref.set(link, href);
      const m = (kernelHref.get(link) || "").match(DATA);
      if (!m) continue;
      let text = base64Utf8(m[2]);
      if (box.checked && text.includes(PLAN_MARKER)) {
        const format = m[1] === "text/html" ? "html" : "markdown";
        text = text.replace(PLAN_MARKER, planSection(readEntries(store), format, lastDays(28)));
      }
      const wanted = `data:${m[1]};charset=utf-8;base64,${utf8Base64(text)}`;
      ourHref.set(link, wanted);
      if (href !== wanted) link.setAttribute("href", wanted);
    }
  };
  const watch = new MutationObserver(fix);
  const start = () => {
    const root = wrap.closest(".course-myplan") || document.body;
    watch.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ["href"] });
    fix();
  };
  box.addEventListener("change", () => { describe(); fix(); });
  describe();
  // The view is attached to the page after render returns.
  requestAnimationFrame(start);
  return () => watch.disconnect();
}

export default {
  render(props) {
    // The class every ipywidgets view carries: the course page (course.js) and the tests
    // count drawn tools by it, and an anywidget's element has no class of its own.
    props.el.classList.add("jupyter-widgets");
    return props.model.get("part") === "plan_option" ? renderPlanOption(props) : render(props);
  },
};
