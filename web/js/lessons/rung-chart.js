// Rungs overlaid: the smoothed loss of each rung's session by step (read
// from the store, then followed live, as Compare runs does), with the
// uniform guess and the counting bigram as reference lines, both numbers
// from the engine. The chapter's own rung has its Train / Pause button.
//
//   const chart = createRungChart(ctx, { keys: ["bigram", "one-head"], own: "one-head" });   // the engine's rung ids
//   parent.append(chart.el); chart.hear(message); chart.final(key) -> {step, num_steps, loss} | null
//
// The element publishes data-rungs (JSON {key: {id, step, num_steps,
// status, loss, mean}}), data-uniform and data-bigram, which the tests read.
import { createChart, paddedRange, stepRange } from "../draw/chart.js";
import { RUNS, theme } from "../draw/colours.js";
import { element } from "../draw/dom.js";
import { createFrame } from "../draw/frame.js";
import { DASH, drawReferenceLabels, drawReferenceLines } from "../draw/references.js";
import { aligned, createRuns } from "../panels/compare.js";

const format = (loss) => (loss === null || loss === undefined ? "-" : loss.toFixed(3));
// A rung's loss as the questions read it: the mean of its last LAST_STEPS
// step losses (the smoothed line moves by a tenth from one name to the next;
// the learning rate has decayed to almost nothing by then).
export const LAST_STEPS = 200;

function lastMean(series) {
  if (!series?.count) return null;
  const losses = series.loss();
  const last = losses.subarray(Math.max(0, losses.length - LAST_STEPS));
  return last.reduce((a, b) => a + b, 0) / last.length;
}

// The engine's two reference lines: {uniform, bigram}; bigram is null where
// the engine has no counting bigram.
export async function referenceLines(engine) {
  const [tokens, bigram] = await Promise.all([
    engine.askData("tokens", { text: "" }),
    engine.askData("bigram").catch(() => null),
  ]);
  return { uniform: tokens.uniform_loss, bigram: bigram ? bigram.loss : null };
}

// The two lines as the lab's charts draw them (draw/references.js).
function references(lines) {
  const colours = theme();
  return [["uniform", "uniform guess", colours.warn], ["bigram", "counting bigram", colours.ink]]
    .filter(([kind]) => Number.isFinite(lines[kind]))
    .map(([kind, text, colour]) => ({ value: lines[kind], label: `${text} ${lines[kind].toFixed(2)}`, colour, dash: DASH[kind] }));
}

export function createRungChart(ctx, { keys, own = null }) {
  const { sessions, rungs, engine } = ctx;
  const button = element("button", { type: "button" });
  const note = element("p", { className: "rung-note", "aria-live": "polite" });
  const controls = element("div", { className: "rung-controls" }, ...(own ? [button] : []), note);
  const plot = element("div", { className: "rung-plot" });
  const legend = element("ul", { className: "rung-legend" });
  const el = element("div", { className: "rung-chart" }, controls, plot, legend);

  const lines = { uniform: null, bigram: null };
  const states = new Map(); // key -> {id, step, num_steps, status}
  let destroyed = false; // the chapter was left: answers still on their way change nothing
  const chart = createChart(plot, {
    label: `Smoothed loss by step of ${keys.map(rungs.title).join(" and ")}, with the uniform guess and the counting bigram`,
    height: 220,
    yTitle: "smoothed loss",
    series: keys.map((key, k) => ({ stroke: RUNS[k % RUNS.length], width: 2 })),
    xRange: stepRange({ first: 1, minSpan: 9 }),
    yRange(min, max) { // the lines' and the reference lines' values in view
      const values = [min, max, lines.uniform, lines.bigram].filter(Number.isFinite);
      return paddedRange(Math.min(...values), Math.max(...values), { minMargin: 0.05, floor: 0, fallback: [2, 3.5] });
    },
    under: (paint) => drawReferenceLines(paint, references(lines)),
    over: (paint) => drawReferenceLabels(paint, references(lines), theme().card),
  });
  const frame = createFrame(draw);
  const runs = createRuns({ steps: (id) => sessions.steps(id), samples: async () => [] }, () => frame.request());

  function series(key) {
    const id = states.get(key)?.id;
    return id ? runs.get(id)?.series ?? null : null;
  }

  function draw() {
    if (destroyed) return;
    chart.set(aligned(keys.map(series), chart.plotWidth()));
    legend.replaceChildren(...keys.map((key, k) => {
      const swatch = element("span", { className: "rung-swatch" });
      swatch.style.background = RUNS[k % RUNS.length];
      const state = states.get(key);
      const loss = series(key)?.lastEma();
      const mean = lastMean(series(key));
      const where = !state ? "not trained yet" : `step ${state.step} of ${state.num_steps}, smoothed loss ${format(loss)}`
        + (state.step >= LAST_STEPS ? `, mean of its last ${LAST_STEPS} steps ${format(mean)}` : "");
      return element("li", {}, swatch, `${rungs.title(key)}, ${rungs.learns(key)}: ${where}`);
    }));
    el.dataset.rungs = JSON.stringify(Object.fromEntries(keys.map((key) => [key, states.has(key)
      ? { ...states.get(key), loss: series(key)?.lastEma() ?? null, mean: lastMean(series(key)) } : null])));
    el.dataset.uniform = lines.uniform ?? "";
    el.dataset.bigram = lines.bigram ?? "";
    if (own) drawButton();
  }

  function drawButton() {
    const state = states.get(own);
    const name = rungs.title(own);
    button.disabled = state?.step >= state?.num_steps;
    button.textContent = state?.status === "running" ? "Pause"
      : !state || state.step === 0 ? `Train ${name}`
      : state.step >= state.num_steps ? `${name}: trained` : `Go on training ${name}`;
  }

  async function refresh() {
    if (destroyed) return;
    for (const key of keys) {
      const found = await rungs.find(key);
      if (!found) {
        states.delete(key);
        continue;
      }
      const { id, step, num_steps: numSteps, status } = found;
      if (states.get(key)?.id !== id) runs.open(id);
      else if (status !== "running") runs.known(id, step);
      states.set(key, { id, step, num_steps: numSteps, status });
    }
    if (destroyed) return;
    frame.request();
    ctx.changed?.(); // the chapter's question may have its answer now
  }

  button.addEventListener("click", async () => {
    note.textContent = "";
    try {
      if (states.get(own)?.status === "running") await rungs.pause(own);
      else await rungs.train(own);
    } catch (error) {
      note.textContent = error.message;
    }
    refresh();
  });

  refresh();
  referenceLines(engine).then((found) => {
    if (destroyed) return;
    Object.assign(lines, found);
    chart.redraw();
    frame.request();
  }, (error) => {
    note.textContent = `The reference lines could not be computed: ${error.message}`;
  });

  return {
    el,
    refresh,
    hear(message) {
      const mine = [...states.values()].some((state) => state.id === message.session);
      if (message.type === "event" && mine) {
        runs.event(message.session, message.event);
        for (const state of states.values()) if (state.id === message.session) state.step = message.event.step;
      }
      if (message.type === "status" || message.type === "list") refresh();
      if (message.type === "error" && mine) note.textContent = message.error;
    },
    // Where a rung stands, its last smoothed loss and the mean of its last steps; null without a session.
    final(key) {
      const state = states.get(key);
      return state ? { ...state, loss: series(key)?.lastEma() ?? null, mean: lastMean(series(key)) } : null;
    },
    lines,
    destroy() {
      destroyed = true;
      frame.cancel();
      chart.destroy();
      for (const state of states.values()) runs.close(state.id);
    },
  };
}
