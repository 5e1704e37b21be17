// The panels' colours: the page theme (lab.css's custom properties), the
// heatmap scales and the palettes of the line charts.

// The page theme's colours (CSS custom properties of :root). Read once and
// again when the colour scheme changes: getComputedStyle in every draw would
// recalculate the page's styles once per panel per frame.
let cachedTheme = null;
matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
  cachedTheme = null;
});

export function theme() {
  if (cachedTheme) return cachedTheme;
  const style = getComputedStyle(document.documentElement);
  const read = (name) => style.getPropertyValue(name).trim();
  cachedTheme = {
    ink: read("--ink"),
    muted: read("--muted"),
    line: read("--line"),
    accent: read("--accent"),
    good: read("--good"),
    warn: read("--warn"),
    bad: read("--bad"),
    card: read("--card"),
    mono: read("--mono") || "monospace",
  };
  return cachedTheme;
}

// Okabe-Ito: distinct for colour-blind readers (the probe's lines).
export const OKABE_ITO = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00"];
// The compared runs, in the order they were ticked.
export const RUNS = ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#db2777"];

const rgb = (c) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
const mix = (a, b, f) => a.map((v, k) => Math.round(v + (b[k] - v) * f));

// Viridis (perceptually uniform, colour-blind safe), 9 anchors interpolated.
const VIRIDIS = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
  [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];

// Colour of t in [0, 1] on the viridis scale, as a CSS rgb() string.
export function viridis(t) {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  return rgb(mix(VIRIDIS[i], VIRIDIS[i + 1], x - i));
}

const NEGATIVE = [49, 99, 177];
const ZERO = [247, 247, 247];
const POSITIVE = [196, 58, 49];

// Diverging colour of t in [-1, 1]: blue below 0, near-white at 0, red above.
export function divergingRgb(t) {
  const x = Math.max(-1, Math.min(1, Number.isFinite(t) ? t : 0));
  return mix(ZERO, x < 0 ? NEGATIVE : POSITIVE, Math.abs(x));
}
export const diverging = (t) => rgb(divergingRgb(t));
