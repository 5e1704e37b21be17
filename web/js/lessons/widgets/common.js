// What the chapters' widgets share: the labelled fields, asking the engine
// with only the latest answer kept, and the token strip.
import { element } from "../../draw/dom.js";
import { charLabel } from "../../draw/tokens.js";

// A labelled text input.
let nextId = 0;
export function textField(label, { value = "", placeholder = "", maxLength = 64 } = {}) {
  const id = `field${nextId++}`;
  const input = element("input", { id, type: "text", value, placeholder, maxLength, spellcheck: false,
                                   autocapitalize: "off", autocomplete: "off" });
  const el = element("p", { className: "lesson-field" }, element("label", { htmlFor: id, textContent: label }), input);
  return { el, input };
}

// A labelled whole-number input, inline: {el, input}. Without a max, the
// engine's answer sets it (a matrix's size is the engine's to say).
export function numberField(label, value, { min = 0, max } = {}) {
  const input = element("input", { type: "number", min: String(min), step: "1", value: String(value) });
  if (max !== undefined) input.max = String(max);
  const el = element("label", { className: "lesson-field inline" }, `${label} `, input);
  return { el, input };
}

// ask(fn) runs fn() and hands its answer to `show` only if no later ask
// started meanwhile (typing fast sends several questions; the last wins);
// a failure goes to `fail`.
export function latestOnly(show, fail) {
  let asked = 0;
  return async (fn) => {
    const mine = ++asked;
    try {
      const answer = await fn();
      if (mine === asked) show(answer);
    } catch (error) {
      if (mine === asked) fail(error);
    }
  };
}

// The choice whose number is nearest the engine's (choices' values are numbers as text).
export function nearestChoice(choices, value) {
  return choices.map(([choice]) => choice).reduce((best, choice) => (
    Math.abs(Number(choice) - value) < Math.abs(Number(best) - value) ? choice : best));
}

// A row of tokens: each its label over its id, as the engine gave them.
export function tokenStrip(labels, ids, { caption }) {
  const items = labels.map((label, k) => element(
    "li", { className: label === "BOS" ? "token bos" : "token", "aria-label": `${label}: id ${ids[k]}` },
    element("span", { className: "token-label", textContent: label === "BOS" ? label : charLabel(label) }),
    element("span", { className: "token-id", textContent: String(ids[k]) }),
  ));
  return element("figure", { className: "token-strip" }, element("figcaption", { textContent: caption }),
                 element("ol", { className: "tokens", "aria-label": caption }, ...items));
}

export const fixed = (value, digits = 4) => (Number.isFinite(value) ? value.toFixed(digits) : String(value));
