// A shared link (?n_embd=8&dataset=makemore, ?experiment=lr-too-high&...)
// fills the form and the dataset choice, and never starts anything. A link
// means what it says: without `dataset` it is the bundled names (or its
// experiment's own data), whatever this tab chose before; only a reload (or
// back and forward) keeps this tab's choice, as the address bar then holds
// this tab's own settings (a pasted text is never in a link). An experiment
// whose settings the link changes says so, and which. The link's problems,
// each naming its parameter, show above the form, what they echo cut short;
// the engine judges the values' ranges as soon as it is ready.
//
//   const link = readLink(form, dataset, experiments);   // at start-up
//   await checkLink(link, form, sessions);                // once the engine is ready
//   noteLink([]);                                         // the form now holds something else

const notice = () => document.querySelector("#url-notice");

export function noteLink(problems) {
  notice().hidden = !problems.length;
  notice().textContent = problems.length ? `This link's settings: ${problems.join("; ")}.` : "";
}

// Was this page reloaded (or reached by back or forward), rather than opened?
function reloaded() {
  const [navigation] = performance.getEntriesByType("navigation");
  return navigation?.type === "reload" || navigation?.type === "back_forward";
}

export function readLink(form, dataset, experiments) {
  const search = location.search;
  const chosen = experiments.fromLink(search); // {experiment, preset, problems}
  const link = form.readUrl(search, chosen.preset); // the experiment's settings, then the link's own values
  const choice = link.dataset ?? (search && !reloaded() ? chosen.experiment?.dataset ?? "default" : null);
  if (choice) dataset.set(choice);
  if (chosen.experiment) experiments.show(chosen.experiment, link.values, link.dataset);
  const problems = [...link.problems, ...chosen.problems];
  noteLink(problems);
  return { problems };
}

// A link's values may still be out of range: the engine says which, as soon
// as it is ready, rather than when the learner presses New session.
export async function checkLink(link, form, sessions) {
  if (!location.search) return;
  const parsed = form.read();
  const verdict = parsed.error || await sessions.checkConfig(parsed.config).then(() => null, (error) => error.message);
  if (verdict) noteLink([...link.problems, verdict]);
}
