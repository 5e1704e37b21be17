// The page's entry module: start-up in named steps. The engine worker
// starts first (Python boots while the page builds); then the views and
// panels, the router that feeds them, the actions, and the session to show.
import { element } from "../draw/dom.js";
import { SESSION_STATUS } from "../engine/protocol.js";
import { datasetOf } from "../sessions/dataset-kind.js";
import { createSessions } from "../sessions/index.js";
import { openStore } from "../sessions/store.js";
import { PANELS } from "../panels/index.js";
import { bindActions } from "./actions.js";
import { createBigrams } from "./bigrams.js";
import { createConfigForm } from "./config-form.js";
import { createDatasetChoice } from "./dataset-choice.js";
import { createDrawGuard } from "./draw-guard.js";
import { createExperiments } from "./experiments.js";
import { installDebugHandle } from "./debug.js";
import { createGlossary } from "./glossary.js";
import { bindLadder } from "./ladder.js";
import { checkLink, noteLink, readLink } from "./link.js";
import { manageSessions } from "./manage.js";
import * as helpDialog from "./help.js";
import { playRecording } from "./recording.js";
import { createRouter } from "./router.js";
import { createStorageNotice } from "./storage-notice.js";
import { createSweep } from "./sweep.js";
import { adoptWaitingVersion, registerServiceWorker } from "./update.js";
import { createAlert } from "./views/alert.js";
import { createControls } from "./views/controls.js";
import { createSessionInfo } from "./views/session-info.js";
import * as divergedView from "./views/diverged.js";
import * as progressView from "./views/progress.js";
import * as samplesView from "./views/samples.js";
import * as sessionsView from "./views/sessions.js";
import * as temperatureView from "./views/temperature.js";
import * as timelineView from "./views/timeline.js";

const $ = (selector) => document.querySelector(selector);

// Storage trouble (no IndexedDB, quota) never stops the lab: the store
// carries on in memory and the notice says what is not being saved.
function startSessions(schemaLoaded) {
  const notice = createStorageNotice($("#storage-notice"));
  const store = openStore(undefined, { onProblem: (message) => notice.say(message, store) });
  const sessions = createSessions({ workerUrl: new URL("../engine/worker.js", import.meta.url), store,
                                    modelVersion: schemaLoaded.then((schema) => schema.model.version) });
  // The service worker precaches the whole site (20 MB): registered once
  // Python is up, so that its downloads do not compete with the boot.
  sessions.ready.then(registerServiceWorker, registerServiceWorker);
  return sessions;
}

