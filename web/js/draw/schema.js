// What the panels read off the engine's schema (dist/schema.json, written by
// `python -m microgpt_lab schema`): the model's stages and state_dict's
// matrices for a session's config, with the schema's text placeholders
// ({n_embd}, {n_head}, {head_dim}, {vocab_size}, {block_size}, {i}) filled.
// Nothing here knows a stage or a matrix by name.

// The numbers the schema's texts and shapes refer to, for one session.
export function modelDims(config = {}, vocab = null) {
  const { n_embd: embd, n_head: head, n_layer: layers, block_size: block } = config;
  return {
    n_embd: embd ?? "?",
    n_head: head ?? "?",
    n_layer: layers ?? 1,
    head_dim: embd && head ? embd / head : "?",
    block_size: block ?? "?",
    vocab_size: vocab ? vocab.length + 1 : "?",
  };
}

// A text with its {placeholders} replaced; unknown ones stay as they are.
export const fill = (text, values) => String(text ?? "").replace(/\{(\w+)\}/g, (all, key) => (key in values ? String(values[key]) : all));

// Entries of a schema list (stages or matrices) in the model's order for
// n_layer layers: the non-layer entries before the first per-layer one,
// every layer's block, then the rest. Each: {name (full key), layer (i or
// null), entry (the schema's object)}.
function expand(schema, entries, nLayer) {
  const first = entries.findIndex((entry) => entry.per_layer);
  const fixed = (entry, i) => !entry.per_layer && (first < 0 || i < first);
  const named = (entry, layer) => ({
    name: layer === null ? entry.name : fill(schema.layer_name, { i: layer, name: entry.name }),
    layer,
    entry,
  });
  const out = entries.filter(fixed).map((entry) => named(entry, null));
  for (let i = 0; i < nLayer && first >= 0; i += 1) {
    for (const entry of entries.filter((e) => e.per_layer)) out.push(named(entry, i));
  }
  return out.concat(entries.filter((entry, i) => !entry.per_layer && !fixed(entry, i)).map((entry) => named(entry, null)));
}

export const stagesOf = (schema, nLayer) => expand(schema, schema.stages, nLayer);
export const matricesOf = (schema, nLayer) => expand(schema, schema.matrices, nLayer);

// A matrix's [rows, cols]; a dimension is "n_embd", "vocab_size", ... or "<k>*<dim>".
export function shapeOf(matrix, dims) {
  const size = (dim) => {
    const scaled = /^(\d+)\*(\w+)$/.exec(dim);
    const value = scaled ? Number(scaled[1]) * dims[scaled[2]] : dims[dim];
    return Number.isFinite(value) ? value : "?";
  };
  return [size(matrix.rows), size(matrix.cols)];
}

// The full key of a matrix a stage of layer `layer` reads (same layer for per-layer ones).
export function matrixKey(schema, name, layer) {
  const matrix = schema.matrices.find((m) => m.name === name);
  return matrix?.per_layer ? fill(schema.layer_name, { i: layer, name }) : name;
}
