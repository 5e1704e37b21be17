// Datasets: read a text (a file, a download, pasted) and have the engine
// judge it before anything starts, so a text it cannot train on is refused
// at the form with a message naming the problem (and nothing is created or
// saved). The rules and limits are the engine's, one for every source
// (py/microgpt_lab/data.py: describe, check_size); the page only decodes
// bytes, which the engine never sees.
//
//   const datasets = createDatasets(sessions);  // its checkSize(size), checkData(text): the worker's
//   const dataset = await datasets.fromFile(file);           // {text, name, num_docs, vocab, longest}
//   const dataset = await datasets.fromResponse(response, name);
//   const dataset = await datasets.fromText(text, name);     // pasted text
//
// Each rejects with a DatasetError whose message names the dataset and the
// problem. vocab is in code point order, as the engine's tokenizer; longest
// is the longest line, {line, chars}.

export class DatasetError extends Error {
  constructor(message) {
    super(message);
    this.name = "DatasetError";
  }
}

export function createDatasets(engine) {
  // The engine's verdict, or a DatasetError naming the dataset and the problem.
  async function judged(name, ask) {
    try {
      return await ask();
    } catch (error) {
      throw new DatasetError(`Dataset ${name}: ${error.message}`);
    }
  }

  async function fromText(text, name = "pasted text") {
    return { text, name, ...(await judged(name, () => engine.checkData(text))) };
  }

  // A file's bytes (their size judged already) as text.
  function decoded(bytes, name) {
    if (bytes.length === 0) throw new DatasetError(`Dataset ${name}: the file is empty (0 bytes)`);
    try {
      // ignoreBOM keeps a byte-order mark in the text: split_docs drops it, as
      // for a file the command line reads (the decoder would drop one more).
      return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      throw new DatasetError(`Dataset ${name}: this looks like a binary file: it is not valid UTF-8 text`);
    }
  }

  return {
    fromText,
    // The size is judged before the file is read: a huge one is refused without loading it.
    async fromFile(file) {
      await judged(file.name, () => engine.checkSize(file.size));
      return fromText(decoded(new Uint8Array(await file.arrayBuffer()), file.name), file.name);
    },
    async fromResponse(response, name) {
      if (!response.ok) throw new DatasetError(`Dataset ${name}: could not be downloaded (HTTP ${response.status})`);
      const length = Number(response.headers.get("content-length"));
      if (length) await judged(name, () => engine.checkSize(length));
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (!length) await judged(name, () => engine.checkSize(bytes.length));
      return fromText(decoded(bytes, name), name);
    },
  };
}
