// How likely each character of a sampled name was when it was drawn: the
// engine's answer (name_probabilities: Session.sample's own probabilities,
// the logits divided by the temperature, after BOS and each prefix, then
// for the end of the name), from the model as it was at the batch's step:
// the live one when it is still there, else time travel's rebuild of it.
//
//   const parts = await sampleProbabilities(model, batch, "emma")
//   // [{char: "e", p: 0.21}, ..., {char: "end", p: 0.6}]; no end for a name as long as the context

export async function sampleProbabilities(model, { step, temperature }, text) {
  let answer = await model.ask("name_probabilities", { text, temperature });
  if (answer.step !== step) {
    const past = await model.at(step);
    if (past.missing) throw new Error(past.missing);
    answer = await past.ask("name_probabilities", { text, temperature });
  }
  return answer.end === null ? answer.chars : [...answer.chars, { char: "end", p: answer.end }];
}
