// The sentence of each backward moment of "Follow a token": where its
// gradient comes from (the later stages that read this stage's output, the
// residual's two paths adding, q, k and v read side by side from one input)
// and why it is larger or smaller than the moment before, with the step's
// own numbers. Each sentence is true of scalar.gpt(), the code that ran:
// a stage's gradient is the sum of what its readers send back.
//
// Which stage reads which is the engine's to say: each stage of its
// description (draw/model.js) names the stages it reads (model.describe's
// inputs, checked against microgpt's Value graph).

export const num = (x) => (Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(3) : x.toFixed(4));
const largest = (values) => values.reduce((most, x) => Math.max(most, Math.abs(x)), 0);
const times = (a, b) => (b === 0 ? "" : `${(a / b).toPrecision(2)} times`);
const plural = (count, word) => `${count} ${word}${count === 1 ? "" : "s"}`;

// For each stage (forward order), the indices of the stages that read its output.
export function readersOf(stages) {
  const index = new Map(stages.map((stage, i) => [stage.name, i]));
  const readers = stages.map(() => []);
  stages.forEach((stage, j) => stage.inputs.forEach((name) => readers[index.get(name)].push(j)));
  return readers;
}

// The stage's matrix for a reader of kind linear, as state_dict names it: "layer0.mlp_fc1".
const matrixOf = (stage) => stage.reads?.[0] ?? stage.name;

// Whether a stage's gradient also carries later positions' losses: it leads to a k or a v.
function reachesLater(walk, readers) {
  const memo = new Map();
  const reaches = (i) => {
    if (!memo.has(i)) {
      memo.set(i, false);
      const attentionInput = readers[i].some((j) => walk[j].kind === "attention");
      memo.set(i, (attentionInput && walk[i].output !== "q") || readers[i].some(reaches));
    }
    return memo.get(i);
  };
  return reaches;
}

function fromLoss(answer) {
  return `Backpropagation starts here. The step's loss is the mean of its ${answer.n} positions' losses, `
    + `so the gradient of the loss with respect to this position's loss_t is 1/${answer.n} = ${num(1 / answer.n)}.`;
}

function fromSoftmaxLoss(here, answer, state) {
  const p = answer.probs[answer.target];
  const g = here.data.backward[answer.target];
  return `Only the probability of the true next token “${state.label(answer.target)}” enters the loss (loss_t = -ln p), `
    + `so it alone gets a gradient: -1/(n·p) = -1/(${answer.n} × ${num(p)}) = ${num(g)}; the other `
    + `${here.data.backward.length - 1} probabilities get 0. Dividing by p, which is ${p < 1 ? "below" : "not below"} 1, `
    + `makes it ${p < 1 ? "larger" : "no smaller"} than the last moment's 1/${answer.n}.`;
}

function fromSoftmax(here, answer, state, before) {
  const p = answer.probs[answer.target];
  return `softmax makes every probability depend on every logit (they share one total), so each logit's gradient `
    + `gathers what comes back from all ${here.data.backward.length} probabilities. The chain rule gives (p − 1)/n for the `
    + `true token “${state.label(answer.target)}”: (${num(p)} − 1)/${answer.n} = ${num(here.data.backward[answer.target])}, `
    + `and p/n for every other token, positive: raising a wrong token's score would raise the loss. None is larger `
    + `than 1/${answer.n} in size, so the largest, ${num(largest(here.data.backward))}, is far below the last moment's ${num(before)}.`;
}

function fromResidualSum(here, reader) {
  return `${reader.name} adds these numbers to x_residual, and adding passes a gradient back unchanged to both `
    + `things added: these are exactly the numbers of the last moment (d x at ${reader.name}), the same size, ${num(largest(here.data.backward))}.`;
}

function fromLinear(here, reader, before) {
  const outputs = reader.data.backward.length;
  const size = largest(here.data.backward);
  return `${reader.name} computed its ${outputs} outputs from these ${here.data.backward.length} numbers, each output a `
    + `weighted sum of them (the weights of ${matrixOf(reader)}); so each number's gradient adds up ${outputs} products: `
    + `an output's gradient times the weight that joins them (${matrixOf(reader)}ᵀ · d ${reader.output}). `
    + `Its largest number is ${num(size)}, ${times(size, before)} the last moment's ${num(before)}: `
    + (size < before ? "the weights are small numbers, so the sums come out smaller." : "many products add up to more than each.");
}

function fromRelu(here, reader, before) {
  const off = here.data.forward.filter((x) => !(x > 0)).length;
  return `${reader.name} passed on the numbers that were above 0 and turned the rest into 0; going back it does the same: `
    + `where ${here.output} was above 0 the gradient passes unchanged, where it was 0 or below the gradient is 0 `
    + `(${off} of the ${here.data.forward.length} numbers here). So its largest number, ${num(largest(here.data.backward))}, `
    + `is at most the last moment's ${num(before)}.`;
}

function rmsOf(values) {
  return Math.sqrt(values.reduce((sum, x) => sum + x * x, 0) / values.length + 1e-5); // as rmsnorm computes it
}

function throughNorm(here, norm, before) {
  const rms = rmsOf(here.data.forward);
  const size = largest(here.data.backward);
  return `${norm.name} divided these numbers by their root mean square, ${num(rms)}; going back, rmsnorm multiplies `
    + `the gradient by 1/${num(rms)} = ${num(1 / rms)}, less the part that would only change x's overall size (which `
    + `rmsnorm undoes). That is why its largest number, ${num(size)}, is ${times(size, before)} the last moment's ${num(before)}.`;
}

