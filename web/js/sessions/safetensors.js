// A model's weights as a .safetensors file (https://github.com/huggingface/safetensors):
// 8 bytes, the header's length (unsigned little-endian); the header, JSON
// {name: {dtype: "F64", shape: [rows, cols], data_offsets: [begin, end]},
// "__metadata__": {string: string}}, padded with spaces to a multiple of 8;
// then each matrix's numbers, row after row, as little-endian float64 (the
// engine's own floats, exactly).
//
//   const bytes = safetensors(checkpoint.state_dict, [["wte", [27, 16]], ...], { step: "60", ... });
//
// The matrices and their shapes are the config's, as the engine describes
// them (the session's model, draw/model.js), in its order: only those names
// enter the header, and a state_dict that differs from them in any way (a
// matrix missing or extra, a row too short or too long, a value that is not
// a number) is refused with a WeightsError naming the matrix, before a byte
// is written.

export class WeightsError extends Error {
  constructor(problem) {
    super(`Export weights: ${problem}; nothing was exported`);
    this.name = "WeightsError";
  }
}

const shown = (name) => JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}...` : name);

// Throws a WeightsError naming the first way stateDict differs from `matrices`.
function check(stateDict, matrices) {
  const expected = new Map(matrices);
  const extra = Object.keys(stateDict).find((name) => !expected.has(name));
  if (extra !== undefined) throw new WeightsError(`state_dict has a matrix ${shown(extra)} that the config does not make`);
  for (const [name, [rows, cols]] of matrices) {
    const shape = `the config makes it ${rows} x ${cols}`;
    const matrix = Object.hasOwn(stateDict, name) ? stateDict[name] : undefined;
    if (!Array.isArray(matrix)) throw new WeightsError(`state_dict has no matrix ${name} (${shape})`);
    if (matrix.length !== rows) throw new WeightsError(`${name} has ${matrix.length} rows where ${shape}`);
    matrix.forEach((row, r) => {
      if (!Array.isArray(row) || row.length !== cols) {
        throw new WeightsError(`${name} row ${r} has ${Array.isArray(row) ? row.length : "no"} numbers where ${shape}`);
      }
      const c = row.findIndex((value) => typeof value !== "number" || !Number.isFinite(value));
      if (c >= 0) throw new WeightsError(`${name} row ${r}, column ${c} is ${String(row[c])}, not a number`);
    });
  }
}

export function safetensors(stateDict, matrices, metadata = {}) {
  check(stateDict, matrices);
  const header = { __metadata__: metadata };
  let offset = 0;
  for (const [name, [rows, cols]] of matrices) {
    const size = rows * cols * 8;
    header[name] = { dtype: "F64", shape: [rows, cols], data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (new TextEncoder().encode(json).length % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const bytes = new Uint8Array(8 + head.length + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  bytes.set(head, 8);
  let at = 8 + head.length;
  for (const [name] of matrices) {
    for (const row of stateDict[name]) {
      for (const value of row) {
        view.setFloat64(at, value, true);
        at += 8;
      }
    }
  }
  return bytes;
}
