// How the lab shows a token: its character, a visible blank for a space, and
// the schema's label (bos_label, "BOS") for the special token, whose id is
// the vocabulary's length.
const BLANK = "␠";

// The label of one character as drawn (the embedding map's labels come from the engine).
export const charLabel = (ch) => (ch === " " ? BLANK : ch ?? "?");

// label(id) for a session's vocabulary: tokenLabels(vocab, schema.bos_label).
export function tokenLabels(vocab, bos) {
  return (id) => (id === vocab.length ? bos : charLabel(vocab[id]));
}
