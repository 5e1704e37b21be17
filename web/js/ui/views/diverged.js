// The Training card's word on a run that blew up: the engine's error event
// carries what happened (diverged: {step, cause, learning_rate}), said here
// in the card that holds Step and Run (draw/diverged.js words it; the loss
// panel says it too). It goes when another session is shown or this one
// starts again.
import { defaultRateOf, divergedText } from "../../draw/diverged.js";

export function create(el, { schema }) {
  let shown = null;
  let said = null; // the session the note is about
  const clear = () => {
    el.hidden = true;
    el.textContent = "";
    said = null;
  };
  clear();
  return {
    select({ session }) {
      shown = session;
      if (said !== session) clear();
    },
    status({ session, status }) {
      if (session === said && status !== "error") clear();
    },
    engine(message) {
      if (message.type !== "error" || !message.diverged || message.session !== shown) return;
      el.textContent = divergedText(message.diverged, defaultRateOf(schema));
      el.dataset.step = String(message.diverged.step);
      el.hidden = false;
      said = shown;
    },
  };
}
