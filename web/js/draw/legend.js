// Legends: a <ul class="legend"> of swatches and texts.
import { element } from "./dom.js";

// A fixed legend of [key, text] entries, each swatch styled by the CSS class swatch-<key>.
export function createLegend(entries) {
  return element("ul", { className: "legend" }, ...entries.map(([key, text]) => legendItem(text, { key })));
}

// One entry: a swatch (a CSS class swatch-<key>, or a colour) and its text.
// A dashed line gets the class swatch-dashed.
export function legendItem(text, { key, colour, dashed = false }) {
  const swatch = element("span", { className: `swatch${key ? ` swatch-${key}` : ""}${dashed ? " swatch-dashed" : ""}`,
                                   "aria-hidden": "true" });
  if (colour) swatch.style.setProperty("--swatch", colour);
  return element("li", {}, swatch, text);
}
