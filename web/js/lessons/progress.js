// What a learner has done on the path, kept across reloads in this
// browser's localStorage: the chapters read, the guesses made before a
// reveal, the exercises passed, the code written for each, and the rung
// sessions trained (rung key -> session id; the sessions themselves are
// ordinary stored sessions). Where storage cannot be written (disabled,
// full) the progress lives on in memory for this page.
//
//   const progress = createProgress(localStorage, { onChange });
//   progress.read(3); progress.isRead(3);
//   progress.guess(3, "2.2-2.8"); progress.guessOf(3);
//   progress.pass("softmax"); progress.passed("softmax");
//   progress.setCode("softmax", text); progress.code("softmax");
//   progress.setRung("bigram", id); progress.rung("bigram"); progress.forgetRung("bigram");

export const STORAGE_KEY = "microgpt-lab.lessons";
const MAX_CODE = 20_000; // characters of one exercise's code kept

const empty = () => ({ read: [], guesses: {}, passed: [], code: {}, rungs: {} });

// Whatever was stored, reduced to what this version reads (a hand-edited or
// older value loses only its unreadable parts).
export function parseProgress(text) {
  const state = empty();
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return state;
  }
  if (!data || typeof data !== "object") return state;
  const strings = (object) => Object.fromEntries(Object.entries(object && typeof object === "object" ? object : {})
    .filter(([, value]) => typeof value === "string"));
  if (Array.isArray(data.read)) state.read = [...new Set(data.read.filter(Number.isInteger))].sort((a, b) => a - b);
  if (Array.isArray(data.passed)) state.passed = [...new Set(data.passed.filter((name) => typeof name === "string"))];
  state.guesses = strings(data.guesses);
  state.code = strings(data.code);
  state.rungs = strings(data.rungs);
  return state;
}

export function createProgress(storage, { onChange = () => {} } = {}) {
  let state = empty();
  try {
    state = parseProgress(storage?.getItem(STORAGE_KEY) ?? "{}");
  } catch {
    // storage refused to be read (disabled): start empty, in memory
  }
  function save() {
    try {
      storage?.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch {
      // full or disabled: kept in memory for this page
    }
    onChange();
  }
  return {
    read(n) {
      if (state.read.includes(n)) return;
      state.read = [...state.read, n].sort((a, b) => a - b);
      save();
    },
    isRead: (n) => state.read.includes(n),
    guess(n, value) {
      state.guesses[String(n)] = String(value);
      save();
    },
    guessOf: (n) => state.guesses[String(n)] ?? null,
    pass(exercise) {
      if (state.passed.includes(exercise)) return;
      state.passed = [...state.passed, exercise];
      save();
    },
    passed: (exercise) => state.passed.includes(exercise),
    setCode(exercise, text) {
      state.code[exercise] = String(text).slice(0, MAX_CODE);
      save();
    },
    code: (exercise) => state.code[exercise] ?? null,
    setRung(key, id) {
      state.rungs[key] = id;
      save();
    },
    rung: (key) => state.rungs[key] ?? null,
    forgetRung(key) {
      delete state.rungs[key];
      save();
    },
  };
}
