// The model a chapter's widget reads for a rung: the rung's own session at
// its latest step, or, while the rung has none, a fresh model of its config
// in the lessons' worker (step 0). A rung whose model cannot be read now
// says why: never a fresh model in its place.
//
//   const model = await rungModel(ctx, "bigram"); // {where, ask(type, fields)}
//   model.where                                     // "Rung 1 · learned bigram at step 1000"

export async function rungModel({ rungs, sessions, engine }, key) {
  const found = await rungs.find(key);
  if (found) {
    const model = await sessions.model(found.id);
    if (model.missing) throw new Error(`${rungs.title(key)}: ${model.missing}`);
    return { where: `${rungs.title(key)} at step ${model.step}`, ask: (type, fields) => model.ask(type, fields) };
  }
  return { where: `a fresh ${rungs.rung(key).name} at step 0 (not trained yet)`,
           ask: (type, fields) => engine.askData(type, fields, rungs.rung(key).config) };
}
