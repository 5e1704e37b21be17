// Run comparison: tick two or more stored sessions to overlay their smoothed
// loss curves (aligned by step), with the config fields that differ and each
// run's latest samples side by side. Hears the sessions list (list), reads
// a ticked run's stored steps through the `stored` option ({steps, samples})
// and follows every session's events and samples (all(message)), whichever
// tab trains them.
//
// The chart has the loss panel's two reference lines, for each compared
// run's data (draw/references.js; one line for runs on the same data): the
// uniform guess ln(vocab size) and the counting bigram's loss (the engine's
// Session.bigram, read once per run through stored.bigram), and the table
// says when each run's smoothed loss first went below that bigram line and
// its mean loss over its last steps. The rungs of the model ladder, trained
// from one action, come ticked together (compare(ids)).
//
// A run that blew up (status "error") does not set the scale: the chart is
// scaled to the healthy runs, the diverged one's curve leaves it at the top,
// and a line under the chart says which run left it and how high it went.
// aligned() and createRuns() also draw the lessons' rung charts
// (lessons/rung-chart.js).
//
// Configs are compared with every field of the schema: a session saved
// before a field existed has its default (draw/names.js withDefaults).
//
// The element publishes data-compared (ticked ids, comma-separated),
// data-points (JSON {id: points}), data-differ (differing fields), data-left
// (the ids of runs that left the chart), data-y-top (the scale's top) and
// data-references (JSON [{kind: "uniform" | "bigram", value, runs: [names]}]).
import { createChart, paddedRange, stepRange } from "../draw/chart.js";
import { RUNS, theme } from "../draw/colours.js";
import { element } from "../draw/dom.js";
import { createFrame, frameLifecycle } from "../draw/frame.js";
import { configDifferences, sessionNames, withDefaults } from "../draw/names.js";
import { DASH, distinctLines, drawReferenceLabels, drawReferenceLines, uniformLoss } from "../draw/references.js";
import { createSeries } from "../draw/series.js";
import { datasetOf, datasetTitle } from "../sessions/dataset-kind.js";

const MAX_LINES = 12; // runs drawn at once (the palette repeats after six)
const SAMPLES_SHOWN = 6;
const RELOAD_MS = 400; // longer than the sessions' write batching (250 ms)
const TAIL = 100; // the last steps whose mean loss the table gives

// The runs' smoothed losses on one x grid for the chart: every step up to the
// last one shown, or every `stride`-th when there are more steps than pixel
// columns, and each run's last step (each run shows its value at or before
// each grid step; null after its last). runs: series or null, one per line.
export function aligned(runs, columns) {
  const ends = runs.filter((run) => run?.count).map((run) => run.lastStep());
  const last = Math.max(1, ...ends);
  const stride = Math.max(1, Math.ceil(last / Math.max(1, columns)));
  const grid = new Set(ends);
  for (let x = 1; x < last; x += stride) grid.add(x);
  const xs = [...grid].sort((a, b) => a - b);
  const ys = runs.map((run) => {
    const y = new Array(xs.length).fill(null);
    if (!run?.count) return y;
    const [steps, ema] = [run.steps(), run.ema()];
    let i = -1;
    xs.forEach((x, k) => {
      while (i + 1 < steps.length && steps[i + 1] <= x) i += 1;
      if (i >= 0 && x <= steps[steps.length - 1]) y[k] = ema[i];
    });
    return y;
  });
  return [xs, ...ys];
}

