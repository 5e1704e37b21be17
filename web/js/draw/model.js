// A session's model as the engine describes it (model.describe in
// py/microgpt_lab/model.py, carried in the session's trace header): its
// matrices in state_dict's order, its stages in forward order and its
// optimizer, for its config and vocabulary, texts filled. A rung without
// attention or with no layers simply has fewer of them. The panels draw from
// this and compute none of it again (a shape, a stage's output, a name).
//
//   const model = modelOf(record);  // null: nothing described (no session yet)
//   model.matrices  [{name, matrix, layer, block, shape: [rows, cols], rows_are, help}]
//   model.stages    [{name, stage, layer, kind, block, reads, shape, output, formula, help, heads?}]
//   model.optimizer {name, formula, help, ...Adam's constants}

export const modelOf = (record) => record?.trace_header?.model ?? null;

// How a stage's numbers for one position are said: "16", or attention's "4 × T" (weights per head over the positions so far).
export const shapeText = (stage) => (stage.heads ? `${stage.heads} × T` : stage.shape.join(" × "));
