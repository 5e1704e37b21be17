// Python console on the live model: code typed here runs in this page's
// worker against the current session (names: session, state_dict, config,
// vocab, math; variables persist per session). Enter runs, Shift+Enter adds
// a line. During a run the worker takes it between two training steps, so
// the run carries on undisturbed. The log echoes the code and shows the
// output and any error as text.
//
// Runs code through options.source.runConsole (app.js; null when no live
// session is shown). For tests and the curious, each log entry carries
// data-status ("ok" | "error" | "pending").
const LOG_LIMIT = 200; // entries kept

let nextId = 0;

export function create(el, options = {}) {
  const uid = `console${nextId++}`;
  const source = options.source;
  const note = document.createElement("p");
  note.className = "console-note";
  note.setAttribute("role", "note");
  note.textContent = "Runs locally in your browser, in the engine's worker, between training steps. "
    + "Names: session, state_dict, config, vocab, math.";
  const log = document.createElement("div");
  log.className = "console-log";
  log.setAttribute("role", "log");
  log.setAttribute("aria-label", "Console output");
  log.tabIndex = 0;
  const form = document.createElement("form");
  form.className = "console-form";
  const label = document.createElement("label");
  label.htmlFor = `${uid}-code`;
  label.textContent = "Python";
  const code = document.createElement("textarea");
  code.id = `${uid}-code`;
  code.rows = 2;
  code.spellcheck = false;
  code.placeholder = "state_dict['wte'][0][:4]";
  code.setAttribute("aria-keyshortcuts", "Enter Shift+Enter");
  const run = document.createElement("button");
  run.type = "submit";
  run.textContent = "Evaluate";
  form.append(label, code, run);
  el.append(note, log, form);

  const state = { session: null };

  function entry(text) {
    const item = document.createElement("div");
    item.className = "console-entry";
    item.dataset.status = "pending";
    const echo = document.createElement("pre");
    echo.className = "console-code";
    echo.textContent = text;
    item.append(echo);
    log.append(item);
    while (log.children.length > LOG_LIMIT) log.firstElementChild.remove();
    return item;
  }

  function show(item, output, failure) {
    if (output) {
      const pre = document.createElement("pre");
      pre.className = "console-output";
      pre.textContent = output.replace(/\n$/, "");
      item.append(pre);
    }
    if (failure) {
      const pre = document.createElement("pre");
      pre.className = "console-error";
      pre.textContent = failure;
      item.append(pre);
    }
    item.dataset.status = failure ? "error" : "ok";
    log.scrollTop = log.scrollHeight;
  }

  async function submit() {
    const text = code.value;
    if (!text.trim()) return;
    code.value = "";
    const item = entry(text);
    log.scrollTop = log.scrollHeight;
    try {
      const result = state.session ? await source.runConsole(state.session, text) : null;
      if (!result) show(item, "", "Start a session first: the console runs against a live model.");
      else show(item, result.output, result.error_in_code);
    } catch (error) {
      show(item, "", error.message);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  code.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    submit();
  });

  return {
    update(message) {
      if (message.type === "session") state.session = message.session;
    },
    resize() {},
    destroy() {
      el.replaceChildren();
    },
  };
}
