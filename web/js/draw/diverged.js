// A step that blew up, in words: the engine says what happened as data
// ({step, cause, learning_rate}: session.Diverged in py/microgpt_lab), the
// page says it where the learner is looking (the loss panel, the Training
// card): at which step, why, and what to try.

const CAUSES = {
  zero_probability: "the model gave the true next character a probability of exactly 0, so its loss, -ln 0, is infinite",
  overflow: "a number grew past what the computer can hold",
  not_a_number: "the loss stopped being a number",
};

// defaultRate: the config's default learning_rate (the schema's).
export function divergedText({ step, cause, learning_rate: rate }, defaultRate) {
  const smaller = defaultRate < rate ? `${defaultRate}, the default` : `${rate / 10}`;
  return `Training stopped at step ${step}: ${CAUSES[cause] ?? "its numbers blew up"}. `
    + `Why: a learning rate of ${rate} makes Adam's steps too large for the slope of the loss; each step overshoots the way `
    + `down, the weights swing further and further, until the numbers break. The weights stay as they were after step ${step - 1}. `
    + `Try a smaller learning rate (${smaller}) in a new session.`;
}

export const defaultRateOf = (schema) => schema.config.find((field) => field.name === "learning_rate")?.default;
