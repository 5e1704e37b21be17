// Making an element in one expression: the helper the panels, views and
// lessons build their HTML with. It lives in draw/, "what the panels share",
// which the views and the lessons already import from.
//
//   element("button", { type: "button", className: "link", "aria-label": "Stop" }, "■")
//
// Each of props is assigned as the element's property (className, htmlFor,
// tabIndex, textContent, hidden, ...); `dataset` is merged into its data-*
// attributes; a name the element has no property for (aria-*, and role or
// autocapitalize where a browser does not reflect them) is set as an
// attribute. The children (elements or strings) are appended in order.
export function element(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === "dataset") Object.assign(el.dataset, value);
    else if (name in el) el[name] = value;
    else el.setAttribute(name, String(value));
  }
  el.append(...children);
  return el;
}
