// Time travel: a scrubber over the current session's recorded steps. Moving
// it calls onTravel(step), or onTravel(null) at the end of the range and on
// "Live"; the router then redraws the panels as they were at that step. The
// view draws: latest, the last recorded step; at, the step shown (null:
// live); detail, the step whose attention, probabilities and graph timings
// are shown (the last one at or before `at` recorded with full
// instrumentation; during a run that is every 100 ms or so).
import { element } from "../../draw/dom.js";
import { createFrame } from "../../draw/frame.js";

export function create(el, { onTravel }) {
  const range = element("input", { type: "range", id: "time-travel", min: "1", step: "1" });
  const live = element("button", { type: "button", id: "btn-live", textContent: "Live" });
  const note = element("output", { id: "time-travel-note", className: "hint", htmlFor: range.id });
  el.append(element("label", { className: "timeline" }, element("span", { textContent: "Time travel" }), range), live, note);

  let data = { latest: 0, at: null, detail: null };
  const frame = createFrame(() => {
    const { latest, at, detail } = data;
    el.hidden = latest < 1;
    range.max = String(Math.max(1, latest));
    range.value = String(at ?? latest);
    live.disabled = at === null;
    el.dataset.travel = at === null ? "live" : String(at);
    if (at === null) {
      note.textContent = "Live: the panels follow the latest step. Drag to go back.";
      return;
    }
    const shown = detail === at ? `Step ${at} of ${latest}, as it was then`
      : detail ? `Step ${at} of ${latest}; attention, probabilities and graph from step ${detail}, the last one recorded in full`
        : `Step ${at} of ${latest}; no step up to here was recorded in full`;
    note.textContent = `${shown}. The inspector, embedding map and probe show the model rebuilt at step ${at} ` +
      "from the nearest kept checkpoint.";
  });

  range.addEventListener("input", () => {
    const step = Number(range.value);
    onTravel(step >= data.latest ? null : step);
  });
  live.addEventListener("click", () => onTravel(null));

  const lastStep = (steps) => (steps.length ? steps[steps.length - 1].step : 0);
  // The last step recorded at the full level (only those carry attention).
  const lastDetail = (steps) => steps.findLast((event) => event.attention)?.step ?? null;

  return {
    select({ steps }) {
      data = { latest: lastStep(steps), at: null, detail: null };
      frame.request();
    },
    reset({ steps, travel }) {
      data = { ...data, at: travel, detail: travel === null ? null : lastDetail(steps) };
      frame.request();
    },
    latest(event) {
      data.latest = event.step;
      frame.request();
    },
    destroy() {
      frame.cancel();
      el.replaceChildren();
    },
  };
}
