// The counting bigram of each session (sessions.bigram: the engine's
// Session.bigram of the session's training documents), asked of the engine
// once per session: it depends on the session's data and config only, which
// never change. The panels read it as stored.bigram(id) (main.js); a failed
// question (the worker restarting) is asked again next time.
//
//   const bigram = createBigrams((id) => sessions.bigram(id));
//   await bigram(id)   // {rows, loss, num_docs, positions, held_out} or null (no data here)

export function createBigrams(ask) {
  const answers = new Map(); // id -> the promise of its bigram
  return (id) => {
    if (!answers.has(id)) {
      answers.set(id, ask(id).catch((error) => {
        answers.delete(id);
        throw error;
      }));
    }
    return answers.get(id);
  };
}
