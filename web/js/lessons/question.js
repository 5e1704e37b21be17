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

let nextId = 0;

export function createQuestion(n, { prompt, choices }, { progress, answer }) {
  const uid = `question${nextId++}`;
  const el = document.createElement("section");
  el.className = "question";
  el.setAttribute("aria-labelledby", `${uid}-title`);
  const title = Object.assign(document.createElement("h3"), { id: `${uid}-title`, textContent: "Predict first" });
  const fieldset = document.createElement("fieldset");
  const legend = Object.assign(document.createElement("legend"), { textContent: prompt });
  const options = document.createElement("div");
  options.className = "question-choices";
  const radios = choices.map(([value, label], k) => {
    const radio = Object.assign(document.createElement("input"), { type: "radio", name: uid, value, id: `${uid}-${k}` });
    const caption = Object.assign(document.createElement("label"), { htmlFor: radio.id, textContent: label });
    const choice = document.createElement("span");
    choice.className = "question-choice";
    choice.append(radio, caption);
    options.append(choice);
    return radio;
  });
  fieldset.append(legend, options);
  const reveal = Object.assign(document.createElement("button"), { type: "button", textContent: "Reveal the engine's answer" });
  const said = Object.assign(document.createElement("p"), { className: "question-answer" });
  said.setAttribute("role", "status");
  el.append(title, fieldset, reveal, said);
  el.dataset.revealed = "";

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
