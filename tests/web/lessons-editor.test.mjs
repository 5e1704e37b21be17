// The code editor's keys (lessons/editor.js edit()): Tab indents at the
// cursor or the selected lines, Shift+Tab dedents, Enter keeps the indent.
import assert from "node:assert/strict";
import { test } from "node:test";

import { INDENT, edit } from "../../web/js/lessons/editor.js";

const at = (value, start, end = start) => ({ value, start, end });

test("Tab at the cursor pads to the next indent stop", () => {
  assert.deepEqual(edit(at("x", 0), { key: "Tab" }), { value: `${INDENT}x`, start: 4, end: 4 });
  assert.deepEqual(edit(at("ab", 2), { key: "Tab" }), { value: "ab  ", start: 4, end: 4 });
  assert.deepEqual(edit(at("ab\ncd", 5), { key: "Tab" }), { value: "ab\ncd  ", start: 7, end: 7 });
});

test("Tab and Shift+Tab on selected lines indent and dedent them whole", () => {
  const code = "def f(x):\nreturn x\ny = 1";
  const indented = edit(at(code, 12, 21), { key: "Tab" }); // from "turn x" into "y = 1"
  assert.equal(indented.value, "def f(x):\n    return x\n    y = 1");
  assert.deepEqual([indented.start, indented.end], [16, 29]);
  const back = edit({ ...indented }, { key: "Tab", shiftKey: true });
  assert.equal(back.value, code);
  assert.deepEqual([back.start, back.end], [12, 21]);
  // A selection that ends where a line starts leaves that line alone.
  assert.equal(edit(at(code, 12, 19), { key: "Tab" }).value, "def f(x):\n    return x\ny = 1");
  // Shift+Tab with no selection dedents the cursor's line; a short indent goes whole.
  assert.equal(edit(at("  x", 3), { key: "Tab", shiftKey: true }).value, "x");
  assert.equal(edit(at("x", 1), { key: "Tab", shiftKey: true }).value, "x");
});

test("Enter keeps the line's indentation and adds a level after a colon", () => {
  assert.deepEqual(edit(at("    x = 1", 9), { key: "Enter" }), { value: "    x = 1\n    ", start: 14, end: 14 });
  assert.equal(edit(at("def f(x):", 9), { key: "Enter" }).value, `def f(x):\n${INDENT}`);
  assert.equal(edit(at("    for i in x:  ", 17), { key: "Enter" }).value, "    for i in x:  \n        ");
  assert.equal(edit(at("ab", 1, 2), { key: "Enter" }).value, "a\n"); // replaces the selection
});

test("other keys are the browser's", () => {
  assert.equal(edit(at("x", 0), { key: "a" }), null);
  assert.equal(edit(at("x", 0), { key: "Escape" }), null);
});
