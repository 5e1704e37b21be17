// Legends: a <ul class="legend"> of swatches and texts.

// A fixed legend of [key, text] entries, each swatch styled by the CSS class swatch-<key>.
export function createLegend(entries) {
  const legend = document.createElement("ul");
  legend.className = "legend";
  for (const [key, text] of entries) legend.append(legendItem(text, { key }));
  return legend;
}

// One entry: a swatch (a CSS class swatch-<key>, or a colour) and its text.
// A dashed line gets the class swatch-dashed.
export function legendItem(text, { key, colour, dashed = false }) {
  const item = document.createElement("li");
  const swatch = document.createElement("span");
  swatch.className = `swatch${key ? ` swatch-${key}` : ""}${dashed ? " swatch-dashed" : ""}`;
  if (colour) swatch.style.setProperty("--swatch", colour);
  swatch.setAttribute("aria-hidden", "true");
  item.append(swatch, text);
  return item;
}
