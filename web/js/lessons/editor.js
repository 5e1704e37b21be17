// A code editor that is a plain <textarea>: the browser's own editing,
// selection, undo and screen-reader support, plus the keys a Python
// programmer expects. Tab indents (the selected lines, or at the cursor)
// and Shift+Tab dedents; Enter keeps the line's indentation (and adds a
// level after a ":"); Escape leaves the editor, so the next Tab moves the
// focus on instead of indenting; Ctrl+Enter (or Cmd+Enter) runs `onRun`.
//
// Not CodeMirror 6: with Python it is some fifteen npm packages importing one
// another by bare names, which a no-build site resolves only with an inline
// import map, a script the page's Content-Security-Policy (script-src
// 'self') refuses (README, "Learn"). edit() is pure and tested under Node
// (tests/web/lessons-editor.test.mjs).
//
//   const editor = createEditor({ label, value, onInput, onRun });
//   parent.append(editor.el); editor.value; editor.set(text);
import { element } from "../draw/dom.js";

export const INDENT = "    ";

// The text and selection after `key` ({key, shiftKey}), or null when the
// browser's own handling is right.
export function edit({ value, start, end }, { key, shiftKey = false }) {
  const lineStart = value.lastIndexOf("\n", start - 1) + 1;
  if (key === "Enter") {
    const line = value.slice(lineStart, start);
    const indent = line.match(/^[ \t]*/)[0] + (/:\s*$/.test(line) ? INDENT : "");
    const text = `\n${indent}`;
    return { value: value.slice(0, start) + text + value.slice(end), start: start + text.length, end: start + text.length };
  }
  if (key !== "Tab") return null;
  const multiline = value.slice(start, end).includes("\n");
  if (!shiftKey && !multiline) {
    const pad = INDENT.slice((start - lineStart) % INDENT.length);
    return { value: value.slice(0, start) + pad + value.slice(end), start: start + pad.length, end: start + pad.length };
  }
  // Whole lines: from the first selected line's start to the last's end.
  const blockEnd = end > start && value[end - 1] === "\n" ? end - 1 : end;
  const lines = value.slice(lineStart, blockEnd).split("\n");
  const changed = lines.map((line) => {
    if (!shiftKey) return INDENT + line;
    return line.slice(Math.min(line.match(/^ */)[0].length, INDENT.length));
  });
  const removedFirst = lines[0].length - changed[0].length; // negative when indenting
  const text = changed.join("\n");
  const newStart = Math.max(lineStart, start - removedFirst);
  return { value: value.slice(0, lineStart) + text + value.slice(blockEnd), start: newStart,
           end: Math.max(newStart, end + text.length - (blockEnd - lineStart)) };
}

// The new text through the browser's editing, so Undo undoes it: only the
// part that changed is replaced (execCommand is deprecated, and still the
// one way to edit a textarea undoably; where it fails, the value is set).
function replace(area, next) {
  const old = area.value;
  let head = 0;
  while (head < old.length && head < next.value.length && old[head] === next.value[head]) head += 1;
  let tail = 0;
  while (tail < old.length - head && tail < next.value.length - head
         && old[old.length - 1 - tail] === next.value[next.value.length - 1 - tail]) tail += 1;
  area.setSelectionRange(head, old.length - tail);
  const inserted = next.value.slice(head, next.value.length - tail);
  const done = inserted ? document.execCommand("insertText", false, inserted) : document.execCommand("delete");
  if (!done || area.value !== next.value) area.value = next.value;
  area.setSelectionRange(next.start, next.end);
}

let nextId = 0;

export function createEditor({ label, value = "", rows = 9, onInput = () => {}, onRun = () => {} }) {
  const id = `editor${nextId++}`;
  const keys = element("p", {
    id: `${id}-keys`, className: "editor-keys",
    textContent: "Tab indents, Shift+Tab dedents; Esc, then Tab, moves on; Ctrl+Enter runs.",
  });
  const area = element("textarea", {
    id, rows, value, spellcheck: false, className: "editor-code", autocapitalize: "off", autocomplete: "off",
    "aria-keyshortcuts": "Control+Enter Meta+Enter", "aria-describedby": keys.id,
  });
  const el = element("div", { className: "editor" }, element("label", { htmlFor: id, textContent: label }), area, keys);

  let escaped = false; // Escape pressed: the next Tab leaves the editor
  area.addEventListener("keydown", (event) => {
    if (event.isComposing) return;
    if (event.key === "Escape") {
      escaped = true;
      return;
    }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onRun();
      return;
    }
    const leaving = escaped && event.key === "Tab";
    escaped = false;
    if (leaving || event.altKey || event.ctrlKey || event.metaKey) return;
    const next = edit({ value: area.value, start: area.selectionStart, end: area.selectionEnd }, event);
    if (!next) return;
    event.preventDefault();
    replace(area, next);
    onInput(area.value);
  });
  area.addEventListener("input", () => onInput(area.value));
  area.addEventListener("blur", () => {
    escaped = false;
  });
  return {
    el,
    area,
    get value() {
      return area.value;
    },
    set(text) {
      area.value = text;
      onInput(text);
    },
  };
}
