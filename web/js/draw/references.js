// The loss charts' reference lines: the uniform guess ln(vocab size), the
// loss of a model that knows nothing, and the counting bigram's loss (the
// engine's Session.bigram: how often each token follows each other one),
// the line a trained model has to get below. Each is a dashed horizontal
// line across the plot with its label above it at the left; labels that
// would overlap are moved apart.
//
//   uniformLoss(vocabSize)                    ln(vocab size), or null
//   distinctLines(runs, key)                  one line per value [{value, runs}], runs' names joined
//   drawReferences(paint, [{value, label, colour, dash}])   in a chart's under() hook (draw/chart.js)

const LABEL_GAP = 13; // px between two labels' baselines

// The uniform guess: every one of vocab_size tokens equally likely.
export const uniformLoss = (vocabSize) => (vocabSize > 1 ? Math.log(vocabSize) : null);

// How a reference line is dashed: the uniform guess in long dashes, the counting bigram in short ones.
export const DASH = { uniform: [6, 4], bigram: [2, 3] };

// The distinct values of `key` among runs ({name, [key]: number | null}), in
// first-seen order, each with the names of the runs that have it: runs on
// the same data share one line.
export function distinctLines(runs, key) {
  const lines = [];
  for (const run of runs) {
    const value = run[key];
    if (typeof value !== "number" || !Number.isFinite(value)) continue;
    const line = lines.find((other) => other.value === value);
    if (line) line.runs.push(run.name);
    else lines.push({ value, runs: [run.name] });
  }
  return lines;
}

export function drawReferences({ ctx, y, box }, lines) {
  const placed = lines.map((line) => ({ ...line, at: y(line.value) })).sort((a, b) => a.at - b.at);
  let previous = -Infinity;
  for (const line of placed) {
    ctx.strokeStyle = line.colour;
    ctx.setLineDash(line.dash);
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(box.left, line.at);
    ctx.lineTo(box.left + box.width, line.at);
    ctx.stroke();
    ctx.setLineDash([]);
    const labelAt = Math.max(line.at - 2, previous + LABEL_GAP, box.top + LABEL_GAP - 2);
    previous = labelAt;
    ctx.fillStyle = line.colour;
    ctx.textAlign = "left";
    ctx.textBaseline = "bottom";
    ctx.fillText(line.label, box.left + 6, labelAt);
  }
}
