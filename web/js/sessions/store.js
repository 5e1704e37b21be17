// The store: sessions, their datasets, checkpoints, steps and samples
// (store-schema.js describes what is kept).
//
// openStore() returns the store at once (its calls wait for IndexedDB to
// open) and never fails: when IndexedDB cannot be opened (some private
// modes), refuses a write (QuotaExceededError), is cleared or deleted
// elsewhere, or another tab needs a newer version, the lab goes on with an
// in-memory store holding the same data, and onProblem(message) tells the
// page in words (store.problem keeps the message).

import { DB_NAME, METHODS, WRITES } from "./store-schema.js";
import { openIndexedDB } from "./store-idb.js";
import { MemoryStore } from "./store-memory.js";

export function openStore(name = DB_NAME, { onProblem = () => {} } = {}) {
  let facade = null;
  const events = {
    blocked: () => onProblem("Storage waits: another tab of the lab has the database open at an older version. "
      + "Close or reload that tab; until then this tab cannot open its sessions."),
    blocking: () => facade.leave("another tab opened a newer version of the lab's database, or deleted it, "
      + "so this tab closed its connection to let it. Reload this tab to use the stored sessions again", false),
    terminated: () => facade.leave("the browser closed the database (site data cleared?)", true),
  };
  facade = withFallback(() => openIndexedDB(name, events), onProblem);
  return facade;
}

const describe = (error) => (error && error.name && error.name !== "Error" ? `${error.name}: ${error.message}` : String(error && error.message || error));

// Reads and writes that the mirror keeps (METHODS: the reads give rows of
// these stores; the writes are replayed on it as they are).
const READS = {
  listSessions: (rows) => ({ sessions: rows }),
  getSession: (row) => ({ sessions: [row] }),
  getDataset: (row) => ({ datasets: [row] }),
  getCheckpoint: (row) => ({ checkpoints: [row] }),
  getSteps: (events, session) => ({ steps: events.map((event) => ({ session, step: event.step, event })) }),
  getSamples: (batches, session) => ({ samples: batches.map((batch) => ({ ...batch, session })) }),
};

// Route calls to IndexedDB (each waits for it to open) until a write fails
// with a DOMException (quota, storage gone) or the database is closed
// (leave()); then carry on in memory with what IndexedDB still gives,
// over everything this tab has read or written (the mirror), and replay
// the failed write there. So a run whose database was cleared keeps its
// session, its steps and its export. If IndexedDB cannot be opened at all,
// everything goes to memory.
function withFallback(open, onProblem) {
  let primary = null;
  let active = null;
  // The mirror keeps no time-travel checkpoints: they were most of a tab's
  // memory over a long run (60 MB at step 10,000; the page heap, bench --long).
  let mirror = new MemoryStore(null, { history: false });
  const facade = { problem: null, persistent: false, canWriteBack: false };
  let switching = open().then((db) => {
    primary = active = db;
    facade.persistent = true;
  }, (error) => {
    active = new MemoryStore();
    facade.problem = `Storage unavailable: IndexedDB could not be opened (${describe(error)}). ` +
      "Training goes on in memory; sessions are lost when this tab closes.";
    onProblem(facade.problem);
  });
  let failed = null;
  const toMemory = (problem, canWriteBack) => {
    failed ??= (async () => {
      const dumped = await primary.dump().catch(() => null);
      try {
        primary.close();
      } catch {
        // already closed
      }
      const memory = new MemoryStore(dumped);
      memory.absorb(mirror.rows());
      active = memory;
      facade.persistent = false;
      facade.canWriteBack = canWriteBack;
      facade.problem = problem;
      onProblem(problem);
    })();
    switching = failed;
    return failed;
  };
  const explain = (error) => (error.name === "QuotaExceededError"
    ? `Storage full: the browser refused to save more (QuotaExceededError). Training goes on in memory; ` +
      "what was saved before is kept, later steps are lost when this tab closes."
    : `Storage failed (${describe(error)}). Training goes on in memory with every session this tab has open, ` +
      "its steps included (Export trace still works); they are lost when this tab closes.");
  // Write what memory holds to a newly opened IndexedDB and go on there
  // (after the database was cleared or deleted; a newer version elsewhere
  // refuses it: then only a reload helps).
  facade.writeBack = async () => {
    await switching;
    const memory = active;
    const db = await open();
    await db.absorb(memory.rows());
    Object.assign(facade, { persistent: true, canWriteBack: false, problem: null });
    [primary, active, mirror, failed] = [db, db, memory, null];
  };
  facade.leave = async (why, canWriteBack) => {
    await switching;
    if (active === primary) {
      await toMemory(`Storage closed: ${why}. Training goes on in memory with every session this tab has open, ` +
        "its steps included (Export trace still works); they are lost when this tab closes.", canWriteBack);
    }
  };
  for (const method of METHODS) {
    facade[method] = async (...args) => {
      await switching;
      const store = active;
      try {
        const result = await store[method](...args);
        if (store === primary) remember(method, args, result);
        return result;
      } catch (error) {
        if (store !== primary || !(error instanceof DOMException)) throw error;
        if (!WRITES.includes(method) && error.name !== "InvalidStateError") throw error;
        await toMemory(explain(error), error.name !== "QuotaExceededError");
        return active[method](...args);
      }
    };
  }
  function remember(method, args, result) {
    if (WRITES.includes(method)) mirror[method](...args);
    else if (READS[method] && result !== undefined) mirror.absorb(READS[method](result, args[0]));
  }
  return facade;
}
