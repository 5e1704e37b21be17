// Guided experiments: a config preset, one question, what to look at (things
// on screen) and, after the run, a short answer drawn from the run's own
// numbers ("What happened?": the shown session's steps and samples, compared
// with a run of the default settings when there is one).
// "Set up" fills the form (every field: the preset over the defaults) and
// the dataset choice, and puts the experiment's link in the address bar, so
// it can be shared like any settings link (?experiment=<id>&...); it never
// starts training. The notice above the form keeps the question in view; a
// link that changes the experiment's settings is said to, naming each
// change, as its question is about the settings it was made for.
//
// The model ladder's rungs (ui/ladder.js) are experiments too, listed apart
// (ladderList): their answers also read the run's counting bigram (bigram(id)).
//
//   const experiments = createExperiments(listEl, { form, dataset, schema, notice, runs, ladderList, bigram });
//   runs(): the shown run {record, steps, samples} and the others' [{record, steps, defaults}]
//   const { experiment, preset, problems } = experiments.fromLink(location.search);
//   experiments.show(experiment, values, dataset)   the link's own values and dataset over its preset

import { element } from "../draw/dom.js";
import { withDefaults } from "../draw/names.js";
import { createSeries } from "../draw/series.js";
import { repetition, shown } from "./config-form.js";
import { rungExperiments } from "./ladder.js";

// The numbers an answer quotes, from a run's stored steps: {last (step), smoothed (the loss
// panel's smoothed curve at the end), first, highest, uniform (ln vocab size)}.
function numbersOf({ record, steps }) {
  const series = createSeries();
  for (const event of steps) series.push(event.step, event.loss);
  return {
    last: series.lastStep(), smoothed: series.lastEma(), first: steps[0]?.loss,
    highest: Math.max(...steps.map((event) => event.loss)), uniform: Math.log(record.vocab.length + 1),
  };
}
const f = (x) => x.toFixed(3);

// How a run ended, against the uniform guess and the defaults' run when there is one.
function ending(run, others) {
  const { last, smoothed, uniform } = numbersOf(run);
  const base = others.find((other) => other.defaults);
  return `The smoothed loss reached ${f(smoothed)} at step ${last} (the uniform guess is ${f(uniform)}). `
    + (base ? `Your run with the default settings reached ${f(numbersOf(base).smoothed)} at step ${numbersOf(base).last}.`
      : "Run the default settings too to compare (Compare runs overlays both).");
}

// The spread of first letters: the entropy of the first characters of the run's documents, in nats.
function firstLetterEntropy(steps) {
  const counts = new Map();
  for (const { doc } of steps) counts.set(doc[0], (counts.get(doc[0]) ?? 0) + 1);
  return [...counts.values()].reduce((sum, c) => sum - (c / steps.length) * Math.log(c / steps.length), 0);
}

