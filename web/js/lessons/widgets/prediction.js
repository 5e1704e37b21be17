// Chapter 2: the prediction game. A name becomes the rounds a step scores
// (context, then the token to guess), from the engine; a slider gives the
// right token a probability and the engine says the loss, -log p.
// The element publishes data-rounds, data-probability and data-loss.
import { element } from "../../draw/dom.js";
import { fixed, latestOnly, nearestChoice, textField } from "./common.js";

export function create({ engine, chapter, explain }) {
  const field = textField("A name", { value: "emma" });
  const problem = element("p", { className: "error" });
  const rounds = element("ol", { className: "rounds", "aria-label": "The rounds of the game: the context, then the token to guess" });
  const sliderId = "surprise-probability";
  const range = element("input", { id: sliderId, type: "range", min: "0.01", max: "1", step: "0.01", value: "0.5" });
  const readout = element("output", { className: "surprise-readout", htmlFor: sliderId });
  const slider = element("p", { className: "lesson-field surprise" },
                         element("label", { htmlFor: sliderId, textContent: "Probability the model gave the token that came next" }),
                         range, readout);
  const el = element("div", { className: "prediction-widget" }, field.el, problem, rounds, slider);

  const askRounds = latestOnly((answer) => {
    problem.textContent = "";
    const label = (id) => (id === answer.bos ? "BOS" : answer.vocab[id]);
    rounds.replaceChildren(...answer.pairs.map(({ context, target }) => element(
      "li", {}, element("span", { className: "round-context", textContent: context.map(label).join(" ") }), " → ",
      element("strong", { className: "round-target", textContent: label(target) }))));
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
