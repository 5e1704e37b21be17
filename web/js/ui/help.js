// The one-screen help: the keyboard shortcuts and what the panels show, in a
// modal <dialog>. open() remembers the focused element and gives focus back
// when the dialog closes (Esc, the Close button or a click on the backdrop).
import { PANELS } from "../panels/index.js";

const SHORTCUTS = [
  ["N", "New session (with the settings in the form)"],
  ["Enter", "New session (outside a button or field)"],
  ["S", "One training step (full instrumentation)"],
  ["R", "Run to num_steps"],
  ["P", "Pause the run"],
  ["C", "Sample names at the chosen temperature"],
  ["?", "Open this help"],
  ["Esc", "Close this help"],
  ["← →", "Step through positions (Probabilities, when focused)"],
  ["↑ ↓ ← →", "Read the weights cell by cell (Attention heatmap, when focused)"],
];

// What the panels show comes from their list; these are the rest of the page.
const PAGE = [
  ["Samples", "names drawn from the model at each step: watch them improve."],
  ["Time travel", "drag the scrubber under the progress bar to redraw the panels as they were at an earlier step."],
  ["Import, share", "import a trace file to explore it read-only; Copy link shares the settings (never starts a run)."],
];

export function create({ parent = document.body } = {}) {
  const dialog = document.createElement("dialog");
  dialog.className = "help";
  dialog.id = "help";
  dialog.setAttribute("aria-labelledby", "help-title");

  const header = document.createElement("div");
  header.className = "help-head";
  const title = document.createElement("h2");
  title.id = "help-title";
  title.textContent = "Help";
  const close = document.createElement("button");
  close.type = "button";
  close.textContent = "Close";
  close.setAttribute("aria-keyshortcuts", "Escape");
  header.append(title, close);

  const keysTitle = document.createElement("h3");
  keysTitle.id = "help-keys-title";
  keysTitle.textContent = "Keyboard shortcuts";
  const keys = document.createElement("dl");
  keys.className = "help-keys";
  keys.setAttribute("aria-labelledby", "help-keys-title");
  for (const [key, what] of SHORTCUTS) {
    const dt = document.createElement("dt");
    const kbd = document.createElement("kbd");
    kbd.textContent = key;
    dt.append(kbd);
    const dd = document.createElement("dd");
    dd.textContent = what;
    keys.append(dt, dd);
  }

  const panelsTitle = document.createElement("h3");
  panelsTitle.textContent = "The panels";
  const panels = document.createElement("ul");
  panels.className = "help-panels";
  for (const [name, what] of [...PANELS.map((panel) => [panel.title, panel.help]), ...PAGE]) {
    const item = document.createElement("li");
    const strong = document.createElement("strong");
    strong.textContent = name;
    item.append(strong, `: ${what}`);
    panels.append(item);
  }

  dialog.append(header, keysTitle, keys, panelsTitle, panels);
  parent.append(dialog);

  let returnFocus = null;
  close.addEventListener("click", () => dialog.close());
  // A click on the backdrop (outside the dialog's box) closes it too.
  dialog.addEventListener("click", (event) => {
    if (event.target !== dialog) return;
    const box = dialog.getBoundingClientRect();
    const inside = event.clientX >= box.left && event.clientX <= box.right
      && event.clientY >= box.top && event.clientY <= box.bottom;
    if (!inside) dialog.close();
  });
  // The page's shortcuts act on the lab behind the dialog: keys pressed in
  // the help stay in it (Esc still closes: that is the dialog's own action).
  dialog.addEventListener("keydown", (event) => event.stopPropagation());
  dialog.addEventListener("close", () => {
    if (returnFocus && returnFocus.isConnected) returnFocus.focus();
    returnFocus = null;
  });

  return {
    open() {
      if (dialog.open) return;
      returnFocus = document.activeElement;
      dialog.showModal();
      close.focus();
    },
    destroy() {
      dialog.remove();
    },
  };
}
