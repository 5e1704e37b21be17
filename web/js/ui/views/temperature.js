// The sampling temperature for the Sample button (and the C key): a labelled
// slider from 0.1 (safe, common names) to 2.0 (adventurous, often gibberish).
// Selecting a session resets it to that session's config temperature. The
// samples themselves (with the step they were drawn at, newest first) are the
// page's one samples list (samples.js); this adds only the control.
import { element } from "../../draw/dom.js";

const MIN = 0.1;
const MAX = 2.0;
const STEP = 0.1;

let nextId = 0;

const clamp = (t) => Math.min(MAX, Math.max(MIN, Math.round(t / STEP) * STEP));

export function create(el, { temperature = 0.5 } = {}) {
  const id = `sample-temperature${nextId ? `-${nextId}` : ""}`;
  nextId += 1;
  const slider = element("input", { type: "range", id, min: String(MIN), max: String(MAX), step: String(STEP) });
  const output = element("output", { htmlFor: id, className: "temperature-value" });
  el.append(element("div", { className: "temperature" },
                    element("label", { htmlFor: id, textContent: "Temperature" }), slider, output,
                    element("span", { className: "hint temperature-hint", textContent: "low: safe, common names · high: adventurous" })));

  const show = () => {
    output.textContent = Number(slider.value).toFixed(1);
    slider.setAttribute("aria-valuetext", `temperature ${output.textContent}`);
  };
  const set = (t) => {
    slider.value = clamp(t).toFixed(1);
    show();
  };
  slider.addEventListener("input", show);
  set(temperature);

  return {
    // The temperature the next samples are drawn at.
    get temperature() {
      return Number(Number(slider.value).toFixed(1));
    },
    select({ record }) {
      set(record.config.temperature);
    },
    destroy() {
      el.replaceChildren();
    },
  };
}
