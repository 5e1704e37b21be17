// The sessions list: id, steps, status, watchers; click (or Enter) to switch.
import { createFrame } from "../../draw/frame.js";

export function create(el, { onSelect }) {
  const table = document.createElement("table");
  table.className = "session-table";
  table.id = "sessions";
  table.setAttribute("aria-label", "Sessions");
  const head = table.createTHead().insertRow();
  for (const label of ["Session", "Steps", "Status", "Watchers"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = label;
    head.append(th);
  }
  const body = table.createTBody();
  const empty = document.createElement("p");
  empty.className = "hint";
  empty.textContent = "No sessions yet: press New session.";
  el.append(table, empty);

  let data = { sessions: [], current: null };
  const frame = createFrame(() => {
    body.replaceChildren();
    for (const session of data.sessions) {
      const row = body.insertRow();
      row.dataset.session = session.id;
      row.dataset.status = session.status;
      if (session.id === data.current) row.setAttribute("aria-current", "true");
      const idCell = row.insertCell();
      const button = document.createElement("button");
      button.type = "button";
      button.className = "link";
      button.textContent = session.id;
      button.setAttribute("aria-label", `Switch to session ${session.id}`);
      button.addEventListener("click", () => onSelect(session.id));
      idCell.append(button);
      row.insertCell().textContent = `${session.step} / ${session.num_steps}`;
      const status = row.insertCell();
      status.className = `badge badge-${session.status}`;
      status.textContent = session.status + (session.owner === "other" ? " (other tab)" : "");
      row.insertCell().textContent = String(session.watchers);
    }
    empty.hidden = data.sessions.length > 0;
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
