// The page: wires the form, the buttons, the shortcuts and the views to the
// lab client. All state lives in createApp's closure.
import { createLabClient } from "./lab-client.js";
import { openStore } from "./store.js";
import { SESSION_STATUS, SW_ACTIVATE_IF_ALONE } from "./protocol.js";
import { SHARED_DATASETS, createSettings } from "./settings.js";
import * as datasets from "./dataset.js";
import { TraceFileError, readTraceFile } from "./trace-file.js";
import { createPanels } from "./panels/registry.js";
import * as progressView from "./views/progress.js";
import * as sessionsView from "./views/sessions.js";
import * as samplesView from "./views/samples.js";
import * as timelineView from "./views/timeline.js";
import * as attentionPanel from "./panels/attention.js";
import * as probsPanel from "./panels/probs.js";
import * as samplesPanel from "./panels/samples-panel.js";
import * as helpDialog from "./help.js";
import * as lossPanel from "./panels/loss.js";
import * as graphPanel from "./panels/graph.js";
import * as inspectorPanel from "./panels/inspector.js";
import * as embeddingsPanel from "./panels/embeddings.js";
import * as probePanel from "./panels/probe.js";
import * as consolePanel from "./panels/console.js";
import * as comparePanel from "./panels/compare.js";
import { playRecording } from "./panels/recording.js";

const MAKEMORE_URL = "https://raw.githubusercontent.com/karpathy/makemore/master/names.txt";
const NUM_SAMPLES = 10;
const KEEP_EVENTS = 50;

// Panels plug in here: [name, module, options]. Each module exports
// create(el, options) -> {update(message), resize(), destroy()}. Every panel
// also gets options.source: reads of the live model (see panels/live.js) and
// of stored sessions.
const PANELS = [
  ["loss", lossPanel, { title: "Loss" }],
  ["attention", attentionPanel, { title: "Attention" }],
  ["graph", graphPanel, { title: "Graph pulse" }],
  ["probs", probsPanel, { title: "Next-token probabilities" }],
  ["inspector", inspectorPanel, { title: "Parameters and gradients" }],
  ["embeddings", embeddingsPanel, { title: "Embedding map" }],
  ["probe", probePanel, { title: "Probe a context" }],
  ["console", consolePanel, { title: "Python console" }],
  ["compare", comparePanel, { title: "Compare runs" }],
];

const ADOPT_ATTEMPTS = 6; // asking a waiting new version to take over, 250 ms apart
const ADOPT_RETRY_MS = 250;

const $ = (selector) => document.querySelector(selector);

function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("sw.js").catch((error) => console.warn("service worker:", error.message));
}

// A new version that waits takes over when this page, just opened and not
// running anything yet, is the only one (see sw.js); returns true when the
// page is about to reload into it. Right after a reload the previous document
// of this tab may still count as a window for a moment, so a "not alone" is
// asked again a few times before this page carries on with the old version.
async function adoptWaitingVersion() {
  if (!("serviceWorker" in navigator) || !navigator.serviceWorker.controller) return false;
  const registration = await navigator.serviceWorker.getRegistration();
  if (!registration || !registration.waiting) return false;
  const container = navigator.serviceWorker;
  const changed = new Promise((resolve) => container.addEventListener("controllerchange", resolve, { once: true }));
  container.startMessages();
  const askAlone = (waiting) => new Promise((resolve) => {
    const onMessage = ({ data }) => {
      if (!data || data.type !== SW_ACTIVATE_IF_ALONE) return;
      container.removeEventListener("message", onMessage);
      resolve(data.alone);
    };
    container.addEventListener("message", onMessage);
    setTimeout(resolve, 2000, false); // no answer: carry on with this version
    waiting.postMessage({ type: SW_ACTIVATE_IF_ALONE });
  });
  for (let attempt = 0; attempt < ADOPT_ATTEMPTS; attempt += 1) {
    if (!registration.waiting) return false;
    if (await askAlone(registration.waiting)) {
      await changed;
      location.reload();
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, ADOPT_RETRY_MS));
  }
  return false;
}

// The step whose full instrumentation (attention, probabilities, graph) a
// panel shows for these steps: the last one recorded at the full level.
function latestDetail(steps) {
  for (let i = steps.length - 1; i >= 0; i--) if (steps[i].attention) return steps[i].step;
  return null;
}