// A file of the site, parsed (index.html preloads the two main() asks for).
async function fetchJson(path) {
  const response = await fetch(new URL(`../../${path}`, import.meta.url));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

// Each panel gets a <section> of its own in #panels: its heading, a caption
// saying what it shows (its words explained by the glossary), its body.
function createPanels(container, { schema, sessions, bigram, glossary, requestRead, follow, followed }) {
  const stored = Object.freeze({
    steps: (id) => sessions.steps(id),
    samples: (id) => sessions.samples(id),
    history: (id, type, fields, after) => sessions.history(id, type, fields, after),
    bigram,
  });
  return PANELS.map(({ name, title, help, create }) => {
    // id: the lessons link to the panels they use.
    const el = element("section", { className: `panel panel-${name}`, dataset: { panel: name }, id: `panel-${name}`, "aria-label": title },
      element("h2", {}, title), element("p", { className: "panel-caption" }, help.replace(/^./, (c) => c.toUpperCase())));
    container.append(el);
    const panel = { el, ...create(el, { schema, stored, explain: glossary.explain, follow, followed,
                                        requestRead: () => requestRead(panel) }) };
    glossary.explain(el);
    return panel;
  });
}

// The panels redraw when the width of their area or of one of them changes
// (the window, the layout, a panel shown): not when one grows taller (Follow
// a token's next moment), which moves the others without changing them;
// redrawing every panel then was most of a moment's time at a vocabulary of
// thousands.
function redrawOnNewWidths(elements, resize) {
  if (typeof ResizeObserver !== "function") return;
  const widths = new WeakMap();
  const observer = new ResizeObserver((entries) => {
    let changed = false;
    for (const { target, contentRect } of entries) {
      changed ||= widths.get(target) !== contentRect.width;
      widths.set(target, contentRect.width);
    }
    if (changed) resize();
  });
  for (const el of elements) observer.observe(el);
}

// Every view the router feeds: the small views, the panels and, last, the
// debug handle; the recording plays through the router until a session is shown.
function createPage(schema, sessions, { bigram, glossary, settings, guard, recordingTrace }) {
  const buttons = Object.fromEntries([...document.querySelectorAll("[data-action]")].map((b) => [b.dataset.action, b]));
  const controls = createControls({ statusEl: $("#status"), buttons, noteEl: $("#controls-note") });
  const alert = createAlert($("#form-error"));
  const temperature = temperatureView.create($("#sample-controls"));
  let router = null;
  const panels = createPanels($("#panels"), { schema, sessions, bigram, glossary, requestRead: (panel) => router.requestRead(panel),
                                              follow: (target) => router.follow(target),
                                              followed: (answer) => router.followed(answer) });
  const views = [
    controls,
    alert,
    temperature,
    createSessionInfo($("#session-info"), { fields: schema.config, onCopy: (record) => settings.copy(record) }),
    progressView.create($("#progress-view")),
    divergedView.create($("#diverged-note"), { schema }),
    samplesView.create($("#samples-view")),
    timelineView.create($("#timeline-view"), { onTravel: (step) => router.travelTo(step) }),
    sessionsView.create($("#sessions-view"), {
      fields: schema.config, onSelect: (id) => router.select(id),
      ...manageSessions({ sessions, alert, page: () => ({ router }) }),
    }),
    ...panels,
  ];
  let recording = null;
  router = createRouter({ sessions, views, guard, onSelect: () => recording?.stop() });
  views.push(installDebugHandle({ sessions, router, controls }));
  recording = playRecording(router.replay, { trace: recordingTrace, container: $("#panels") });
  redrawOnNewWidths([$("#panels"), ...panels.map((panel) => panel.el)], () => router.resize());
  if (location.hash.startsWith("#panel-")) document.getElementById(location.hash.slice(1))?.scrollIntoView();
  addEventListener("resize", () => router.resize());
  return { router, buttons, alert, temperature };
}

async function main() {
  const recordingTrace = fetchJson("data/recording.json");
  recordingTrace.catch(() => {}); // playRecording reports it
  const schemaLoaded = fetchJson("schema.json");
  if (await adoptWaitingVersion()) return;
  const sessions = startSessions(schemaLoaded);
  const schema = await schemaLoaded;
  const glossary = createGlossary(schema, { toggle: $("#hints") });
  if (new URLSearchParams(location.search).has("lesson")) { // the path (web/js/lessons), loaded only there
    const { startLessons } = await import("../lessons/index.js");
    return startLessons({ sessions, schema, glossary, status: $("#status") });
  }
  const guard = createDrawGuard();
  const form = createConfigForm($("#config-fields"), schema);
  glossary.explain($("#config-fields"));
  const dataset = createDatasetChoice({
    radios: [...document.querySelectorAll('input[name="dataset"]')], fileInput: $("#dataset-file"),
    pasteInput: $("#dataset-text"), info: $("#dataset-info"), preview: $("#dataset-preview"), engine: sessions,
  });
  const settings = { copy: (record) => copySettings(record, { form, dataset, sessions }) };
  const bigram = createBigrams((id) => sessions.bigram(id)); // each session's counting bigram, asked once
  const { router, buttons, alert, temperature } = createPage(schema, sessions, { bigram, glossary, settings, guard, recordingTrace });
  // The session to open: the newest, or the one a resumed run belongs to,
  // unless the last page died drawing it.
  const open = (id) => (id === guard.suspect ? alert.say(guard.notice) : router.select(id));
  const experiments = createExperiments($("#experiments"), { form, dataset, schema, notice: $("#experiment-notice"),
                                                             runs: () => shownRuns(sessions, router.current),
                                                             ladderList: $("#ladder"), bigram });
  const sweep = createSweep($("#sweep"), { fields: schema.config });
  glossary.explain($("#experiments"));
  glossary.explain($("#ladder"));
  bindLadder({ button: $("#btn-ladder"), steps: $("#ladder-steps"), note: $("#ladder-note") },
             { schema, sessions, router, dataset });
  bindActions({
    sessions, router, schema, form, fields: schema.config, dataset, temperature, sweep, alert, help: helpDialog.create(),
    elements: { buttons, formEl: $("#config-form"), shareLink: $("#share-link"), traceInput: $("#trace-file") },
  });
  const link = readLink(form, dataset, experiments);
  const list = await router.refreshList();
  if (list.length) await open(list[list.length - 1].id);
  try {
    await sessions.ready;
  } catch {
    return;
  }
  await checkLink(link, form, sessions);
  const resumed = await sessions.resumeInterrupted();
  if (resumed.length && !resumed.includes(router.current)) await open(resumed[resumed.length - 1]);
  await router.refreshList();
}

// The shown session's run and every other session's, for an experiment's answer.
async function shownRuns(sessions, id) {
  if (!id) return null;
  const read = async (session) => {
    const [record, steps, samples] = await Promise.all([sessions.record(session), sessions.steps(session), sessions.samples(session)]);
    return { record, steps, samples };
  };
  const others = (await sessions.list()).filter((info) => info.id !== id);
  return { run: await read(id), others: await Promise.all(others.map((info) => read(info.id))) };
}

// "Reuse these settings": the shown session's config and data go into the
// form (own data as pasted text). An imported trace brings no data: the
// bundled or makemore names are chosen when this browser holds its data
// under that name, else the dataset choice stays as it was.
async function copySettings(record, { form, dataset, sessions }) {
  form.write(record.config);
  const stored = await sessions.dataset(record.id);
  const imported = record.status === SESSION_STATUS.IMPORTED;
  const data = imported ? stored && datasetOf(stored) : datasetOf(record); // a trace's: the data this browser holds for it
  if (data?.kind === "default" || data?.kind === "makemore") dataset.set(data.kind);
  else if (stored && !imported) dataset.paste(stored.text);
  noteLink([]);
  $("#btn-new").focus();
}

main().catch((error) => {
  console.error(error);
  const status = $("#status");
  status.textContent = "error";
  status.dataset.state = "error";
});
