// What the chapters' widgets share: making elements, asking the engine
// with only the latest answer kept, and the token strip.
import { charLabel } from "../../draw/tokens.js";

export const element = (tag, className, text) => Object.assign(document.createElement(tag), className ? { className } : {},
                                                                  text === undefined ? {} : { textContent: text });

// A labelled text input.
let nextId = 0;
export function textField(label, { value = "", placeholder = "", maxLength = 64 } = {}) {
  const id = `field${nextId++}`;
  const el = element("p", "lesson-field");
  const caption = Object.assign(element("label", "", label), { htmlFor: id });
  const input = Object.assign(element("input"), { id, type: "text", value, placeholder, maxLength, spellcheck: false });
  input.setAttribute("autocapitalize", "off");
  input.setAttribute("autocomplete", "off");
  el.append(caption, input);
  return { el, input };
}

// A labelled whole-number input, inline: {el, input}.
export function numberField(label, value, { min = 0, max }) {
  const el = element("label", "lesson-field inline", `${label} `);
  const input = Object.assign(element("input"), { type: "number", min: String(min), max: String(max), step: "1",
                                                  value: String(value) });
  el.append(input);
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
  const figure = element("figure", "token-strip");
  const list = element("ol", "tokens");
  list.setAttribute("aria-label", caption);
  labels.forEach((label, k) => {
    const item = element("li", label === "BOS" ? "token bos" : "token");
    item.append(element("span", "token-label", label === "BOS" ? label : charLabel(label)),
                element("span", "token-id", String(ids[k])));
    item.setAttribute("aria-label", `${label}: id ${ids[k]}`);
    list.append(item);
  });
  figure.append(element("figcaption", "", caption), list);
  return figure;
}

export const fixed = (value, digits = 4) => (Number.isFinite(value) ? value.toFixed(digits) : String(value));
