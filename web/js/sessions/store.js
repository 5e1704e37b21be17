// The store: sessions, their datasets, checkpoints, steps and samples
// (store-schema.js describes what is kept).
//
// openStore() returns the store at once (its calls wait for IndexedDB to
// open) and never fails: when IndexedDB cannot be opened (some private
// modes) or refuses a write (QuotaExceededError), the lab goes on with an
// in-memory store holding the same data, and onProblem(message) tells the
// page (store.problem keeps the message).

import { DB_NAME, METHODS, WRITES } from "./store-schema.js";
import { openIndexedDB } from "./store-idb.js";
import { MemoryStore } from "./store-memory.js";

export function openStore(name = DB_NAME, { onProblem = () => {} } = {}) {
  return withFallback(openIndexedDB(name), onProblem);
}

const describe = (error) => (error && error.name && error.name !== "Error" ? `${error.name}: ${error.message}` : String(error && error.message || error));

// Route calls to IndexedDB (each waits for it to open) until a write fails
// with a DOMException (quota, storage gone); then copy what IndexedDB holds
// into memory, replay the failed write there and carry on in memory. If
// IndexedDB cannot be opened at all, everything goes to memory.
function withFallback(opening, onProblem) {
  let primary = null;
  let active = null;
  const facade = { problem: null, persistent: false };
  let switching = opening.then((db) => {
    primary = active = db;
    facade.persistent = true;
  }, (error) => {
    active = new MemoryStore();
    facade.problem = `Storage unavailable: IndexedDB could not be opened (${describe(error)}). ` +
      "Training goes on in memory; sessions are lost when this tab closes.";
    onProblem(facade.problem);
  });
  let failed = null;
  const toMemory = (error) => {
    failed ??= (async () => {
      const dumped = await primary.dump().catch(() => null);
      active = new MemoryStore(dumped);
      facade.persistent = false;
      facade.problem = error.name === "QuotaExceededError"
        ? `Storage full: the browser refused to save more (QuotaExceededError). Training goes on in memory; ` +
          "what was saved before is kept, later steps are lost when this tab closes."
        : `Storage failed (${describe(error)}). Training goes on in memory; later steps are lost when this tab closes.`;
      onProblem(facade.problem);
    })();
    switching = failed;
    return failed;
  };
  for (const method of METHODS) {
    facade[method] = async (...args) => {
      await switching;
      const store = active;
      try {
        return await store[method](...args);
      } catch (error) {
        if (store !== primary || !WRITES.includes(method) || !(error instanceof DOMException)) throw error;
        await toMemory(error);
        return active[method](...args);
      }
    };
  }
  return facade;
}

