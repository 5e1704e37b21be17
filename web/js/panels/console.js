// Python console on the live model: code typed here runs in this page's
// worker against the current session (names: session, state_dict, config,
// vocab, math; variables persist per session). Enter runs, Shift+Enter adds
// a line. During a run the worker takes it between two training steps, so
// the run carries on undisturbed. The log echoes the code and shows the
// output and any error as text.
//
// Runs code on the shown session's live model: view.model.ask("console",
// {code}) (the live one even during time travel; view.model.missing says why
// there is none). No read per step: the model is handed over with the view.
// For tests and the curious, each log entry carries data-status ("ok" |
// "error" | "pending"). Stop (and the time limit) interrupts the command in
// progress only: a run's Pause never does, and Stop never touches a run.
const LOG_LIMIT = 200; // entries kept
const TIME_LIMIT_MS = 30_000; // a command still going after this is stopped
const NO_MODEL = "Start a session first: the console runs against a live model.";

let nextId = 0;

function createDom(el, uid) {
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
  const code = Object.assign(document.createElement("textarea"), {
    id: `${uid}-code`, rows: 2, spellcheck: false, placeholder: "state_dict['wte'][0][:4]",
  });
  code.setAttribute("aria-keyshortcuts", "Enter Shift+Enter");
  const run = Object.assign(document.createElement("button"), { type: "submit", textContent: "Evaluate" });
  const stop = Object.assign(document.createElement("button"), { type: "button", textContent: "Stop", disabled: true });
  stop.title = `Interrupt the command in progress (one still going after ${TIME_LIMIT_MS / 1000} s stops by itself)`;
  form.append(label, code, run, stop);
  el.append(note, log, form);
  return { log, form, code, stop };
}

// A log entry echoing `text`, pending until its answer.
function addEntry(log, text) {
  const item = document.createElement("div");
  item.className = "console-entry";
  item.dataset.status = "pending";
  const echo = document.createElement("pre");
  echo.className = "console-code";
  echo.textContent = text;
  item.append(echo);
  log.append(item);
  while (log.children.length > LOG_LIMIT) log.firstElementChild.remove();
  log.scrollTop = log.scrollHeight;
  return item;
}

// The answer under its entry: the output, then the error if any.
function answer(log, item, output, failure) {
  for (const [text, className] of [[output?.replace(/\n$/, ""), "console-output"], [failure, "console-error"]]) {
    if (!text) continue;
    const pre = document.createElement("pre");
    pre.className = className;
    pre.textContent = text;
    item.append(pre);
  }
  item.dataset.status = failure ? "error" : "ok";
  log.scrollTop = log.scrollHeight;
}

export function create(el) {
  const { log, form, code, stop } = createDom(el, `console${nextId++}`);
  let model = { missing: NO_MODEL }; // the shown session's live model
  const pending = []; // the models of the commands in progress

  async function submit() {
    const text = code.value;
    if (!text.trim()) return;
    code.value = "";
    const item = addEntry(log, text);
    const asked = model;
    let timedOut = false;
    const limit = setTimeout(() => {
      timedOut = true;
      asked.stopConsole?.();
    }, TIME_LIMIT_MS);
    pending.push(asked);
    stop.disabled = false;
    try {
      if (asked.missing) throw new Error(asked.missing);
      const result = await asked.ask("console", { code: text });
      const limited = timedOut && result.stopped ? ` after ${TIME_LIMIT_MS / 1000} s, the console's time limit` : "";
      answer(log, item, result.output, result.error_in_code && result.error_in_code + limited);
    } catch (error) {
      answer(log, item, "", error.message);
    } finally {
      clearTimeout(limit);
      pending.splice(pending.indexOf(asked), 1);
      stop.disabled = pending.length === 0;
    }
  }
  stop.addEventListener("click", () => {
    for (const asked of pending) asked.stopConsole?.();
  });

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
    reset(view) {
      model = view.model ?? { missing: NO_MODEL };
    },
    resize() {},
    destroy() {
      el.replaceChildren();
    },
  };
}
