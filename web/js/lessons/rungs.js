// The rungs the chapters train: microgpt built up a piece at a time, each an
// ordinary session (listed, comparable and deletable in the lab) named by
// its rung, on the bundled names, with the same seed and steps. A chapter
// trains its rung in place; the learner's progress remembers which session
// is which rung (progress.js), and a rung deleted in the lab is trained
// again when asked.
//
//   const rungs = createRungs({ sessions, progress, dataset, schema });
//   rungs.missing("bigram")        // why this engine cannot train it, or null
//   await rungs.find("bigram")     // its stored session's {id, step, num_steps, status} or null
//   await rungs.train("bigram")    // start it (or go on) and run to its last step; its id
//   await rungs.pause("bigram")

// Plain gradient descent needs a larger learning rate than Adam: the learned
// bigram with SGD averages 2.62 over steps 901-1000 at microgpt's 0.01 and
// 2.40 at 0.1 (README, the model ladder), so the SGD rungs take 0.1.
export const RUNGS = {
  bigram: { name: "Rung 1 · learned bigram (SGD, lr 0.1)", config: { n_layer: 0, optimizer: "sgd", learning_rate: 0.1 } },
  one_head: { name: "Rung 2 · one attention head (SGD, lr 0.1)", config: { n_head: 1, optimizer: "sgd", learning_rate: 0.1 } },
  four_heads: { name: "Rung 3 · four heads: microgpt with SGD (lr 0.1)", config: { optimizer: "sgd", learning_rate: 0.1 } },
  adam: { name: "Rung 4 · microgpt with Adam (lr 0.01)", config: {} },
};

// Why the engine's schema cannot take a config (a field it does not know,
// a value outside its range or choices), or null.
export function missingFields(config, fields) {
  const problems = [];
  for (const [name, value] of Object.entries(config)) {
    const field = fields.find((f) => f.name === name);
    if (!field) problems.push(`no config field ${name}`);
    else if (field.choices && !field.choices.includes(value)) problems.push(`${name} cannot be ${value}`);
    else if (!field.choices && (value < field.min || value > field.max)) problems.push(`${name} cannot be ${value}`);
  }
  return problems.length ? `this engine has ${problems.join(", ")}` : null;
}

export function createRungs({ sessions, progress, dataset, schema }) {
  const starting = new Map(); // rung key -> its session being started

  async function find(key) {
    const id = progress.rung(key);
    if (!id) return null;
    const listed = (await sessions.list()).find((session) => session.id === id);
    if (!listed) {
      progress.forgetRung(key); // deleted in the lab: trained again when asked
      return null;
    }
    return listed;
  }

  async function start(key) {
    const data = await dataset;
    const id = await sessions.start(RUNGS[key].config, { text: data.text, name: data.name });
    await sessions.rename(id, RUNGS[key].name);
    progress.setRung(key, id);
    return id;
  }

  return {
    missing: (key) => missingFields(RUNGS[key].config, schema.config),
    find,
    async train(key) {
      const problem = missingFields(RUNGS[key].config, schema.config);
      if (problem) throw new Error(`${RUNGS[key].name} cannot be trained here: ${problem}`);
      let id = (await find(key))?.id;
      if (!id) {
        if (!starting.has(key)) starting.set(key, start(key).finally(() => starting.delete(key)));
        id = await starting.get(key);
      }
      const listed = await find(key);
      if (listed && listed.step < listed.num_steps && listed.status !== "running") sessions.run(id).catch(() => {});
      return id;
    },
    async pause(key) {
      const id = progress.rung(key);
      if (id) await sessions.pause(id);
    },
  };
}
