// Export weights' file (sessions/safetensors.js): exactly the config's matrices, or a refusal naming the matrix.
import assert from "node:assert/strict";
import { test } from "node:test";

import { WeightsError, safetensors } from "../../web/js/sessions/safetensors.js";

const MATRICES = [["wte", [3, 2]], ["wpe", [2, 2]]];
const weights = () => ({ wte: [[0.5, -1], [2, 3], [4, 5]], wpe: [[6, 7], [8, 9]] });

function read(bytes) {
  const view = new DataView(bytes.buffer);
  const length = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.slice(8, 8 + length)));
  const numbers = [];
  for (let at = 8 + length; at < bytes.length; at += 8) numbers.push(view.getFloat64(at, true));
  return { length, header, numbers };
}

test("the header names each matrix of the config with its shape and bytes; the numbers follow as float64", () => {
  const { length, header, numbers } = read(safetensors(weights(), MATRICES, { step: "4" }));
  assert.equal(length % 8, 0);
  assert.deepEqual(Object.keys(header), ["__metadata__", "wte", "wpe"]);
  assert.deepEqual(header.__metadata__, { step: "4" });
  assert.deepEqual(header.wte, { dtype: "F64", shape: [3, 2], data_offsets: [0, 48] });
  assert.deepEqual(header.wpe, { dtype: "F64", shape: [2, 2], data_offsets: [48, 80] });
  assert.deepEqual(numbers, [0.5, -1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

const refused = (stateDict, message) => assert.throws(() => safetensors(stateDict, MATRICES), (error) => {
  assert.ok(error instanceof WeightsError);
  assert.match(error.message, message);
  assert.match(error.message, /^Export weights: .*; nothing was exported$/);
  return true;
});

test("a row too long, a row too short or a row missing is refused, naming the matrix and the config's shape", () => {
  const long = weights();
  long.wte[0].push(1.0);
  refused(long, /wte row 0 has 3 numbers where the config makes it 3 x 2/);
  const short = weights();
  short.wpe[1].pop();
  refused(short, /wpe row 1 has 1 numbers where the config makes it 2 x 2/);
  const fewer = weights();
  fewer.wte.pop();
  refused(fewer, /wte has 2 rows where the config makes it 3 x 2/);
  const ragged = weights();
  ragged.wte[2] = "row";
  refused(ragged, /wte row 2 has no numbers/);
});

test("a value that is not a number is refused, naming where it is", () => {
  for (const [value, shown] of [[NaN, "NaN"], [Infinity, "Infinity"], ["1", "1"], [null, "null"]]) {
    const bad = weights();
    bad.wpe[1][0] = value;
    refused(bad, new RegExp(`wpe row 1, column 0 is ${shown}, not a number`));
  }
});

test("a matrix missing or one the config does not make is refused; no key reaches the header but the config's", () => {
  const missing = weights();
  delete missing.wpe;
  refused(missing, /state_dict has no matrix wpe \(the config makes it 2 x 2\)/);
  refused({ ...weights(), __metadata__: [[1]] }, /state_dict has a matrix "__metadata__" that the config does not make/);
  refused(JSON.parse('{"__proto__": [[1, 2]], "wte": [[0, 1], [2, 3], [4, 5]], "wpe": [[6, 7], [8, 9]]}'),
          /state_dict has a matrix "__proto__" that the config does not make/);
  const inherited = Object.create({ wpe: [[6, 7], [8, 9]] });
  inherited.wte = weights().wte;
  refused(inherited, /state_dict has no matrix wpe/);
  refused({ ...weights(), ["x".repeat(10_000)]: [] }, /a matrix "x{40}\.\.\." that the config/);
});
