// The form's alert: the one place a problem is said (a bad input, an action
// that failed, the engine worker's faults), as text.
export function createAlert(el) {
  const say = (message) => {
    el.textContent = message || "";
  };
  return {
    say,
    engine(message) {
      if (message.type === "fatal") say(`The engine failed to start (${message.stage}): ${message.error}`);
      if (message.type === "error" && !message.diverged) say(message.error); // a run that blew up: said in the Training card and the loss panel
      if (message.type === "notice") say(message.message); // an action that waits, and for what
      if (message.type === "restart") say(message.message); // the worker was replaced; runs resume by themselves
    },
  };
}
