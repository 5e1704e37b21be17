// How the lab shows a token: its character, a visible blank for a space, and
// the schema's label (bos_label, "BOS") for the special token, whose id is
// the vocabulary's length.
const BLANK = "␠";

// The label of one character as drawn (the embedding map's labels come from the engine).
export const charLabel = (ch) => (ch === " " ? BLANK : ch ?? "?");

// A vocabulary as one line of its characters, the first `most` of a large
// one and how many more: thousands of characters would be a wall of text
// that costs every repaint of the page.
export function vocabularyLine(vocab, most = 200) {
  if (vocab.length <= most) return vocab.join("");
  return `${vocab.slice(0, most).join("")} … and ${(vocab.length - most).toLocaleString("en")} more`;
}

// label(id) for a session's vocabulary: tokenLabels(vocab, schema.bos_label).
export function tokenLabels(vocab, bos) {
  return (id) => (id === vocab.length ? bos : charLabel(vocab[id]));
}
