// The graph pulse's diagram: the model's stages as boxes in columns (one per
// block: input, each layer's attention and MLP, output), wrapped to the
// width, with the optimizer as a bar underneath; painted with the pulse
// running forward through them, back, then the optimizer's flash. Each box
// says its stage's shape and, when a token is followed, shows a strip of
// its values (or, while the pulse goes back, its gradients) at that step.
import { FONT } from "./chart.js";
import { diverging } from "./colours.js";

const COLUMN_MIN = 138; // CSS px per column before the flow wraps
const BOX_H = 38; // a name, a shape line under it (clear of the name's underscores), a strip at the foot
const BOX_GAP = 9;
const HEADER_H = 18;
const ROW_GAP = 16;
const OPT_H = 26;
const SMALL = "10px system-ui, sans-serif";
// The pulse: forward, backward, then the optimizer flash (fractions of its duration).
const FORWARD_END = 0.42;
const BACKWARD_END = 0.84;

export const OPTIMIZER = "optimizer";

export const formatMs = (ms) => (ms === null || ms === undefined ? "-" : ms < 1 ? ms.toFixed(2) : ms < 10 ? ms.toFixed(1) : ms.toFixed(0));
const formatCount = (n) => (n >= 10000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n));

// Boxes for columns [{title, stages: [{name, label}]}] at `width` CSS px:
// {boxes: [{name, label, x, y, w, h}] in forward order then the optimizer, titles, height}.
export function layoutStages(columns, width) {
  const perRow = Math.max(1, Math.min(columns.length, Math.floor(width / COLUMN_MIN)));
  const colW = width / perRow;
  const boxes = [];
  const titles = [];
  let y = 4;
  for (let r = 0; r * perRow < columns.length; r += 1) {
    let tallest = 0;
    columns.slice(r * perRow, (r + 1) * perRow).forEach((column, c) => {
      const x = c * colW + 8;
      titles.push({ text: column.title, x, y });
      column.stages.forEach(({ name, label }, s) => {
        boxes.push({ name, label, x, y: y + HEADER_H + s * (BOX_H + BOX_GAP), w: colW - 16, h: BOX_H });
      });
      tallest = Math.max(tallest, HEADER_H + column.stages.length * (BOX_H + BOX_GAP));
    });
    y += tallest + ROW_GAP - BOX_GAP;
  }
  boxes.push({ name: OPTIMIZER, label: OPTIMIZER, x: 8, y, w: width - 16, h: OPT_H });
  return { boxes, titles, height: y + OPT_H + 6 };
}

// How lit stage `index` of `count` is at moment t of the pulse: {forward, backward} in [0, 1].
function glow(index, count, t) {
  const near = (pos) => Math.max(0, 1 - Math.abs(pos - index) / 1.6);
  if (t < FORWARD_END) return { forward: near((t / FORWARD_END) * count), backward: 0 };
  if (t < BACKWARD_END) return { forward: 0, backward: near(count - 1 - ((t - FORWARD_END) / (BACKWARD_END - FORWARD_END)) * count) };
  return { forward: 0, backward: 0 };
}

// The data flow: from each stage to the next (down a column, across to the next, or to the next row).
function paintFlow(ctx, boxes, colours) {
  ctx.strokeStyle = colours.line;
  ctx.lineWidth = 1.5;
  for (let i = 0; i + 2 < boxes.length; i += 1) {
    const [a, b] = [boxes[i], boxes[i + 1]];
    ctx.beginPath();
    if (Math.abs(a.x - b.x) < 1) {
      ctx.moveTo(a.x + a.w / 2, a.y + a.h);
      ctx.lineTo(b.x + b.w / 2, b.y);
    } else if (b.x > a.x) {
      const [x0, y0, x1, y1] = [a.x + a.w, a.y + a.h / 2, b.x, b.y + b.h / 2];
      ctx.moveTo(x0, y0);
      ctx.bezierCurveTo(x0 + 12, y0, x1 - 12, y1, x1, y1);
    } else {
      // To the next row: down from the stage, along the gap above the next row's
      // titles, then in from the left of its first box (never across a title).
      const gap = b.y - HEADER_H - 4;
      ctx.moveTo(a.x + a.w / 2, a.y + a.h);
      ctx.lineTo(a.x + a.w / 2, gap);
      ctx.lineTo(b.x - 5, gap);
      ctx.lineTo(b.x - 5, b.y + b.h / 2);
      ctx.lineTo(b.x, b.y + b.h / 2);
    }
    ctx.stroke();
  }
}

