// The counting bigram as the engine gives it (Session.bigram: a row per
// token id, BOS last, listing only the next tokens seen after it, with their
// counts and probabilities), read for drawing: its rows for a heat map, and
// one pair's numbers. Nothing is counted here.
//
//   bigramRows(bigram, "counts")        // a row per token for draw/heat.js: {length, at: the next tokens seen, values: their counts (or "probs")}
//   bigramPair(bigram, token, next)     // {count, total, prob} of that pair (0 when never seen)
//
// A panel follows the shown session's bigram with shownBigram(stored, changed):
//   const counted = shownBigram(stored, () => frame.request());
//   counted.show(session);  // in reset(): a newly shown session's bigram is asked (stored.bigram, once per session)
//   counted.bigram          // the engine's answer, or null; counted.state: "none", "asking", "counted", "missing", "failed"
//   counted.error           // what failed, when it did

// Sparse: a vocabulary of thousands has millions of pairs, few of them seen.
export function bigramRows({ rows }, key) {
  return rows.map((row) => ({ length: rows.length, at: row.next, values: row[key] }));
}

export function bigramPair({ rows }, token, next) {
  const row = rows[token];
  const i = row ? row.next.indexOf(next) : -1;
  return { count: i < 0 ? 0 : row.counts[i], total: row?.total ?? 0, prob: i < 0 ? 0 : row.probs[i] };
}

// The shown session's counting bigram for a panel; `changed` is called
// whenever it changes. None for the recording (no session) or without
// stored.bigram; "missing" when the engine has no data for the session.
export function shownBigram(stored, changed) {
  const shown = { session: undefined, bigram: null, state: "none", error: "" };
  const set = (values) => {
    Object.assign(shown, values);
    changed();
  };
  return {
    get bigram() {
      return shown.bigram;
    },
    get state() {
      return shown.state;
    },
    get error() {
      return shown.error;
    },
    show(session) {
      if (session === shown.session) return;
      shown.session = session;
      if (!stored?.bigram || !session) { // the recording has no session
        set({ bigram: null, state: "none", error: "" });
        return;
      }
      set({ bigram: null, state: "asking", error: "" });
      stored.bigram(session).then(
        (bigram) => shown.session === session && set({ bigram, state: bigram ? "counted" : "missing" }),
        (error) => shown.session === session && set({ state: "failed", error: error.message }),
      );
    },
  };
}