// The ticked runs' data: each run's loss series and sample batches, read
// from the store, then followed through live events. changed() asks for a redraw.
export function createRuns(stored, changed) {
  const runs = new Map(); // id -> {series, samples, loading, pending, reload}
  const bigrams = new Map(); // id -> {uniform, loss} of its counting bigram (asked once: it never changes)

  // Events arriving while the stored steps are read are held and then
  // appended. A running session's newest steps reach the store a little
  // after their events (writes are batched), so a gap between the two
  // means reading again a moment later; so does a run that stopped with
  // its curve behind its step (it ended before its last steps were stored
  // and read, and no event will come to show the gap: known()).
  async function load(id) {
    const run = { series: createSeries(), samples: [], loading: true, pending: [], reload: 0 };
    runs.set(id, run);
    if (!bigrams.has(id)) countBigram(id);
    const [steps, samples] = await Promise.all([stored.steps(id), stored.samples(id)]);
    if (runs.get(id) !== run) return;
    for (const event of steps) run.series.push(event.step, event.loss);
    run.samples = samples;
    run.loading = false;
    for (const event of run.pending.splice(0)) {
      if (event.step <= run.series.lastStep()) continue;
      if (event.step > run.series.lastStep() + 1) {
        reloadSoon(id);
        break;
      }
      run.series.push(event.step, event.loss);
    }
    changed();
  }

  // The run's counting bigram (the same for all its steps): its loss and its vocabulary's uniform guess.
  function countBigram(id) {
    bigrams.set(id, { uniform: null, loss: null });
    stored.bigram?.(id).then((bigram) => {
      if (bigram) bigrams.set(id, { uniform: uniformLoss(bigram.rows.length), loss: bigram.loss });
      else bigrams.delete(id);
      if (runs.has(id)) changed();
    }, () => bigrams.delete(id)); // compared without its lines; asked again when ticked again
  }

  function reloadSoon(id) {
    const run = runs.get(id);
    if (run.reload) return;
    run.reload = setTimeout(() => {
      if (runs.get(id) === run) load(id);
    }, RELOAD_MS);
  }

  return {
    get: (id) => runs.get(id),
    bigram: (id) => bigrams.get(id),
    open(id) {
      if (!runs.has(id)) load(id);
    },
    // The run's owner says it has taken `step` steps and is not running.
    known(id, step) {
      const run = runs.get(id);
      if (run && !run.loading && step > run.series.lastStep()) reloadSoon(id);
    },
    close(id) {
      clearTimeout(runs.get(id)?.reload);
      runs.delete(id);
    },
    // A step of a run: appended. A step at or before the last one means the
    // run was reset: its curve starts again; a gap (steps not seen here)
    // means reading the stored steps again.
    event(id, event) {
      const run = runs.get(id);
      if (!run || run.reload) return;
      if (run.loading) run.pending.push(event);
      else if (event.step > run.series.lastStep() + 1) reloadSoon(id);
      else {
        run.series.push(event.step, event.loss);
        changed();
      }
    },
    sample(id, batch) {
      const run = runs.get(id);
      if (!run) return;
      run.samples.push(batch);
      changed();
    },
  };
}

function createDom(el) {
  const choices = element("div", { className: "compare-choices" });
  const picker = element("fieldset", { className: "compare-picker" }, element("legend", {}, "Runs to compare"), choices);
  const plotBox = element("div");
  const hint = element("p", { className: "hint" });
  const left = element("p", { className: "hint compare-left" });
  const table = element("table", { className: "compare-table" });
  // Many runs make a wide table: it scrolls sideways in its own box (a tab stop, so the keyboard can too).
  const tableBox = element("div", { className: "compare-table-box", tabIndex: 0, role: "region",
                                    "aria-label": "The compared runs side by side" }, table);
  el.append(picker, plotBox, left, hint, tableBox);
  const chart = createChart(plotBox, {
    label: "Smoothed loss of the compared runs by step",
    height: 280, // five rungs overlaid, close together: room to tell them apart
    yTitle: "smoothed loss",
    series: Array.from({ length: MAX_LINES }, (_, k) => ({ stroke: RUNS[k % RUNS.length], width: 2 })),
    xRange: stepRange({ first: 1, minSpan: 9 }),
    // The healthy runs' range when a diverged run would flatten them (cap: draw()), and the reference lines.
    yRange: (min, max) => {
      const values = scale.references.map((line) => line.value);
      const lo = Math.min(min ?? Infinity, ...values);
      const hi = Math.max(Math.min(max ?? -Infinity, scale.cap ?? Infinity), ...values);
      const range = paddedRange(lo, hi, { minMargin: 0.05, floor: 0, fallback: [0, 4] });
      el.dataset.yTop = String(range[1]); // when the chart computes it, which may be after draw() has set the data
      return range;
    },
    under: (paint) => drawReferenceLines(paint, scale.references),
    over: (paint) => drawReferenceLabels(paint, scale.references, theme().card),
  });
  const scale = { cap: null, references: [] };
  return { choices, hint, left, table, chart, scale };
}

// The reference lines of the compared runs ({name, uniform, loss}): one per
// value, so runs on the same data share theirs; when runs differ, each line
// names its runs.
function referenceLines(runs) {
  const colours = theme();
  const kinds = [
    ["uniform", "uniform", "uniform guess", colours.warn],
    ["bigram", "loss", "counting bigram", colours.ink],
  ];
  return kinds.flatMap(([kind, key, text, colour]) => {
    const lines = distinctLines(runs, key);
    return lines.map((line) => ({
      kind, value: line.value, runs: line.runs, colour, dash: DASH[kind],
      label: `${text} ${line.value.toFixed(2)}${lines.length > 1 ? ` (${line.runs.join(", ")})` : ""}`,
    }));
  });
}

