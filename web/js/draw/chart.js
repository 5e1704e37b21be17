// The one wrapper over uPlot (vendored from npm): every time series of the
// panels is a chart of steps, made here with the house look (theme colours,
// step ticks, a y title), so a panel only says what its lines are.
//
//   const chart = createChart(parent, {label, height, yTitle, series, xRange, yRange, under, over});
//   chart.set([steps, ys1, ys2, ...]);   // columnar, as uPlot takes it; typed arrays welcome
//
// series: [{stroke: () => colour, width, dash, points}] (uPlot's series
// options; bands too). xRange(first, last) and yRange(min, max) -> [lo, hi]
// choose the axes' extent from the data's (null without data); by default
// the steps shown and the values with a margin. under(paint) and
// over(paint) draw extra marks below and above the lines: paint = {ctx,
// x(step), y(value), box} in CSS pixels. Degenerate data (one point, equal
// values, 1e300) draws: the ranges never collapse, and uPlot leaves out
// the ticks it cannot place rather than loop. uPlot draws a long series
// as one min-max stroke per pixel column; a panel with tens of thousands
// of points hands it fewer (see series.js columns()).
import uPlot from "../../vendor/uplot/uPlot.esm.js";
import { theme } from "./colours.js";
import { element } from "./dom.js";

export const FONT = "11px system-ui, sans-serif";
// x ticks on whole steps only: 1, 2, 5, 10, 20, 50 ...
const STEP_INCRS = [1, 2, 5].flatMap((m) => Array.from({ length: 16 }, (_, e) => m * 10 ** e)).sort((a, b) => a - b);

export const formatStep = (v) => (v >= 10000 ? `${Math.round(v / 1000)}k` : String(v));

// Tick labels `incr` apart, with just the digits that tell them apart:
// fixed-point for everyday sizes, exponents from 1e6 up and below 1e-4
// (readable from 1e-300 to 1e300).
export function formatTicks(ticks, incr) {
  const size = Math.max(0, ...ticks.map(Math.abs));
  if (!(incr > 0)) return ticks.map(String);
  if (size >= 1e6 || incr < 1e-4) {
    const digits = Math.min(15, Math.max(1, Math.ceil(Math.log10(size / incr))));
    return ticks.map((v) => (v === 0 ? "0" : v.toExponential(digits)));
  }
  const decimals = (String(Number(incr.toPrecision(2))).split(".")[1] || "").length;
  return ticks.map((v) => v.toFixed(decimals));
}

// [lo, hi] around the values min..max with a margin of 6% of their span, at
// least `minMargin` and enough to stay apart in floating point (equal
// values, one point, 1e300 next to its neighbour). Without data: fallback.
export function paddedRange(min, max, { minMargin = 0, floor = -Infinity, fallback = [0, 1] } = {}) {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return fallback;
  const margin = Math.max((max - min) * 0.06, minMargin, Math.max(Math.abs(min), Math.abs(max)) * 1e-9, 1e-12);
  return [Math.max(floor, min - margin), max + margin];
}

// An x range from `first` (or the data's first step) covering at least `minSpan` steps.
export const stepRange = ({ first = null, minSpan = 1 } = {}) => (min, max) => {
  const lo = first ?? (Number.isFinite(min) ? min : 0);
  return [lo, Math.max(lo + minSpan, Number.isFinite(max) ? max : lo)];
};

// The y axis's width for its labels (about 6.5 px a character at FONT).
const labelsWidth = (u, labels) => 14 + 6.5 * Math.max(3, ...(labels || []).map((label) => label.length));

function axis(title, { values, incrs, size }) {
  const colour = () => theme().muted;
  return {
    stroke: colour,
    font: FONT,
    labelFont: FONT,
    label: title,
    labelSize: 14,
    labelGap: 0,
    size,
    values,
    incrs,
    grid: { stroke: () => theme().line, width: 1 },
    ticks: { stroke: () => theme().line, width: 1, size: 4 },
  };
}

