// Renaming and deleting sessions. A session another tab holds (it trains
// it, or could) is never deleted from here: that tab's worker and writes
// would go on without it. One this tab trains is paused, and its model
// leaves the worker, before its stored data goes.
//
// Every function takes the same context first: {engine, store, tabs, held, runs, bus}.

import { BROADCAST } from "../engine/protocol.js";
import { ownName } from "../draw/names.js";

export function createRemoval(ctx) {
  return {
    rename: (id, name) => rename(ctx, id, name),
    remove: (id) => remove(ctx, id),
    removeAll: () => removeAll(ctx),
  };
}

function changed({ tabs, bus }) {
  bus.emit({ type: "list" });
  tabs.broadcast({ type: BROADCAST.LIST });
}

// A blank name gives the session back its name made from its settings;
// draw/names.js ownName says what a name may be.
async function rename(ctx, id, name) {
  await ctx.store.rename(id, ownName(name));
  changed(ctx);
}

// Why this tab may not delete session `id`, or null.
async function refusal({ tabs, held }, id) {
  const state = held.get(id);
  if (state && state.owned) return null;
  if (tabs.remote(id) || tabs.isLocked(await tabs.held(), id)) {
    return "This session is held by another tab (it trains it, or its panels read its model): " +
      "delete it there, or close that tab first.";
  }
  return null;
}

async function remove(ctx, id) {
  const { engine, store, held, runs } = ctx;
  const why = await refusal(ctx, id);
  if (why) throw new Error(why);
  const state = held.get(id);
  if (state) {
    await runs.pause(id);
    if (state.loaded) await engine.call("close", { session: id }).catch(() => {});
    held.drop(id);
  }
  await held.persist(() => {}); // the writes already asked for land first
  await store.deleteSession(id);
  changed(ctx);
}

// Every session this tab may delete; resolves with how many were kept
// because another tab holds them.
async function removeAll(ctx) {
  let kept = 0;
  for (const record of await ctx.store.listSessions()) {
    if (await refusal(ctx, record.id)) kept += 1;
    else await remove(ctx, record.id);
  }
  return kept;
}