// Whether the runs train on the same documents in the same order: the same
// data, seed and held-out share (the shuffle and the split are the seed's).
function sameDocuments(records, fields) {
  const keys = records.map((r) => {
    const config = withDefaults(r.config, fields);
    const { kind, name } = datasetOf(r);
    return JSON.stringify([kind, name, config.seed, config.held_out]);
  });
  return keys.every((key) => key === keys[0]);
}

const SAME_DOCUMENTS = "These runs train on the same documents in the same order (the same data and seed): their "
  + "curves rise and fall together with the documents, and the gaps between the curves are the models' doing.";

// One checkbox per stored session, with its run's colour when ticked.
function renderChoices({ choices }, { sessions, ticked, names }, onTick) {
  choices.replaceChildren(...sessions.map((session) => {
    const box = element("input", { type: "checkbox", value: session.id, checked: ticked.includes(session.id) });
    box.addEventListener("change", () => onTick(session.id, box.checked));
    const swatch = element("span", { className: "compare-swatch" });
    swatch.style.background = box.checked ? runColour(ticked, session.id) : "transparent";
    return element("label", { className: "compare-choice" }, box, swatch, names.get(session.id) ?? session.id);
  }));
  if (!sessions.length) choices.textContent = "No sessions yet.";
}

const runColour = (ticked, id) => RUNS[ticked.indexOf(id) % RUNS.length];

function tableRows(records, runs, fields) {
  if (records.length < 2) return [];
  const configs = records.map((r) => withDefaults(r.config, fields));
  const rows = configDifferences(configs, fields).map((name) => [name, configs.map((config) => String(config[name]))]);
  rows.push(["dataset", records.map((r) => datasetTitle(datasetOf(r)) || "-")]);
  rows.push(["steps", records.map((r) => `${r.step} / ${r.num_steps}`)]);
  const f4 = (x) => (typeof x === "number" ? x.toFixed(4) : "-");
  rows.push(["smoothed loss", records.map((r) => f4(runs.get(r.id)?.series.lastEma()))]);
  rows.push([`mean loss, last ${TAIL} steps`, records.map((r) => {
    const series = runs.get(r.id)?.series;
    const mean = f4(series?.meanOfLast(TAIL));
    return series && series.count < TAIL && series.count ? `${mean} (all ${series.count})` : mean;
  })]);
  rows.push(["counting bigram", records.map((r) => f4(runs.bigram(r.id)?.loss))]);
  rows.push(["smoothed loss first below it", records.map((r) => {
    const [run, line] = [runs.get(r.id), runs.bigram(r.id)?.loss];
    if (!run || typeof line !== "number") return "-";
    const step = run.series.firstBelow(line);
    return step === null ? "not yet" : `step ${step}`;
  })]);
  rows.push(["latest samples", records.map((r) => {
    const latest = (runs.get(r.id)?.samples || []).at(-1);
    return latest ? `${latest.samples.slice(0, SAMPLES_SHOWN).join(", ")} (step ${latest.step})` : "none yet";
  })]);
  return rows;
}

function renderTable(table, records, rows, { ticked, names }) {
  table.replaceChildren();
  if (!rows.length) return;
  const head = table.createTHead().insertRow();
  head.append(element("th", { scope: "col", textContent: "Run" }));
  for (const record of records) {
    const th = element("th", { scope: "col", textContent: names.get(record.id) ?? record.id });
    th.style.borderBottomColor = runColour(ticked, record.id);
    head.append(th);
  }
  const body = table.createTBody();
  for (const [label, cells] of rows) {
    const tr = body.insertRow();
    tr.append(element("th", { scope: "row", textContent: label }));
    for (const cell of cells) tr.insertCell().textContent = cell;
  }
}

