// Renaming and deleting sessions. A session another tab holds (it trains
// it, or shows it) is never deleted from here: that tab's worker and writes
// would go on without it. One this tab holds is paused, waits for a step in
// flight (its turn: lifecycle.js), and its model leaves the worker, before
// its stored data goes; a deletion that has to wait says for what.
//
// Every function takes the same context first: {pool, store, tabs, held, runs, bus}.

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
  if (held.get(id)) return null;
  if (tabs.remote(id) || tabs.isLocked(await tabs.held(), id)) {
    return "This session is held by another tab (it trains it, or shows it): " +
      "delete it there, or close that tab first.";
  }
  return null;
}

const SAY_WAIT_MS = 250; // a deletion that takes longer says what it waits for

// What deleting a held session waits for, in words, or null.
function waitingFor({ pool }, state) {
  const consoleGoing = pool.pendingIn(state.id).includes("console");
  if (state.life.busy === "step") return "the step in flight to end";
  if (state.run && consoleGoing) {
    return "the run to stop, after the console command that is going (Stop it in the console)";
  }
  if (state.run) return "the run to stop after its step";
  if (state.life.busy) return `the ${state.life.busy} in progress to end`;
  return null;
}

async function remove(ctx, id) {
  const { pool, store, held, runs, bus } = ctx;
  const why = await refusal(ctx, id);
  if (why) throw new Error(why);
  const state = held.get(id);
  if (state) {
    let said = false;
    const notice = setTimeout(() => {
      const what = waitingFor(ctx, state);
      if (what) bus.emit({ type: "notice", session: id, message: `Deleting this session waits for ${what}.` });
      said = Boolean(what);
    }, SAY_WAIT_MS);
    try {
      await runs.pause(id);
      await state.life.perform("delete", async () => {
        // Not awaited: a console command may keep the worker busy; the
        // worker drops the model when it is done with it.
        if (state.loaded) pool.call("close", { session: id }).catch(() => {});
        held.drop(id);
      });
    } finally {
      clearTimeout(notice);
      if (said) bus.emit({ type: "notice", session: id, message: "" }); // the wait is over
    }
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
