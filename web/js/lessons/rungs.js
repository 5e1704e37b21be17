// The rungs the chapters train: the engine's model ladder (schema.ladder,
// from py/microgpt_lab/ladder.py, the lab's "Build it up"), each rung by
// its id. Each is an ordinary session (listed, comparable and deletable in
// the lab) named by its rung as the lab's "Train the whole ladder" names
// it, on the bundled names, with the same seed and steps. A chapter trains
// its rung in place; the learner's progress remembers which session is
// which rung (progress.js), and a rung deleted in the lab, or one whose
// config is no longer the ladder's, is trained again when asked. A rung
// the lab's "Train the whole ladder" trained on the bundled names with the
// ladder's steps is the chapter's too (a class's rungs trained beforehand).
//
//   const rungs = createRungs({ sessions, progress, dataset, schema });
//   rungs.title("bigram")          // "Rung 1 · learned bigram", its session's name
//   rungs.rung("bigram")           // the engine's rung: {id, name, adds, config}
//   rungs.learns("bigram")         // "sgd at learning rate 0.3": how it learns
//   await rungs.find("bigram")     // its stored session's {id, step, num_steps, status} or null
//   await rungs.train("bigram")    // start it (or go on) and run to its last step; its id
//   await rungs.pause("bigram")
import { withDefaults } from "../draw/names.js";
import { datasetOf, sameDataset } from "../sessions/dataset-kind.js";
import { isRung, rungName } from "../ui/ladder.js";

export function createRungs({ sessions, progress, dataset, schema }) {
  const starting = new Map(); // rung id -> its session being started

  function rung(key) {
    const index = schema.ladder.findIndex((entry) => entry.id === key);
    if (index < 0) throw new Error(`the engine's model ladder has no rung "${key}"`);
    return { rung: schema.ladder[index], index };
  }

  const steps = schema.config.find((field) => field.name === "num_steps").default;
  const isIt = (key, session, data) => isRung(rung(key).rung, session.config, schema.config)
    && session.num_steps === steps && sameDataset(datasetOf(session), data);

  async function find(key) {
    const [listed, data] = await Promise.all([sessions.list(), dataset]);
    const id = progress.rung(key);
    const kept = listed.find((session) => session.id === id);
    if (kept && isIt(key, kept, data)) return kept;
    if (id) progress.forgetRung(key); // deleted in the lab, or an older ladder's
    const trained = listed.filter((session) => isIt(key, session, data)).at(-1); // the newest, if the lab trained it
    if (trained) progress.setRung(key, trained.id);
    return trained ?? null;
  }

  async function start(key) {
    const id = await sessions.start(rung(key).rung.config, await dataset);
    await sessions.rename(id, rungName(rung(key).rung, rung(key).index));
    progress.setRung(key, id);
    return id;
  }

  return {
    title: (key) => rungName(rung(key).rung, rung(key).index),
    rung: (key) => rung(key).rung,
    learns(key) {
      const { optimizer, learning_rate: rate } = withDefaults(rung(key).rung.config, schema.config);
      return `${optimizer} at learning rate ${rate}`;
    },
    find,
    async train(key) {
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
