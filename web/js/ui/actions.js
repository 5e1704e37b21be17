// What the buttons and the keyboard do: each action is one function, reached
// from its button (data-action), its shortcut, or the form's submit. A
// failing action says why in the alert; a disabled button's action does
// nothing.
import { SHARED_DATASETS } from "./config-form.js";
import { element } from "../draw/dom.js";
import { modelOf } from "../draw/model.js";
import { defaultName } from "../draw/names.js";
import { safetensors } from "../sessions/safetensors.js";
import { TraceFileError, readTraceFile } from "../sessions/trace-file.js";
import { createFormErrors } from "./form-errors.js";

const NUM_SAMPLES = 10;
const SHORTCUTS = { n: "new", enter: "new", s: "step", r: "run", p: "pause", c: "sample", "?": "help" };

export function bindActions({ sessions, router, form, fields, dataset, temperature, sweep, alert, help, elements }) {
  const { buttons, formEl, shareLink, traceInput } = elements;
  const problems = createFormErrors({ form, fields, alert, check: (config) => sessions.checkConfig(config) });

  // The form's config, or null after showing what is wrong with it.
  function readConfig() {
    const parsed = form.read();
    if (!parsed.error) return parsed.config;
    problems.show(parsed.error, parsed.field);
    return null;
  }

  // A new step is shown live: leave time travel first.
  async function backToLive() {
    if (router.travel !== null) await router.select(router.current);
  }

  const actions = {
    async new() {
      const config = readConfig();
      if (!config) return;
      problems.clear();
      const chosen = await dataset.load();
      let id;
      try {
        id = await sessions.start(config, chosen);
      } catch (error) {
        problems.show(error.message); // the engine names the field it refuses
        return;
      }
      form.writeUrl(config, dataset.value);
      await router.select(id);
    },
    // One session per value of the sweep's setting, all trained at once and
    // compared; the first, which trains at once, is shown.
    async sweep() {
      const config = readConfig();
      if (!config) return;
      const plan = sweep.plan(config);
      if (plan.error) {
        problems.show(plan.error);
        sweep.focus();
        return;
      }
      problems.clear();
      let ids;
      try {
        const data = await dataset.load();
        // Each named by its value of the swept setting, even the default one ("lr 0.01 · names").
        const names = plan.configs.map((c) => defaultName({ config: c, dataset: { kind: data.kind, name: data.name } }, fields, [plan.field]));
        ids = await sessions.trainSeveral(plan.configs, data, names);
      } catch (error) {
        problems.show(error.message); // the engine names the field and value it refuses
        return;
      }
      await router.select(ids[0]);
      await router.refreshList();
      router.compare(ids);
    },
    async step() {
      await backToLive();
      await sessions.step(router.current);
    },
    async run() {
      await backToLive();
      await sessions.run(router.current);
    },
    pause: () => sessions.pause(router.current),
    async reset() {
      await sessions.reset(router.current);
      await router.select(router.current); // step 0, live (also out of time travel)
    },
    sample: () => sessions.sample(router.current, NUM_SAMPLES, temperature.temperature),
    export: () => exportTrace(sessions, router.current),
    weights: () => exportWeights(sessions, router.current, { alert }),
    async share() {
      const config = readConfig();
      if (config) await share(form.link(config, dataset.value), !SHARED_DATASETS.includes(dataset.value), shareLink);
    },
    import: () => traceInput.click(),
    help: () => help.open(),
  };

  async function perform(name) {
    const button = buttons[name];
    if (button && button.disabled) {
      if (button.dataset.why) alert.say(button.dataset.why); // a shortcut to a button that is off says why
      return;
    }
    try {
      await actions[name]();
    } catch (error) {
      alert.say(error.message);
    }
  }

  for (const [name, button] of Object.entries(buttons)) button.addEventListener("click", () => perform(name));
  formEl.addEventListener("submit", (event) => {
    event.preventDefault();
    perform("new");
  });
  traceInput.addEventListener("change", () => importTrace(traceInput, { sessions, router, alert }));
  document.addEventListener("keydown", (event) => {
    const action = shortcut(event);
    if (!action) return;
    event.preventDefault();
    perform(action);
  });
}

// Where letters are typed (or pick an option): a checkbox, a radio button,
// a slider or a file chooser takes no letters, so shortcuts work there.
const TYPING = "input:not([type=checkbox], [type=radio], [type=range], [type=file]), select, textarea, [contenteditable]";

// The action a key press asks for, if any. Typing in a field is never a
// shortcut; Enter on a button or link activates it.
function shortcut(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return null;
  const target = event.target instanceof Element ? event.target : null;
  if (target && target.closest(TYPING)) return null;
  if (event.key === "Enter" && target && target.closest("button, a, summary")) return null;
  return SHORTCUTS[event.key.toLowerCase()] ?? null;
}

// The chosen trace file becomes a read-only session, shown at once.
async function importTrace(input, { sessions, router, alert }) {
  const file = input.files[0];
  input.value = "";
  if (!file) return;
  try {
    alert.say("");
    await router.select(await sessions.importTrace(await readTraceFile(file, sessions), file.name));
  } catch (error) {
    alert.say(error instanceof TraceFileError ? error.message : `Trace ${file.name}: ${error.message}`);
  }
}

function download(blob, name) {
  const link = element("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

// Download the session's trace as a JSON file.
async function exportTrace(sessions, id) {
  const trace = await sessions.exportTrace(id);
  const last = trace.steps.length ? trace.steps[trace.steps.length - 1].step : 0;
  download(new Blob([JSON.stringify(trace)], { type: "application/json" }), `microgpt-lab-${id}-step${last}.json`);
}

// Download the session's latest weights as .safetensors (sessions/safetensors.js),
// with what is needed to use them: the config, the vocabulary, BOS's id. The
// matrices and their shapes are the config's, as the engine describes them:
// weights that differ are refused, naming the matrix.
async function exportWeights(sessions, id, { alert }) {
  const checkpoint = await sessions.weights(id);
  const record = await sessions.record(id);
  const { config, step } = checkpoint;
  const vocab = record.vocab ?? [];
  const matrices = (modelOf(record)?.matrices ?? []).map(({ name, shape }) => [name, shape]);
  const bytes = safetensors(checkpoint.state_dict, matrices, {
    format: "microgpt-lab-weights", step: String(step), config: JSON.stringify(config),
    vocab: JSON.stringify(vocab), bos: String(vocab.length),
  });
  download(new Blob([bytes], { type: "application/octet-stream" }), `microgpt-lab-${id}-step${step}.safetensors`);
  if (checkpoint.saved) {
    alert.say(`Exported the weights saved at step ${step}: another tab trains this session, and its newer steps ` +
              "are there (export from that tab for its latest weights).");
  }
}

// Copy a link to the form's settings; without a clipboard (an insecure
// context, no permission) the link is shown to copy by hand.
async function share(url, ownData, output) {
  let copied = false;
  try {
    await navigator.clipboard.writeText(url);
    copied = true;
  } catch {
    // shown below instead
  }
  output.dataset.url = url;
  output.textContent = `${copied ? "Copied" : "Copy this link"}: ${url}` +
    (ownData ? " (your own data stays in this browser: the link uses the bundled names)" : "");
}
