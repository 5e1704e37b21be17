// How likely each character of a sampled name was when it was drawn: the
// model as it was at the batch's step (the live one when it is still
// there, else time travel's rebuild of it), asked for the next-character
// probabilities after BOS + each prefix, at the batch's temperature
// (softmax(logits / T) = p^(1/T) / sum p^(1/T), from the probabilities at
// T = 1), then for the end of the name (BOS).
//
//   const parts = await sampleProbabilities(model, batch, "emma", vocab)
//   // [{char: "e", p: 0.21}, ..., {char: "end", p: 0.6}]

function atTemperature(probs, temperature) {
  const powered = probs.map((p) => p ** (1 / temperature));
  const total = powered.reduce((a, b) => a + b, 0);
  return powered.map((p) => p / total);
}

async function modelAt(model, step) {
  const probe = await model.ask("next_token", { context: "" });
  if (probe.step === step) return model;
  const past = await model.at(step);
  if (past.missing) throw new Error(past.missing);
  return past;
}

export async function sampleProbabilities(model, { step, temperature }, text, vocab) {
  const source = await modelAt(model, step);
  const chars = [...text];
  const parts = [];
  for (let i = 0; i <= chars.length; i += 1) {
    const end = i === chars.length;
    let answer;
    try {
      answer = await source.ask("next_token", { context: chars.slice(0, i).join("") });
    } catch (error) {
      if (end) break; // a name as long as the context: it ended there, not by choice
      throw error;
    }
    const probs = atTemperature(answer.probs, temperature);
    parts.push({ char: end ? "end" : chars[i], p: probs[end ? vocab.length : vocab.indexOf(chars[i])] });
  }
  return parts;
}
