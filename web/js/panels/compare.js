// Run comparison: tick two or more stored sessions to overlay their smoothed
// loss curves (aligned by step), with the config fields that differ and each
// run's latest samples side by side. Reads stored sessions through
// options.source (listSessions, steps, samples; see app.js) and follows live
// events of the ticked sessions, whichever tab trains them.
//
// The element publishes data-compared (ticked ids, comma-separated),
// data-points (JSON {id: points}) and data-differ (differing fields).
import { createCanvas, theme } from "./canvas.js";
import { createSeries, drawAxes } from "./plot.js";
import { createFrame } from "../draw/frame.js";

const COLORS = ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#db2777"];
const PAD = { left: 46, right: 12, top: 12, bottom: 30 };
const LIST_REFRESH_MS = 1000;
const SAMPLES_SHOWN = 6;
const RELOAD_MS = 400; // longer than the client's write batching (250 ms)

export function create(el, { source }) {
  const picker = document.createElement("fieldset");
  picker.className = "compare-picker";
  const legend = document.createElement("legend");
  legend.textContent = "Runs to compare";
  const choices = document.createElement("div");
  choices.className = "compare-choices";
  picker.append(legend, choices);
  el.append(picker);
  const surface = createCanvas(el, { label: "Smoothed loss of the compared runs by step", height: 220 });
  const hint = document.createElement("p");
  hint.className = "hint";
  const table = document.createElement("table");
  table.className = "compare-table";
  el.append(hint, table);

  const state = {
    sessions: [], // listSessions() records
    ticked: [], // ids, in the order ticked
    runs: new Map(), // id -> {series, samples, loading}
    current: null,
  };
  el.dataset.compared = "";

  const colorOf = (id) => COLORS[state.ticked.indexOf(id) % COLORS.length];

  // ---- data ----------------------------------------------------------------

  let listTimer = 0;
  function refreshList() {
    if (listTimer) return;
    listTimer = setTimeout(async () => {
      listTimer = 0;
      state.sessions = await source.listSessions();
      const known = new Set(state.sessions.map((s) => s.id));
      state.ticked = state.ticked.filter((id) => known.has(id));
      renderChoices();
      frame.request();
    }, LIST_REFRESH_MS);
  }

  // Read a run's stored steps; events arriving meanwhile are held and then
  // appended. A running session's newest steps reach the store a little
  // after their events (the client batches writes), so a gap between the two
  // means reading again a moment later.
  async function load(id) {
    const run = { series: createSeries(), samples: [], loading: true, pending: [] };
    state.runs.set(id, run);
    const [steps, samples] = await Promise.all([source.steps(id), source.samples(id)]);
    if (state.runs.get(id) !== run) return;
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
    frame.request();
  }

  function reloadSoon(id) {
    const run = state.runs.get(id);
    if (run.reload) return;
    run.reload = setTimeout(() => {
      if (state.runs.get(id) === run) load(id);
    }, RELOAD_MS);
  }

  function tick(id, on) {
    state.ticked = state.ticked.filter((x) => x !== id);
    if (on) {
      state.ticked.push(id);
      if (!state.runs.has(id)) load(id);
    } else {
      state.runs.delete(id);
    }
    renderChoices();
    frame.request();
  }

  // A step of a ticked run: append it. A step at or before the last one
  // means the run was reset: its curve starts again; a gap (steps this panel
  // did not see) means reading the stored steps again.
  function addEvent(id, event) {
    const run = state.runs.get(id);
    if (!run) return;
    if (run.loading) {
      run.pending.push(event);
      return;
    }
    if (run.reload) return;
    if (event.step > run.series.lastStep() + 1) {
      reloadSoon(id);
      return;
    }
    if (event.step <= run.series.lastStep()) run.series.rewind(event.step);
    run.series.push(event.step, event.loss);
    frame.request();
  }

  // ---- drawing --------------------------------------------------------------

  function renderChoices() {
    choices.replaceChildren();
    for (const session of state.sessions) {
      const label = document.createElement("label");
      label.className = "compare-choice";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = session.id;
      box.checked = state.ticked.includes(session.id);
      box.addEventListener("change", () => tick(session.id, box.checked));
      const swatch = document.createElement("span");
      swatch.className = "compare-swatch";
      swatch.style.background = box.checked ? colorOf(session.id) : "transparent";
      label.append(box, swatch, session.id);
      choices.append(label);
    }
    if (!state.sessions.length) choices.textContent = "No sessions yet.";
  }

  function configDifferences(runs) {
    const fields = Object.keys(runs[0].config || {});
    return fields.filter((name) => runs.some((r) => r.config[name] !== runs[0].config[name]));
  }

  // The table as rows of text; rebuilt only when some text changed (it is
  // drawn with the curves, up to once per frame during a run).
  let shownTable = "";
  function renderTable(records) {
    const rows = [];
    const differ = records.length >= 2 ? configDifferences(records) : [];
    el.dataset.differ = differ.join(",");
    if (records.length >= 2) {
      for (const name of differ) rows.push([name, records.map((r) => String(r.config[name]))]);
      rows.push(["dataset", records.map((r) => r.dataset_name || "-")]);
      rows.push(["steps", records.map((r) => `${r.step} / ${r.num_steps}`)]);
      rows.push(["smoothed loss", records.map((r) => {
        const series = state.runs.get(r.id)?.series;
        return series && series.count ? series.ema()[series.count - 1].toFixed(4) : "-";
      })]);
      rows.push(["latest samples", records.map((r) => {
        const batches = state.runs.get(r.id)?.samples || [];
        const latest = batches[batches.length - 1];
        return latest ? `${latest.samples.slice(0, SAMPLES_SHOWN).join(", ")} (step ${latest.step})` : "none yet";
      })]);
    }
    const key = JSON.stringify([records.map((r) => r.id), rows]);
    if (key === shownTable) return;
    shownTable = key;
    table.replaceChildren();
    if (!rows.length) return;
    const head = table.createTHead().insertRow();
    head.append(document.createElement("th"));
    for (const record of records) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = record.id;
      th.style.borderBottomColor = colorOf(record.id);
      head.append(th);
    }
    const body = table.createTBody();
    for (const [label, cells] of rows) {
      const tr = body.insertRow();
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = label;
      tr.append(th);
      for (const cell of cells) tr.insertCell().textContent = cell;
    }
  }

  function draw() {
    const records = state.ticked.map((id) => state.sessions.find((s) => s.id === id)).filter(Boolean);
    el.dataset.compared = records.map((r) => r.id).join(",");
    el.dataset.points = JSON.stringify(Object.fromEntries(records.map((r) => [r.id, state.runs.get(r.id)?.series.count ?? 0])));
    hint.textContent = records.length < 2 ? "Tick two or more runs to overlay their smoothed loss." : "";
    renderTable(records);

    if (!surface.fit()) return;
    const { ctx, size } = surface;
    const colors = theme();
    const plot = { x: PAD.left, y: PAD.top, w: Math.max(10, size.width - PAD.left - PAD.right),
                   h: Math.max(10, size.height - PAD.top - PAD.bottom) };
    const runs = records.map((r) => ({ id: r.id, series: state.runs.get(r.id)?.series })).filter((r) => r.series?.count);
    let x1 = 10;
    let lo = Infinity;
    let hi = -Infinity;
    for (const { series } of runs) {
      x1 = Math.max(x1, series.lastStep());
      const ema = series.ema();
      for (let i = 0; i < series.count; i += 1) {
        lo = Math.min(lo, ema[i]);
        hi = Math.max(hi, ema[i]);
      }
    }
    if (!Number.isFinite(lo)) [lo, hi] = [0, 4];
    const margin = Math.max(0.05, (hi - lo) * 0.06);
    lo = Math.max(0, lo - margin);
    hi += margin;
    const x0 = 1;
    const sx = (step) => plot.x + ((step - x0) / (x1 - x0)) * plot.w;
    const sy = (value) => plot.y + (1 - (value - lo) / (hi - lo)) * plot.h;
    drawAxes(ctx, plot, { x0, x1, lo, hi, sx, sy }, colors, "smoothed loss");

    ctx.save();
    ctx.beginPath();
    ctx.rect(plot.x, plot.y, plot.w, plot.h);
    ctx.clip();
    ctx.lineWidth = 2;
    for (const { id, series } of runs) {
      // At most one vertex per pixel column: a 10,000-step run draws like a short one.
      const steps = series.steps();
      const ema = series.ema();
      ctx.strokeStyle = colorOf(id);
      ctx.beginPath();
      let lastX = -Infinity;
      for (let i = 0; i < series.count; i += 1) {
        const x = sx(steps[i]);
        if (x - lastX < 1 && i < series.count - 1) continue;
        ctx.lineTo(x, sy(ema[i]));
        lastX = x;
      }
      ctx.stroke();
    }
    ctx.restore();
  }

  const frame = createFrame(draw);
  renderChoices();
  refreshList();

  return {
    update(message) {
      switch (message.type) {
        case "session":
          // The first two sessions shown are ticked, so a second run is
          // compared with the first at once; after that the learner picks.
          if (message.session !== "recording" && message.session !== state.current && !message.travel) {
            state.current = message.session;
            if (!state.ticked.includes(message.session) && state.ticked.length < 2) tick(message.session, true);
          }
          refreshList();
          break;
        case "event":
          addEvent(message.session, message.event);
          break;
        case "sessions":
        case "status":
          refreshList();
          break;
        case "sample": {
          const run = state.runs.get(message.session);
          if (run) {
            run.samples.push(message.result);
            frame.request();
          }
          break;
        }
        default:
      }
    },
    resize() {
      frame.request();
    },
    destroy() {
      clearTimeout(listTimer);
      frame.cancel();
      el.replaceChildren();
    },
  };
}
