// The moments of "Follow a token" (panels/follow.js) and how one is shown:
// every stage of the session's model forward, every stage backward (loss
// first), then the optimizer's update of the wte and wpe rows the position
// read. A moment is shown as its title, its shape, a plain sentence, heat
// strips of its numbers and the code that computed them. Everything named
// here comes from the engine: its description of the model (draw/model.js:
// each stage's kind, block, output variable, help) and its explain() answer.
import { element } from "../draw/dom.js";
import { createHeat } from "../draw/heat.js";
import { backwardText, num } from "./follow-words.js";

// model: the engine's description of the session's model (or null before it is known).
export function momentsOf(model, answer) {
  const meta = new Map((model?.stages ?? []).map((stage) => [stage.name, stage]));
  const unknown = (name) => ({ name, stage: name, layer: null, kind: "", block: "", reads: [], output: name, formula: "", help: "" });
  const steps = answer.stages.map((data, k) => ({ data, stage: meta.get(data.name) ?? unknown(data.name), index: k }));
  const forward = steps.map((s) => ({ kind: "forward", ...s, title: `forward · ${s.data.name}` }));
  const backward = steps.slice().reverse().map((s) => ({ kind: "backward", ...s, after: answer.stages[s.index + 1]?.name ?? null,
                                                         title: `backward · ${s.data.name}` }));
  const by = model?.optimizer?.label ?? answer.update.optimizer;
  const update = ["wte", "wpe"].map((matrix) => ({ kind: "update", matrix,
                                                   title: `${by} updates ${matrix}[${matrix === "wte" ? "token" : "position"}]` }));
  return [...forward, ...backward, ...update];
}

// What a vector's columns are: tokens for vocabulary-sized ones, else indices.
function columns(values, state) {
  const vocabSize = state.vocab.length + 1;
  return values.length === vocabSize ? values.map((_, id) => `“${state.label(id)}”`) : values.map((_, j) => String(j));
}

function stageText(moment, answer, state) {
  const { stage } = moment;
  const here = `Here: position ${answer.position}, reading “${state.label(answer.token)}” to predict “${state.label(answer.target)}”.`;
  const name = stage.output;
  if (moment.kind === "forward") {
    let extra = "";
    if (stage.kind === "embedding") {
      extra = " wpe is there because attention alone takes no account of order: without it the same letter at different places would look identical.";
    }
    if (stage.kind === "softmax") {
      const { temperature: t, probs } = answer.sampled;
      const sampled = probs[answer.target];
      extra = ` It gives the true next token “${state.label(answer.target)}” probability ${num(answer.probs[answer.target])}. `
        + `When sampling, temperature divides the logits before softmax: below 1 sharpens the probabilities, above 1 flattens them. `
        + `At this session's temperature, ${t}, “${state.label(answer.target)}” would get ${num(sampled)} (the second strip).`;
    }
    if (stage.kind === "loss") extra = ` Here ${name} = -ln ${num(answer.probs[answer.target])} = ${num(answer.loss)} nats.`;
    return `${stage.help} ${here}${extra}`;
  }
  const walk = state.moments.filter((m) => m.kind === "forward").map((m) => ({ ...m.stage, data: m.data, index: m.index }));
  return backwardText(walk, moment.index, answer, state);
}

function stageHeats(moment, answer, state) {
  const { data } = moment;
  const name = moment.stage.output;
  const values = moment.kind === "forward" ? data.forward : data.backward;
  const label = moment.kind === "forward" ? name : `d loss / d ${name}`;
  const heats = [];
  if (data.heads) {
    const key = moment.kind === "forward" ? "weights" : "d_weights";
    const heat = createHeat(label);
    heat.show(data.heads.map((head) => head[key]), {
      name: moment.kind === "forward" ? "attn_weights" : "d attn_weights",
      cols: answer.tokens.slice(0, answer.position + 1).map((id, t) => `${t} “${state.label(id)}”`),
      rowNames: data.heads.map((_, h) => `head ${h}`),
      title: `${moment.kind === "forward" ? "attention weights" : "gradient of the attention weights"}: one row per head, one column per position 0 to ${answer.position}`,
    });
    heats.push(heat);
  }
  const heat = createHeat(label);
  heat.show([values], { name: label, cols: columns(values, state), title: `${label} at position ${answer.position}` });
  heats.push(heat);
  if (moment.kind === "forward" && moment.stage.kind === "softmax") {
    const { temperature: t, probs } = answer.sampled; // the engine's: what Session.sample draws from
    const sampled = createHeat("tempered");
    sampled.show([probs], { name: `probs at temperature ${t}`, cols: columns(values, state),
                            title: `probs at temperature ${t}: softmax(logits / ${t}), what sampling draws from` });
    heats.push(sampled);
  }
  const positions = answer.position + 1;
  const shape = data.heads ? `${data.heads.length} heads × ${positions} position${positions === 1 ? "" : "s"}, then ${values.length} numbers`
    : `${values.length} number${values.length === 1 ? "" : "s"}`;
  return { heats, shape };
}

