// Loss timeline: every step's loss, its smoothed curve, the range of the
// latest steps and two reference lines (draw/references.js): the uniform
// guess ln(vocab_size), the loss of a model that has learned nothing, and
// the counting bigram's loss (the engine's Session.bigram of the session's
// training documents, read once per session through stored.bigram), the
// line a trained model has to get below. The full series is kept (typed arrays that
// grow); the chart draws it decimated to one min-max stroke per pixel
// column, so a 20,000-step run costs little more to draw than a 500-step one.
//
// A session that keeps documents out of training (config held_out) also
// gets their loss now and then (held_out_loss): drawn as a second line of
// dots, so overfitting shows as the two lines parting; and the counting
// bigram's loss on those documents (add-one smoothed) as a third reference.
//
// A step that blew up (the engine's error event with `diverged`) is said
// above the chart: at which step, why, and what to try (draw/diverged.js).
//
// The element publishes data-points, data-last-step, data-latest-loss,
// data-held-out-points, data-latest-held-out, data-diverged (its step),
// data-uniform, data-bigram and data-held-out-bigram (the reference lines' values, "" when none).
import { createChart, paddedRange, stepRange } from "../draw/chart.js";
import { defaultRateOf, divergedText } from "../draw/diverged.js";
import { RUNS, theme } from "../draw/colours.js";
import { element } from "../draw/dom.js";
import { createFrame, frameLifecycle } from "../draw/frame.js";
import { shownBigram } from "../draw/bigram.js";
import { createLegend } from "../draw/legend.js";
import { DASH, drawReferenceLabels, drawReferenceLines, uniformLoss } from "../draw/references.js";
import { EMA_BETA, createSeries } from "../draw/series.js";

const WINDOW = 100; // steps in the rolling min/max
const MIN_X_SPAN = 9; // the x axis shows at least steps 1..10
const LABEL_GAP = 12; // px between the right-hand labels
const HELD_OUT = RUNS[4];
const f4 = (x) => x.toFixed(4);

// A <dl> of labelled values: {key: label} -> {readout, fields: {key: <dd>}}.
function createReadout(labels) {
  const fields = Object.fromEntries(Object.keys(labels).map((key) => [key, element("dd", {}, "-")]));
  const readout = element("dl", { className: "readout" },
    ...Object.entries(labels).map(([key, label]) => element("div", {}, element("dt", {}, label), fields[key])));
  return { readout, fields };
}

// The loss of the last WINDOW points: {min, max, from} (from = first step), or null.
function windowStats(series) {
  const n = series.count;
  if (!n) return null;
  const loss = series.loss();
  let min = Infinity;
  let max = -Infinity;
  for (let i = Math.max(0, n - WINDOW); i < n; i += 1) {
    min = Math.min(min, loss[i]);
    max = Math.max(max, loss[i]);
  }
  return { min, max, from: series.steps()[Math.max(0, n - WINDOW)] };
}

// Under the lines: the rolling window as a band over its steps, from its
// min to its max loss, and the reference lines (their labels go over the lines).
function drawWindowAndReferences(panel, paint) {
  const colours = theme();
  const { ctx, x, y } = paint;
  const { stats, series } = panel;
  if (stats) {
    ctx.fillStyle = colours.good;
    ctx.globalAlpha = 0.13;
    const left = x(stats.from);
    ctx.fillRect(left, y(stats.max), Math.max(2, x(series.lastStep()) - left), y(stats.min) - y(stats.max));
    ctx.globalAlpha = 1;
  }
  drawReferenceLines(paint, references(panel, colours));
}

// The reference lines there are: the uniform guess, the counting bigram, and its held-out loss.
function references({ vocabSize, counted }, colours) {
  const { bigram } = counted;
  const lines = [];
  const uniform = uniformLoss(vocabSize);
  if (uniform !== null) {
    lines.push({ value: uniform, label: `uniform guess ln(${vocabSize}) = ${uniform.toFixed(2)}`, colour: colours.warn, dash: DASH.uniform });
  }
  if (bigram) lines.push({ value: bigram.loss, label: `counting bigram ${bigram.loss.toFixed(2)}`, colour: colours.ink, dash: DASH.bigram });
  if (bigram?.held_out) {
    lines.push({ value: bigram.held_out.loss, label: `counting bigram, held-out ${bigram.held_out.loss.toFixed(2)}`,
                 colour: HELD_OUT, dash: DASH.bigram });
  }
  return lines;
}

