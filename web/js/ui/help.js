// The one-screen help: the keyboard shortcuts and what the panels show, in a
// modal <dialog>. open() remembers the focused element and gives focus back
// when the dialog closes (Esc, the Close button or a click on the backdrop).
import { element } from "../draw/dom.js";
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
  const close = element("button", { type: "button", textContent: "Close", "aria-keyshortcuts": "Escape" });
  const header = element("div", { className: "help-head" }, element("h2", { id: "help-title", textContent: "Help" }), close);
  const keys = element("dl", { className: "help-keys", "aria-labelledby": "help-keys-title" },
                       ...SHORTCUTS.flatMap(([key, what]) => [element("dt", {}, element("kbd", { textContent: key })),
                                                              element("dd", { textContent: what })]));
  const topics = [...PANELS.map((panel) => [panel.title, panel.help]), ...PAGE];
  const panels = element("ul", { className: "help-panels" },
                         ...topics.map(([name, what]) => element("li", {}, element("strong", { textContent: name }), `: ${what}`)));
  const dialog = element("dialog", { className: "help", id: "help", "aria-labelledby": "help-title" },
                         header, element("h3", { id: "help-keys-title", textContent: "Keyboard shortcuts" }), keys,
                         element("h3", { textContent: "The panels" }), panels);
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