export const EXPERIMENTS = [
  {
    id: "lr-too-high",
    title: "A learning rate too high",
    config: { learning_rate: 0.3, num_steps: 300 },
    question: "Adam's steps are 30 times larger than the default. Does the loss fall faster, or jump about and stay high?",
    look: "the Loss panel: the loss per step against the uniform-guess line, and the smoothed curve; in Parameters and gradients, Show: Adam update (last step), how far each weight moved.",
    answer: (run, others) => (run.record.status === "error"
      ? `It did not fall faster: the loss went from ${f(numbersOf(run).first)} at step 1 up to ${f(numbersOf(run).highest)}, `
        + `and the run blew up at step ${numbersOf(run).last + 1}. Steps this large overshoot the way down: each one lands `
        + "further up the other side, until the numbers break."
      : `The loss per step jumped as high as ${f(numbersOf(run).highest)}. ${ending(run, others)}`),
  },
  {
    id: "one-head",
    title: "One head against four",
    config: { n_head: 1, num_steps: 500 },
    question: "With one attention pattern instead of four, does the model learn names as well?",
    look: "the Attention panel (its Head menu has only head 0: one pattern per position); then run the default settings too and tick both in Compare runs.",
    answer: (run, others) => {
      const four = others.find((other) => other.defaults);
      const one = numbersOf(run);
      if (!four) return `${ending(run, others)} One head forms one weighted average of the earlier positions; four heads each pick their own.`;
      const gap = numbersOf(four).smoothed - one.smoothed;
      return `One head reached a smoothed loss of ${f(one.smoothed)} at step ${one.last}; four heads, ${f(numbersOf(four).smoothed)} `
        + `at step ${numbersOf(four).last}: ${Math.abs(gap) < 0.05 ? "about the same" : gap > 0 ? "one head did better" : "four heads did better"}. `
        + "Each head's own softmax can pick a different earlier position, while one head forms one weighted average; "
        + (Math.abs(gap) < 0.05 ? "names are short and a letter depends mostly on the last few, so at this size one pattern nearly suffices." : "here that difference shows in the loss.");
    },
  },
  {
    id: "no-context",
    title: "No context: block_size 1",
    config: { block_size: 1, num_steps: 500 },
    question: "The model sees only the first position of each name: BOS, and must guess the first letter. What loss can it reach, and why not lower?",
    look: "the Loss panel's smoothed curve against the uniform-guess line, the Attention panel (one position, so every weight is 1) and the Samples card.",
    answer: (run, others) => `${ending(run, others)} With only BOS to see, the best it can learn is how often each letter starts a name: `
      + `the spread of the first letters of this run's ${run.steps.length} documents is ${f(firstLetterEntropy(run.steps))} nats, `
      + "the lowest loss it can reach on them; only context (a longer block_size) lets it go lower.",
  },
  {
    id: "temperature",
    title: "Cold and hot sampling",
    config: { temperature: 0.2, num_steps: 600 },
    question: "The same trained model, sampled at temperature 0.2 and at 1.5: which names are more ordinary, which more inventive?",
    look: "the Samples card: after the run, sample at 0.2, then move the temperature slider to 1.5 and sample again.",
    answer: (run) => {
      const at = (t) => run.samples.filter((batch) => batch.temperature === t).flatMap((batch) => batch.samples);
      const temperatures = [...new Set(run.samples.map((batch) => batch.temperature))].sort((a, b) => a - b);
      if (temperatures.length < 2) return "Sample at two temperatures first (the slider in the Samples card), then ask again.";
      const say = (t) => {
        const names = at(t);
        return `at ${t}, ${new Set(names).size} different names of ${names.length}, ${(names.join("").length / names.length).toFixed(1)} characters long on average`;
      };
      return `${say(temperatures[0])}; ${say(temperatures.at(-1))}. Temperature divides the logits before softmax: `
        + "below 1 the likeliest characters win more often (ordinary names, often repeated), above 1 the rarer ones get their chance.";
    },
  },
  {
    id: "tiny",
    title: "A tiny model",
    config: { n_embd: 4, n_head: 1, num_steps: 600 },
    question: "With 4 numbers per token instead of 16, how much can the model still learn?",
    look: "the Loss panel's smoothed curve and the Samples card; the Embedding map has only 4 numbers per character to arrange.",
    answer: (run, others) => `${ending(run, others)} Every character has ${run.record.config.n_embd} numbers to stand for it.`,
  },
  {
    id: "scalar-graph",
    title: "microgpt's own graph",
    config: { engine: "scalar", num_steps: 50 },
    question: "The scalar engine builds one Value per number, as microgpt does. How many Value nodes does one step make?",
    look: "the Graph pulse: the Value nodes and edges it reports under the diagram, each box's node count, and its Stage timings table.",
    answer: (run) => {
      const event = run.steps.findLast((step) => step.graph);
      if (!event) return "Take a step first.";
      return `Step ${event.step} built ${event.graph.nodes.toLocaleString("en-US")} Value nodes joined by `
        + `${event.graph.edges.toLocaleString("en-US")} edges for a document of ${event.tokens.length - 1} positions (“${event.doc}”): `
        + "every addition and multiplication of every number is a node, which is why the scalar engine is slow.";
    },
  },
  {
    id: "overfitting",
    title: "Memorise or generalise?",
    config: { held_out: 0.2, num_steps: 3000 },
    dataset: "paste",
    question: "Paste 50 to 100 lines of your own; a fifth of them are kept out of training. Does the loss on those held-out lines keep falling with the training loss, or turn back up while the model memorises the rest?",
    look: "the Loss panel: the held-out loss points (in its legend) against the smoothed training loss.",
    answer: (run) => {
      const held = run.steps.filter((step) => typeof step.held_out_loss === "number");
      if (held.length < 2) return "The held-out loss is measured at step 1 and every 100 steps: run further first.";
      const lowest = held.reduce((a, b) => (b.held_out_loss < a.held_out_loss ? b : a));
      const end = held.at(-1);
      return `The held-out loss was ${f(held[0].held_out_loss)} at step 1, lowest at step ${lowest.step} (${f(lowest.held_out_loss)}) `
        + `and ${f(end.held_out_loss)} at step ${end.step}, while the smoothed training loss ended at ${f(numbersOf(run).smoothed)}. `
        + (end.held_out_loss > lowest.held_out_loss + 0.05 ? "It turned back up: the model memorised its training lines."
          : "It has not turned back up: so far the model learns what the lines share.");
    },
  },
  {
    id: "own-data",
    title: "Train on your own data",
    config: { num_steps: 1000 },
    dataset: "paste",
    question: "Paste a few hundred lines of your own (cities, words, song titles): what does the model pick up from them, and how fast?",
    look: "the dataset preview under the Dataset choice (documents and vocabulary), then the Loss panel and the Samples card.",
    answer: (run, others) => {
      const latest = run.samples.at(-1);
      return `${ending(run, others)}${latest ? ` Its latest samples (step ${latest.step}): ${latest.samples.slice(0, 5).join(", ")}.` : ""}`;
    },
  },
];

const LINK_PARAM = "experiment";

