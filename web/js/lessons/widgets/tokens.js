// Chapter 1: a name as the engine's tokenizer reads it (the bundled names'
// vocabulary): its token ids with BOS at both ends, and the vocabulary.
// The element publishes data-text and data-tokens (the ids, JSON).
import { element } from "../../draw/dom.js";
import { latestOnly, textField, tokenStrip } from "./common.js";

const QUESTION_TEXT = "emma";

export function create({ engine, explain }) {
  const field = textField("Type a name", { placeholder: "your name" });
  const out = element("div", { className: "tokens-out", "aria-live": "polite" });
  const problem = element("p", { className: "error" });
  const vocabularySummary = element("summary", { textContent: "The whole vocabulary" });
  const vocabularyList = element("ol", { className: "vocabulary-list" });
  const vocabulary = element("details", { className: "vocabulary" }, vocabularySummary, vocabularyList);
  const el = element("div", { className: "tokens-widget", dataset: { text: "", tokens: "" } }, field.el, problem, out, vocabulary);

  const ask = latestOnly((answer) => {
    problem.textContent = "";
    el.dataset.text = answer.text;
    el.dataset.tokens = JSON.stringify(answer.tokens);
    const caption = `"${answer.text}" is ${answer.tokens.length} tokens:`;
    const note = element("p", { className: "hint", textContent: answer.text
      ? `${answer.text.length} characters, and BOS (id ${answer.bos}) at both ends.`
      : "Nothing typed: a document with no characters is still BOS, then BOS." });
    out.replaceChildren(tokenStrip(answer.labels, answer.tokens, { caption }), note);
    explain(note);
    if (!vocabularyList.childElementCount) {
      vocabularySummary.textContent = `The whole vocabulary: ${answer.vocab_size} tokens`;
      vocabularyList.append(...[...answer.vocab, "BOS"].map((label, id) => element(
        "li", {}, element("span", { className: "token-label", textContent: label }),
        element("span", { className: "token-id", textContent: String(id) }))));
    }
  }, (error) => {
    problem.textContent = error.message;
    el.dataset.tokens = "";
  });
  const update = () => ask(() => engine.askData("tokens", { text: field.input.value }));
  field.input.addEventListener("input", update);
  update();

  return {
    el,
    async answer() {
      const answer = await engine.askData("tokens", { text: QUESTION_TEXT });
      const count = answer.tokens.length;
      return { value: String(count), text: `The engine makes ${count} tokens of "${QUESTION_TEXT}": `
        + `${answer.labels.join(" ")}, its ${QUESTION_TEXT.length} letters with BOS at both ends.` };
    },
  };
}
