// Stands in for sanitize-html in ipywidgets' manager (see build.mjs): a widget description
// marked as HTML is shown as plain text, so nothing from a model becomes markup.
export default function escapeHtml(text) {
  const box = document.createElement("div");
  box.textContent = String(text);
  return box.innerHTML;
}