// One experiment: its title, Set up, its link, and `says` (a rung's sentence) under them.
function card(experiment, onSetUp, link, says = "") {
  const button = element("button", { type: "button", textContent: "Set up", "aria-label": `Set up: ${experiment.title}` });
  button.addEventListener("click", () => onSetUp(experiment));
  return element("li", { className: "experiment", dataset: { experiment: experiment.id } },
    element("span", { className: "experiment-title", textContent: experiment.title, title: experiment.question }),
    button,
    element("a", { href: link(experiment), textContent: "link", "aria-label": `Link to the experiment: ${experiment.title}` }),
    ...(says ? [element("p", { className: "experiment-says", textContent: says })] : []));
}

export function createExperiments(list, { form, dataset, schema, notice, runs = async () => null, ladderList = null,
                                          bigram = async () => null }) {
  const defaults = Object.fromEntries(schema.config.map((field) => [field.name, field.default]));
  const rungs = rungExperiments(schema.ladder, schema.config);
  const all = [...EXPERIMENTS, ...rungs];
  const configOf = (experiment) => ({ ...defaults, ...experiment.config });
  const search = (experiment) => {
    const url = new URL(form.link(configOf(experiment), "default"));
    url.searchParams.set(LINK_PARAM, experiment.id);
    return url.search;
  };

  // The experiment's own settings (but num_steps) are the run's; a run to compare has the defaults there.
  const own = (experiment) => Object.keys(experiment.config).filter((name) => name !== "num_steps");
  // (Configs saved before a field existed have its default: withDefaults.)
  const isRun = (experiment, config) => (experiment.matches ? experiment.matches(config)
    : own(experiment).every((name) => withDefaults(config, schema.config)[name] === experiment.config[name]));
  const isDefaultsOf = (experiment, config, run) => {
    const [other, its] = [withDefaults(config, schema.config), withDefaults(run, schema.config)];
    return Object.keys(defaults).every((name) => name === "num_steps"
      || other[name] === (own(experiment).includes(name) ? defaults[name] : its[name]));
  };

  async function reveal(experiment, out) {
    const shown = await runs();
    const run = shown?.run;
    if (!run || !isRun(experiment, run.record.config)) {
      out.textContent = "The session shown is not this experiment's run: press New session with its settings, then Run, and ask again.";
    } else if (!run.steps.length) {
      out.textContent = "No step yet: press Run, then ask again.";
    } else {
      const others = shown.others.filter((other) => other.steps.length)
        .map((other) => ({ ...other, defaults: isDefaultsOf(experiment, other.record.config, run.record.config) }));
      if (experiment.rung) run.bigram = await bigram(run.record.id).catch(() => null);
      out.textContent = experiment.answer(run, others);
    }
  }

  // The experiment's notice, with its answer on request; `changes` ([[name, value, the experiment's]])
  // are a link's, whose question may then not hold.
  function show(experiment, changes = []) {
    const title = element("strong", {}, `Experiment: ${experiment.title}. `);
    if (changes.length) {
      const listed = changes.map(([name, value, its]) => `${name} ${value} (the experiment's: ${its})`).join(", ");
      notice.replaceChildren(title, `This link changes its settings: ${listed}. Its question is about its own ` +
        `settings, so it may not hold here: "${experiment.question}" Set it up from Guided experiments for the ` +
        "settings it was made for.");
    } else {
      const ask = element("button", { type: "button", textContent: "What happened?",
                                      title: "After the run: a short answer from the shown run's own numbers" });
      const out = element("span", { className: "experiment-answer" });
      ask.addEventListener("click", () => reveal(experiment, out));
      notice.replaceChildren(title, `${experiment.question} Look at ${experiment.look} Press New session, then Run. `,
                             ask, out);
    }
    notice.hidden = false;
    notice.dataset.experiment = experiment.id;
    notice.dataset.changed = changes.map(([name]) => name).join(" ");
  }

  function setUp(experiment) {
    form.write(configOf(experiment));
    dataset.set(experiment.dataset ?? "default");
    history.replaceState(null, "", search(experiment));
    show(experiment);
  }

  list.replaceChildren(...EXPERIMENTS.map((experiment) => card(experiment, setUp, search)));
  ladderList?.replaceChildren(...rungs.map((experiment) => card(experiment, setUp, search, experiment.adds)));

  return {
    // A link's experiment, its settings (preset over the defaults) and its problems; nothing shown yet.
    fromLink(query) {
      const ids = new URLSearchParams(query).getAll(LINK_PARAM);
      const experiment = all.find((e) => e.id === ids[0]) ?? null;
      const problems = [repetition(LINK_PARAM, ids)];
      if (ids.length && !experiment) problems.push(`${LINK_PARAM}=${shown(ids[0])}: no such experiment; ignored`);
      return { experiment, preset: experiment && configOf(experiment), problems: problems.filter(Boolean) };
    },
    // The experiment as a link set it up: `values` and `linkDataset` are the link's own.
    show(experiment, values = {}, linkDataset = null) {
      const preset = configOf(experiment);
      const changes = Object.entries(values).filter(([name, value]) => value !== preset[name])
        .map(([name, value]) => [name, value, preset[name]]);
      const itsData = experiment.dataset ?? "default";
      if (linkDataset && linkDataset !== itsData) changes.push(["dataset", linkDataset, itsData]);
      show(experiment, changes);
    },
  };
}
