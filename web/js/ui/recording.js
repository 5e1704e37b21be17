// The recording: a short run of the engine made at build time
// (data/recording.json, a trace made by the engine's own CLI), replayed into
// the panels (the router's replay) while Python loads, so a first-time
// visitor sees a GPT learn at once. It is labelled as a recording and stops
// for good when the page shows a real session (stop()).
import { element } from "../draw/dom.js";

const STEP_MS = 60; // replay pace: about 16 steps per second

// trace: a promise of the recording's trace, fetched as the page's code
// starts (ui/main.js), so that it is in hand when the panels exist.
export function playRecording(replay, { trace, container }) {
  const text = element("span");
  const badge = element("p", { className: "recording-badge", role: "note", hidden: true },
                        element("strong", { textContent: "Recording" }), text);
  container.prepend(badge);

  let timer = 0;
  let stopped = false;

  function play(trace) {
    const { steps, samples, ...header } = trace;
    const { config } = header;
    const record = { id: null, config, vocab: header.dataset.vocab, num_steps: config.num_steps, step: 0,
                     trace_header: header };
    text.textContent = ` a ${steps.length}-step run of this model, replayed while Python loads. Start a session to train your own.`;
    badge.hidden = false;
    container.dataset.recording = "playing";
    replay.reset(record);
    let next = 0;
    const tick = () => {
      if (stopped) return;
      replay.show(steps[next]);
      next += 1;
      if (next < steps.length) {
        timer = setTimeout(tick, STEP_MS);
      } else {
        for (const batch of samples) replay.sample(batch);
        container.dataset.recording = "done";
      }
    };
    tick();
  }

  trace.then((loaded) => {
    if (!stopped) play(loaded);
  }).catch((error) => {
    if (!stopped) console.warn("recording unavailable:", error.message);
  });

  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      badge.remove();
      delete container.dataset.recording;
    },
  };
}
