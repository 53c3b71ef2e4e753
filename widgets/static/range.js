// The labelled range slider's view (widgets/_range.py), an anywidget module.
// Its words (label, describe) come from Python in the page's language; the number is
// written here with that language's decimal sign (the model's "language": "4,5" in
// Spanish, "4.5" in English), as widgets/_range.py's RangeInput.text writes it.
let counter = 0;
// A number as the page's language writes it: no thousands separator, up to 10 decimals.
// English, or a language this browser does not know, keeps String(v) (7 -> "7").
function numberIn(language) {
  if (!language || language === "en") return String;
  try {
    const format = new Intl.NumberFormat(language, {
      useGrouping: false,
      maximumFractionDigits: 10,
    });
    return (v) => format.format(v);
  } catch (_error) {
    return String;
  }
}
function render({ model, el }) {
  counter += 1;
  const id = "course-range-" + counter + "-" + Math.random().toString(36).slice(2, 8);
  const box = document.createElement("div");
  box.className = "course-range";
  const label = document.createElement("label");
  label.className = "course-range__label";
  label.htmlFor = id;
  const row = document.createElement("div");
  row.className = "course-range__row";
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  input.className = "course-range__input";
  const shown = document.createElement("span");
  shown.className = "course-range__value";
  shown.setAttribute("aria-hidden", "true");  // the input's aria-valuetext says the same
  let shownNumber = numberIn(model.get("language"));
  const words = (v) => (model.get("describe") || "{value}").split("{value}").join(shownNumber(v));
  const showValue = (v) => {
    const text = words(v);
    input.setAttribute("aria-valuetext", text);
    shown.textContent = text;
  };
  const draw = () => {
    shownNumber = numberIn(model.get("language"));
    label.textContent = model.get("label");
    input.min = String(model.get("min"));
    input.max = String(model.get("max"));
    input.step = String(model.get("step"));
    input.value = String(model.get("value"));
    showValue(model.get("value"));
  };
  const send = () => {
    const v = Number(input.value);
    showValue(v);
    if (v !== model.get("value")) {
      model.set("value", v);
      model.save_changes();
    }
  };
  input.addEventListener("input", send);
  input.addEventListener("change", send);
  for (const name of ["value", "min", "max", "step", "label", "describe", "language"]) {
    model.on("change:" + name, draw);
  }
  draw();
  row.append(input, shown);
  box.append(label, row);
  el.appendChild(box);
}
export default { render };