// Above the lines: the latest point, and on the right its loss and the
// window's max and min, nudged apart so they never overlap.
function drawLatest({ stats, series }, { ctx, x, y, box }) {
  if (!stats) return;
  const colours = theme();
  const last = series.lastLoss();
  ctx.fillStyle = colours.ink;
  ctx.beginPath();
  ctx.arc(x(series.lastStep()), y(last), 3, 0, 2 * Math.PI);
  ctx.fill();
  const labels = [
    { y: y(stats.max), text: `max ${stats.max.toFixed(2)}`, colour: colours.good },
    { y: y(last), text: last.toFixed(3), colour: colours.ink },
    { y: y(stats.min), text: `min ${stats.min.toFixed(2)}`, colour: colours.good },
  ].sort((a, b) => a.y - b.y);
  for (let i = 1; i < labels.length; i += 1) labels[i].y = Math.max(labels[i].y, labels[i - 1].y + LABEL_GAP);
  const overflow = labels[2].y - (box.top + box.height);
  if (overflow > 0) for (const label of labels) label.y -= overflow; // keep the lowest inside the plot
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  const { a, e } = ctx.getTransform();
  const right = (ctx.canvas.width - e) / a - 2; // the canvas's right edge: a long label moves in rather than being cut
  for (const label of labels) {
    ctx.fillStyle = label.colour;
    ctx.fillText(label.text, Math.min(box.left + box.width + 5, right - ctx.measureText(label.text).width), label.y);
  }
}

// The held-out loss: its points joined by a line, each a dot.
function drawHeldOut({ heldOut }, { ctx, x, y }) {
  if (!heldOut.length) return;
  ctx.strokeStyle = HELD_OUT;
  ctx.fillStyle = HELD_OUT;
  ctx.lineWidth = 2;
  ctx.beginPath();
  heldOut.forEach(([step, loss], i) => (i ? ctx.lineTo(x(step), y(loss)) : ctx.moveTo(x(step), y(loss))));
  ctx.stroke();
  for (const [step, loss] of heldOut) {
    ctx.beginPath();
    ctx.arc(x(step), y(loss), 3.5, 0, 2 * Math.PI);
    ctx.fill();
  }
}

function createLossChart(parent, panel) {
  return createChart(parent, {
    label: "Loss per training step",
    height: 300, // as tall as the attention heatmap beside it, so no blank band is left under it
    yTitle: "loss (nats)",
    padRight: 58,
    // The loss as the low and high edges of a band (one line while every
    // point has its own pixel column), and the smoothed loss.
    series: [
      { stroke: () => theme().muted, width: 1 },
      { stroke: () => theme().muted, width: 1 },
      { stroke: () => theme().accent, width: 2 },
    ],
    bands: [{ series: [2, 1], fill: () => `color-mix(in srgb, ${theme().muted} 55%, transparent)` }],
    xRange: stepRange({ first: 1, minSpan: MIN_X_SPAN }),
    yRange(min, max) {
      const values = references(panel, theme()).map((line) => line.value);
      const [lo, hi] = values.length ? [Math.min(min ?? Infinity, ...values), Math.max(max ?? -Infinity, ...values)] : [min, max];
      return paddedRange(lo, hi, { minMargin: 0.05, floor: 0, fallback: [0, 4] });
    },
    under: (paint) => drawWindowAndReferences(panel, paint),
    over(paint) {
      const colours = theme();
      drawReferenceLabels(paint, references(panel, colours), colours.card);
      drawHeldOut(panel, paint);
      drawLatest(panel, paint);
    },
  });
}

