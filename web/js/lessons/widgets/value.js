// Chapter 5: microgpt's own Value on a few lines the learner edits, built
// and backpropagated by the scalar engine in the lessons' worker
// (lessons.value_graph): every Value of the graph, children first, with
// what made it, its data and its gradient. The code is the learner's, so
// it runs under the exercises' limits (Stop, the time limit).
// The element publishes data-status and data-graph (JSON of the nodes).
import { element } from "../../draw/dom.js";
import { listing } from "../../draw/source.js";
import { createEditor } from "../editor.js";
import { nearestChoice } from "./common.js";

export const QUESTION_CODE = "a = Value(2.0)\nb = Value(-3.0)\nc = Value(10.0)\nd = a * b + c\nL = d * d\n";

// How a node reads: its variable names, else v<k>.
const nameOf = (node, k) => (node.names.length ? node.names.join(" = ") : `v${k}`);
const number = (value, digits = 6) => (Number.isInteger(value) ? String(value) : Number(value.toPrecision(digits)).toString());

function madeBy(node, nodes) {
  const child = (k) => nameOf(nodes[node.children[k]], node.children[k]);
  if (node.op === null) return "a number";
  if (node.op === "+" || node.op === "*") return `${child(0)} ${node.op} ${child(1)}`;
  if (node.op.startsWith("**")) return `${child(0)} ** ${node.op.slice(2)}`;
  return `${child(0)}.${node.op}()`;
}

// The graph drawn left to right: the numbers given first, each Value one
// column after its deepest input, its name or op over its data and grad,
// a line from each input. The table under it says the same in words.
const SVG = "http://www.w3.org/2000/svg";
const BOX = { width: 76, height: 46, gapX: 30, gapY: 10 };

function svgElement(tag, attributes, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

function graphPicture({ nodes, output }) {
  const depth = [];
  nodes.forEach((node, k) => {
    depth[k] = node.children.length ? 1 + Math.max(...node.children.map((c) => depth[c])) : 0;
  });
  const rows = new Map();
  const at = nodes.map((node, k) => {
    const row = rows.get(depth[k]) ?? 0;
    rows.set(depth[k], row + 1);
    return { x: depth[k] * (BOX.width + BOX.gapX), y: row * (BOX.height + BOX.gapY) };
  });
  const width = Math.max(...at.map((p) => p.x)) + BOX.width;
  const height = Math.max(...at.map((p) => p.y)) + BOX.height;
  const svg = svgElement("svg", { viewBox: `-2 -2 ${width + 4} ${height + 4}`, class: "value-graph", role: "img",
                                  "aria-label": "The graph of Values, inputs on the left; the table below lists it" });
  svg.style.maxWidth = `${width + 4}px`;
  nodes.forEach((node, k) => {
    for (const child of node.children) {
      svg.append(svgElement("line", { x1: at[child].x + BOX.width, y1: at[child].y + BOX.height / 2,
                                      x2: at[k].x, y2: at[k].y + BOX.height / 2, class: "value-edge" }));
    }
  });
  nodes.forEach((node, k) => {
    const { x, y } = at[k];
    const group = svgElement("g", { class: k === output ? "value-node value-output" : "value-node" });
    group.append(svgElement("rect", { x, y, width: BOX.width, height: BOX.height, rx: 6 }),
                 svgElement("text", { x: x + 6, y: y + 14, class: "value-name" },
                            node.names.length ? node.names.join("=") : node.op ?? number(node.data, 4)),
                 svgElement("text", { x: x + 6, y: y + 28 }, `data ${number(node.data, 4)}`),
                 svgElement("text", { x: x + 6, y: y + 41, class: "value-grad" }, `grad ${number(node.grad, 4)}`));
    svg.append(group);
  });
  return svg;
}

function graphTable({ nodes, output }) {
  const caption = `${nodes.length} Values, each after the Values it was made from; `
    + `the gradient is of ${nameOf(nodes[output], output)}`;
  const head = ["Value", "made by", "data", "grad"].map((title) => element("th", { scope: "col", textContent: title }));
  const rows = nodes.map((node, k) => element(
    "tr", k === output ? { className: "value-output" } : {},
    element("th", { scope: "row", textContent: nameOf(node, k) }),
    ...[madeBy(node, nodes), number(node.data), number(node.grad)].map((text) => element("td", { textContent: text })),
  ));
  return element("table", { className: "value-table" }, element("caption", { textContent: caption }),
                 element("thead", {}, element("tr", {}, ...head)), element("tbody", {}, ...rows));
}

export function create({ engine, schema, chapter }) {
  const editor = createEditor({ label: "Python with microgpt's Value (the last line names the Value to backpropagate)",
                                value: QUESTION_CODE, rows: 6, onRun: () => run() });
  const go = element("button", { type: "button", textContent: "Run forward and backward" });
  const stop = element("button", { type: "button", textContent: "Stop", disabled: true });
  const said = element("p", { className: "value-said", role: "status" });
  const out = element("div", { className: "value-out" });
  const value = schema.source.functions.find((fn) => fn.name === "Value");
  const source = element("details", { className: "value-source" },
                         element("summary", { textContent: "microgpt's Value class, as the engine runs it" }), listing(value, new Set()));
  const el = element("div", { className: "value-widget", dataset: { status: "" } },
                     editor.el, element("div", { className: "exercise-buttons" }, go, stop), said, out, source);

  async function run() {
    if (engine.running) return;
    el.dataset.status = "pending";
    said.textContent = "Running your code with microgpt's Value…";
    go.disabled = true;
    stop.disabled = false;
    try {
      const graph = await engine.runCode("value_graph", { code: editor.value });
      if (!graph.ok) {
        el.dataset.status = graph.stopped ? "stopped" : "error";
        said.textContent = graph.message;
        return;
      }
      el.dataset.status = "ok";
      el.dataset.graph = JSON.stringify(graph.nodes);
      said.textContent = `Built ${graph.nodes.length} Values and walked them backward.`;
      out.replaceChildren(graphPicture(graph), graphTable(graph));
    } catch (error) {
      el.dataset.status = "error";
      said.textContent = error.message;
    } finally {
      go.disabled = false;
      stop.disabled = true;
    }
  }
  go.addEventListener("click", run);
  stop.addEventListener("click", () => engine.stop());

  return {
    el,
    async answer() {
      const graph = await engine.runCode("value_graph", { code: QUESTION_CODE });
      if (!graph.ok) throw new Error(graph.message);
      const d = graph.nodes.find((node) => node.names.includes("d"));
      return { value: nearestChoice(chapter.question.choices, d.grad),
               text: `The engine: d's gradient is ${number(d.grad)}. L = d * d uses d twice, and each use gives `
                 + `d's other factor, ${number(d.data)}: they add up to 2 × ${number(d.data)}.` };
    },
  };
}
