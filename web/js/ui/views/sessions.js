// The sessions list: each session's name (click or Enter to switch) with
// Rename (inline: Enter keeps, Escape cancels) and Delete under it, its
// steps, status (and, while two or more train side by side, the engine
// worker each trains in) and watchers; Delete all under the list. Names:
// draw/names.js.
import { createFrame } from "../../draw/frame.js";
import { sessionNames } from "../../draw/names.js";

const COLUMNS = ["Session", "Steps", "Status", "Watchers"];
// A status in the list's words, where its name alone would not say it.
const STATUS_SAID = { waiting: "waiting for a worker" };

export function create(el, { fields, onSelect, onRename, onDelete, onDeleteAll }) {
  const table = document.createElement("table");
  table.className = "session-table";
  table.id = "sessions";
  table.setAttribute("aria-label", "Sessions");
  const head = table.createTHead().insertRow();
  for (const label of COLUMNS) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = label;
    head.append(th);
  }
  const body = table.createTBody();
  const empty = document.createElement("p");
  empty.className = "hint";
  empty.textContent = "No sessions yet: press New session.";
  const deleteAll = button("Delete all sessions", "small danger", () => onDeleteAll());
  deleteAll.id = "btn-delete-all";
  const wrap = document.createElement("div");
  wrap.className = "table-scroll";
  wrap.append(table);
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
    const input = document.createElement("input");
    input.type = "text";
    input.className = "rename";
    input.value = name;
    input.setAttribute("aria-label", `New name for session ${name} (Enter keeps it, Escape cancels; empty: its settings)`);
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
    const link = button(name, "link", () => onSelect(session.id));
    link.dataset.role = "name";
    link.title = session.id;
    link.setAttribute("aria-label", `Switch to session ${name}`);
    const actions = document.createElement("div");
    actions.className = "session-actions";
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
    const rename = button("Rename", "small", () => startRename(session.id, nameCell, name));
    rename.dataset.role = "rename";
    rename.setAttribute("aria-label", `Rename session ${name}`);
    const remove = button("Delete", "small danger", () => onDelete(session.id, name));
    remove.dataset.role = "delete";
    remove.setAttribute("aria-label", `Delete session ${name}`);
    actions.append(rename, remove);
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

function button(text, className, onClick) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = className;
  element.textContent = text;
  element.addEventListener("click", onClick);
  return element;
}
