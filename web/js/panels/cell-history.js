// The inspector's cell history over the whole run: the shown matrix at
// step 0 and at each kept checkpoint (state.past: draw/run-history.js),
// merged with the values read live while the session is shown
// (which win for the same step), up to the step shown (time travel).

const HISTORY_LIMIT = 500; // steps read live, per cell

export function cellValues(data, [row, col]) {
  const i = row * data.shape[1] + col;
  const at = (list) => (list ? list[i] : null);
  return { step: data.step, value: data.weights[i], grad: at(data.grads), m: at(data.m), v: at(data.v), update: at(data.update) };
}

// The shown cell over the run: its values at the kept checkpoints, and
// those read live (which win for the same step), in step order.
export function mergeHistory(state) {
  const byStep = new Map();
  for (const answer of state.past?.upTo(state.upTo) ?? []) {
    if (answer.name === state.matrix && answer.step <= state.upTo) byStep.set(answer.step, cellValues(answer, state.cell));
  }
  for (const entry of state.live()) if (entry.step <= state.upTo) byStep.set(entry.step, entry);
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

// The shown cell's values join its live history (one entry per step).
export function record(state) {
  const { data } = state;
  if (!data || data.name !== state.matrix) return;
  const list = state.live();
  const entry = cellValues(data, state.cell);
  if (list.length && list[list.length - 1].step === entry.step) list[list.length - 1] = entry;
  else list.push(entry);
  if (list.length > HISTORY_LIMIT) list.splice(0, list.length - HISTORY_LIMIT);
  state.histories.set(state.cellKey(), list);
}

