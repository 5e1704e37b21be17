// The path's words: nine short chapters in the order microgpt builds its
// model, each opening with what is already known ("So far"), then one idea,
// a question to answer before the engine reveals its answer (predict, then
// see), a "try it", and the exercise and lab panels it uses. Every
// number a chapter shows comes from the engine (its widget, chapters.js);
// the words never state a number the engine does not give, but the
// vocabulary's ids and the config's settings (a learning rate), which the
// widgets show from the engine too.
//
// A chapter: {title, soFar: [short lines], text: [paragraphs], question:
// {prompt, choices: [[value, label]]}, tryIt, exercise (lessons.py's
// name) | null, panels: [panel names]}. The rungs a chapter trains are its
// widget's (widgets/*.js), by the engine's rung ids.
// tests/web/lessons-text.test.mjs keeps each under WORD_LIMIT words.

export const WORD_LIMIT = 250;

export const CHAPTERS = [
  {
    title: "Names become tokens",
    soFar: ["Nothing yet: a Python programmer is all you need to be."],
    text: [
      "microgpt learns from a list of names, one per line. Each name is a document: the model reads documents and "
        + "learns to continue them, one character at a time.",
      "A model computes with numbers, not letters, so each character becomes a token: its place in the sorted list of "
        + "every character the documents use, the vocabulary. The names here use the letters a to z, so a is 0 and z is 25.",
      "One more token, BOS, gets the next id. It stands at both ends of every document: at the start it says "
        + "\"a name begins here\", at the end \"the name is over\". A name the model writes ends when it picks BOS.",
      "The ids below come from the engine's own tokenizer, the one that trains the model.",
    ],
    question: { prompt: "How many tokens does the engine make of \"emma\"?",
                choices: [["4", "4"], ["5", "5"], ["6", "6"], ["7", "7"]] },
    tryIt: "Type your own name. Then type one with a capital letter or a space: the names have neither, and the engine says so.",
    exercise: null,
    panels: ["probs", "attention"],
  },
  {
    title: "The prediction game",
    soFar: ["A document is a name; a token is one character, or BOS at either end.",
            "The vocabulary: every token, each with its id."],
    text: [
      "Training turns each name into a guessing game. At every position the model sees the tokens so far, the context, "
        + "and gives every token of the vocabulary a probability of coming next. \"emma\" is five rounds: after BOS "
        + "comes e, after BOS e comes m, and so on until BOS ends it.",
      "How good was a guess? The loss is minus the natural log of the probability given to the token that really came "
        + "next: -log p. Sure and right (p = 1) costs nothing; a token given almost nothing costs a lot. It is surprise, "
        + "measured in nats. A step's loss is the mean over its positions, and training makes it smaller.",
      "A model that knows nothing gives every token the same chance: the uniform guess.",
    ],
    question: { prompt: "What loss does the uniform guess score at each position?",
                choices: [["0", "0"], ["1", "about 1"], ["3.3", "about 3.3"], ["27", "27"]] },
    tryIt: "Drag the probability and read the loss: where does it pass 1 nat? Type another name and count its rounds.",
    exercise: "loss",
    panels: ["loss", "probs"],
  },
  {
    title: "Counting",
    soFar: ["Tokens, BOS and the vocabulary.",
            "The game: a probability for each next token, scored by -log p in nats.",
            "The uniform guess: ln(vocab size)."],
    text: [
      "The simplest player of the game looks only at the current token. Count, over every training name, how often "
        + "each token follows each other one: these are the bigram counts (a bigram is a pair of neighbours). Divide "
        + "each row by its total and you have the probabilities of the next token. No training at all: counting is "
        + "all this model knows.",
      "Its loss over the training names is a line every learned model must cross. A model that reads more than the "
        + "current token should beat counting; one that does not has learned nothing counting could not.",
    ],
    question: { prompt: "Where will the counting model's loss land?",
                choices: [["above", "above the uniform guess"], ["2.8-3.3", "between 2.8 and 3.3"],
                          ["2.2-2.8", "between 2.2 and 2.8"], ["below", "below 2.2"]] },
    tryIt: "Pick a row of the counts: which letters follow q? Sample names from the counts: do they look like names?",
    exercise: null,
    panels: ["loss", "probs"],
  },
  {
    title: "Learning the bigram by gradient descent",
    soFar: ["The game and its loss.", "The counting bigram and its line."],
    text: [
      "Now a model learns what counting found. With no layers (n_layer 0), microgpt is a learned bigram: the token's "
        + "row of wte, plus its position's row of wpe, normalised by rmsnorm, times lm_head gives one score per token, "
        + "the logits; softmax turns them into probabilities.",
      "Learning means changing every weight a little to lower the loss. A weight's gradient says how much the loss "
        + "would grow if the weight were nudged up: go the other way. Stochastic gradient descent (SGD) does just "
        + "that at every step: weight -= learning rate × gradient.",
      "A gradient can be measured the slow way: nudge one weight up and down by h and measure the loss each time. "
        + "Backpropagation gets every gradient at once. Below, the two meet.",
    ],
    question: { prompt: "After its 1,000 steps, where will the learned bigram's loss be?",
                choices: [["above", "above the uniform guess"], ["between", "between the uniform guess and counting"],
                          ["counting", "on or below the counting line"]] },
    tryIt: "Train the rung and watch it fall toward the counting line. Pick another weight, or a larger h: when do the two gradients stop agreeing?",
    exercise: "softmax",
    panels: ["loss", "inspector", "compare"],
  },
  {
    title: "The Value: every gradient in one pass",
    soFar: ["A learned bigram, trained by gradient descent.",
            "A gradient, measured by nudging a weight."],
    text: [
      "Nudging every weight twice per step would take forever: the default microgpt has thousands of them. microgpt "
        + "gets every gradient in one pass with a tiny class, Value. A Value holds a number (data) and, after "
        + "backward(), its gradient (grad): how much the final result changes per unit of change in it.",
      "Each operation on Values (+, *, **, exp, log, relu) makes a new Value that remembers its inputs and the local "
        + "slope towards each. backward() walks the graph from the end back to the start, multiplying slopes along "
        + "the way: the chain rule. A Value used twice adds up its gradients.",
      "Below runs microgpt's own Value, in your browser. Subtraction and division are made of + and *, as microgpt "
        + "writes them.",
    ],
    question: { prompt: "With a = 2, b = -3, c = 10, d = a * b + c and L = d * d: what is d's gradient?",
                choices: [["4", "4"], ["8", "8"], ["16", "16"], ["-3", "-3"]] },
    tryIt: "Change a number or the expression; use a twice and watch its gradients add up. Then check them by nudging, with your own numerical_gradient.",
    exercise: "numerical_gradient",
    panels: ["graph", "follow"],
  },
  {
    title: "Context: positions and one attention head",
    soFar: ["A learned bigram, trained by gradient descent.", "Value: every gradient by the chain rule."],
    text: [
      "A bigram sees one token. After \"emm\" it sees only an m, and cannot know that an a is likely. To use the "
        + "context the model must look back at the earlier tokens.",
      "Attention does the looking. At each position the model makes three vectors from x: a query (what this "
        + "position looks for), a key (what it offers) and a value (what it passes on). The query's dot product with "
        + "each key so far, divided by the square root of their length, scores each earlier position; softmax turns "
        + "the scores into weights that sum to 1; the output is the values added up with those weights. One such "
        + "pattern is a head. wpe, the learned bigram's position rows, lets it tell the positions apart.",
    ],
    question: { prompt: "After 1,000 steps, how much lower will one attention head's loss be than the learned bigram's?",
                choices: [["0.3", "0.3 nats or more"], ["0.1", "between 0.1 and 0.3"], ["0", "less than 0.1"],
                          ["none", "not lower at all"]] },
    tryIt: "Train the one-head rung, then type a name: which earlier letters does each position look at?",
    exercise: null,
    panels: ["attention", "compare"],
  },
  {
    title: "The whole block",
    soFar: ["Embeddings: wte for the token, wpe for the position.", "One attention head looking back.",
            "Gradient descent on every weight."],
    text: [
      "microgpt's block runs several heads side by side (n_head, 4 by default), each on its own slice of x's numbers, "
        + "so each can look for something else; their outputs are joined and mixed by attn_wo.",
      "Then an MLP: a small network applied to each position alone, which widens x to four times its size, applies "
        + "relu (negative numbers become 0) and narrows it back.",
      "Around each part: rmsnorm before, which keeps the numbers' size steady, and a residual connection after, "
        + "which adds the part's input back, so each part learns a change to x.",
      "Below, follow one token through one real step of this model: every stage forward, then backward, then the "
        + "update of its embedding rows.",
    ],
    question: { prompt: "How many numbers does each position carry from stage to stage through the block?",
                choices: [["4", "4"], ["16", "16"], ["27", "27"], ["64", "64"]] },
    tryIt: "Train the four-head rung, then walk a token: where does the residual add x back? What does relu do to the negative numbers?",
    exercise: null,
    panels: ["follow", "graph"],
  },
  {
    title: "Adam against SGD",
    soFar: ["The whole microgpt model: embeddings, attention heads, MLP, residuals, rmsnorm.",
            "SGD: every weight moves by the learning rate times its gradient."],
    text: [
      "SGD moves every weight by the same multiple of its gradient. Some weights get large gradients and others tiny "
        + "ones, so one learning rate is too large for some and too small for others: the SGD rungs take one many "
        + "times microgpt's (the chart's legend gives each rung's).",
      "Adam, microgpt's optimizer, keeps two running averages per weight: m, of its gradient (the way it has been "
        + "pushed), and v, of its gradient squared (how hard it usually is pushed). Each weight moves by about "
        + "m / sqrt(v) times the learning rate: steps of similar size for every weight, in the direction it keeps "
        + "being pushed.",
    ],
    question: { prompt: "Adam learns at microgpt's 0.01, far below the SGD rung's rate. After 1,000 steps, which loss is lower?",
                choices: [["adam", "Adam's"], ["sgd", "SGD's"], ["same", "about the same"]] },
    tryIt: "Pick a step and a weight: compare the gradient, m, v and the step each optimizer took there. Then train SGD at 0.01 in the lab, and see why it needs more.",
    exercise: null,
    panels: ["inspector", "compare"],
  },
  {
    title: "Sampling and temperature",
    soFar: ["microgpt whole, trained with Adam.", "Its output: a probability for every next token."],
    text: [
      "A trained model writes new names one token at a time: start from BOS, get the probabilities of the next token, "
        + "draw one at random with those probabilities, feed it back, and stop when it draws BOS.",
      "Temperature divides the logits before softmax. Below 1 it sharpens the probabilities: the likeliest letters win "
        + "more often, and names get safer and repeat. Above 1 it flattens them: rare letters get their chance, and "
        + "names get stranger.",
      "Below, your trained model writes names at three temperatures, each letter with the probability it had when "
        + "it was drawn. That is the whole path: the lab has every part of it, live.",
    ],
    question: { prompt: "At temperature 0.5, will the names be more alike or more varied than at 1.5?",
                choices: [["alike", "more alike"], ["varied", "more varied"], ["same", "no different"]] },
    tryIt: "Sample again and again. Which temperature writes names you would believe?",
    exercise: "sample",
    panels: ["loss", "probe"],
  },
];

// The words a learner reads in a chapter (its text, So far, question and try it).
export function words(chapter) {
  const all = [...chapter.soFar, ...chapter.text, chapter.question.prompt, chapter.tryIt].join(" ");
  return all.split(/\s+/).filter(Boolean).length;
}

// ?lesson=<n> -> n (1-based) when it names a chapter, else null.
export function chapterOf(search) {
  const value = new URLSearchParams(search).get("lesson");
  if (value === null || !/^\d+$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 && n <= CHAPTERS.length ? n : null;
}
