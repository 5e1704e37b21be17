// Chapter 2: the prediction game. A name becomes the rounds a step scores
// (context, then the token to guess), from the engine; a slider gives the
// right token a probability and the engine says the loss, -log p.
// The element publishes data-rounds, data-probability and data-loss.
import { element, fixed, latestOnly, nearestChoice, textField } from "./common.js";

export function create({ engine, chapter, explain }) {
  const el = element("div", "prediction-widget");
  const field = textField("A name", { value: "emma" });
  const problem = element("p", "error");
  const rounds = element("ol", "rounds");
  rounds.setAttribute("aria-label", "The rounds of the game: the context, then the token to guess");
  const sliderId = "surprise-probability";
  const slider = element("p", "lesson-field surprise");
  const sliderLabel = Object.assign(element("label", "", "Probability the model gave the token that came next"), { htmlFor: sliderId });
  const range = Object.assign(element("input"), { id: sliderId, type: "range", min: "0.01", max: "1", step: "0.01", value: "0.5" });
  const readout = element("output", "surprise-readout");
  readout.htmlFor = sliderId;
  slider.append(sliderLabel, range, readout);
  el.append(field.el, problem, rounds, slider);

  const askRounds = latestOnly((answer) => {
    problem.textContent = "";
    const label = (id) => (id === answer.bos ? "BOS" : answer.vocab[id]);
    rounds.replaceChildren(...answer.pairs.map(({ context, target }) => {
      const item = element("li");
      item.append(element("span", "round-context", context.map(label).join(" ")), " → ",
                  element("strong", "round-target", label(target)));
      return item;
    }));
    el.dataset.rounds = String(answer.pairs.length);
  }, (error) => {
    problem.textContent = error.message;
    rounds.replaceChildren();
  });
  const askLoss = latestOnly((answer) => {
    readout.textContent = `p = ${fixed(answer.probability, 2)}: loss = -log p = ${fixed(answer.loss, 3)} nats`;
    el.dataset.probability = String(answer.probability);
    el.dataset.loss = String(answer.loss);
  }, (error) => {
    readout.textContent = error.message;
  });
  field.input.addEventListener("input", () => askRounds(() => engine.askData("tokens", { text: field.input.value })));
  range.addEventListener("input", () => askLoss(() => engine.ask("surprise", { probability: Number(range.value) })));
  askRounds(() => engine.askData("tokens", { text: field.input.value }));
  askLoss(() => engine.ask("surprise", { probability: Number(range.value) }));
  explain(slider);

  return {
    el,
    async answer() {
      const { uniform_loss: uniform, vocab_size: size } = await engine.askData("tokens", { text: "" });
      return { value: nearestChoice(chapter.question.choices, uniform),
               text: `Each of the ${size} tokens gets 1/${size}, so every position costs -log(1/${size}) = ln ${size} = `
                 + `${fixed(uniform)} nats. Any model that learns something must score below it.` };
    },
  };
}
