// A heat strip (one vector) or a small matrix (a few rows) of numbers as
// coloured cells: red above 0, blue below, white at 0, scaled by the largest
// size shown. The exact number of a cell shows in the readout under it on
// hover, and on keyboard focus: the strip is one tab stop, and the arrow
// keys (Home, End) move a cursor over its cells. Past what a strip can show
// it draws a summary (draw/summary.js): each cell stands for a block of
// neighbouring numbers and shows the largest in size, and its readout names
// the block, so a vocabulary of thousands (a row of logits, a bigram table)
// stays a few thousand cells.
//
//   const heat = createHeat("q at position 2");
//   heat.show([[0.1, -0.4, ...]], { name: "q", cols: ["0", "1", ...], rows: null });
//   heat.show(matrix, { name, cols, rowNames, header: true, say: (r, c) => "a sentence for cell r, c" });
// A row is a list of numbers, or a sparse row (draw/summary.js). header: the column labels over the cells (unless
// summarised); say: the readout's words for a number (row r, column c), in
// place of "name[column] = value"; format: how a number is written (4
// decimals, or an exponent, by default).
import { diverging } from "./colours.js";
import { element } from "./dom.js";
import { summarize } from "./summary.js";

const formatNumber = (value) => (Math.abs(value) >= 1e4 || (value !== 0 && Math.abs(value) < 1e-3) ? value.toExponential(3) : value.toFixed(4));

export function createHeat(label) {
  // The column labels: the readout names each cell's column.
  const head = element("div", { className: "heat-row heat-head", "aria-hidden": "true", hidden: true });
  const grid = element("div", { className: "heat-grid", tabIndex: 0, role: "group", "aria-roledescription": "heat strip" });
  const caption = element("figcaption");
  const readout = element("p", { className: "heat-readout", "aria-live": "polite" });
  const el = element("figure", { className: "heat" }, caption, head, grid, readout);
  // summary: what summarize() made of the rows; the rest: show()'s options
  const state = { summary: { shown: [] }, cols: [], rowNames: null, name: "", say: null, format: formatNumber, cursor: [0, 0] };

  // The words for cell [r, c]: its number, or the block it summarises.
  function words([r, c]) {
    const { shown, where, rowGroups, colGroups } = state.summary;
    const { cols, rowNames, name, say, format } = state;
    if (!where) return say ? say(r, c) : `${rowNames ? `${rowNames[r]}, ` : ""}${name}[${cols[c]}] = ${format(shown[r][c])}`;
    const rowName = (i) => (rowNames ? rowNames[i] : `row ${i}`);
    const rowsOf = rowGroups ? `${rowName(rowGroups[r][0])} to ${rowName(rowGroups[r][1] - 1)}, ` : rowNames ? `${rowNames[r]}, ` : "";
    const colsOf = colGroups ? `${cols[colGroups[c][0]]} to ${cols[colGroups[c][1] - 1]}` : cols[c];
    const at = where[r][c];
    if (!at) return `${rowsOf}${name}[${colsOf}]: all 0`;
    const [row, col] = at;
    const place = say ? say(row, col) : rowGroups ? `${rowName(row)}, ${cols[col]}` : cols[col];
    return `${rowsOf}${name}[${colsOf}]: largest in size ${format(shown[r][c])}, at ${place}`;
  }

  function read([r, c]) {
    if (state.summary.shown[r]?.[c] === undefined) return;
    state.cursor = [r, c];
    readout.textContent = words([r, c]);
    for (const cell of grid.querySelectorAll(".heat-cell.at")) cell.classList.remove("at");
    grid.children[r]?.children[c + (state.rowNames ? 1 : 0)]?.classList.add("at");
  }

  grid.addEventListener("mouseover", (event) => {
    const cell = event.target.closest(".heat-cell");
    if (cell) read([Number(cell.dataset.row), Number(cell.dataset.col)]);
  });
  grid.addEventListener("focus", () => read(state.cursor));
  grid.addEventListener("keydown", (event) => {
    const { shown } = state.summary;
    const [r, c] = state.cursor;
    const last = (shown[r]?.length ?? 1) - 1;
    const moves = { ArrowLeft: [r, c - 1], ArrowRight: [r, c + 1], ArrowUp: [r - 1, c], ArrowDown: [r + 1, c],
                    Home: [r, 0], End: [r, last] };
    if (!(event.key in moves)) return;
    event.preventDefault();
    event.stopPropagation(); // the panel's own arrow keys walk its stages
    const [nr, nc] = moves[event.key];
    const row = Math.max(0, Math.min(shown.length - 1, nr));
    read([row, Math.max(0, Math.min(shown[row].length - 1, nc))]);
  });

  // What the caption adds when the cells summarise the numbers.
  function summaryWords({ rowGroups, colGroups, count }, rows) {
    if (rowGroups) {
      return ` (${rows.toLocaleString("en")} rows of ${count.toLocaleString("en")} numbers: each cell shows the largest `
        + `in size of a block of ${rowGroups[0][1]} rows by ${colGroups ? colGroups[0][1] : 1} columns)`;
    }
    return colGroups ? ` (${count.toLocaleString("en")} numbers a row: each cell shows the largest in size of a group of ${colGroups[0][1]})` : "";
  }

  return {
    el,
    // rows: lists of numbers (or sparse rows); cols: a label per column; rowNames: a label per row (null for one vector).
    show(rows, { name, cols, rowNames = null, title = label, header = false, say = null, format = formatNumber }) {
      const summary = summarize(rows);
      const { shown, rowGroups, colGroups, count } = summary;
      Object.assign(state, { summary, cols, rowNames, name, say, format });
      const summarised = summaryWords(summary, rows.length);
      caption.textContent = title + summarised;
      grid.setAttribute("aria-label", `${title}: ${rows.length > 1 ? `${rows.length} rows of ` : ""}${count} numbers${summarised}; use the arrow keys to read them`);
      let scale = 1e-12;
      for (const row of shown) for (const value of row) scale = Math.max(scale, Math.abs(value));
      el.style.setProperty("--cols", String(Math.max(1, ...shown.map((row) => row.length))));
      head.hidden = !header || Boolean(colGroups);
      head.replaceChildren(...(head.hidden ? [] : [...(rowNames ? [element("span", { className: "heat-row-name" })] : []),
        ...cols.map((text) => element("span", { className: "heat-col-name", textContent: text }))]));
      const rowName = (r) => (rowGroups ? `${rowNames[rowGroups[r][0]]}…` : rowNames[r]);
      grid.replaceChildren(...shown.map((row, r) => {
        const line = element("div", { className: "heat-row" });
        if (rowNames) line.append(element("span", { className: "heat-row-name", textContent: rowName(r) }));
        row.forEach((value, c) => {
          const cell = element("span", { className: "heat-cell", dataset: { row: String(r), col: String(c) } });
          cell.style.background = diverging(value / scale);
          line.append(cell);
        });
        return line;
      }));
      state.cursor = [Math.max(0, Math.min(state.cursor[0], shown.length - 1)), 0];
      readout.textContent = `largest size ${format(scale)}; hover or focus for each number`;
    },
  };
}
