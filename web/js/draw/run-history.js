// A live-model panel's view of the run before it looked: the answers to its
// question (the probe's next_token, the inspector's matrix) at step 0 and at
// each checkpoint kept for time travel (stored.history), asked once per
// session and question, then only for the checkpoints kept since (grow(step)
// after each live read). What was read live is the panel's own.
//
//   const past = createRunHistory(stored, "next_token", onChange);
//   past.load(session, { context });   // a session or a question shown
//   past.grow(step);                    // a live read at `step`
//   past.upTo(step);                    // the answers at or before `step`
import { CHECKPOINT_EVERY } from "../engine/protocol.js";

export function createRunHistory(stored, type, onChange) {
  let key = null;
  let session = null;
  let fields = {};
  let answers = [];
  let asked = -1; // the last step the store was asked up to
  let asking = false;

  function ask(wanted, after) {
    asking = true;
    stored.history(session, type, fields, after).then((found) => {
      if (key !== wanted) return;
      const byStep = new Map([...answers, ...found].map((answer) => [answer.step, answer]));
      answers = [...byStep.values()].sort((a, b) => a.step - b.step);
      asked = Math.max(asked, ...found.map((answer) => answer.step));
      onChange();
    }, () => {}).finally(() => {
      if (key === wanted) asking = false;
    });
  }

  return {
    load(nextSession, nextFields = {}) {
      const wanted = JSON.stringify([nextSession, nextFields]);
      if (wanted === key) return;
      key = wanted;
      [session, fields, answers, asked, asking] = [nextSession, nextFields, [], 0, false];
      if (session) ask(wanted, -1);
    },
    grow(step) {
      const kept = Math.floor(step / CHECKPOINT_EVERY) * CHECKPOINT_EVERY;
      if (!session || asking || kept <= asked) return;
      const after = asked;
      asked = kept;
      ask(key, after);
    },
    forget() {
      key = null;
    },
    upTo: (step) => answers.filter((answer) => answer.step <= step),
  };
}
