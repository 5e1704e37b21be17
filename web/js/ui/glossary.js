// The glossary where the page uses its words. The engine's schema holds
// every term once (schema.glossary: term, the words that stand for it, a
// short definition); explain(root) underlines the first use of each term in
// root's text and shows its definition on hover and on keyboard focus, in
// one shared tooltip. The terms of one explained root (a panel, the form, a
// Follow a token moment) are one tab stop: Tab reaches its first term, the
// arrow keys (Home, End) go from term to term, so the page's main path is not
// a Tab per word. Learners who know the words turn hints off: the
// underlines, the tooltips and the panels' captions go, and the terms leave
// the tab order.
//
//   const glossary = createGlossary(schema, { toggle: checkbox });
//   glossary.explain(element);   // after its text is written
import { element } from "../draw/dom.js";

const STORAGE_KEY = "microgpt-lab.hints";
const SKIP = "button, code, pre, input, textarea, select, option, h1, h2, h3, kbd, .term, [data-no-terms]";
const escape = (word) => word.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

function matcher(glossary) {
  const byWord = new Map();
  for (const entry of glossary) for (const word of entry.words) byWord.set(word.toLowerCase(), entry);
  const words = [...byWord.keys()].sort((a, b) => b.length - a.length).map(escape);
  return { byWord, pattern: new RegExp(`(?<![\\p{L}\\p{N}_])(${words.join("|")})(?![\\p{L}\\p{N}_])`, "giu") };
}

function createTip() {
  const tip = element("div", { id: "term-tip", className: "term-tip", role: "tooltip", hidden: true });
  document.body.append(tip);
  return tip;
}

// The tooltip under (or above, near the bottom) the term, inside the window.
function place(tip, target) {
  const box = target.getBoundingClientRect();
  tip.hidden = false;
  const width = tip.offsetWidth;
  const height = tip.offsetHeight;
  const left = Math.max(8, Math.min(innerWidth - width - 8, box.left));
  const below = box.bottom + 6 + height < innerHeight;
  tip.style.left = `${left + scrollX}px`;
  tip.style.top = `${(below ? box.bottom + 6 : box.top - height - 6) + scrollY}px`;
}

export function createGlossary(schema, { toggle = null } = {}) {
  const { byWord, pattern } = matcher(schema.glossary || []);
  const tip = createTip();
  let hints = localStorage.getItem(STORAGE_KEY) !== "off";

  function show(target) {
    if (!hints) return;
    const entry = byWord.get(target.dataset.word);
    tip.textContent = `${entry.term}: ${entry.text}`;
    tip.dataset.term = entry.term;
    place(tip, target);
  }
  const hide = () => {
    tip.hidden = true;
  };

  // The terms of a root that are its own (not those of an explained root inside it).
  const termsOf = (root) => [...root.querySelectorAll(".term")].filter((term) => term.closest("[data-terms]") === root);
  // One tab stop per root: `current` (else the first term) takes it.
  function rove(root, current = null) {
    const terms = termsOf(root);
    const stop = terms.includes(current) ? current : terms[0];
    for (const term of terms) term.tabIndex = hints && term === stop ? 0 : -1;
  }
  const MOVES = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
  function walk(event) {
    const term = event.target.closest?.(".term");
    const root = event.currentTarget;
    if (!term || term.closest("[data-terms]") !== root || !(event.key in MOVES || event.key === "Home" || event.key === "End")) return;
    event.preventDefault();
    event.stopPropagation(); // a panel's own arrow keys (Follow a token's stages) wait for focus elsewhere
    const terms = termsOf(root);
    const at = terms.indexOf(term);
    const next = terms[event.key === "Home" ? 0 : event.key === "End" ? terms.length - 1
      : Math.max(0, Math.min(terms.length - 1, at + MOVES[event.key]))];
    rove(root, next);
    next.focus();
  }

  function setHints(on) {
    hints = on;
    localStorage.setItem(STORAGE_KEY, on ? "on" : "off");
    document.documentElement.classList.toggle("hints-off", !on);
    for (const root of document.querySelectorAll("[data-terms]")) rove(root);
    if (!on) hide();
  }

  // One text node's uses of terms not yet marked in this root, as a fragment (null: none).
  function mark(node, seen) {
    const text = node.nodeValue;
    const parts = [];
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      const word = match[0].toLowerCase();
      const entry = byWord.get(word);
      if (seen.has(entry.term)) continue;
      seen.add(entry.term);
      const term = element("span", { className: "term", textContent: match[0], tabIndex: -1, dataset: { word },
                                     "aria-describedby": tip.id });
      parts.push(text.slice(last, match.index), term);
      last = match.index + match[0].length;
    }
    if (!parts.length) return null;
    const fragment = document.createDocumentFragment();
    fragment.append(...parts, text.slice(last));
    return fragment;
  }

  function explain(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => (node.parentElement.closest(SKIP) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    const seen = new Set();
    for (const node of nodes) {
      const fragment = mark(node, seen);
      if (fragment) node.replaceWith(fragment);
    }
    if (!("terms" in root.dataset)) {
      root.dataset.terms = "";
      root.addEventListener("keydown", walk);
      root.addEventListener("focusin", (event) => {
        const term = event.target.closest?.(".term");
        if (term && term.closest("[data-terms]") === root) rove(root, term); // the stop stays where the learner was
      });
    }
    rove(root);
  }

  for (const [type, handler] of [["mouseover", show], ["focusin", show], ["mouseout", hide], ["focusout", hide]]) {
    document.addEventListener(type, (event) => {
      const term = event.target.closest?.(".term");
      if (term) handler(term);
    });
  }
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") hide();
  });
  if (toggle) {
    toggle.checked = hints;
    toggle.addEventListener("change", () => setHints(toggle.checked));
  }
  setHints(hints);
  return { explain, setHints };
}
