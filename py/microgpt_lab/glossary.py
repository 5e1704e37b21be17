"""The lab's words, each with one short definition: the glossary every panel uses.

The page underlines a term where it is used and shows its definition on
hover and keyboard focus (web/js/ui/glossary.js). `words` are the spellings
that stand for the term in the page's text (whole words, any case).
"""
from typing import NamedTuple


class Term(NamedTuple):
    term: str
    words: tuple
    text: str


GLOSSARY = [
    Term("token", ("token", "tokens"),
         "One unit the model reads and predicts: here one character of a name, or BOS."),
    Term("BOS", ("BOS",),
         "The special token that marks the beginning (and the end) of every document; "
         "a sampled name ends when the model picks BOS."),
    Term("vocabulary", ("vocabulary", "vocab", "vocab size"),
         "Every token the model knows: the dataset's distinct characters plus BOS."),
    Term("embedding", ("embedding", "embeddings", "wte", "wpe"),
         "A learned list of numbers for a token (wte, a row per character) or a position (wpe, a row per "
         "place). wpe is there because attention alone takes no account of order: without it the same letter "
         "at different places would look identical."),
    Term("logits", ("logits", "logit", "lm_head"),
         "The model's raw scores, one per token of the vocabulary, computed by lm_head from the last x; "
         "higher means more expected next. softmax turns them into probabilities."),
    Term("softmax", ("softmax",),
         "Turns a list of scores into probabilities that are all positive and sum to 1: exp of each score "
         "divided by the total."),
    Term("temperature", ("temperature",),
         "Divides the logits before softmax when sampling: below 1 sharpens the choice towards the likeliest "
         "characters, above 1 flattens it towards random ones."),
    Term("loss", ("loss", "cross-entropy"),
         "How surprised the model is by the true next token: minus the log of the probability it gave it. "
         "A step's loss is the mean over the document's positions; training lowers it."),
    Term("nats", ("nats", "nat"),
         "The unit of a loss computed with the natural log. A model that guesses every token evenly scores "
         "ln(vocab size) nats: the uniform-guess line."),
    Term("uniform guess", ("uniform", "uniform guess", "ln(vocab size)", "ln(vocab)"),
         "The loss of a model that knows nothing and gives every token the same probability: ln(vocab size) nats."),
    Term("EMA", ("EMA", "smoothed"),
         "Exponential moving average: each point is mostly the previous average plus a little of the new loss, "
         "so the curve shows the trend under the noise of single documents."),
    Term("rmsnorm", ("rmsnorm",),
         "Divides a vector by the root of the mean of its squares, so its numbers keep a steady size as "
         "training changes the weights."),
    Term("residual", ("residual", "x_residual"),
         "Adding a block's input back to its output, so the block learns a change to x and gradients have a "
         "direct path back."),
    Term("query, key, value", ("query", "queries", "q/k", "q/k/v", "q, k, v"),
         "Three learned views of each position's x: the query says what it looks for, the key what it offers, "
         "the value what it passes on when attended to."),
    Term("attention weights", ("attention", "attention weights", "attn_weights"),
         "For one position and head, how much it takes from each earlier one (and itself): softmax of query-key "
         "dot products, summing to 1. Later ones get 0 (blank cells): a position must not see the character it "
         "predicts, and when sampling they do not exist yet."),
    Term("head", ("head", "heads", "n_head"),
         "One of several attention patterns computed side by side, each on its own slice of the numbers; "
         "their outputs are joined. Why several: each head's own softmax can pick a different earlier position, "
         "while one head forms one weighted average of them."),
    Term("MLP", ("MLP",),
         "A small two-layer network applied to each position on its own: widen x, relu, narrow it back."),
    Term("relu", ("relu",),
         "Keeps positive numbers and turns negative ones into 0: the bend that lets the network compute more "
         "than weighted sums."),
    Term("gradient", ("gradient", "gradients", "grad", "backward"),
         "How much the loss would change if a number were nudged up a little: its sign says which way is "
         "downhill, its size how steeply. Backpropagation computes it for every weight."),
    Term("optimizer", ("optimizer", "optimizers"),
         "The rule that moves every weight after a step, using its gradient: Adam, as microgpt does, or plain "
         "gradient descent (SGD)."),
    Term("Adam", ("Adam",),
         "microgpt's optimizer: it moves every weight against its gradient by a step scaled by running averages "
         "of the gradient (m) and of its square (v)."),
    Term("gradient descent", ("gradient descent", "SGD"),
         "The plainest optimizer: every weight moves against its gradient by the learning rate times the "
         "gradient, with no memory of earlier steps."),
    Term("Adam m and v", ("m and v", "Adam m", "Adam's m"),
         "Adam's memory per weight: m is a running average of its gradient (the direction), v of the gradient "
         "squared (how large it usually is); the step is about m / sqrt(v)."),
    Term("bias correction", ("bias correction",),
         "Adam's m and v start at 0, so their averages over the first steps are too small; dividing them by "
         "1 - beta^t (beta1 for m, beta2 for v, t the step) undoes that, and the divisor fades toward 1."),
    Term("learning rate", ("learning rate", "lr", "learning-rate decay"),
         "How large the optimizer's steps are. It decays: it falls in a straight line from the configured value "
         "to 0 at the last step, so steps are large early and small late, and the weights settle instead of "
         "bouncing on one document's noise."),
    Term("parameters", ("parameters", "parameter", "weights", "weight", "state_dict"),
         "The model's learned numbers (its weights), kept in state_dict as matrices; training changes them."),
    Term("PCA", ("PCA", "PC1", "PC2", "principal components"),
         "Principal component analysis: the two directions along which the embeddings differ most, used to "
         "draw many numbers per token on a flat map."),
    Term("variance explained", ("variance", "of variance", "variance explained"),
         "The share of how much the embeddings differ that a direction of the map shows; the rest is hidden "
         "in the other directions."),
    Term("checkpoint", ("checkpoint", "checkpoints"),
         "A saved copy of everything needed to go on exactly: weights, the optimizer's memory (Adam's m and v), "
         "the step and the random generator."),
    Term("held-out loss", ("held-out", "held-out loss", "overfitting"),
         "The loss on documents kept out of training. When it rises while the training loss falls, the model "
         "is memorising its documents instead of learning names in general (overfitting)."),
    Term("counting bigram", ("bigram", "bigrams", "counting bigram"),
         "The model that only counts how often each token follows each other one in the training documents and "
         "predicts the next token from those counts: its loss is the line a trained model should get below."),
    Term("add-one smoothing", ("add-one", "add-one smoothing"),
         "Counting every pair once more than it was seen, so a pair never seen in training gets a small "
         "probability instead of 0, whose loss would be infinite."),
    Term("model ladder", ("ladder", "rung", "rungs"),
         "microgpt built up a piece at a time, each rung a model of its own: a learned bigram, then an MLP, then "
         "attention with one head and with four, then Adam instead of plain gradient descent."),
]
