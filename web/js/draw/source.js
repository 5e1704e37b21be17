// microgpt's own code, as the scalar engine runs it (schema.source: the
// engine's functions with their line numbers, and each stage's lines), with
// one stage's lines highlighted and scrolled into view, followed by the
// helper functions those lines call (rmsnorm, linear, softmax).
//
//   const code = createSource(schema.source);
//   code.show("attn_wq")   a stage of the model (its "stage": model.STAGES's name)
//   code.text(lines)       other code (Adam's lines), all highlighted
//   listing(fn, marked)    one function as a <pre>, the line numbers in `marked` highlighted
import { element } from "./dom.js";

export function listing(fn, marked) {
  const lines = fn.lines.map((text, k) => {
    const number = fn.first_line + k;
    return element("span", { className: marked.has(number) ? "source-line hl" : "source-line", dataset: { line: String(number) } },
                   element("span", { className: "source-no", textContent: String(number) }), text.replace(/\s+$/, ""), "\n");
  });
  return element("pre", { className: "source", tabIndex: 0,
                          "aria-label": `${fn.name}, lines ${fn.first_line} to ${fn.first_line + fn.lines.length - 1}` },
                 element("code", {}, ...lines));
}

export function createSource(source) {
  const el = element("div", { className: "source-view" });
  const note = element("p", { className: "source-note" });

  // The highlighted lines in view, all of them: a block taller than the box (attention's
  // bookkeeping, scores, softmax and heads' output) makes the box grow to hold it.
  function scrollToMark(pre) {
    const marked = pre.querySelectorAll(".hl");
    if (!marked.length) return;
    const first = marked[0];
    const last = marked[marked.length - 1];
    const style = getComputedStyle(pre);
    const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
    const line = first.offsetHeight;
    const wanted = last.offsetTop + last.offsetHeight - first.offsetTop + 2 * line; // the block and a line either side
    const tall = wanted > pre.clientHeight - padding;
    if (tall) pre.style.maxHeight = `${wanted + padding + pre.offsetHeight - pre.clientHeight}px`;
    pre.scrollTop = Math.max(0, first.offsetTop - parseFloat(style.paddingTop) - (tall ? line : pre.clientHeight / 3));
  }

  return {
    el,
    show(stage) {
      const lines = source?.stages?.[stage];
      if (!lines) {
        el.replaceChildren();
        return;
      }
      const marked = new Set(lines.lines);
      const owners = source.functions.filter((fn) => lines.lines.some((n) => n >= fn.first_line && n < fn.first_line + fn.lines.length));
      const helpers = source.functions.filter((fn) => lines.calls.includes(fn.name));
      note.textContent = `${source.file}, the lines that ran for this stage (highlighted)`
        + (helpers.length ? `, and the ${helpers.map((fn) => fn.name).join(", ")} they call:` : ":");
      const pres = [...owners.map((fn) => listing(fn, marked)), ...helpers.map((fn) => listing(fn, new Set()))];
      el.replaceChildren(note, ...pres);
      requestAnimationFrame(() => pres.slice(0, owners.length).forEach(scrollToMark));
    },
    text(title, text) {
      note.textContent = title;
      const lines = text.split("\n");
      el.replaceChildren(note, listing({ name: title, first_line: 1, lines }, new Set(lines.map((_, k) => k + 1))));
    },
  };
}
