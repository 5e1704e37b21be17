// The sessions list: each session's name (click or Enter to switch) with
// Rename (inline: Enter keeps, Escape cancels) and Delete under it, its
// steps, status (and, while two or more train side by side, the engine
// worker each trains in) and watchers; Delete all under the list. Names:
// draw/names.js.
import { element } from "../../draw/dom.js";
import { createFrame } from "../../draw/frame.js";
import { sessionNames } from "../../draw/names.js";

const COLUMNS = ["Session", "Steps", "Status", "Watchers"];
// A status in the list's words, where its name alone would not say it.
const STATUS_SAID = { waiting: "waiting for a worker" };

export function create(el, { fields, onSelect, onRename, onDelete, onDeleteAll }) {
  const table = element("table", { className: "session-table", id: "sessions", "aria-label": "Sessions" });
  table.createTHead().insertRow().append(...COLUMNS.map((label) => element("th", { scope: "col", textContent: label })));
  const body = table.createTBody();
  const empty = element("p", { className: "hint" }, "No sessions yet: press New session.");
  const deleteAll = button("Delete all sessions", { className: "small danger", id: "btn-delete-all" }, () => onDeleteAll());
  const wrap = element("div", { className: "table-scroll" }, table);
  el.append(wrap, empty, deleteAll);

  let data = { sessions: [], current: null };
  let editing = null; // the id being renamed: the list waits until it is done
  let refocus = null; // [id, which button] to focus after the next redraw

  function finishRename(id, input, keep) {
    if (editing !== id) return;
    editing = null;
    refocus = [id, "name"];
    if (keep) onRename(id, input.value);
    frame.request();
  }

  function startRename(id, cell, name) {
    editing = id;
    const input = element("input", { type: "text", className: "rename", value: name,
                                     "aria-label": `New name for session ${name} (Enter keeps it, Escape cancels; empty: its settings)` });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === "Escape") {
        event.preventDefault();
        finishRename(id, input, event.key === "Enter");
      }
    });
    input.addEventListener("blur", () => finishRename(id, input, true));
    cell.replaceChildren(input);
    input.focus();
    input.select();
  }

  function row(session, name, sayWorker) {
    const tr = body.insertRow();
    tr.dataset.session = session.id;
    tr.dataset.status = session.status;
    if (session.id === data.current) tr.setAttribute("aria-current", "true");
    const nameCell = tr.insertCell();
    nameCell.className = "session-name";
    const link = button(name, { className: "link", title: session.id, dataset: { role: "name" }, "aria-label": `Switch to session ${name}` },
                        () => onSelect(session.id));
    const actions = element("div", { className: "session-actions" });
    nameCell.append(link, actions);
    tr.insertCell().textContent = `${session.step} / ${session.num_steps}`;
    const status = tr.insertCell();
    status.className = `badge badge-${session.status}`;
    status.textContent = (STATUS_SAID[session.status] ?? session.status) + (session.owner === "other" ? " (other tab)" : "");
    if (session.worker !== null && session.worker !== undefined) {
      status.dataset.worker = String(session.worker);
      status.title = `in engine worker ${session.worker + 1} of this tab`;
      if (sayWorker && session.status === "running") status.textContent += ` in worker ${session.worker + 1}`;
    }
    tr.insertCell().textContent = String(session.watchers);
    actions.append(
      button("Rename", { className: "small", dataset: { role: "rename" }, "aria-label": `Rename session ${name}` },
             () => startRename(session.id, nameCell, name)),
      button("Delete", { className: "small danger", dataset: { role: "delete" }, "aria-label": `Delete session ${name}` },
             () => onDelete(session.id, name)),
    );
  }

  const frame = createFrame(() => {
    if (editing) return;
    // A button focused in the list keeps its focus across the redraw.
    const active = document.activeElement;
    if (body.contains(active) && active.dataset.role) refocus = [active.closest("tr").dataset.session, active.dataset.role];
    const names = sessionNames(data.sessions, fields);
    const training = data.sessions.filter((session) => session.status === "running" && session.worker !== null);
    const sayWorker = new Set(training.map((session) => session.worker)).size > 1;
    body.replaceChildren();
    for (const session of data.sessions) row(session, names.get(session.id), sayWorker);
    empty.hidden = data.sessions.length > 0;
    wrap.hidden = !data.sessions.length;
    deleteAll.hidden = data.sessions.length < 2;
    if (refocus) {
      const [id, which] = refocus;
      refocus = null;
      body.querySelector(`tr[data-session="${id}"] [data-role="${which}"]`)?.focus();
    }
  });

  return {
    list(sessions, current) {
      data = { sessions, current };
      frame.request();
    },
    destroy() {
      frame.cancel();
      el.replaceChildren();
    },
  };
}

// A button (draw/dom.js's element) that does onClick.
function button(text, props, onClick) {
  const made = element("button", { type: "button", textContent: text, ...props });
  made.addEventListener("click", onClick);
  return made;
}
