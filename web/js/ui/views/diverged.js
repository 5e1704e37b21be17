// The Training card's word on a run that blew up: the engine's error event
// carries what happened (diverged: {step, cause, learning_rate}), said here
// in the card that holds Step and Run (draw/diverged.js words it; the loss
// panel says it too), and again when the session is shown later (its record
// keeps it). It goes when another session is shown or this one starts again.
import { defaultRateOf, divergedText } from "../../draw/diverged.js";

export function create(el, { schema }) {
  let shown = null;
  let said = null; // the session the note is about
  const clear = () => {
    el.hidden = true;
    el.textContent = "";
    said = null;
  };
  const say = (diverged) => {
    el.textContent = divergedText(diverged, defaultRateOf(schema));
    el.dataset.step = String(diverged.step);
    el.hidden = false;
    said = shown;
  };
  clear();
  return {
    // A session that diverged before (a reload) says it as it ended.
    select({ session, record }) {
      shown = session;
      if (said !== session) clear();
      if (record?.status === "error" && record.diverged) say(record.diverged);
    },
    status({ session, status }) {
      if (session === said && status !== "error") clear();
    },
    engine(message) {
      if (message.type === "error" && message.diverged && message.session === shown) say(message.diverged);
    },
  };
}
