// Datasets: read and check a text before anything starts, so a file the
// engine cannot train on is refused at the form with a message naming the
// problem (and nothing is created or saved).
//
//   const dataset = await fromFile(file);              // {text, name, num_docs}
//   const dataset = await fromResponse(response, name);
//   const dataset = fromText(text, name);              // pasted text
//   dataset.vocab, dataset.longest                     // the preview: characters
//                                                      // in code point order (as
//                                                      // the engine's sorted set),
//                                                      // longest line {line, chars}
//
// Each throws a DatasetError whose message names the dataset and the problem.
// The documents are the text's lines as the engine splits them (data.py
// split_docs: a leading byte-order mark dropped; \r\n, \r and \n all end a
// line; lines are stripped of what Python calls whitespace; blank lines
// dropped): linesOf and strip here are the same rule, character for character.
// Any characters are fine: the vocabulary is whatever appears.

export const MAX_BYTES = 10 * 1024 * 1024; // 10 MB
export const MAX_DOCS = 200_000;
export const MAX_DOC_CHARS = 1_000;
// More control characters than this share of the text means it is not text.
const MAX_CONTROL_SHARE = 0.01;

export class DatasetError extends Error {
  constructor(message) {
    super(message);
    this.name = "DatasetError";
  }
}

const fail = (name, problem) => {
  throw new DatasetError(`Dataset ${name}: ${problem}`);
};

// Python's str.isspace() characters, which str.strip() removes. JavaScript's
// trim() differs: it strips U+FEFF and keeps U+001C-U+001F and U+0085.
const PYTHON_SPACE = new Set([9, 10, 11, 12, 13, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
  0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
  0x2028, 0x2029, 0x202f, 0x205f, 0x3000]);

// str.strip(), in linear time.
function strip(line) {
  let start = 0;
  let end = line.length;
  while (start < end && PYTHON_SPACE.has(line.charCodeAt(start))) start++;
  while (end > start && PYTHON_SPACE.has(line.charCodeAt(end - 1))) end--;
  return line.slice(start, end);
}

const linesOf = (text) => text.replace(/^\ufeff/, "").replace(/\r\n?/g, "\n").split("\n");

export const megabytes = (bytes) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

export async function fromFile(file) {
  // Check the size before reading: a huge file is refused without loading it.
  checkSize(file.size, file.name);
  return fromBytes(new Uint8Array(await file.arrayBuffer()), file.name);
}

export async function fromResponse(response, name) {
  if (!response.ok) fail(name, `could not be downloaded (HTTP ${response.status})`);
  const length = Number(response.headers.get("content-length"));
  if (length) checkSize(length, name);
  return fromBytes(new Uint8Array(await response.arrayBuffer()), name);
}

function checkSize(bytes, name) {
  if (bytes > MAX_BYTES) {
    fail(name, `the file is ${megabytes(bytes)}, over the limit of ${megabytes(MAX_BYTES)}`);
  }
}

export function fromBytes(bytes, name) {
  if (bytes.length === 0) fail(name, "the file is empty (0 bytes)");
  checkSize(bytes.length, name);
  if (bytes.includes(0)) fail(name, "this looks like a binary file (it contains NUL bytes), not text");
  let text;
  try {
    // ignoreBOM keeps a byte-order mark in the text: split_docs drops it, as
    // for a file the command line reads (the decoder would drop one more).
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    fail(name, "this looks like a binary file: it is not valid UTF-8 text");
  }
  return fromText(text, name);
}

export function fromText(text, name = "pasted text") {
  if (text.length === 0) fail(name, "the text is empty");
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Tab, line feed, form feed and carriage return are ordinary in text.
    if ((code < 32 && code !== 9 && code !== 10 && code !== 12 && code !== 13) || code === 127) control += 1;
  }
  if (control > text.length * MAX_CONTROL_SHARE) {
    fail(name, `this looks like a binary file: ${control} of its ${text.length} characters are control characters`);
  }
  const lines = linesOf(text);
  let docs = 0;
  const vocab = new Set();
  let longest = { line: 0, chars: 0 };
  for (let i = 0; i < lines.length; i++) {
    const doc = strip(lines[i]);
    if (!doc) continue;
    docs += 1;
    const characters = [...doc];
    for (const c of characters) vocab.add(c);
    const chars = characters.length;
    if (chars > longest.chars) longest = { line: i + 1, chars };
    if (chars > MAX_DOC_CHARS) {
      fail(name, `line ${i + 1} is ${chars.toLocaleString("en")} characters long; a document (one line) ` +
                 `may have at most ${MAX_DOC_CHARS.toLocaleString("en")}`);
    }
  }
  if (docs === 0) fail(name, "it has only blank lines; put one document (a name, a word, a line of text) per line");
  if (docs > MAX_DOCS) {
    fail(name, `it has ${docs.toLocaleString("en")} documents (non-blank lines), over the limit of ` +
               `${MAX_DOCS.toLocaleString("en")}`);
  }
  const byCodePoint = (a, b) => a.codePointAt(0) - b.codePointAt(0);
  return { text, name, num_docs: docs, vocab: [...vocab].sort(byCodePoint), longest };
}
