// The panels, in the order the page shows them. Each module exports
// create(el, {schema, stored, explain, requestRead, follow, followed}) ->
// {reset(view), show(event), sample?(batch), read?(model), all?(message),
// follow?(target), followed?(answer), resize(), destroy()}. explain(el)
// marks the glossary's terms in el's text; follow({position, stage}) asks
// "Follow a token" to show them, and followed(answer) tells the others
// what it explained. The router gives each one its element (a section
// with class "panel panel-<name>", data-panel="<name>" and a heading of its
// title) and is its only caller. `help` is one sentence for the help dialog.
import * as attention from "./attention.js";
import * as bigram from "./bigram.js";
import * as compare from "./compare.js";
import * as consolePanel from "./console.js";
import * as embeddings from "./embeddings.js";
import * as follow from "./follow.js";
import * as graph from "./graph.js";
import * as inspector from "./inspector.js";
import * as loss from "./loss.js";
import * as probe from "./probe.js";
import * as probs from "./probs.js";

export const PANELS = [
  { name: "loss", title: "Loss", create: loss.create,
    help: "every step's loss in nats, its EMA-smoothed curve, and two lines to beat: the uniform guess ln(vocab size), the loss of a model that knows nothing, and the counting bigram's, the loss of counting which character follows which." },
  { name: "attention", title: "Attention", create: attention.create,
    help: "the attention weights: how much each position of the current name takes from each earlier one, per head (rows sum to 1); the blank cells are the future, masked." },
  { name: "graph", title: "Graph pulse", create: graph.create,
    help: "the forward pass, backward pass and optimizer step through the model's stages, each with its shape and the followed token's numbers; click a stage to follow the token there (times are in the table)." },
  { name: "follow", title: "Follow a token", create: follow.create,
    help: "one position of the step's document through every stage: its values forward, its gradients backward, then the optimizer's update of its embedding rows, with the code that ran. Positions count from 0, as microgpt's pos_id does, in every panel." },
  { name: "probs", title: "Next-token probabilities", create: probs.create,
    help: "the softmax of the logits at one position: the model's top guesses for the next token, the true one highlighted, and the counting bigram's guess for the same tokens." },
  { name: "bigram", title: "Counting bigram", create: bigram.create,
    help: "what counting alone knows: how often each character (a row) is followed by each next one (a column) in the training documents, and its loss, the loss chart's bigram line." },
  { name: "inspector", title: "Parameters and gradients", create: inspector.create,
    help: "every matrix of state_dict: its weights, last gradients or last update; click a cell for its history." },
  { name: "embeddings", title: "Embedding map", create: embeddings.create,
    help: "the characters' embeddings (wte) in 2-D by PCA: watch vowels and consonants part." },
  { name: "probe", title: "Probe a context", create: probe.create,
    help: "pin a prefix and follow the probability of each next character as training goes on." },
  { name: "console", title: "Python console", create: consolePanel.create,
    help: "run Python on the live model, between training steps, locally in this tab." },
  { name: "compare", title: "Compare runs", create: compare.create,
    help: "tick sessions to overlay their smoothed loss, with their config differences and samples." },
];
