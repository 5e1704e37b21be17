// A growing loss series: steps, losses and the smoothed loss, in step order,
// in typed arrays that double when full (a 20,000-step run is three arrays,
// not 20,000 objects). The loss timeline and the run comparison chart it.

export const EMA_BETA = 0.95; // smoothed = debiased exponential moving average, like Adam's m_hat

export function createSeries() {
  let steps = new Float64Array(1024);
  let loss = new Float64Array(1024);
  let ema = new Float64Array(1024);
  let raw = 0; // the EMA before debiasing, at the last point
  let columns = null; // reused by columns()
  const series = {
    count: 0,
    // Views of the points so far, as a chart takes them (no copy).
    steps: () => steps.subarray(0, series.count),
    loss: () => loss.subarray(0, series.count),
    ema: () => ema.subarray(0, series.count),
    lastStep: () => (series.count ? steps[series.count - 1] : 0),
    lastLoss: () => (series.count ? loss[series.count - 1] : null),
    lastEma: () => (series.count ? ema[series.count - 1] : null),
    // The first step whose smoothed loss is below `value` (a reference line), or null.
    firstBelow(value) {
      for (let i = 0; i < series.count; i += 1) if (ema[i] < value) return steps[i];
      return null;
    },
    // The mean loss of the last `n` points (fewer if there are fewer), or null: steadier than the
    // smoothed loss, which moves with the last few documents.
    meanOfLast(n) {
      const from = Math.max(0, series.count - n);
      if (from === series.count) return null;
      let sum = 0;
      for (let i = from; i < series.count; i += 1) sum += loss[i];
      return sum / (series.count - from);
    },
    clear() {
      series.count = 0;
      raw = 0;
    },
    // Keep only the points before `step` (a session rewound by a reset).
    rewind(step) {
      let n = series.count;
      while (n > 0 && steps[n - 1] >= step) n -= 1;
      series.count = n;
      raw = n ? ema[n - 1] * (1 - EMA_BETA ** n) : 0;
    },
    // At most `count` points for a chart `count` pixels wide: the points in
    // runs of equal length, each run as its last step, its lowest and highest
    // loss and its last smoothed loss. Up to `count` points come back as they are.
    columns(count) {
      const n = series.count;
      const per = Math.ceil(n / Math.max(1, count));
      if (per <= 1) return { steps: series.steps(), low: series.loss(), high: series.loss(), ema: series.ema() };
      const size = Math.ceil(n / per);
      if (!columns || columns.steps.length !== size) columns = Object.fromEntries(COLUMNS.map((key) => [key, new Float64Array(size)]));
      for (let c = 0; c < size; c += 1) {
        const end = Math.min(n, (c + 1) * per);
        let low = Infinity;
        let high = -Infinity;
        for (let i = c * per; i < end; i += 1) {
          if (loss[i] < low) low = loss[i];
          if (loss[i] > high) high = loss[i];
        }
        columns.steps[c] = steps[end - 1];
        columns.low[c] = low;
        columns.high[c] = high;
        columns.ema[c] = ema[end - 1];
      }
      return columns;
    },
    // Append a step; one at or before the last rewinds the series first.
    push(step, value) {
      if (step <= series.lastStep()) series.rewind(step);
      if (series.count === steps.length) [steps, loss, ema] = [steps, loss, ema].map(grow);
      const i = series.count;
      raw = EMA_BETA * raw + (1 - EMA_BETA) * value;
      steps[i] = step;
      loss[i] = value;
      ema[i] = raw / (1 - EMA_BETA ** (i + 1));
      series.count = i + 1;
    },
  };
  return series;
}

const COLUMNS = ["steps", "low", "high", "ema"];

function grow(old) {
  const next = new Float64Array(old.length * 2);
  next.set(old);
  return next;
}
