// The model ladder in the lab ("Build it up"): the engine's rungs
// (schema.ladder, from py/microgpt_lab/ladder.py) as guided experiments,
// each a preset with its sentence on what it adds and why and an answer
// from its run's numbers against the counting bigram and the rung below;
// and one action that trains them all: one ordinary session per rung (listed,
// comparable, deletable), named by its rung, on the chosen dataset with the
// same seed and steps, overlaid in Compare runs.
//
//   rungExperiments(schema.ladder, schema.config)   the rungs as experiments (ui/experiments.js lists them)
//   bindLadder({button, steps, note}, {schema, sessions, router, dataset})
//   rungName(rung, index)                           "Rung 1 · learned bigram", its sessions' name
//   isRung(rung, config, schema.config)             whether a session's config is the rung's (but for its steps)

import { element } from "../draw/dom.js";
import { withDefaults } from "../draw/names.js";
import { createSeries } from "../draw/series.js";
import { datasetOf, sameDataset } from "../sessions/dataset-kind.js";

const TAIL = 100; // the last steps whose mean loss an answer quotes (steadier than the smoothed loss)
// Fields that change neither the numbers a run trains to nor its documents: a rung's run may differ in them.
const FREE = ["num_steps", "temperature", "engine"];

const f = (x) => x.toFixed(3);
export const rungName = (rung, index) => `Rung ${index + 1} · ${rung.name}`;

// Start one session per config on the same data and run them all; their ids
// in the configs' order. A config the engine refuses refuses them all, before
// any starts. Each run gets a worker of its own while the pool has one under
// its limit (engine/pool.js: the cores but one, at least two); the rest wait
// their turn.
async function trainSeveral(sessions, configs, dataset) {
  for (const config of configs) await sessions.checkConfig(config);
  const ids = [];
  for (const config of configs) ids.push(await sessions.start(config, dataset));
  for (const id of ids) sessions.run(id).catch(() => {}); // a run that fails says so in its own status
  return ids;
}

// Whether a config is the rung's (but for FREE fields).
export function isRung(rung, config, fields) {
  const [full, preset] = [withDefaults(config, fields), withDefaults(rung.config, fields)];
  return fields.every((field) => FREE.includes(field.name) || full[field.name] === preset[field.name]);
}

// The mean loss of a run's stored steps from step `from` to step `to`.
function meanLoss(steps, from, to) {
  const losses = steps.filter((event) => event.step >= from && event.step <= to).map((event) => event.loss);
  return losses.length ? losses.reduce((a, b) => a + b, 0) / losses.length : null;
}

// The rung's answer: where its loss went against the counting bigram's line,
// and against the rung below it over the same steps (the same documents,
// when both kept the ladder's seed and data).
function answer(ladder, index, fields) {
  return (run, others) => {
    const series = createSeries();
    for (const event of run.steps) series.push(event.step, event.loss);
    const last = series.lastStep();
    const from = Math.max(1, last - TAIL + 1);
    const mean = meanLoss(run.steps, from, last);
    const bigram = run.bigram?.loss;
    let text = `Over steps ${from} to ${last} its loss averaged ${f(mean)}`;
    if (typeof bigram === "number") {
      const below = series.firstBelow(bigram);
      text += `, ${f(Math.abs(mean - bigram))} ${mean < bigram ? "below" : "above"} the counting bigram's line (${f(bigram)}). `
        + (below === null ? "Its smoothed loss has not gone below the line yet."
          : `Its smoothed loss first went below it at step ${below}.`);
    } else {
      text += ".";
    }
    if (index === 0) return `${text} Each rung above adds one thing to this one.`;
    const below = others.find((other) => isRung(ladder[index - 1], other.record.config, fields)
      && other.record.config.seed === run.record.config.seed && sameDataset(datasetOf(other.record), datasetOf(run.record)));
    if (!below) return `${text} Train ${rungName(ladder[index - 1], index - 1)} too (or the whole ladder) to see what this rung adds.`;
    const end = Math.min(last, below.steps.at(-1)?.step ?? 0);
    const start = Math.max(1, end - TAIL + 1);
    const [mine, theirs] = [meanLoss(run.steps, start, end), meanLoss(below.steps, start, end)];
    if (mine === null || theirs === null) return text;
    const gap = theirs - mine;
    return `${text} Over steps ${start} to ${end}, ${rungName(ladder[index - 1], index - 1)} averaged ${f(theirs)}: `
      + `this rung is ${Math.abs(gap) < 0.0005 ? "level with it" : `${f(Math.abs(gap))} ${gap > 0 ? "lower" : "higher"}`}, `
      + "on the same documents in the same order, so the difference is the rung's.";
  };
}

// The rungs as guided experiments (ui/experiments.js): each fills the form
// with its config over the defaults, on the bundled names.
export function rungExperiments(ladder, fields) {
  return ladder.map((rung, index) => ({
    id: `rung-${rung.id}`,
    title: rungName(rung, index),
    config: rung.config,
    rung: true,
    adds: rung.adds,
    question: `${rung.adds} How far below the counting bigram's line does it get?`,
    look: "the Loss panel: the smoothed loss against the counting bigram's dotted line and the uniform guess; "
      + "then train the rung below too and tick both in Compare runs.",
    matches: (config) => isRung(rung, config, fields),
    answer: answer(ladder, index, fields),
  }));
}

// "Train the whole ladder": every rung at once on the chosen dataset, the
// steps per rung from its own field; the new sessions are compared together
// and the top rung is shown.
export function bindLadder({ button, steps, note }, { schema, sessions, router, dataset }) {
  const defaults = Object.fromEntries(schema.config.map((field) => [field.name, field.default]));
  steps.value = String(defaults.num_steps);
  const say = (...parts) => note.replaceChildren(...parts);

  async function train() {
    const numSteps = Number(steps.value);
    if (!/^\d+$/.test(steps.value.trim())) {
      say(`Steps per rung must be a whole number, got "${steps.value}".`);
      steps.focus();
      return;
    }
    const configs = schema.ladder.map((rung) => ({ ...defaults, ...rung.config, num_steps: numSteps }));
    say("Starting the rungs…");
    const data = await dataset.load();
    const ids = await trainSeveral(sessions, configs, data);
    await Promise.all(ids.map((id, index) => sessions.rename(id, rungName(schema.ladder[index], index))));
    await router.select(ids.at(-1));
    await router.refreshList();
    router.compare(ids);
    const go = element("button", { type: "button", className: "small", textContent: "Go to Compare runs" });
    go.addEventListener("click", () => {
      const panel = document.querySelector("[data-panel=compare]");
      panel.scrollIntoView({ block: "start" });
      panel.querySelector("input")?.focus({ preventScroll: true });
    });
    say(`Training the ${ids.length} rungs on ${data.name}, ${numSteps.toLocaleString("en")} steps each, seed ${defaults.seed}: `
      + "Compare runs overlays them as they learn. ", go);
  }

  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await train();
    } catch (error) {
      say(`The ladder could not start: ${error.message}`);
    } finally {
      button.disabled = false;
    }
  });
}