// A series with one value has no line to draw: it shows that value as a point.
function alone(u, seriesIdx) {
  let values = 0;
  for (const value of u.data[seriesIdx]) if (value !== null && ++values > 1) return false;
  return values === 1;
}

// What the hooks draw with: the context scaled to CSS pixels, the scales in CSS pixels.
function painter(u) {
  const ratio = uPlot.pxRatio;
  const { left, top, width, height } = u.bbox;
  return {
    ctx: u.ctx,
    x: (v) => u.valToPos(v, "x", true) / ratio,
    y: (v) => u.valToPos(v, "y", true) / ratio,
    box: { left: left / ratio, top: top / ratio, width: width / ratio, height: height / ratio },
    ratio,
  };
}

function hook(draw, clip) {
  return (u) => {
    const paint = painter(u);
    const { ctx, box, ratio } = paint;
    ctx.save();
    ctx.scale(ratio, ratio);
    if (clip) {
      ctx.beginPath();
      ctx.rect(box.left, box.top, box.width, box.height);
      ctx.clip();
    }
    ctx.font = FONT;
    draw(paint);
    ctx.restore();
  };
}

// A chart starts this wide and takes its parent's width when the
// ResizeObserver first reports it (before the first paint): reading the
// width at creation forced a layout of the page per chart while the page
// was being built (half of the panels' creation time).
const FIRST_WIDTH = 300;

export function createChart(parent, options) {
  const { label, height, yTitle, series, bands = [], padRight = 12, under, over } = options;
  const xRange = options.xRange ?? stepRange();
  const yRange = options.yRange ?? ((min, max) => paddedRange(min, max));
  const width = () => Math.max(1, Math.floor(parent.clientWidth));
  let steps = []; // the x values shown (uPlot's own x range pads a single point)

  const plot = new uPlot({
    width: FIRST_WIDTH,
    height,
    padding: [12, padRight, 0, 0],
    legend: { show: false },
    cursor: { show: false },
    scales: {
      x: { time: false, range: () => xRange(steps.length ? steps[0] : null, steps.length ? steps[steps.length - 1] : null) },
      y: { range: (u, min, max) => yRange(min, max) },
    },
    axes: [
      axis("step", { incrs: STEP_INCRS, size: 28, values: (u, ticks) => ticks.map(formatStep) }),
      axis(yTitle, { size: labelsWidth, values: (u, ticks, axisIdx, space, incr) => formatTicks(ticks, incr) }),
    ],
    series: [{}, ...series.map((s) => ({ points: { show: alone }, ...s }))],
    bands,
    hooks: {
      drawAxes: under ? [hook(under, true)] : [],
      draw: over ? [hook(over, false)] : [],
    },
  }, blank(), parent);
  plot.root.setAttribute("role", "img");
  plot.root.setAttribute("aria-label", label);
  const note = element("p", { className: "chart-message", hidden: true }); // a sentence over the plot area instead of lines
  plot.over.append(note);

  // No data still draws the axes: one step without values, where the x range starts.
  function blank() {
    return [[xRange(null, null)[0]], ...series.map(() => [null])];
  }

  // Follow the parent's width (the panel's box); height stays.
  let shownWidth = FIRST_WIDTH;
  const observer = new ResizeObserver(() => {
    if (width() === shownWidth) return;
    shownWidth = width();
    plot.setSize({ width: shownWidth, height });
  });
  observer.observe(parent);

  return {
    root: plot.root,
    // New data, drawn at once: [steps, ...one array per series].
    set(data) {
      steps = data[0];
      plot.setData(steps.length ? data : blank());
    },
    // A sentence shown over the plot area ("" hides it).
    message(text) {
      note.textContent = text;
      note.hidden = !text;
    },
    // The plot area's width in CSS pixels (how many columns a series needs).
    plotWidth() {
      return plot.bbox.width ? plot.bbox.width / uPlot.pxRatio : width();
    },
    // Redraw with the same data (the theme or an under/over mark changed).
    redraw() {
      plot.redraw(false);
    },
    destroy() {
      observer.disconnect();
      plot.destroy();
    },
  };
}
