// What the loss plots share: a growing loss series with its smoothed curve,
// round axis ticks, and the axes themselves (grid, ticks, titles).

export const EMA_BETA = 0.95; // smoothed = debiased exponential moving average, like Adam's m_hat
export const FONT = "11px system-ui, sans-serif";

// The loss series: steps, losses and the smoothed loss, in step order.
export function createSeries() {
  let steps = new Int32Array(1024);
  let loss = new Float64Array(1024);
  let ema = new Float64Array(1024);
  let raw = 0; // the EMA before debiasing, at the last point
  const series = {
    count: 0,
    steps: () => steps,
    loss: () => loss,
    ema: () => ema,
    lastStep: () => (series.count ? steps[series.count - 1] : 0),
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
    push(step, value) {
      if (series.count === steps.length) {
        const grow = (old, Type) => {
          const next = new Type(old.length * 2);
          next.set(old);
          return next;
        };
        steps = grow(steps, Int32Array);
        loss = grow(loss, Float64Array);
        ema = grow(ema, Float64Array);
      }
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

// About `count` round tick values covering [lo, hi].
export function ticks(lo, hi, count) {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

export const formatStep = (v) => (v >= 10000 ? `${Math.round(v / 1000)}k` : String(v));

// Grid lines and labels for the y values, step ticks under the plot, a frame
// and the axis titles. domain: {x0, x1, lo, hi, sx, sy} (sx, sy: value -> px).
export function drawAxes(ctx, plot, { x0, x1, lo, hi, sx, sy }, colors, yTitle) {
  ctx.font = FONT;
  ctx.lineWidth = 1;
  ctx.strokeStyle = colors.line;
  ctx.fillStyle = colors.muted;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const v of ticks(lo, hi, Math.max(2, Math.floor(plot.h / 40)))) {
    const y = Math.round(sy(v)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(plot.x, y);
    ctx.lineTo(plot.x + plot.w, y);
    ctx.stroke();
    ctx.fillText(v.toFixed(v >= 10 ? 0 : 1), plot.x - 6, y);
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  const xTicks = ticks(x0, x1, Math.max(3, Math.floor(plot.w / 70))).filter((v) => Number.isInteger(v));
  for (const v of xTicks) {
    const x = Math.round(sx(v)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, plot.y + plot.h);
    ctx.lineTo(x, plot.y + plot.h + 4);
    ctx.stroke();
    ctx.fillText(formatStep(v), x, plot.y + plot.h + 6);
  }
  ctx.strokeStyle = colors.muted;
  ctx.strokeRect(plot.x + 0.5, plot.y + 0.5, plot.w, plot.h);
  ctx.textAlign = "right";
  ctx.fillText("step", plot.x + plot.w, plot.y + plot.h + 18);
  ctx.save();
  ctx.translate(11, plot.y + plot.h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = "center";
  ctx.fillText(yTitle, 0, -2);
  ctx.restore();
}
