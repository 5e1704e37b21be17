// Python console on the live model, a Python prompt: code typed here runs in
// this page's worker against read-only views of the current session (names:
// session, state_dict, config, vocab, math; variables persist per session;
// py/microgpt_lab/console.py). The value of a last expression is echoed,
// errors are tracebacks of the typed lines. Enter runs, Shift+Enter adds a
// line, the up and down arrows go through the history (from the first or
// the last line). During a run the worker takes the code between two
// training steps, so the run carries on undisturbed. The log echoes the code
// and shows the output and any error as text, each cut to a limit (the
// engine cuts what is printed; the echo and the whole log are cut here), so
// nothing a command prints can hold up the page.
//
// Runs code on the shown session's live model: view.model (the live one
// even during time travel; view.model.missing says why there is none), under
// the console's time limit and Stop (ui/run-code.js). No read per step: the
// model is handed over with the view. For tests and the curious, each log
// entry carries data-status ("ok" | "error" | "pending"). Stop (and the time
// limit) interrupts the command in progress only: a run's Pause never does,
// and Stop never touches a run.
import { element } from "../draw/dom.js";
import { TIME_LIMIT_MS, runCode } from "../ui/run-code.js";

const LOG_ENTRIES = 200; // entries kept
const LOG_CHARACTERS = 200_000; // and at most this much text: the oldest entries go first
const ECHO_LIMIT = 2_000; // characters of the code echoed
const HISTORY = 100; // inputs the arrows go through
const HISTORY_KEY = "microgpt-lab-console-history"; // this tab's sessionStorage: a reload keeps them
const HISTORY_KEPT_CHARACTERS = 10_000; // a longer input is remembered until the page goes
const NO_MODEL = "Start a session first: the console runs against a live model.";

let nextId = 0;

function createDom(el, uid) {
  const note = element("p", {
    className: "console-note", role: "note",
    textContent: "Runs locally in your browser, in the engine's worker, between training steps. "
      + "Names: session, state_dict, config, vocab, math (they read the session; training changes it). "
      + "Up and down arrows: history.",
  });
  const log = element("div", { className: "console-log", role: "log", "aria-label": "Console output", tabIndex: 0 });
  const code = element("textarea", {
    id: `${uid}-code`, rows: 2, spellcheck: false, placeholder: "state_dict['wte'][0][:4]",
    "aria-keyshortcuts": "Enter Shift+Enter ArrowUp ArrowDown",
  });
  const stop = element("button", {
    type: "button", textContent: "Stop", disabled: true,
    title: `Interrupt the command in progress (one still going after ${TIME_LIMIT_MS / 1000} s stops by itself)`,
  });
  const form = element("form", { className: "console-form" }, element("label", { htmlFor: code.id, textContent: "Python" }),
                       code, element("button", { type: "submit", textContent: "Evaluate" }), stop);
  el.append(note, log, form);
  return { log, form, code, stop };
}

// `text` cut to `limit` characters, saying how many more there were.
function cut(text, limit, what) {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}\n... and ${(text.length - limit).toLocaleString("en")} more characters of ${what}`;
}

// The log, with at most LOG_ENTRIES entries and LOG_CHARACTERS of text.
function createLog(log) {
  let characters = 0;
  const sizeOf = (item) => Number(item.dataset.characters);
  const grow = (item, text) => {
    item.dataset.characters = String(sizeOf(item) + text.length);
    characters += text.length;
    while (log.children.length > 1 && (log.children.length > LOG_ENTRIES || characters > LOG_CHARACTERS)) {
      characters -= sizeOf(log.firstElementChild);
      log.firstElementChild.remove();
    }
    log.scrollTop = log.scrollHeight;
  };
  const pre = (item, text, className) => {
    item.append(element("pre", { className, textContent: text }));
    grow(item, text);
  };
  return {
    // An entry echoing `text`, pending until its answer.
    add(text) {
      const item = element("div", { className: "console-entry", dataset: { status: "pending", characters: "0" } });
      log.append(item);
      pre(item, cut(text, ECHO_LIMIT, "code"), "console-code");
      return item;
    },
    // The answer under its entry: the output, then the error if any.
    answer(item, output, failure) {
      if (output) pre(item, output.replace(/\n$/, ""), "console-output");
      if (failure) pre(item, failure, "console-error");
      item.dataset.status = failure ? "error" : "ok";
    },
  };
}

// The inputs typed, oldest first, kept in this tab across a reload.
function createHistory() {
  let entries = [];
  try {
    entries = JSON.parse(sessionStorage.getItem(HISTORY_KEY)) || [];
  } catch {
    // none kept
  }
  let at = entries.length; // entries.length: the draft being typed
  let draft = "";
  return {
    add(text) {
      if (entries[entries.length - 1] !== text) entries.push(text);
      entries = entries.slice(-HISTORY);
      at = entries.length;
      draft = "";
      try {
        const kept = entries.filter((entry) => entry.length <= HISTORY_KEPT_CHARACTERS);
        sessionStorage.setItem(HISTORY_KEY, JSON.stringify(kept));
      } catch {
        // storage full or off: the history lasts as long as the page
      }
    },
    // The input `by` places away (-1 older, +1 newer), or null at either end.
    move(by, current) {
      const next = at + by;
      if (next < 0 || next > entries.length) return null;
      if (at === entries.length) draft = current;
      at = next;
      return at === entries.length ? draft : entries[at];
    },
  };
}

export function create(el) {
  const { log, form, code, stop } = createDom(el, `console${nextId++}`);
  const entries = createLog(log);
  const history = createHistory();
  let model = { missing: NO_MODEL }; // the shown session's live model
  const pending = new Set(); // the commands in progress

  async function submit() {
    const text = code.value;
    if (!text.trim()) return;
    code.value = "";
    history.add(text);
    const item = entries.add(text);
    const command = runCode(model, "console", { code: text });
    pending.add(command);
    stop.disabled = false;
    try {
      const result = await command.answer;
      const limited = result.timed_out ? ` after ${TIME_LIMIT_MS / 1000} s, the console's time limit` : "";
      entries.answer(item, result.output, result.error_in_code && result.error_in_code + limited);
    } catch (error) {
      entries.answer(item, "", error.message);
    } finally {
      pending.delete(command);
      stop.disabled = pending.size === 0;
    }
  }
  stop.addEventListener("click", () => {
    for (const command of pending) command.stop();
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  code.addEventListener("keydown", (event) => {
    if (event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      submit();
      return;
    }
    // The arrows leave the text only from its first line (up) or its last (down), as a shell's do.
    const { selectionStart: start, selectionEnd: end, value } = code;
    const older = event.key === "ArrowUp" && !value.slice(0, start).includes("\n");
    const newer = event.key === "ArrowDown" && !value.slice(end).includes("\n");
    if (event.shiftKey || (!older && !newer)) return;
    const text = history.move(older ? -1 : 1, value);
    if (text === null) return;
    event.preventDefault();
    code.value = text;
    code.setSelectionRange(text.length, text.length);
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
