// How a live-model panel asks its question in read(model): the latest read
// wins (a reset, a new question or a newer read makes an older answer
// stale), and every outcome comes back as data: {answer, missing, error}.
// answer: the engine's reply, or null (no model, or the question failed);
// missing: the sentence why there is no model ("" when there is one);
// error: the failure's message ("" when none).
export function createReads() {
  let latest = 0;
  return {
    // Answers of the reads in flight are stale from now on.
    forget() {
      latest += 1;
    },
    // model.ask(type, fields), or null when a newer read or forget() came first.
    async ask(model, type, fields) {
      const mine = ++latest;
      let outcome;
      try {
        const answer = model.missing ? null : await model.ask(type, fields);
        outcome = { answer, missing: model.missing ?? "", error: "" };
      } catch (failure) {
        outcome = { answer: null, missing: "", error: failure.message };
      }
      return mine === latest ? outcome : null;
    },
  };
}