// A stage's second line: its shape and, with the scalar engine, its Value nodes.
function shapeLine(shape, op) {
  return [shape, op && op.nodes !== null ? `${formatCount(op.nodes)} nodes` : ""].filter(Boolean).join(" · ");
}

// A stage's numbers as the colours of a strip (computed once per answer, not per frame);
// past STRIP_CELLS numbers (a large vocabulary) each cell is the largest in size of its group.
const STRIP_CELLS = 64;
export function stripColours(values) {
  const size = Math.ceil(values.length / STRIP_CELLS);
  const cells = [];
  for (let start = 0; start < values.length; start += size) {
    let most = values[start];
    for (let j = start + 1; j < Math.min(values.length, start + size); j += 1) if (Math.abs(values[j]) > Math.abs(most)) most = values[j];
    cells.push(most);
  }
  let scale = 1e-12;
  for (const value of cells) scale = Math.max(scale, Math.abs(value));
  return cells.map((value) => diverging(value / scale));
}

// The followed token's numbers at this stage as a strip along the box's foot.
function paintPicture(ctx, box, colours) {
  if (!colours || !colours.length) return;
  const w = (box.w - 2) / colours.length;
  colours.forEach((colour, j) => {
    ctx.fillStyle = colour;
    ctx.fillRect(box.x + 1 + j * w, box.y + box.h - 6, Math.max(1, w), 5);
  });
}

// view: {boxes, titles, ops: Map name -> op, shapes: Map name -> text,
// pictures: Map name -> {forward, backward} strip colours (or empty), selected,
// focus (index or -1), t (pulse moment in [0, 1], or null), optimizerText}.
export function paintStages(ctx, view, colours) {
  const { boxes, titles, ops, shapes, pictures, selected, focus, t, optimizerText } = view;
  const stages = boxes.length - 1;
  const backward = t !== null && t >= FORWARD_END && t < BACKWARD_END;
  ctx.font = FONT;
  ctx.textBaseline = "middle";
  ctx.fillStyle = colours.muted;
  ctx.textAlign = "left";
  for (const title of titles) ctx.fillText(title.text, title.x, title.y + HEADER_H / 2 - 2);
  paintFlow(ctx, boxes, colours);

  boxes.forEach((box, i) => {
    const isOpt = box.name === OPTIMIZER;
    const op = ops.get(box.name);
    const lit = t !== null && !isOpt ? glow(i, stages, t) : { forward: 0, backward: 0 };
    const flash = t !== null && isOpt && t >= BACKWARD_END ? 1 - (t - BACKWARD_END) / (1 - BACKWARD_END) : 0;
    ctx.fillStyle = colours.card;
    ctx.fillRect(box.x, box.y, box.w, box.h);
    const tint = lit.forward ? [colours.accent, lit.forward] : lit.backward ? [colours.warn, lit.backward] : flash ? [colours.good, flash] : null;
    if (tint) {
      ctx.globalAlpha = 0.2 + 0.6 * tint[1];
      ctx.fillStyle = tint[0];
      ctx.fillRect(box.x, box.y, box.w, box.h);
      ctx.globalAlpha = 1;
    }
    paintPicture(ctx, box, pictures.get(box.name)?.[backward ? "backward" : "forward"]);
    const chosen = selected === box.name;
    ctx.strokeStyle = chosen ? colours.ink : isOpt ? colours.good : colours.line;
    ctx.lineWidth = chosen ? 2.5 : 1;
    ctx.strokeRect(box.x + 0.5, box.y + 0.5, box.w - 1, box.h - 1);
    if (focus === i) {
      ctx.strokeStyle = colours.accent;
      ctx.setLineDash([4, 3]);
      ctx.lineWidth = 2;
      ctx.strokeRect(box.x - 2.5, box.y - 2.5, box.w + 5, box.h + 5);
      ctx.setLineDash([]);
    }
    ctx.fillStyle = colours.ink;
    ctx.font = FONT;
    if (isOpt) {
      ctx.fillText(optimizerText, box.x + 8, box.y + box.h / 2);
      return;
    }
    ctx.fillText(box.label, box.x + 6, box.y + 10, box.w - 12);
    ctx.font = SMALL;
    ctx.fillStyle = colours.muted;
    ctx.fillText(shapeLine(shapes.get(box.name), op), box.x + 6, box.y + 24, box.w - 12);
  });
}
