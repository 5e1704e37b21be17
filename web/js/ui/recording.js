// The recording: a short run of the engine made at build time
// (build.py make_recording -> data/recording.json, a trace), replayed into the
// panels while Python loads so a first-time visitor sees a GPT learn at once.
// It is labelled as a recording and stops for good when the page shows a real
// session (stop()).
const SESSION = "recording";
const STEP_MS = 60; // replay pace: about 16 steps per second

export function playRecording(panels, { url, container }) {
  const badge = document.createElement("p");
  badge.className = "recording-badge";
  badge.setAttribute("role", "note");
  badge.hidden = true;
  const label = document.createElement("strong");
  label.textContent = "Recording";
  const text = document.createElement("span");
  badge.append(label, text);
  container.prepend(badge);

  const controller = new AbortController();
  let timer = 0;
  let stopped = false;

  const send = (message) => panels.update({ ...message, session: SESSION, current: SESSION });

  function replay(trace) {
    const steps = trace.steps;
    const config = trace.config;
    const record = { id: SESSION, config, vocab: trace.dataset.vocab, num_steps: config.num_steps, step: 0 };
    text.textContent = ` a ${steps.length}-step run of this model, replayed while Python loads. Start a session to train your own.`;
    badge.hidden = false;
    container.dataset.recording = "playing";
    send({ type: "session", record, steps: [] });
    let next = 0;
    const tick = () => {
      if (stopped) return;
      send({ type: "event", event: steps[next] });
      next += 1;
      if (next < steps.length) {
        timer = setTimeout(tick, STEP_MS);
      } else {
        for (const batch of trace.samples) send({ type: "sample", result: batch });
        container.dataset.recording = "done";
      }
    };
    tick();
  }

  fetch(url, { signal: controller.signal })
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    })
    .then((trace) => {
      if (!stopped) replay(trace);
    })
    .catch((error) => {
      if (!stopped) console.warn("recording unavailable:", error.message);
    });

  return {
    stop() {
      if (stopped) return;
      stopped = true;
      controller.abort();
      clearTimeout(timer);
      badge.remove();
      delete container.dataset.recording;
    },
  };
}
