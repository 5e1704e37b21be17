// A model's weights as a .safetensors file (https://github.com/huggingface/safetensors):
// 8 bytes, the header's length (unsigned little-endian); the header, JSON
// {name: {dtype: "F64", shape: [rows, cols], data_offsets: [begin, end]},
// "__metadata__": {string: string}}, padded with spaces to a multiple of 8;
// then each matrix's numbers, row after row, as little-endian float64 (the
// engine's own floats, exactly). Matrices in state_dict's order.
//
//   const bytes = safetensors(checkpoint.state_dict, { step: "60", ... });

export function safetensors(stateDict, metadata = {}) {
  const header = { __metadata__: metadata };
  let offset = 0;
  for (const [name, rows] of Object.entries(stateDict)) {
    const shape = [rows.length, rows[0]?.length ?? 0];
    const size = shape[0] * shape[1] * 8;
    header[name] = { dtype: "F64", shape, data_offsets: [offset, offset + size] };
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
  for (const rows of Object.values(stateDict)) {
    for (const row of rows) {
      for (const value of row) {
        view.setFloat64(at, value, true);
        at += 8;
      }
    }
  }
  return bytes;
}
