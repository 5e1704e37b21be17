// A matrix of numbers as the cells a heat map can draw (draw/heat.js): the
// numbers themselves when they fit (at most MAX_ROWS rows, MAX_COLUMNS
// cells a row, MAX_CELLS in all), else a summary: each cell stands for a
// block of neighbouring rows and columns and holds its number of largest
// size, and where that number is. A row is a list of numbers, or for a row
// mostly 0 (a bigram table's) {length, at: [columns], values: [numbers]};
// a summary of sparse rows costs what they hold, not rows x columns.
//
//   const { shown, where, rowGroups, colGroups, count } = summarize(rows);
//   shown[r][c]      // the value of cell r, c
//   where            // null when the cells are the numbers, else where[r][c] = [row, column] of the
//                    // cell's number (null for a block holding none: its value is 0)
//   rowGroups, colGroups  // null, or [start, end) of each cell's block; count: the longest row's length

const MAX_ROWS = 64;
const MAX_COLUMNS = 128;
const MAX_CELLS = 2048;

function forEachNumber(row, fn) {
  if (Array.isArray(row)) row.forEach((value, c) => fn(value, c));
  else row.at.forEach((c, i) => fn(row.values[i], c));
}

// Groups of neighbouring indices, [start, end) each, to show `count` of them in at most `most`; null when they fit.
function groupsOf(count, most) {
  if (count <= most) return null;
  const size = Math.ceil(count / most);
  return Array.from({ length: Math.ceil(count / size) }, (_, g) => [g * size, Math.min(count, (g + 1) * size)]);
}

export function summarize(rows) {
  const count = Math.max(0, ...rows.map((row) => row.length));
  const rowGroups = groupsOf(rows.length, MAX_ROWS);
  const shownRows = rowGroups ? rowGroups.length : rows.length;
  const colGroups = groupsOf(count, Math.min(MAX_COLUMNS, Math.max(8, Math.floor(MAX_CELLS / Math.max(1, shownRows)))));
  if (!rowGroups && !colGroups) {
    const shown = rows.map((row) => {
      const values = new Array(row.length).fill(0);
      forEachNumber(row, (value, c) => { values[c] = value; });
      return values;
    });
    return { shown, where: null, rowGroups, colGroups, count };
  }
  const rowSize = rowGroups ? rowGroups[0][1] : 1;
  const colSize = colGroups ? colGroups[0][1] : 1;
  const shownCols = colGroups ? colGroups.length : count;
  const shown = Array.from({ length: shownRows }, () => new Array(shownCols).fill(0));
  const where = Array.from({ length: shownRows }, () => new Array(shownCols).fill(null));
  rows.forEach((row, r) => {
    const g = Math.floor(r / rowSize);
    forEachNumber(row, (value, c) => {
      const h = Math.floor(c / colSize);
      if (where[g][h] === null || Math.abs(value) > Math.abs(shown[g][h])) {
        shown[g][h] = value;
        where[g][h] = [r, c];
      }
    });
  });
  return { shown, where, rowGroups, colGroups, count };
}

