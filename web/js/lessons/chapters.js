// Each chapter's live widget, in the order of text.js: create(ctx) ->
// {el, answer() -> {value, text} | {waiting}, hear?(message), destroy?()}.
// ctx: {sessions, schema, engine, rungs, progress, dataset, explain,
// chapter, changed}: changed() says the question's answer may have changed.
import * as adam from "./widgets/adam.js";
import * as attention from "./widgets/attention.js";
import * as bigram from "./widgets/bigram.js";
import * as block from "./widgets/block.js";
import * as descent from "./widgets/descent.js";
import * as prediction from "./widgets/prediction.js";
import * as sampling from "./widgets/sampling.js";
import * as tokens from "./widgets/tokens.js";
import * as value from "./widgets/value.js";

export const WIDGETS = [tokens, prediction, bigram, descent, value, attention, block, adam, sampling].map((widget) => widget.create);