function draw(panel) {
  const { el, series, readout } = panel;
  const n = series.count;
  const last = series.lastLoss();
  const uniform = uniformLoss(panel.vocabSize);
  const { bigram } = panel.counted;
  const stats = panel.stats = windowStats(series);
  el.dataset.points = String(n);
  el.dataset.lastStep = String(series.lastStep());
  el.dataset.latestLoss = last === null ? "" : String(last);
  readout.latest.textContent = last === null ? "-" : `${last.toFixed(4)} (step ${series.lastStep()})`;
  readout.smoothed.textContent = n ? series.lastEma().toFixed(4) : "-";
  readout.window.textContent = stats ? `${stats.min.toFixed(3)} - ${stats.max.toFixed(3)}` : "-";
  readout.reference.textContent = uniform === null ? "-" : `ln(${panel.vocabSize}) = ${uniform.toFixed(3)}`;
  readout.bigram.textContent = bigram ? f4(bigram.loss) : "-";
  readout.heldOutBigram.textContent = bigram?.held_out ? f4(bigram.held_out.loss) : "-";
  readout.heldOutBigram.parentElement.hidden = panel.heldOutBigramLegend.hidden = !bigram?.held_out;
  Object.assign(el.dataset, { uniform: uniform === null ? "" : String(uniform), bigram: bigram ? String(bigram.loss) : "",
                              heldOutBigram: bigram?.held_out ? String(bigram.held_out.loss) : "" });
  const held = panel.heldOut.at(-1);
  el.dataset.heldOutPoints = String(panel.heldOut.length);
  el.dataset.latestHeldOut = held ? String(held[1]) : "";
  readout.heldOut.textContent = held ? `${held[1].toFixed(4)} (step ${held[0]})` : "-";
  readout.heldOut.parentElement.hidden = panel.heldOutLegend.hidden = !held;
  const { steps, low, high, ema } = series.columns(Math.ceil(panel.chart.plotWidth()));
  panel.chart.set([steps, low, high, ema]);
}

export function create(el, { schema, stored = null }) {
  const legend = createLegend([
    ["raw", "loss per step"],
    ["ema", `smoothed (EMA ${EMA_BETA})`],
    ["window", `min-max of the last ${WINDOW} steps`],
    ["ref", "uniform guess ln(vocab size)"],
    ["bigram", "counting bigram: how often each character follows each other one"],
    ["held-out", "held-out loss (documents kept out of training)"],
    ["held-out-bigram", "counting bigram on the held-out documents (add-one)"],
  ]);
  const { readout, fields } = createReadout({
    latest: "latest", smoothed: "smoothed", window: `last ${WINDOW} steps`, reference: "uniform guess",
    bigram: "counting bigram", heldOut: "held-out loss", heldOutBigram: "bigram, held-out",
  });
  const plot = element("div");
  const diverged = element("p", { className: "notice diverged", hidden: true, role: "status" });
  el.append(diverged, plot, legend, readout);
  const items = legend.children;
  const panel = { el, series: createSeries(), vocabSize: 0, stats: null, readout: fields, heldOut: [],
                  heldOutLegend: items[5], heldOutBigramLegend: items[6] };
  panel.counted = shownBigram(stored, () => frame.request()); // the chart's range reads it from the start
  panel.chart = createLossChart(plot, panel);
  const frame = createFrame(() => draw(panel));
  frame.request();

  function push(event) {
    panel.series.push(event.step, event.loss);
    if (panel.heldOut.length && panel.heldOut.at(-1)[0] >= event.step) panel.heldOut = panel.heldOut.filter(([step]) => step < event.step);
    if (typeof event.held_out_loss === "number") panel.heldOut.push([event.step, event.held_out_loss]);
  }

  let shown = null;
  const sayDiverged = (data) => {
    diverged.hidden = !data;
    diverged.textContent = data ? divergedText(data, defaultRateOf(schema)) : "";
    el.dataset.diverged = data ? String(data.step) : "";
  };

  return {
    reset({ session, record, steps }) {
      if (session !== shown || record?.status !== "error") sayDiverged(null);
      shown = session;
      panel.counted.show(session);
      panel.vocabSize = record?.vocab ? record.vocab.length + 1 : 0;
      panel.series.clear();
      panel.heldOut = [];
      for (const event of steps || []) push(event);
      frame.request();
    },
    // A step of the shown session; a repeated or earlier one means it was
    // rewound (reset in another tab): the series drops what follows.
    show(event) {
      push(event);
      frame.request();
    },
    status({ session, status }) {
      if (session === shown && status !== "error") sayDiverged(null);
    },
    engine(message) {
      if (message.type === "error" && message.diverged && message.session === shown) sayDiverged(message.diverged);
    },
    ...frameLifecycle(el, frame, panel.chart),
  };
}