function draw(el, dom, state, runs) {
  const records = state.ticked.map((id) => state.sessions.find((s) => s.id === id)).filter(Boolean);
  el.dataset.compared = records.map((r) => r.id).join(",");
  el.dataset.points = JSON.stringify(Object.fromEntries(records.map((r) => [r.id, runs.get(r.id)?.series.count ?? 0])));
  el.dataset.differ = records.length >= 2 ? configDifferences(records.map((r) => r.config), state.fields).join(",") : "";
  dom.hint.textContent = records.length < 2 ? "Tick two or more runs to overlay their smoothed loss."
    : sameDocuments(records, state.fields) ? SAME_DOCUMENTS : "";
  // The table is drawn with the curves, up to once per frame during a run:
  // rebuilt only when some text changed.
  const rows = tableRows(records, runs, state.fields);
  const key = JSON.stringify([records.map((r) => [r.id, state.names.get(r.id)]), rows]);
  if (key !== state.shownTable) renderTable(dom.table, records, rows, state);
  state.shownTable = key;
  // Ticked run k on line k, in its colour.
  const lines = Array.from({ length: MAX_LINES }, (_, k) => runs.get(state.ticked[k])?.series ?? null);
  const data = aligned(lines, dom.chart.plotWidth());
  const highest = (k) => data[k + 1].reduce((most, y) => (y === null ? most : Math.max(most, y)), -Infinity);
  const line = (record) => state.ticked.indexOf(record.id);
  const healthy = records.filter((r) => r.status !== "error").map(line);
  const cap = healthy.length && healthy.length < records.length ? Math.max(...healthy.map(highest)) : null;
  const gone = cap === null ? [] : records.filter((r) => r.status === "error" && highest(line(r)) > cap);
  dom.scale.cap = cap;
  dom.scale.references = referenceLines(records.map((r) => ({ name: state.names.get(r.id) ?? r.id, ...runs.bigram(r.id) })));
  el.dataset.references = JSON.stringify(dom.scale.references.map(({ kind, value, runs: names }) => ({ kind, value, runs: names })));
  dom.left.textContent = gone.map((r) => `“${state.names.get(r.id) ?? r.id}” left the chart: it blew up, its smoothed loss `
    + `reaching ${highest(line(r)).toFixed(1)}; the chart is scaled to the other runs.`).join(" ");
  el.dataset.left = gone.map((r) => r.id).join(",");
  dom.chart.set(data);
}

export function create(el, { schema, stored }) {
  const dom = createDom(el);
  // sessions: the list; names: their names (draw/names.js); ticked: ids in order
  const state = { sessions: [], names: new Map(), ticked: [], current: null, shownTable: "", fields: schema.config };
  const frame = createFrame(() => draw(el, dom, state, runs));
  const runs = createRuns(stored, () => frame.request());
  el.dataset.compared = "";

  function tick(id, on) {
    state.ticked = state.ticked.filter((x) => x !== id);
    if (on) {
      state.ticked.push(id);
      runs.open(id);
    } else {
      runs.close(id);
    }
    renderChoices(dom, state, tick);
    frame.request();
  }

  renderChoices(dom, state, tick);
  return {
    // The first two sessions shown are ticked, so a second run is compared
    // with the first at once; after that the learner picks.
    reset({ session, travel }) {
      if (session && session !== state.current && travel == null) {
        state.current = session;
        if (!state.ticked.includes(session) && state.ticked.length < 2) tick(session, true);
      }
    },
    // The checkboxes are rebuilt only when the sessions change, not at every
    // refresh of their steps (a focused checkbox keeps its focus).
    list(sessions) {
      const names = sessionNames(sessions, schema.config);
      const key = (list, named) => list.map((s) => `${s.id}=${named.get(s.id)}`).join();
      const changed = key(sessions, names) !== key(state.sessions, state.names);
      Object.assign(state, { sessions, names });
      state.ticked = state.ticked.filter((id) => sessions.some((s) => s.id === id));
      for (const s of sessions) if (state.ticked.includes(s.id) && s.status !== "running") runs.known(s.id, s.step);
      if (changed) renderChoices(dom, state, tick);
      frame.request();
    },
    // Compare exactly these runs, in this order (the model ladder's rungs, a sweep's sessions).
    compare(ids) {
      const wanted = ids.slice(0, MAX_LINES);
      for (const id of state.ticked) if (!wanted.includes(id)) runs.close(id);
      for (const id of wanted) if (!state.ticked.includes(id)) runs.open(id);
      state.ticked = wanted;
      renderChoices(dom, state, tick);
      frame.request();
    },
    all(message) {
      if (message.type === "event") runs.event(message.session, message.event);
      else if (message.type === "sample") runs.sample(message.session, message.result);
    },
    ...frameLifecycle(el, frame, dom.chart),
  };
}
