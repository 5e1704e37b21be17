// Reading a trace file to import: its size, judged by the engine before the
// file is read (py/microgpt_lab/trace.py: check_size), and that it is text at
// all. The engine's trace.check then judges the contents and names the first
// problem.
//
//   const text = await readTraceFile(file, sessions); // sessions: its checkTraceSize(size)

export class TraceFileError extends Error {
  constructor(message) {
    super(message);
    this.name = "TraceFileError";
  }
}

export async function readTraceFile(file, engine) {
  const fail = (problem) => {
    throw new TraceFileError(`Trace ${file.name}: ${problem}`);
  };
  if (file.size === 0) fail("the file is empty (0 bytes)");
  await engine.checkTraceSize(file.size).catch((error) => fail(error.message));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    return fail("this is not a text file (it is not valid UTF-8), so it cannot be a JSON trace");
  }
}
