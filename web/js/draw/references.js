// The loss charts' reference lines: the uniform guess ln(vocab size), the
// loss of a model that knows nothing, and the counting bigram's loss (the
// engine's Session.bigram: how often each token follows each other one),
// the line a trained model has to get below. Each is a dashed horizontal
// line across the plot, under the curves, with its label above it at the
// left, over the curves on a patch of the card's colour so it stays
// readable; labels that would overlap are moved apart.
//
//   uniformLoss(vocabSize)                    ln(vocab size), or null
//   distinctLines(runs, key)                  one line per value [{value, runs}], runs' names joined
//   lines: [{value, label, colour, dash}]
//   drawReferenceLines(paint, lines)          in a chart's under() hook (draw/chart.js)
//   drawReferenceLabels(paint, lines, card)   in its over() hook, on patches of the card's colour

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

export function drawReferenceLines({ ctx, y, box }, lines) {
  for (const line of lines) {
    ctx.strokeStyle = line.colour;
    ctx.setLineDash(line.dash);
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(box.left, y(line.value));
    ctx.lineTo(box.left + box.width, y(line.value));
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

export function drawReferenceLabels({ ctx, y, box }, lines, card) {
  const placed = lines.map((line) => ({ ...line, at: y(line.value) })).sort((a, b) => a.at - b.at);
  const left = box.left + 6;
  let previous = -Infinity;
  ctx.textAlign = "left";
  ctx.textBaseline = "bottom";
  for (const line of placed) {
    if (line.at < box.top || line.at > box.top + box.height) continue; // off the scale: no label
    const at = Math.max(line.at - 2, previous + LABEL_GAP, box.top + LABEL_GAP - 2);
    previous = at;
    const width = ctx.measureText(line.label).width;
    ctx.globalAlpha = 0.85;
    ctx.fillStyle = card;
    ctx.fillRect(left - 2, at - LABEL_GAP + 2, width + 4, LABEL_GAP - 1);
    ctx.globalAlpha = 1;
    ctx.fillStyle = line.colour;
    ctx.fillText(line.label, left, at);
  }
}