function fromTwoPaths(here, norm, residual, before) {
  const direct = residual.data.backward;
  const through = here.data.backward.map((g, j) => g - direct[j]);
  const size = largest(here.data.backward);
  const block = residual.block === "mlp" ? "the MLP" : `the ${residual.block} block`;
  return `Two stages read these numbers, and their gradients add. ${residual.name} adds them back as x_residual after `
    + `${block}: that path passes the gradient unchanged (exactly d x at ${residual.name}, largest ${num(largest(direct))}). `
    + `${norm.name} normalises them as ${block}'s input: its gradient comes back through rmsnorm (largest ${num(largest(through))}). `
    + `Added, the largest is ${num(size)}, ${times(size, before)} the last moment's ${num(before)}, which was only the path into ${norm.name}.`;
}

function fromSideBySide(here, readers, walk, answer, before) {
  const names = readers.map((j) => walk[j]);
  const later = answer.position < answer.n - 1
    ? " Through k and v, the losses of the later positions, which attend to this one, reach it too." : "";
  return `q, k and v are computed side by side from these same numbers (${names.map((s) => `${s.output} with ${matrixOf(s)}`).join(", ")}), `
    + `not one from another; so the gradient here is the sum of the three that come back: `
    + `${names.map((s) => `${matrixOf(s)}ᵀ · d ${s.output}`).join(" + ")}.${later} Its largest number is `
    + `${num(largest(here.data.backward))}; the last moment (${num(before)}) was d ${walk[readers[0]].output} alone, one of the three.`;
}

function fromAttention(here, reader, answer, before) {
  const p = answer.position;
  const heads = reader.data.heads ?? [];
  const headDim = heads.length ? here.data.backward.length / heads.length : "?";
  const later = answer.n - 1 - p;
  let where;
  if (here.output === "q") {
    where = `q is used only by this position's own attention: each head scores its ${headDim} numbers of q against `
      + `the keys of positions 0 to ${p}, so q's gradient comes back from those ${plural(p + 1, "score")} per head (each score's `
      + `gradient times the key it was scored against, divided by √${headDim}). `
      + (p === 0 ? "At position 0 each head has one score, and softmax turns a single score into weight 1 whatever it is: "
        + "the score's gradient is 0, and so is q's here."
        : `The scores' gradients here are at most ${num(largest(heads.flatMap((h) => h.d_logits)))} in size.`);
  } else if (here.output === "k") {
    where = `k joins this layer's list of keys: this position's query and the query of every later position score `
      + `against it, so its gradient adds up what comes back from ${plural(later + 1, "score")} per head (this position's`
      + `${later ? ` and those of ${plural(later, "later position")}` : "; it is the last position, so no later one"}).`;
  } else {
    where = `v joins this layer's list of values: each head adds it into the output of this position and of every `
      + `later one, weighted by the attention that position gives to position ${p}; so its gradient adds up `
      + `the gradients of ${plural(later + 1, "output")}, each times its weight${later ? "" : " (the last position: only its own)"}.`;
  }
  const size = largest(here.data.backward);
  const last = here.index + 1 === reader.index ? `${times(size, before)} the last moment's ${num(before)}`
    : `not computed from the last moment (${num(before)}): q, k and v only share their input`;
  return `${where} Its largest number is ${num(size)}, ${last}.`;
}

// The backward sentence of walk[i]; walk: every stage in forward order, its
// description (name, kind, block, layer, reads, output: its variable) with
// data (explain's) and index.
export function backwardText(walk, i, answer, state) {
  const here = walk[i];
  if (here.kind === "loss") return fromLoss(answer);
  const readersAll = readersOf(walk);
  const readers = readersAll[i];
  const before = largest(walk[i + 1]?.data.backward ?? []);
  const kinds = readers.map((j) => walk[j].kind);
  const reader = walk[readers[0]];
  const opening = kinds[0] === "loss"
    ? `d loss / d ${here.output} at position ${answer.position}: how much the step's loss would change if each of these `
      + `${here.data.backward.length} numbers were nudged up a little. `
    : `d loss / d ${here.output} at position ${answer.position}, for each of its ${here.data.backward.length} numbers. `;
  const twoPaths = kinds.length === 2 && kinds.includes("residual") && kinds.includes("rmsnorm");
  // q, k and v's own sentences (side by side, attention) say how later positions reach them; the others say it here.
  const saysLater = !twoPaths && (kinds.length > 1 || kinds[0] === "attention");
  let from;
  if (twoPaths) from = fromTwoPaths(here, walk[readers[kinds.indexOf("rmsnorm")]], walk[readers[kinds.indexOf("residual")]], before);
  else if (kinds.length > 1) from = fromSideBySide(here, readers, walk, answer, before);
  else if (kinds[0] === "loss") from = fromSoftmaxLoss(here, answer, state);
  else if (kinds[0] === "softmax") from = fromSoftmax(here, answer, state, before);
  else if (kinds[0] === "residual") from = fromResidualSum(here, reader);
  else if (kinds[0] === "relu") from = fromRelu(here, reader, before);
  else if (kinds[0] === "rmsnorm") from = throughNorm(here, reader, before);
  else if (kinds[0] === "attention") from = fromAttention(here, reader, answer, before);
  else if (kinds[0] === "linear") from = fromLinear(here, reader, before);
  else from = `The chain rule brings it back from ${readers.map((j) => walk[j].name).join(" and ")}.`;
  const later = !saysLater && answer.position < answer.n - 1 && reachesLater(walk, readersAll)(i)
    ? " Through k and v, the later positions' losses reach it too." : "";
  const into = here.kind === "embedding"
    ? " x was the sum of the token's wte row and the position's wpe row, so these numbers are added to both rows' gradients"
      + " (the wte row's also gathers every other position of the document that reads the same token)." : "";
  return opening + from + later + into;
}
