// An exercise: a function the learner writes in Python, checked by the
// engine (lessons.check) in the lessons' own worker, never the sessions':
// Check runs it (Ctrl+Enter too), Stop interrupts it, and the time limit
// stops it by itself (engine.js). After a first try, the lines microgpt
// (or the lab) has for that function can be revealed. The code is kept
// (progress.js) as it is typed.
//
// The element publishes data-exercise and data-status ("", "pending",
// "ok", "error", "stopped").
import { element } from "../draw/dom.js";
import { listing } from "../draw/source.js";
import { createEditor } from "./editor.js";
import { TIME_LIMIT_MS } from "./engine.js";

const starter = (exercise) => `import math\n\n${exercise.signature}\n    ...\n`;

export function createExercise(name, { schema, engine, progress }) {
  const exercise = schema.lessons.exercises.find((e) => e.name === name);
  const title = element("h3", { textContent: `Exercise: ${name}(${exercise.parameters.join(", ")})` });
  const task = element("p", { textContent: exercise.task });
  const how = element("p", {
    className: "hint",
    textContent: `The engine runs your function on fixed and random inputs and compares each answer with its own. `
      + `It runs in a worker of its own: an endless loop stops after ${TIME_LIMIT_MS / 1000} s, or with Stop, and no training run is touched.`,
  });
  const editor = createEditor({
    label: `Your ${name}, in Python`,
    value: progress.code(name) ?? starter(exercise),
    onInput: (text) => progress.setCode(name, text),
    onRun: () => check(),
  });
  const run = element("button", { type: "button", textContent: "Check", "aria-keyshortcuts": "Control+Enter" });
  const stop = element("button", { type: "button", textContent: "Stop", disabled: true });
  // microgpt's own lines where it has the function (scalar.py), else the lab engine's.
  const whose = exercise.reveal.file.endsWith("scalar.py") ? "microgpt's" : "the engine's";
  const show = element("button", {
    type: "button", textContent: `Show ${whose} lines`,
    disabled: !progress.passed(name), // after a try
    title: "Try first: the lines are there to compare with yours", "aria-expanded": "false",
  });
  const buttons = element("div", { className: "exercise-buttons" }, run, stop, show);
  const result = element("p", { className: "exercise-result", role: "status" });
  const output = element("pre", { className: "exercise-output", hidden: true });
  const reveal = element("div", { className: "exercise-reveal", hidden: true });
  const el = element("section", { className: "exercise", dataset: { exercise: name, status: "" } },
                     title, task, how, editor.el, buttons, result, output, reveal);

  if (progress.passed(name)) {
    result.textContent = "Passed before: the engine agreed with your function.";
    el.dataset.status = "ok";
  }

  async function check() {
    if (engine.running) return;
    el.dataset.status = "pending";
    result.textContent = "The engine is checking your function…";
    output.hidden = true;
    run.disabled = true;
    stop.disabled = false;
    try {
      const answer = await engine.runCode("check_exercise", { exercise: name, code: editor.value });
      el.dataset.status = answer.ok ? "ok" : answer.stopped ? "stopped" : "error";
      result.textContent = answer.ok ? `Passed: ${answer.message}` : answer.message;
      output.textContent = answer.output ?? "";
      output.hidden = !answer.output;
      if (answer.ok) progress.pass(name);
    } catch (error) {
      el.dataset.status = "error";
      result.textContent = `The engine could not check it: ${error.message}`;
    } finally {
      run.disabled = false;
      stop.disabled = true;
      show.disabled = false;
    }
  }

  run.addEventListener("click", check);
  stop.addEventListener("click", () => engine.stop());
  show.addEventListener("click", () => {
    const open = reveal.hidden;
    if (open && !reveal.childElementCount) {
      const lines = exercise.reveal;
      const where = element("p", { className: "hint",
        textContent: `${lines.note} ${lines.name}, ${lines.file} lines ${lines.first_line}-${lines.first_line + lines.lines.length - 1}:` });
      reveal.append(where, listing(lines, new Set(lines.highlight)));
    }
    reveal.hidden = !open;
    show.setAttribute("aria-expanded", String(open));
    show.textContent = `${open ? "Hide" : "Show"} ${whose} lines`;
  });

  return { el };
}
