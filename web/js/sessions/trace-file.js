// Reading a trace file to import: only what the page must decide before the
// engine sees the text (its size, that it is text at all). The engine's
// trace.check judges the contents and names the first problem.
import { megabytes } from "./datasets.js";

export const MAX_TRACE_BYTES = 100 * 1024 * 1024; // a 1,000-step trace with full detail is about 20 MB

export class TraceFileError extends Error {
  constructor(message) {
    super(message);
    this.name = "TraceFileError";
  }
}

export async function readTraceFile(file) {
  const fail = (problem) => {
    throw new TraceFileError(`Trace ${file.name}: ${problem}`);
  };
  if (file.size === 0) fail("the file is empty (0 bytes)");
  if (file.size > MAX_TRACE_BYTES) {
    fail(`the file is ${megabytes(file.size)}, over the limit of ${megabytes(MAX_TRACE_BYTES)}`);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    return fail("this is not a text file (it is not valid UTF-8), so it cannot be a JSON trace");
  }
}
