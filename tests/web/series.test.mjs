// The loss series reducer (draw/series.js): the smoothed loss, rewinds and per-pixel columns.
import assert from "node:assert/strict";
import { test } from "node:test";

import { EMA_BETA, createSeries } from "../../web/js/draw/series.js";

test("the smoothed loss is the EMA divided by 1 - beta^n, as Adam's m_hat", () => {
  const series = createSeries();
  const losses = [3.3, 3.1, 2.9, 3.0];
  let raw = 0;
  losses.forEach((loss, i) => {
    series.push(i + 1, loss);
    raw = EMA_BETA * raw + (1 - EMA_BETA) * loss;
    assert.equal(series.lastEma(), raw / (1 - EMA_BETA ** (i + 1)));
  });
  assert.equal(series.ema()[0], 3.3); // one point: its own loss, not 5% of it
  assert.deepEqual([...series.steps()], [1, 2, 3, 4]);
});

test("a step at or before the last rewinds the series, and the EMA with it", () => {
  const series = createSeries();
  [3, 2, 1, 0.5].forEach((loss, i) => series.push(i + 1, loss));
  series.push(3, 9);
  assert.deepEqual([...series.steps()], [1, 2, 3]);
  assert.deepEqual([...series.loss()], [3, 2, 9]);
  const fresh = createSeries();
  [3, 2, 9].forEach((loss, i) => fresh.push(i + 1, loss));
  assert.ok(Math.abs(series.lastEma() - fresh.lastEma()) < 1e-12);
});

test("columns: one per pixel, each its last step, its lowest and highest loss", () => {
  const series = createSeries();
  for (let step = 1; step <= 5000; step += 1) series.push(step, step % 7); // grows past the first 1,024
  const columns = series.columns(100);
  assert.equal(columns.steps.length, 100);
  assert.equal(columns.steps[0], 50);
  assert.equal(columns.steps[99], 5000);
  assert.equal(columns.low[0], 0);
  assert.equal(columns.high[0], 6);
  assert.equal(columns.ema[99], series.lastEma());
  const few = series.columns(10000); // wider than the points: every point as it is
  assert.equal(few.steps.length, 5000);
});

test("the first step below a line is the smoothed loss's, and the last points' mean is theirs", () => {
  const series = createSeries();
  [3, 1, 1, 1, 1].forEach((loss, i) => series.push(i + 1, loss));
  // smoothed: 3, then (0.95 * 0.15 + 0.05) / (1 - 0.95^2) = 1.974..., 1.649..., ...
  assert.equal(series.firstBelow(2), 2);
  assert.equal(series.firstBelow(1.5), 4);
  assert.equal(series.firstBelow(1), null); // the smoothed loss never reaches the losses' 1
  assert.ok(series.ema()[2] >= 1.5 && series.ema()[3] < 1.5);
  assert.equal(series.meanOfLast(2), 1);
  assert.equal(series.meanOfLast(5), 7 / 5);
  assert.equal(series.meanOfLast(100), 7 / 5);
  assert.equal(createSeries().meanOfLast(3), null);
  assert.equal(createSeries().firstBelow(10), null);
});