// The update of one row: its gradient, the optimizer's memory of it (Adam's m
// and v; plain gradient descent keeps none) and the step taken.
function updateView(moment, answer, state) {
  const row = answer.weights[moment.matrix];
  const { update } = answer;
  const adam = update.optimizer === "adam";
  const what = moment.matrix === "wte" ? `the row of the token “${state.label(row.row)}”` : `the row of position ${row.row}`;
  const step = row.after.map((after, j) => after - row.before[j]);
  const strips = [["grad", row.grad, "gradient"],
                  ...(adam ? [["m", row.m, "m: running average of the gradient"], ["v", row.v, "v: running average of the gradient squared"]] : []),
                  ["step", step, "the step taken: after - before"]];
  const heats = strips.map(([name, values, title]) => {
    const heat = createHeat(title);
    heat.show([values], { name: `${name} ${moment.matrix}[${row.row}]`, cols: values.map((_, j) => String(j)), title });
    return heat;
  });
  const config = state.config ?? {};
  const decay = config.num_steps ? `lr_t = ${num(update.lr)} is the learning rate ${config.learning_rate} decayed over ${update.t} of `
    + `${config.num_steps} steps: it falls in a straight line to 0 at the last step, so steps are large early and small late, `
    + "and the weights settle instead of bouncing on one document's noise. " : `lr_t = ${num(update.lr)}. `;
  const how = adam
    ? `Adam moves each of the ${row.after.length} numbers of ${moment.matrix}[${row.row}], ${what}. `
      + `m and v are running averages of the gradient and of its square; the step is -lr_t · m̂ / (√v̂ + eps), `
      + `with m̂ = m / ${num(update.bias_correction1)} and v̂ = v / ${num(update.bias_correction2)} at step ${update.t + 1}. `
      + `That is the bias correction: m and v start at 0, so their early averages are too small; dividing by 1 − β1^t and `
      + `1 − β2^t (β1 = ${update.beta1}, β2 = ${update.beta2}, t = ${update.t + 1}) undoes that, and the divisors fade toward 1 as steps go by. `
    : `Plain gradient descent moves each of the ${row.after.length} numbers of ${moment.matrix}[${row.row}], ${what}: `
      + `the step is -lr_t × its gradient at step ${update.t + 1}; nothing is remembered from earlier steps. `;
  const text = how + decay
    + (moment.matrix === "wte" ? "The gradient adds up every position of this document that read this token."
      : "wpe has a row per position because attention alone takes no account of order.");
  return { heats, shape: `${row.after.length} numbers (a row of ${moment.matrix})`, text };
}

// The optimizer's lines, per weight (Adam's are microgpt's own).
function showUpdateCode(source, optimizer) {
  if (!optimizer) return;
  source.text(`${optimizer.label}, per weight${optimizer.name === "adam" ? " (microgpt's lines)" : ""}:`, optimizer.formula);
}

export function createMomentView(source) {
  const title = element("h3");
  const shape = element("p", { className: "follow-shape" });
  const text = element("p", { className: "follow-text" });
  const heats = element("div", { className: "follow-heats" });
  const el = element("div", { className: "follow-moment", hidden: true }, title, shape, text, heats, source.el);
  return {
    el,
    show(moment, answer, state) {
      el.hidden = !moment;
      if (!moment) return;
      title.textContent = moment.title;
      const shown = moment.kind === "update" ? updateView(moment, answer, state)
        : { ...stageHeats(moment, answer, state), text: stageText(moment, answer, state) };
      shape.textContent = `Shape: ${shown.shape}`;
      text.textContent = shown.text;
      heats.replaceChildren(...shown.heats.map((heat) => heat.el));
      if (moment.kind === "update") showUpdateCode(source, state.model?.optimizer);
      else source.show(moment.stage.stage);
    },
  };
}
