// What data a session trained on, one table for every reader. A session
// record keeps it as `dataset: {kind, name}` (the stored dataset as {kind,
// name} too); the kinds are the form's dataset choices, and "imported" for
// a trace, which brings no data. Records saved before kinds were stored
// have only a display string (dataset_name, or the stored dataset's name):
// it is read here, once.
//
//   const data = datasetOf(record);    // {kind, name}
//   DATASET_KINDS[data.kind].label     // what it is called in a session's name ("names", "own data")
//   datasetTitle(data)                 // how it is shown ("names.txt", "imported from run.json")
//   datasetFile(data)                  // the file `python -m microgpt_lab train --data` reads
//   sameDataset(a, b)

export const DATASET_KINDS = Object.freeze({
  default: { label: "names", file: "data/names.txt" }, // the bundled names, the form's default
  makemore: { label: "makemore names", file: "names.txt" }, // makemore's names.txt, downloaded
  file: { label: "own data", file: null }, // a file of the learner's, by its own name
  paste: { label: "own data", file: "pasted.txt" }, // text pasted into the form
  imported: { label: "imported", file: null }, // a trace file: no data behind it
});

const OLD_NAMES = { "names.txt": "default", "makemore names.txt": "makemore", "pasted text": "paste" };
const IMPORTED = "imported from ";

export function datasetOf(record) {
  if (record.dataset) return record.dataset;
  if (record.kind) return { kind: record.kind, name: record.name };
  const shown = record.dataset_name ?? record.name ?? "";
  if (shown.startsWith(IMPORTED)) return { kind: "imported", name: shown.slice(IMPORTED.length) };
  return { kind: OLD_NAMES[shown] ?? "file", name: shown };
}

export const datasetTitle = ({ kind, name }) => (kind === "imported" ? `${IMPORTED}${name}` : name);

export const datasetFile = ({ kind, name }) => DATASET_KINDS[kind]?.file ?? name;

export const sameDataset = (a, b) => a.kind === b.kind && a.name === b.name;
