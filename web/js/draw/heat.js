// A heat strip (one vector) or a small matrix (a few rows) of numbers as
// coloured cells: red above 0, blue below, white at 0, scaled by the largest
// size shown. The exact number of a cell shows in the readout under it on
// hover, and on keyboard focus: the strip is one tab stop, and the arrow
// keys (Home, End) move a cursor over its cells.
//
//   const heat = createHeat("q at position 2");
//   heat.show([[0.1, -0.4, ...]], { name: "q", cols: ["0", "1", ...], rows: null });
import { diverging } from "./colours.js";

const format = (value) => (Math.abs(value) >= 1e4 || (value !== 0 && Math.abs(value) < 1e-3) ? value.toExponential(3) : value.toFixed(4));

export function createHeat(label) {
  const el = document.createElement("figure");
  el.className = "heat";
  const grid = document.createElement("div");
  grid.className = "heat-grid";
  grid.tabIndex = 0;
  grid.setAttribute("role", "group");
  grid.setAttribute("aria-roledescription", "heat strip");
  const caption = document.createElement("figcaption");
  const readout = document.createElement("p");
  readout.className = "heat-readout";
  readout.setAttribute("aria-live", "polite");
  el.append(caption, grid, readout);
  const state = { rows: [], cols: [], rowNames: null, name: "", cursor: [0, 0] };

  function read([r, c]) {
    const value = state.rows[r]?.[c];
    if (value === undefined) return;
    state.cursor = [r, c];
    const row = state.rowNames ? `${state.rowNames[r]}, ` : "";
    readout.textContent = `${row}${state.name}[${state.cols[c]}] = ${format(value)}`;
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
    const last = (state.rows[r]?.length ?? 1) - 1;
    const moves = { ArrowLeft: [r, c - 1], ArrowRight: [r, c + 1], ArrowUp: [r - 1, c], ArrowDown: [r + 1, c],
                    Home: [r, 0], End: [r, last] };
    if (!(event.key in moves)) return;
    event.preventDefault();
    event.stopPropagation(); // the panel's own arrow keys walk its stages
    const [nr, nc] = moves[event.key];
    const row = Math.max(0, Math.min(state.rows.length - 1, nr));
    read([row, Math.max(0, Math.min(state.rows[row].length - 1, nc))]);
  });

  return {
    el,
    // rows: lists of numbers; cols: a label per column; rowNames: a label per row (null for one vector).
    show(rows, { name, cols, rowNames = null, title = label }) {
      Object.assign(state, { rows, cols, rowNames, name });
      caption.textContent = title;
      grid.setAttribute("aria-label", `${title}: ${rows.length > 1 ? `${rows.length} rows of ` : ""}${rows[0]?.length ?? 0} numbers; use the arrow keys to read them`);
      const scale = Math.max(1e-12, ...rows.flat().map(Math.abs));
      grid.style.setProperty("--cols", String(Math.max(...rows.map((row) => row.length), 1)));
      grid.replaceChildren(...rows.map((row, r) => {
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
      state.cursor = [Math.min(state.cursor[0], rows.length - 1), 0];
      readout.textContent = `largest size ${format(scale)}; hover or focus for each number`;
    },
  };
}
