// Drawing helpers shared by the canvas panels: crisp high-DPI canvases that
// follow their box, a perceptual colour scale, and the page's theme colours.

// A canvas sized to its CSS box times devicePixelRatio; draw in CSS pixels.
// Its height is the pixel height set on its style (by createCanvas or the
// panel); its width is kept current by a ResizeObserver, because measuring
// in every draw would force a layout of the whole page once per panel per
// frame. fit() sizes the bitmap and clears it; it returns false when the box
// is empty (hidden panel), so callers can skip drawing.
export function createCanvas(parent, { label, height = 220 } = {}) {
  const canvas = document.createElement("canvas");
  canvas.style.width = "100%";
  canvas.style.height = `${height}px`;
  canvas.style.display = "block";
  if (label) {
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", label);
  }
  parent.append(canvas);
  const ctx = canvas.getContext("2d");
  const size = { width: 0, height: 0 };
  let observedWidth = null;
  new ResizeObserver((entries) => {
    observedWidth = entries[entries.length - 1].contentRect.width;
  }).observe(canvas);
  const width = () => observedWidth ?? canvas.getBoundingClientRect().width; // measured once, before the first observation
  return {
    canvas,
    ctx,
    size,
    width,
    fit() {
      const ratio = window.devicePixelRatio || 1;
      size.width = width();
      size.height = parseFloat(canvas.style.height) || 0;
      const w = Math.round(size.width * ratio);
      const h = Math.round(size.height * ratio);
      if (canvas.width !== w || canvas.height !== h) {
        canvas.width = w;
        canvas.height = h;
      }
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, size.width, size.height);
      return size.width > 0 && size.height > 0;
    },
  };
}

// Viridis (perceptually uniform, colour-blind safe), 9 anchors interpolated.
const VIRIDIS = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
  [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];

// Colour of t in [0, 1] on the viridis scale, as a CSS rgb() string.
export function viridis(t) {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [VIRIDIS[i], VIRIDIS[i + 1]];
  const c = a.map((v, k) => Math.round(v + (b[k] - v) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

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
    mono: read("--mono"),
  };
  return cachedTheme;
}

// How the lab shows a token id: its character, "BOS" for the special token,
// and visible names for blanks.
export function tokenLabel(id, vocab) {
  if (id === vocab.length) return "BOS";
  const ch = vocab[id];
  return ch === " " ? "␠" : ch ?? "?";
}

// A legend: <ul class="legend"> of [key, text] entries, each with a swatch
// styled by the CSS class swatch-<key>.
export function createLegend(entries) {
  const legend = document.createElement("ul");
  legend.className = "legend";
  for (const [key, text] of entries) {
    const item = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = `swatch swatch-${key}`;
    swatch.setAttribute("aria-hidden", "true");
    item.append(swatch, text);
    legend.append(item);
  }
  return legend;
}

// The event a panel drawing full instrumentation should show for a client
// message: on a session switch, the newest stored step that carries `field`
// (or null); on a live event of the current session, that event if it carries
// `field`. Undefined means the message changes nothing for the panel.
export function latestWith(message, field) {
  if (message.type === "session") {
    const steps = message.steps || [];
    for (let i = steps.length - 1; i >= 0; i -= 1) if (steps[i][field]) return steps[i];
    return null;
  }
  if (message.type === "event" && message.session === message.current && message.event[field]) return message.event;
  return undefined;
}
