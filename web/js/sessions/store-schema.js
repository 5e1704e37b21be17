// What the store keeps of each session, shared by its two backends
// (store-idb.js: IndexedDB through the vendored idb library; store-memory.js:
// Maps, when IndexedDB is unavailable or refuses a write).
//
// Object stores:
//   sessions     key id:                 {id, config, fingerprint, status, step,
//                                         num_steps, run_to, trace_header,
//                                         vocab, num_params, num_docs,
//                                         dataset: {kind, name}, name?, error?,
//                                         diverged?, created, updated}
//                                        (dataset: what it trained on,
//                                         sessions/dataset-kind.js; older
//                                         records have dataset_name instead)
//                                        (name: the user's; none: made
//                                         from the config, draw/names.js)
//                                        (error, diverged: why a session in
//                                         status "error" stopped, the engine's
//                                         words and data; sessions/runs.js)
//                                        (status "imported": a trace, no
//                                         dataset or checkpoint behind it)
//   datasets     key fingerprint:         {fingerprint, text, kind, name, num_docs}
//   checkpoints  key session:             {session, step, checkpoint} (the latest)
//   history      key [session, step]:     {session, step, checkpoint} every
//                                         CHECKPOINT_EVERY steps (time travel
//                                         rebuilds the model from them)
//   steps        key [session, step]:     {session, step, event}
//   samples      key auto, index session: {session, step, temperature, samples, created}
// Every multi-store change happens in one transaction, so a reload or a crash
// never leaves a step list that disagrees with its checkpoint; a write that
// fails aborts its transaction, so nothing half-written stays behind.
//
// deleteSession(id) takes the session's record, steps, checkpoints and
// samples, and its dataset when no other session uses it.
//
// Both backends give the same methods (METHODS); a store's methods are
// all asynchronous.

import { CHECKPOINT_EVERY } from "../engine/protocol.js";

export const DB_NAME = "microgpt-lab";
export const DB_VERSION = 2; // 2: the history store
export const STORES = Object.freeze(["sessions", "datasets", "checkpoints", "history", "steps", "samples"]);
export const METHODS = Object.freeze([
  "listSessions", "getSession", "getDataset", "getCheckpoint", "getCheckpointAt", "getHistorySteps", "createSession",
  "importSession", "commit", "truncate", "reset", "addSamples", "getSamples", "getSteps", "exportTrace",
  "deleteSession", "rename", "dump", "close",
]);
// The methods that write, which a failing IndexedDB hands over to memory.
export const WRITES = Object.freeze(["createSession", "importSession", "commit", "truncate", "reset",
                                     "addSamples", "deleteSession", "rename"]);

// Which checkpoints are kept for time travel, besides the latest.
export const inHistory = (checkpoint) => checkpoint.step % CHECKPOINT_EVERY === 0;

// A sample batch as the page sees it (stored rows also carry session, created, key).
export const batchOf = ({ step, temperature, samples }) => ({ step, temperature, samples });

// The exported trace: the engine's header (format, version, generator,
// config, dataset) with the steps and samples the store kept.
export const traceOf = (record, steps, samples) => ({ ...record.trace_header, steps, samples });
