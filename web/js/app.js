// The page: wires the form, the buttons, the shortcuts and the views to the
// lab client. All state lives in createApp's closure.
import { createLabClient } from "./lab-client.js";
import { openStore } from "./store.js";
import { SESSION_STATUS, SW_ACTIVATE_IF_ALONE } from "./protocol.js";
import { createSettings } from "./settings.js";
import * as datasets from "./dataset.js";
import { createPanels } from "./panels/registry.js";
import * as progressView from "./views/progress.js";
import * as sessionsView from "./views/sessions.js";
import * as samplesView from "./views/samples.js";
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
import { playRecording } from "./panels/recording.js";

const MAKEMORE_URL = "https://raw.githubusercontent.com/karpathy/makemore/master/names.txt";
const NUM_SAMPLES = 10;
const KEEP_EVENTS = 50;

// Panels plug in here: [name, module, options]. Each module exports
// create(el, options) -> {update(message), resize(), destroy()}. Every panel
// also gets options.source: reads of the live model (see panels/live.js).
const PANELS = [
  ["loss", lossPanel, { title: "Loss" }],
  ["attention", attentionPanel, { title: "Attention" }],
  ["graph", graphPanel, { title: "Graph pulse" }],
  ["probs", probsPanel, { title: "Next-token probabilities" }],
  ["inspector", inspectorPanel, { title: "Parameters and gradients" }],
  ["embeddings", embeddingsPanel, { title: "Embedding map" }],
  ["probe", probePanel, { title: "Probe a context" }],
  ["console", consolePanel, { title: "Python console" }],
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

async function createApp() {
  if (await adoptWaitingVersion()) return null;
  const statusEl = $("#status");
  const errorEl = $("#form-error");
  const datasetInfo = $("#dataset-info");
  const fileInput = $("#dataset-file");
  const buttons = Object.fromEntries([...document.querySelectorAll("[data-action]")].map((b) => [b.dataset.action, b]));

  const settings = createSettings($("#config-fields"));
  settings.readUrl();
  const progress = progressView.create($("#progress-view"));
  const samples = samplesView.create($("#samples-view"));
  const sampleTemperature = samplesPanel.create($("#sample-controls"));
  const help = helpDialog.create();
  const sessionsList = sessionsView.create($("#sessions-view"), { onSelect: (id) => select(id) });
  const panels = createPanels($("#panels"));
  // The live model's probes (lab-client.js), for the session shown only:
  // null for any other (the recording has no model behind it).
  const live = (method) => (id, ...args) =>
    (id && id === app.current ? client[method](id, ...args) : Promise.resolve(null));
  const source = Object.freeze({
    inspectMatrix: live("inspectMatrix"),
    embeddingMap: live("embeddingMap"),
    probe: live("probe"),
    runConsole: live("runConsole"),
  });
  for (const [name, module, options] of PANELS) panels.add(name, module.create, { ...options, source });
  // Until a real session is shown, the panels replay a recorded run.
  const recording = playRecording(panels, { url: new URL("../data/recording.json", import.meta.url), container: $("#panels") });

  const app = {
    phase: "loading", // loading | ready | error
    current: null,
    currentStatus: null,
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
    const hasSession = Boolean(app.current) && app.phase === "ready";
    const running = app.currentStatus === SESSION_STATUS.RUNNING;
    buttons.new.disabled = app.phase !== "ready";
    buttons.step.disabled = !hasSession || running;
    buttons.run.disabled = !hasSession || running;
    buttons.pause.disabled = !hasSession || !running;
    buttons.reset.disabled = !hasSession;
    buttons.sample.disabled = !hasSession;
    buttons.export.disabled = !app.current;
  }

  function showError(message) {
    errorEl.textContent = message || "";
  }

  // ---- storage and client -----------------------------------------------------

  // Storage trouble (no IndexedDB, quota) never stops the lab: the store
  // carries on in memory and the notice says what is not being saved.
  const storageNotice = $("#storage-notice");
  const store = await openStore(undefined, {
    onProblem: (message) => {
      storageNotice.textContent = message;
      storageNotice.hidden = false;
    },
  });
  const client = createLabClient({ workerUrl: new URL("./worker.js", import.meta.url), store });

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
    client.watch(id);
    const [record, steps, batches] = await Promise.all([client.getSession(id), client.getSteps(id), client.getSamples(id)]);
    if (app.current !== id || !record) return;
    const last = steps[steps.length - 1];
    app.events = steps.slice(-KEEP_EVENTS);
    progress.update({ step: record.step, total: record.num_steps, loss: last ? last.loss : null, clear: true });
    samples.update({ samples: batches });
    panels.update({ type: "session", session: id, record, steps });
    sampleTemperature.update({ type: "session", session: id, record });
    await refreshSessions();
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
    panels.update({ ...message, current: app.current });
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
    if (app.datasets.has(choice)) return app.datasets.get(choice);
    const url = choice === "makemore" ? MAKEMORE_URL : new URL("../data/names.txt", import.meta.url);
    const name = choice === "makemore" ? "makemore names.txt" : "names.txt";
    const dataset = await datasets.fromResponse(await fetch(url), name);
    app.datasets.set(choice, dataset);
    return dataset;
  }

  document.querySelectorAll('input[name="dataset"]').forEach((radio) => {
    radio.addEventListener("change", () => {
      fileInput.hidden = datasetChoice() !== "file";
      datasetInfo.textContent = datasetChoice() === "makemore" ? "Downloaded from GitHub when you start a session." : "";
    });
  });

  // ---- actions ----------------------------------------------------------------

  const actions = {
    async new() {
      if (app.phase !== "ready") return;
      const parsed = settings.read();
      if (parsed.error) {
        showError(parsed.error);
        settings.focus(parsed.field);
        return;
      }
      showError("");
      const dataset = await loadDataset();
      const id = await client.startSession(parsed.config, dataset);
      settings.writeUrl(parsed.config);
      await select(id);
    },
    async step() {
      if (app.current) await client.step(app.current);
    },
    async run() {
      if (!app.current) return;
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
      app.events = [];
      const record = await client.getSession(app.current);
      progress.update({ step: 0, total: record.num_steps, loss: null, clear: true });
      samples.update({ samples: [] });
      panels.update({ type: "session", session: app.current, record, steps: [] });
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
    help() {
      help.open();
    },
  };

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
  const list = await refreshSessions();
  if (list.length) await select(list[list.length - 1].id);
  try {
    await client.ready;
  } catch {
    return client;
  }
  const resumed = await client.resumeInterrupted();
  if (resumed.length && !resumed.includes(app.current)) await select(resumed[resumed.length - 1]);
  await refreshSessions();

  return client;
}

registerServiceWorker();
createApp().catch((error) => {
  console.error(error);
  const status = $("#status");
  status.textContent = "error";
  status.dataset.state = "error";
});
