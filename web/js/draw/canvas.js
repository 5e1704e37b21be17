// A crisp high-DPI canvas that follows its box.
import { element } from "./dom.js";

// A canvas sized to its CSS box times devicePixelRatio; draw in CSS pixels.
// Its height is the pixel height set on its style (by createCanvas or the
// panel); its width is kept current by a ResizeObserver, because measuring
// in every draw would force a layout of the whole page once per panel per
// frame. fit() sizes the bitmap and clears it; it returns false when the box
// is empty (hidden panel), so callers can skip drawing.
export function createCanvas(parent, { label, height = 220 } = {}) {
  const canvas = element("canvas", label ? { role: "img", "aria-label": label } : {});
  Object.assign(canvas.style, { width: "100%", height: `${height}px`, display: "block" });
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

// A message in the middle of an empty canvas ("appears after the first step"),
// broken into lines that fit its width: no word is cut at any width.
export function drawMessage({ ctx, size }, text, colours) {
  ctx.fillStyle = colours.muted;
  ctx.font = `12px ${colours.mono}`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  const room = Math.max(40, size.width - 16);
  const lines = [];
  for (const word of String(text).split(" ")) {
    const line = lines.length ? `${lines[lines.length - 1]} ${word}` : word;
    if (lines.length && ctx.measureText(line).width <= room) lines[lines.length - 1] = line;
    else lines.push(word);
  }
  const height = 16;
  lines.forEach((line, i) => ctx.fillText(line, size.width / 2, size.height / 2 + (i - (lines.length - 1) / 2) * height, room));
}
