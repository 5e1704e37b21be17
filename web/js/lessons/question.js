// Predict, then see: a chapter's question, answered before the engine's
// answer is revealed. The guess is kept (progress.js); a chapter opened
// again shows its guess and the answer at once. The answer comes from the
// chapter's widget ({value, text}: the choice the engine's numbers make
// right, and a sentence with them), or {waiting: sentence} while it needs
// something first (a rung trained).
//
//   const question = createQuestion(n, chapter.question, { progress, answer: () => widget.answer() });
//   question.refresh();   // the widget's numbers changed: reveal again if revealed
//
// The element publishes data-revealed ("", "waiting", "right", "wrong", "error").
import { element } from "../draw/dom.js";

let nextId = 0;

export function createQuestion(n, { prompt, choices }, { progress, answer }) {
  const uid = `question${nextId++}`;
  const radios = choices.map(([value], k) => element("input", { type: "radio", name: uid, value, id: `${uid}-${k}` }));
  const labelled = choices.map(([, label], k) => element("span", { className: "question-choice" }, radios[k],
                                                         element("label", { htmlFor: radios[k].id, textContent: label })));
  const fieldset = element("fieldset", {}, element("legend", { textContent: prompt }),
                           element("div", { className: "question-choices" }, ...labelled));
  const reveal = element("button", { type: "button", textContent: "Reveal the engine's answer" });
  const said = element("p", { className: "question-answer", role: "status" });
  const el = element("section", { className: "question", "aria-labelledby": `${uid}-title`, dataset: { revealed: "" } },
                     element("h3", { id: `${uid}-title`, textContent: "Predict first" }), fieldset, reveal, said);

  const labelOf = (value) => choices.find(([v]) => v === value)?.[1] ?? value;
  let shown = false;

  // A sentence said again is not written again (a screen reader would repeat it).
  const say = (text) => {
    if (said.textContent !== text) said.textContent = text;
  };

  async function show() {
    const guess = progress.guessOf(n);
    if (guess === null) return;
    if (!shown) say("Asking the engine…");
    shown = true;
    let found;
    try {
      found = await answer();
    } catch (error) {
      say(`The engine could not answer: ${error.message}`);
      el.dataset.revealed = "error";
      return;
    }
    if (found.waiting) {
      say(`You said: ${labelOf(guess)}. ${found.waiting}`);
      el.dataset.revealed = "waiting";
      return;
    }
    const right = found.value === guess;
    say(`You said: ${labelOf(guess)}. ${right ? "Right." : `The engine's answer: ${labelOf(found.value)}.`} ${found.text}`);
    el.dataset.revealed = right ? "right" : "wrong";
  }

  reveal.addEventListener("click", () => {
    const chosen = radios.find((radio) => radio.checked);
    if (!chosen) {
      say("Choose an answer first: guessing before you see is the point.");
      radios[0].focus();
      return;
    }
    progress.guess(n, chosen.value);
    show();
  });

  const kept = progress.guessOf(n);
  const keptRadio = radios.find((radio) => radio.value === kept);
  if (keptRadio) {
    keptRadio.checked = true;
    show();
  }
  return {
    el,
    refresh() {
      if (shown) show();
    },
  };
}
