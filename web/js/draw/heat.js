// A heat strip (one vector) or a small matrix (a few rows) of numbers as
// coloured cells: red above 0, blue below, white at 0, scaled by the largest
// size shown. The exact number of a cell shows in the readout under it on
// hover, and on keyboard focus: the strip is one tab stop, and the arrow
// keys (Home, End) move a cursor over its cells. Past what a strip can show
// (MAX_COLUMNS cells a row, MAX_CELLS in all) it draws a summary: each cell
// stands for a group of neighbouring numbers and shows the largest in size,
// and its readout names the group, so a vocabulary of thousands stays cheap.
//
//   const heat = createHeat("q at position 2");
//   heat.show([[0.1, -0.4, ...]], { name: "q", cols: ["0", "1", ...], rows: null });
//   heat.show(matrix, { name, cols, rowNames, header: true, say: (r, c) => "a sentence for cell r, c" });
// header: the column labels over the cells (unless summarised); say: the
// readout's words for a cell, in place of "name[column] = value"; format: how
// a number is written (4 decimals, or an exponent, by default).
import { diverging } from "./colours.js";

const MAX_COLUMNS = 128;
const MAX_CELLS = 2048;
const formatNumber = (value) => (Math.abs(value) >= 1e4 || (value !== 0 && Math.abs(value) < 1e-3) ? value.toExponential(3) : value.toFixed(4));

// Groups of neighbouring columns, [start, end) each, for rows of `count` numbers.
function groupsOf(count, rows) {
  const columns = Math.min(MAX_COLUMNS, Math.max(8, Math.floor(MAX_CELLS / Math.max(1, rows))));
  if (count <= columns) return null;
  const size = Math.ceil(count / columns);
  return Array.from({ length: Math.ceil(count / size) }, (_, g) => [g * size, Math.min(count, (g + 1) * size)]);
}

// The number of largest size in row[start..end), and where it is.
function largestIn(row, [start, end]) {
  let at = start;
  for (let j = start; j < end; j += 1) if (Math.abs(row[j]) > Math.abs(row[at])) at = j;
  return at;
}

export function createHeat(label) {
  const el = document.createElement("figure");
  el.className = "heat";
  const head = document.createElement("div");
  head.className = "heat-row heat-head";
  head.setAttribute("aria-hidden", "true"); // the readout names each cell's column
  head.hidden = true;
  const grid = document.createElement("div");
  grid.className = "heat-grid";
  grid.tabIndex = 0;
  grid.setAttribute("role", "group");
  grid.setAttribute("aria-roledescription", "heat strip");
  const caption = document.createElement("figcaption");
  const readout = document.createElement("p");
  readout.className = "heat-readout";
  readout.setAttribute("aria-live", "polite");
  el.append(caption, head, grid, readout);
  // rows: the numbers; shown: a value per cell (rows themselves, or each group's largest); groups: null or [start, end) per cell
  const state = { rows: [], shown: [], groups: null, cols: [], rowNames: null, name: "", say: null, format: formatNumber, cursor: [0, 0] };

  function read([r, c]) {
    const value = state.shown[r]?.[c];
    if (value === undefined) return;
    state.cursor = [r, c];
    const row = state.rowNames ? `${state.rowNames[r]}, ` : "";
    const group = state.groups?.[c];
    readout.textContent = group
      ? `${row}${state.name}[${state.cols[group[0]]} to ${state.cols[group[1] - 1]}]: largest in size ${state.format(value)}, at ${state.cols[largestIn(state.rows[r], group)]}`
      : state.say ? state.say(r, c) : `${row}${state.name}[${state.cols[c]}] = ${state.format(value)}`;
    for (const cell of grid.querySelectorAll(".heat-cell.at")) cell.classList.remove("at");
    grid.children[r]?.children[c + (state.rowNames ? 1 : 0)]?.classList.add("at");
  }

  grid.addEventListener("mouseover", (event) => {
    const cell = event.target.closest(".heat-cell");
    if (cell) read([Number(cell.dataset.row), Number(cell.dataset.col)]);
  });
  grid.addEventListener("focus", () => read(state.cursor));
  grid.addEventListener("keydown", (event) => {
    const [r, c] = state.cursor;
    const last = (state.shown[r]?.length ?? 1) - 1;
    const moves = { ArrowLeft: [r, c - 1], ArrowRight: [r, c + 1], ArrowUp: [r - 1, c], ArrowDown: [r + 1, c],
                    Home: [r, 0], End: [r, last] };
    if (!(event.key in moves)) return;
    event.preventDefault();
    event.stopPropagation(); // the panel's own arrow keys walk its stages
    const [nr, nc] = moves[event.key];
    const row = Math.max(0, Math.min(state.shown.length - 1, nr));
    read([row, Math.max(0, Math.min(state.shown[row].length - 1, nc))]);
  });

  return {
    el,
    // rows: lists of numbers; cols: a label per column; rowNames: a label per row (null for one vector).
    show(rows, { name, cols, rowNames = null, title = label, header = false, say = null, format = formatNumber }) {
      const count = Math.max(0, ...rows.map((row) => row.length));
      const groups = groupsOf(count, rows.length);
      const shown = groups ? rows.map((row) => groups.map((group) => row[largestIn(row, group)])) : rows;
      Object.assign(state, { rows, shown, groups, cols, rowNames, name, say, format });
      const summary = groups ? ` (${count.toLocaleString("en")} numbers a row: each cell shows the largest in size of a group of ${groups[0][1]})` : "";
      caption.textContent = title + summary;
      grid.setAttribute("aria-label", `${title}: ${rows.length > 1 ? `${rows.length} rows of ` : ""}${count} numbers${summary}; use the arrow keys to read them`);
      let scale = 1e-12;
      for (const row of shown) for (const value of row) scale = Math.max(scale, Math.abs(value));
      el.style.setProperty("--cols", String(Math.max(1, ...shown.map((row) => row.length))));
      head.hidden = !header || Boolean(groups);
      head.replaceChildren(...(head.hidden ? [] : [...(rowNames ? [Object.assign(document.createElement("span"), { className: "heat-row-name" })] : []),
        ...cols.map((text) => Object.assign(document.createElement("span"), { className: "heat-col-name", textContent: text }))]));
      grid.replaceChildren(...shown.map((row, r) => {
        const line = document.createElement("div");
        line.className = "heat-row";
        if (rowNames) line.append(Object.assign(document.createElement("span"), { className: "heat-row-name", textContent: rowNames[r] }));
        row.forEach((value, c) => {
          const cell = document.createElement("span");
          cell.className = "heat-cell";
          cell.style.background = diverging(value / scale);
          Object.assign(cell.dataset, { row: String(r), col: String(c) });
          line.append(cell);
        });
        return line;
      }));
      state.cursor = [Math.max(0, Math.min(state.cursor[0], rows.length - 1)), 0];
      readout.textContent = `largest size ${format(scale)}; hover or focus for each number`;
    },
  };
}
