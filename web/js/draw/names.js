// A session's readable name: the user's own, or one made from what sets it
// apart, its config's differences from the schema's defaults and its data
// ("lr 0.003 · names", "own data · 2 layers"). The number of steps is left
// out: the sessions list shows it beside the name. Sessions whose names
// would be the same are told apart by a number, in the order they were made.
//
//   const names = sessionNames(list, schema.config); // Map id -> name
//   defaultName({config, dataset}, schema.config, ["learning_rate"]) // "lr 0.01 · names" (dataset: {kind, name})
//   const name = ownName(typed);                       // a name the learner typed, as kept (null: none)
//   withDefaults(config, schema.config)                // every field, the absent ones at their defaults
//   configDifferences(configs, schema.config)          // the fields whose values are not all the same

import { DATASET_KINDS, datasetOf } from "../sessions/dataset-kind.js";

const SHORT = {
  n_embd: (v) => `n_embd ${v}`,
  n_head: (v) => `${v} head${v === 1 ? "" : "s"}`,
  n_layer: (v) => `${v} layer${v === 1 ? "" : "s"}`,
  attention: (v) => (v ? "attention" : "no attention"),
  optimizer: (v) => v.toUpperCase(),
  block_size: (v) => `context ${v}`,
  learning_rate: (v) => `lr ${v}`,
  temperature: (v) => `T ${v}`,
  seed: (v) => `seed ${v}`,
  engine: (v) => `${v} engine`,
  held_out: (v) => `held out ${v}`,
};

export const NAME_LIMIT = 80; // characters as a reader counts them (grapheme clusters)

// A name the learner typed for a session: trimmed, cut after NAME_LIMIT
// characters, never inside one (an emoji, a letter with its accents); an
// empty one is null (the session goes back to its name from its settings);
// one with nothing visible in it (zero-width spaces, joiners, marks of
// direction) is refused with an Error saying so.
export function ownName(typed) {
  const trimmed = String(typed ?? "").trim();
  if (!trimmed) return null;
  if (!/[^\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{M}\p{Zl}\p{Zp}\u2800]/u.test(trimmed)) {
    throw new Error("A session's name needs at least one visible character; this one has only blank or " +
                    "invisible ones (leave it empty to go back to the name made from its settings).");
  }
  let kept = "";
  let count = 0;
  for (const { segment } of new Intl.Segmenter("en", { granularity: "grapheme" }).segment(trimmed)) {
    if (++count > NAME_LIMIT) break;
    kept += segment;
  }
  return kept.trim();
}

// A stored config with every field of the schema: a session saved before a
// field existed (attention, optimizer) ran with its default, so it is
// compared and named as having it.
export function withDefaults(config, fields) {
  return Object.fromEntries(fields.map((field) => [field.name, config?.[field.name] ?? field.default]));
}

// The fields (in the schema's order) on which the configs are not all the same.
export function configDifferences(configs, fields) {
  const full = configs.map((config) => withDefaults(config, fields));
  return fields.map((field) => field.name).filter((name) => full.some((config) => config[name] !== full[0][name]));
}

// The name made from a session's settings (its config and its data:
// sessions/dataset-kind.js); `always`: fields named even at their default
// (a sweep's setting).
export function defaultName(record, fields, always = []) {
  const { config } = record;
  const full = withDefaults(config, fields);
  const differences = fields
    .filter((field) => field.name !== "num_steps" || always.includes(field.name))
    .filter((field) => full[field.name] !== field.default || always.includes(field.name))
    .map((field) => (SHORT[field.name] ?? ((v) => `${field.name} ${v}`))(full[field.name]));
  const data = DATASET_KINDS[datasetOf(record).kind].label;
  return data === "names" ? [...differences, data].join(" · ") : [data, ...differences].join(" · ");
}

// Every listed session's name (the list in the order sessions were made).
export function sessionNames(sessions, fields) {
  const names = new Map();
  const seen = new Map();
  for (const session of sessions) {
    const base = session.name || defaultName(session, fields);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    names.set(session.id, count > 1 ? `${base} (${count})` : base);
  }
  return names;
}
