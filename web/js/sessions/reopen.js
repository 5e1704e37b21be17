// A session put into a worker as it was saved: restored from a checkpoint,
// or, with none, opened from its config at step 0 (the engine's initial
// weights are a function of the config). Answers the engine's summary.
// The held session, time travel's scratch model and a history's scratch
// sessions all come back this way.
//
//   const summary = await reopen(engine, session, { checkpoint, config, text });  // engine: a pool or a client

export function reopen(engine, session, { checkpoint = null, config, text }) {
  return checkpoint
    ? engine.call("restore", { session, checkpoint, text })
    : engine.call("open", { session, config, text });
}
