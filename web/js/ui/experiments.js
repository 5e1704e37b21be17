// Guided experiments: a config preset, one question and what to look at.
// "Set up" fills the form (every field: the preset over the defaults) and
// the dataset choice, and puts the experiment's link in the address bar, so
// it can be shared like any settings link (?experiment=<id>&...); it never
// starts training. The notice above the form keeps the question in view; a
// link that changes the experiment's settings is said to, naming each
// change, as its question is about the settings it was made for.
//
//   const experiments = createExperiments(listEl, { form, dataset, schema, notice });
//   const { experiment, preset, problems } = experiments.fromLink(location.search);
//   experiments.show(experiment, values, dataset)   the link's own values and dataset over its preset

export const EXPERIMENTS = [
  {
    id: "lr-too-high",
    title: "A learning rate too high",
    config: { learning_rate: 0.3, num_steps: 300 },
    question: "Adam's steps are 30 times larger than the default. Does the loss fall faster, or jump about and stay high?",
    look: "the Loss panel against the uniform-guess line, and the update ratios in Parameters and gradients (Adam update view).",
  },
  {
    id: "one-head",
    title: "One head against four",
    config: { n_head: 1, num_steps: 500 },
    question: "With one attention pattern instead of four, does the model learn names as well?",
    look: "the Attention panel (one pattern per position); then run the default settings too and overlay both in Compare runs.",
  },
  {
    id: "no-context",
    title: "No context: block_size 1",
    config: { block_size: 1, num_steps: 500 },
    question: "The model sees only the first position of each name: BOS, and must guess the first letter. What loss can it reach, and why not lower?",
    look: "the Loss panel: it settles at the spread of first letters, far above a model with context; samples are one letter long.",
  },
  {
    id: "temperature",
    title: "Cold and hot sampling",
    config: { temperature: 0.2, num_steps: 600 },
    question: "The same trained model, sampled at temperature 0.2 and at 1.5: which names are more ordinary, which more inventive?",
    look: "the Samples card: after the run, sample at 0.2, then move the temperature slider to 1.5 and sample again.",
  },
  {
    id: "tiny",
    title: "A tiny model",
    config: { n_embd: 4, n_head: 1, num_steps: 600 },
    question: "With 4 numbers per token instead of 16, how much can the model still learn?",
    look: "the Loss panel's smoothed curve and the samples; the Embedding map has only 4 numbers per character to arrange.",
  },
  {
    id: "scalar-graph",
    title: "microgpt's own graph",
    config: { engine: "scalar", num_steps: 50 },
    question: "The scalar engine builds one Value per number, as microgpt does. How many Value nodes does one step make?",
    look: "the Graph pulse: the node and edge counts, and which stages build the most nodes (the table).",
  },
  {
    id: "overfitting",
    title: "Memorise or generalise?",
    config: { held_out: 0.2, num_steps: 3000 },
    dataset: "paste",
    question: "Paste 50 to 100 lines of your own; a fifth of them are kept out of training. Does the loss on those held-out lines keep falling with the training loss, or turn back up while the model memorises the rest?",
    look: "the Loss panel: the held-out loss (purple dots) against the smoothed training loss.",
  },
  {
    id: "own-data",
    title: "Train on your own data",
    config: { num_steps: 1000 },
    dataset: "paste",
    question: "Paste a few hundred lines of your own (cities, words, song titles): what does the model pick up from them, and how fast?",
    look: "the dataset preview (documents and vocabulary), then the Loss panel and the samples.",
  },
];

import { repetition, shown } from "./config-form.js";

const LINK_PARAM = "experiment";

function card(experiment, onSetUp, link) {
  const item = document.createElement("li");
  item.className = "experiment";
  item.dataset.experiment = experiment.id;
  const title = Object.assign(document.createElement("span"), { className: "experiment-title", textContent: experiment.title });
  title.title = experiment.question;
  const button = Object.assign(document.createElement("button"), { type: "button", textContent: "Set up" });
  button.setAttribute("aria-label", `Set up: ${experiment.title}`);
  button.addEventListener("click", () => onSetUp(experiment));
  const anchor = Object.assign(document.createElement("a"), { href: link(experiment), textContent: "link" });
  anchor.setAttribute("aria-label", `Link to the experiment: ${experiment.title}`);
  item.append(title, button, anchor);
  return item;
}

export function createExperiments(list, { form, dataset, schema, notice }) {
  const defaults = Object.fromEntries(schema.config.map((field) => [field.name, field.default]));
  const configOf = (experiment) => ({ ...defaults, ...experiment.config });
  const search = (experiment) => {
    const url = new URL(form.link(configOf(experiment), "default"));
    url.searchParams.set(LINK_PARAM, experiment.id);
    return url.search;
  };

  // The experiment's notice; `changes` ([[name, value, the experiment's]]) are a link's.
  function show(experiment, changes = []) {
    const title = Object.assign(document.createElement("strong"), { textContent: `Experiment: ${experiment.title}. ` });
    if (changes.length) {
      const listed = changes.map(([name, value, own]) => `${name} ${value} (the experiment's: ${own})`).join(", ");
      notice.replaceChildren(title, `This link changes its settings: ${listed}. Its question is about its own ` +
        `settings, so it may not hold here: "${experiment.question}" Set it up from Guided experiments for the ` +
        "settings it was made for.");
    } else {
      notice.replaceChildren(title, `${experiment.question} Look at ${experiment.look} Press New session, then Run.`);
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

  return {
    // A link's experiment, its settings (preset over the defaults) and its problems; nothing shown yet.
    fromLink(query) {
      const ids = new URLSearchParams(query).getAll(LINK_PARAM);
      const experiment = EXPERIMENTS.find((e) => e.id === ids[0]) ?? null;
      const problems = [repetition(LINK_PARAM, ids)];
      if (ids.length && !experiment) problems.push(`${LINK_PARAM}=${shown(ids[0])}: no such experiment; ignored`);
      return { experiment, preset: experiment && configOf(experiment), problems: problems.filter(Boolean) };
    },
    // The experiment as a link set it up: `values` and `linkDataset` are the link's own.
    show(experiment, values = {}, linkDataset = null) {
      const preset = configOf(experiment);
      const changes = Object.entries(values).filter(([name, value]) => value !== preset[name])
        .map(([name, value]) => [name, value, preset[name]]);
      const own = experiment.dataset ?? "default";
      if (linkDataset && linkDataset !== own) changes.push(["dataset", linkDataset, own]);
      show(experiment, changes);
    },
  };
}