// One line about a session: its data, vocabulary and model size.
function describeSession(record) {
  const parts = [record.dataset_name || "dataset", `${(record.num_docs ?? 0).toLocaleString("en")} documents`];
  if (record.vocab) parts.push(`vocabulary ${record.vocab.length} + BOS: ${record.vocab.join("")}`);
  if (record.num_params) parts.push(`${record.num_params.toLocaleString("en")} parameters`);
  if (record.status === SESSION_STATUS.IMPORTED) parts.push("read-only");
  return parts.join(" · ");
}

async function createApp() {
  if (await adoptWaitingVersion()) return null;
  // The engine worker starts first: Python boots while the page builds.
  // Storage trouble (no IndexedDB, quota) never stops the lab: the store
  // carries on in memory and the notice says what is not being saved.
  const storageNotice = $("#storage-notice");
  const store = openStore(undefined, {
    onProblem: (message) => {
      storageNotice.textContent = message;
      storageNotice.hidden = false;
    },
  });
  const client = createLabClient({ workerUrl: new URL("./worker.js", import.meta.url), store });
  // The service worker precaches the whole site (20 MB): registered once
  // Python is up, so that its downloads do not compete with the boot.
  client.ready.then(registerServiceWorker, registerServiceWorker);

  const statusEl = $("#status");
  const errorEl = $("#form-error");
  const datasetInfo = $("#dataset-info");
  const datasetPreview = $("#dataset-preview");
  const fileInput = $("#dataset-file");
  const pasteInput = $("#dataset-text");
  const traceInput = $("#trace-file");
  const sessionInfo = $("#session-info");
  const buttons = Object.fromEntries([...document.querySelectorAll("[data-action]")].map((b) => [b.dataset.action, b]));

  const settings = createSettings($("#config-fields"));
  const shared = settings.readUrl();
  const progress = progressView.create($("#progress-view"));
  const samples = samplesView.create($("#samples-view"));
  const sampleTemperature = samplesPanel.create($("#sample-controls"));
  const help = helpDialog.create();
  const sessionsList = sessionsView.create($("#sessions-view"), { onSelect: (id) => select(id) });
  const timeline = timelineView.create($("#timeline-view"), { onTravel: (step) => travel(step) });
  const panels = createPanels($("#panels"));
  // The model's probes (lab-client.js), for the session shown only: null for
  // any other (the recording has no model behind it). During time travel the
  // read-only probes look at the model rebuilt at the step shown; the console
  // always runs on the live one.
  const live = (method, { travels }) => async (id, ...args) => {
    if (!id || id !== app.current) return null;
    const model = travels && app.travel !== null ? await client.modelAt(id, app.travel) : id;
    return model ? client[method](model, ...args) : null;
  };
  const source = Object.freeze({
    inspectMatrix: live("inspectMatrix", { travels: true }),
    embeddingMap: live("embeddingMap", { travels: true }),
    probe: live("probe", { travels: true }),
    runConsole: live("runConsole", { travels: false }),
    listSessions: () => client.listSessions(),
    steps: (id) => client.getSteps(id),
    samples: (id) => client.getSamples(id),
  });
  for (const [name, module, options] of PANELS) panels.add(name, module.create, { ...options, source });
  // Until a real session is shown, the panels replay a recorded run.
  const recording = playRecording(panels, { url: new URL("../data/recording.json", import.meta.url), container: $("#panels") });

  const app = {
    phase: "loading", // loading | ready | error
    current: null,
    currentStatus: null,
    record: null, // the current session's stored record
    latest: 0, // its last recorded step
    travel: null, // the step time travel shows, or null: live
    snapshot: null, // its steps as read when time travel began
    batches: null, // and its sample batches
    timings: null,
    isolated: false,
    events: [], // the latest events of the current session
    error: null,
    datasets: new Map(), // choice -> {text, name}
  };

  // ---- status line ----------------------------------------------------------

  function renderStatus() {
    let state = app.phase;
    if (state === "ready" && app.currentStatus === SESSION_STATUS.RUNNING) state = "running";
    else if (state === "ready" && app.currentStatus === SESSION_STATUS.PAUSED) state = "paused";
    statusEl.textContent = state;
    statusEl.dataset.state = state;
    // An imported trace is read-only: it has no model to train or sample.
    const trainable = Boolean(app.current) && app.phase === "ready" && app.currentStatus !== SESSION_STATUS.IMPORTED;
    const running = app.currentStatus === SESSION_STATUS.RUNNING;
    buttons.new.disabled = app.phase !== "ready";
    buttons.step.disabled = !trainable || running;
    buttons.run.disabled = !trainable || running;
    buttons.pause.disabled = !trainable || !running;
    buttons.reset.disabled = !trainable;
    buttons.sample.disabled = !trainable;
    buttons.export.disabled = !app.current;
    buttons.import.disabled = app.phase !== "ready";
  }

  function showError(message) {
    errorEl.textContent = message || "";
  }

  // A read-only handle for tests and the curious (no mocks needed).
  window.lab = Object.freeze({
    get state() {
      return { phase: app.phase, current: app.current, status: app.currentStatus, timings: app.timings,
               isolated: app.isolated, events: app.events.slice(), tab: client.tab };
    },
    listSessions: () => client.listSessions(),
    steps: (id) => client.getSteps(id ?? app.current),
    samples: (id) => client.getSamples(id ?? app.current),
    trace: (id) => client.exportTrace(id ?? app.current),
    // Fault injection for the reliability tests.
    debug: Object.freeze({ terminateWorker: () => client.terminateWorker() }),
  });

  let refreshTimer = 0;
  let lastRefresh = 0;
  async function refreshSessions() {
    clearTimeout(refreshTimer);
    refreshTimer = 0;
    lastRefresh = performance.now();
    const list = await client.listSessions();
    sessionsList.update({ sessions: list, current: app.current });
    const current = list.find((s) => s.id === app.current);
    if (current) {
      app.currentStatus = current.status;
      renderStatus();
    }
    return list;
  }
  function scheduleRefresh(delay = 100) {
    if (!refreshTimer) refreshTimer = setTimeout(refreshSessions, Math.max(0, delay - (performance.now() - lastRefresh)));
  }

  async function select(id) {
    recording.stop();
    app.current = id;
    app.events = [];
    app.travel = null;
    app.snapshot = null;
    client.leavePast();
    client.watch(id);
    const [record, steps, batches] = await Promise.all([client.getSession(id), client.getSteps(id), client.getSamples(id)]);
    if (app.current !== id || !record) return;
    const last = steps[steps.length - 1];
    app.record = record;
    app.latest = last ? last.step : 0;
    app.events = steps.slice(-KEEP_EVENTS);
    progress.update({ step: record.step, total: record.num_steps, loss: last ? last.loss : null, clear: true });
    samples.update({ samples: batches });
    panels.update({ type: "session", session: id, record, steps });
    sampleTemperature.update({ type: "session", session: id, record });
    timeline.update({ latest: app.latest, at: null, detail: null });
    sessionInfo.textContent = describeSession(record);
    await refreshSessions();
  }

  // Time travel: the panels redraw from the stored steps up to `step` (null:
  // back to live). Live events of the session are held back from the panels
  // meanwhile; the steps are read once per trip (again only past their end).
  // A step the run recorded lightly is shown with the nearest full one, then
  // with its own full event once the worker has recomputed it.
  function showPast(id, steps, at) {
    panels.update({ type: "session", session: id, record: app.record, steps, travel: at, current: id });
    timeline.update({ latest: app.latest, at, detail: latestDetail(steps) });
    const last = steps[steps.length - 1];
    if (!last || last.step !== at || last.attention || app.currentStatus === SESSION_STATUS.IMPORTED) return;
    client.stepAt(id, at).then((event) => {
      if (event && app.current === id && app.travel === at) showPast(id, [...steps.slice(0, -1), event], at);
    });
  }

  let travelling = null;
  function travel(step) {
    if (!app.current) return;
    if (step === null) {
      travelling = null;
      select(app.current);
      return;
    }
    app.travel = step;
    travelling ??= (async () => {
      const id = app.current;
      while (app.current === id && app.travel !== null) {
        await new Promise(requestAnimationFrame); // one redraw per frame while dragging
        const at = app.travel;
        const known = app.snapshot?.length ? app.snapshot[app.snapshot.length - 1].step : 0;
        if (!app.snapshot || at > known) {
          [app.snapshot, app.batches] = await Promise.all([client.getSteps(id), client.getSamples(id)]);
        }
        if (app.current !== id || app.travel === null) break;
        const steps = app.snapshot.filter((event) => event.step <= at);
        showPast(id, steps, at);
        samples.update({ samples: app.batches.filter((batch) => batch.step <= at) });
        if (app.travel === at) break;
      }
      travelling = null;
    })();
  }

  client.subscribe((message) => {
    switch (message.type) {
      case "boot":
        statusEl.dataset.stage = message.stage; // the last boot stage done
        break;
      case "ready":
        app.phase = "ready";
        app.timings = message.timings;
        app.isolated = message.isolated;
        renderStatus();
        break;
      case "fatal":
        app.phase = "error";
        app.error = message.error;
        showError(`The engine failed to start (${message.stage}): ${message.error}`);
        renderStatus();
        break;
      case "event":
        if (message.session === app.current) {
          app.latest = message.event.step;
          timeline.update({ latest: app.latest });
          app.events.push(message.event);
          if (app.events.length > KEEP_EVENTS) app.events.splice(0, app.events.length - KEEP_EVENTS);
          progress.update({ event: message.event });
        }
        scheduleRefresh(500);
        break;
      case "status":
        if (message.session === app.current) {
          app.currentStatus = message.status;
          progress.update({ step: message.step, total: message.num_steps });
          renderStatus();
        }
        scheduleRefresh();
        break;
      case "sample":
        if (message.session === app.current) samples.update({ batch: message.result });
        break;
      case "sessions":
        scheduleRefresh();
        break;
      case "error":
        showError(message.error);
        break;
      case "restart": // the worker was replaced; its runs resume by themselves
        showError(message.message);
        break;
      default:
    }
    const heldBack = app.travel !== null && message.type === "event" && message.session === app.current;
    if (!heldBack) panels.update({ ...message, current: app.current });
  });

  // ---- datasets ---------------------------------------------------------------

  const datasetChoice = () => document.querySelector('input[name="dataset"]:checked').value;

  async function loadDataset() {
    const choice = datasetChoice();
    if (choice === "file") {
      const file = fileInput.files[0];
      if (!file) throw new Error("choose a text file first");
      return datasets.fromFile(file);
    }
    if (choice === "paste") return datasets.fromText(pasteInput.value, "pasted text");
    if (app.datasets.has(choice)) return app.datasets.get(choice);
    const url = choice === "makemore" ? MAKEMORE_URL : new URL("../data/names.txt", import.meta.url);
    const name = choice === "makemore" ? "makemore names.txt" : "names.txt";
    const dataset = await datasets.fromResponse(await fetch(url), name);
    app.datasets.set(choice, dataset);
    return dataset;
  }

  // Your own data is checked and described before anything trains.
  async function previewDataset() {
    const choice = datasetChoice();
    datasetPreview.replaceChildren();
    delete datasetPreview.dataset.state;
    const own = (choice === "file" && fileInput.files[0]) || (choice === "paste" && pasteInput.value);
    if (!own) return;
    try {
      const dataset = await loadDataset();
      if (datasetChoice() !== choice) return;
      const { num_docs: docs, vocab, longest } = dataset;
      datasetPreview.dataset.state = "ok";
      datasetPreview.append(
        `${docs.toLocaleString("en")} documents · longest line ${longest.chars} characters (line ${longest.line}) · ` +
        `vocabulary ${vocab.length} characters + BOS: `,
        Object.assign(document.createElement("code"), { className: "vocab", textContent: vocab.join("") }),
      );
    } catch (error) {
      datasetPreview.dataset.state = "error";
      datasetPreview.textContent = error.message;
    }
  }

  function showDatasetChoice() {
    const choice = datasetChoice();
    fileInput.hidden = choice !== "file";
    pasteInput.hidden = choice !== "paste";
    datasetInfo.textContent = choice === "makemore" ? "Downloaded from GitHub when you start a session." : "";
    previewDataset();
  }
  document.querySelectorAll('input[name="dataset"]').forEach((radio) => radio.addEventListener("change", showDatasetChoice));
  fileInput.addEventListener("change", previewDataset);
  let previewTimer = 0;
  pasteInput.addEventListener("input", () => {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(previewDataset, 200);
  });

  // ---- actions ----------------------------------------------------------------

  // The form's config, or null after showing what is wrong with it.
  function readConfig() {
    const parsed = settings.read();
    if (!parsed.error) return parsed.config;
    showError(parsed.error);
    settings.focus(parsed.field);
    return null;
  }

  // A new step is shown live: leave time travel first.
  async function backToLive() {
    if (app.travel !== null) await select(app.current);
  }

  const actions = {
    async new() {
      if (app.phase !== "ready") return;
      const config = readConfig();
      if (!config) return;
      showError("");
      const dataset = await loadDataset();
      const id = await client.startSession(config, dataset);
      settings.writeUrl(config, datasetChoice());
      await select(id);
    },
    async step() {
      if (!app.current) return;
      await backToLive();
      await client.step(app.current);
    },
    async run() {
      if (!app.current) return;
      await backToLive();
      const run = client.run(app.current);
      app.currentStatus = SESSION_STATUS.RUNNING;
      renderStatus();
      await run;
    },
    async pause() {
      if (app.current) await client.pause(app.current);
    },
    async reset() {
      if (!app.current) return;
      await client.reset(app.current);
      await select(app.current); // step 0, live (also out of time travel)
    },
    async sample() {
      if (app.current) await client.sample(app.current, NUM_SAMPLES, sampleTemperature.temperature);
    },
    async export() {
      if (!app.current) return;
      const trace = await client.exportTrace(app.current);
      const blob = new Blob([JSON.stringify(trace)], { type: "application/json" });
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      const last = trace.steps.length ? trace.steps[trace.steps.length - 1].step : 0;
      link.download = `microgpt-lab-${app.current}-step${last}.json`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    },
    async share() {
      const config = readConfig();
      if (!config) return;
      const own = !SHARED_DATASETS.includes(datasetChoice());
      const url = settings.link(config, datasetChoice());
      let copied = false;
      try {
        await navigator.clipboard.writeText(url);
        copied = true;
      } catch {
        // no clipboard (insecure context, permission): the link is shown to copy by hand
      }
      shareLink.dataset.url = url;
      shareLink.textContent = `${copied ? "Copied" : "Copy this link"}: ${url}` +
        (own ? " (your own data stays in this browser: the link uses the bundled names)" : "");
    },
    import() {
      traceInput.click();
    },
    help() {
      help.open();
    },
  };

  const shareLink = $("#share-link");
  traceInput.addEventListener("change", async () => {
    const file = traceInput.files[0];
    traceInput.value = "";
    if (!file) return;
    try {
      showError("");
      const id = await client.importTrace(await readTraceFile(file), file.name);
      await select(id);
    } catch (error) {
      showError(error instanceof TraceFileError ? error.message : `Trace ${file.name}: ${error.message}`);
    }
  });

  async function perform(name) {
    const button = buttons[name];
    if (button && button.disabled) return;
    try {
      await actions[name]();
    } catch (error) {
      showError(error.message);
    }
  }

  for (const [name, button] of Object.entries(buttons)) button.addEventListener("click", () => perform(name));
  $("#config-form").addEventListener("submit", (event) => {
    event.preventDefault();
    perform("new");
  });

  const SHORTCUTS = { n: "new", enter: "new", s: "step", r: "run", p: "pause", c: "sample", "?": "help" };
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const target = event.target instanceof Element ? event.target : null;
    // Typing in a field is never a shortcut; Enter on a button or link activates it.
    if (target && target.closest("input, select, textarea, [contenteditable]")) return;
    if (event.key === "Enter" && target && target.closest("button, a, summary")) return;
    const action = SHORTCUTS[event.key.toLowerCase()];
    if (!action) return;
    event.preventDefault();
    perform(action);
  });
  addEventListener("resize", () => panels.resize());

  // ---- start ------------------------------------------------------------------

  renderStatus();
  if (shared.dataset) {
    document.querySelector(`input[name="dataset"][value="${shared.dataset}"]`).checked = true;
    showDatasetChoice();
  }
  const urlNotice = $("#url-notice");
  const noteLink = (problems) => {
    urlNotice.hidden = !problems.length;
    urlNotice.textContent = problems.length ? `This link's settings: ${problems.join("; ")}.` : "";
  };
  noteLink(shared.problems);
  const list = await refreshSessions();
  if (list.length) await select(list[list.length - 1].id);
  try {
    await client.ready;
  } catch {
    return client;
  }
  // A link's values may still be out of range: the engine says which, now,
  // rather than when the learner presses New session.
  if (location.search) {
    const parsed = settings.read();
    const verdict = parsed.error || await client.checkConfig(parsed.config).then(() => null, (error) => error.message);
    if (verdict) noteLink([...shared.problems, verdict]);
  }
  const resumed = await client.resumeInterrupted();
  if (resumed.length && !resumed.includes(app.current)) await select(resumed[resumed.length - 1]);
  await refreshSessions();

  return client;
}

createApp().catch((error) => {
  console.error(error);
  const status = $("#status");
  status.textContent = "error";
  status.dataset.state = "error";
});
