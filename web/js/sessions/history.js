// A session's model over its whole run, for the charts that follow it (the
// probe, the inspector): the answer to one question at step 0 (the config's
// initial weights) and at every checkpoint kept for time travel
// (store-schema.js, history), each rebuilt in this tab's worker as a scratch
// session, asked, and closed. A matrix needs no model: the checkpoint holds
// it. At most MAX_POINTS checkpoints, spread evenly. Questions run one at a
// time (one scratch session); an imported trace has no weights: [].
//
//   const history = createHistory({ engine, store });
//   await history.ask(id, "next_token", { context: "em" })  // [{step, ...answer}], by step
//   await history.ask(id, "next_token", { context: "em" }, 100)  // only the steps after 100

import { SESSION_STATUS } from "../engine/protocol.js";
import { reopen } from "./reopen.js";

const MAX_POINTS = 60;

// probes.matrix of a model restored from `checkpoint`: its weights and
// Adam's m and v (none with SGD); a restored model has no last gradient or update. Read
// here, it costs the worker nothing: rebuilding a session for it took 40 ms
// of training time per checkpoint.
function matrixOf(checkpoint, { name }) {
  const rows = checkpoint.state_dict[name];
  if (!rows) throw new Error(`no matrix ${JSON.stringify(name)} in the checkpoint`);
  return {
    name, shape: [rows.length, rows[0].length], step: checkpoint.step, weights: rows.flat(), grads: null,
    m: checkpoint.adam?.m[name] ?? null, v: checkpoint.adam?.v[name] ?? null, update: null,
  };
}

function spread(rows, count) {
  if (rows.length <= count) return rows;
  return Array.from({ length: count }, (_, i) => rows[Math.round((i * (rows.length - 1)) / (count - 1))]);
}

export function createHistory({ engine, store }) {
  let chain = Promise.resolve();

  async function collect(id, type, fields, after) {
    const record = await store.getSession(id);
    if (!record || record.status === SESSION_STATUS.IMPORTED) return [];
    const dataset = await store.getDataset(record.fingerprint);
    if (!dataset) return [];
    const kept = spread((await store.getHistorySteps(id)).filter((step) => step > Math.max(0, after)), MAX_POINTS);
    const scratch = `${id}#history`;
    const answers = [];
    const askAt = async (summary) => {
      try {
        answers.push({ ...(await engine.call(type, { ...fields, session: scratch })), step: summary.step });
      } finally {
        await engine.call("close", { session: scratch }).catch(() => {});
      }
    };
    if (after < 0) await askAt(await reopen(engine, scratch, { config: record.config, text: dataset.text }));
    for (const step of kept) {
      const row = await store.getCheckpointAt(id, step);
      if (type === "matrix") answers.push({ ...matrixOf(row.checkpoint, fields), step: row.step });
      else await askAt(await reopen(engine, scratch, { checkpoint: row.checkpoint, text: dataset.text }));
    }
    return answers;
  }

  return {
    ask(id, type, fields = {}, after = -1) {
      const answer = chain.then(() => collect(id, type, fields, after));
      chain = answer.catch(() => {});
      return answer;
    },
  };
}
