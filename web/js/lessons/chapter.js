// One chapter of the path, as the learner reads it: where it stands, its
// title, "So far", its words, the question to answer before the reveal,
// the live widget, "Try it", the exercise, the lab's panels it uses, and
// the way on. Its widget (chapters.js) hears the sessions' stream while
// the chapter is shown.
//
//   const chapter = renderChapter(n, ctx);   // ctx: see index.js
//   main.append(chapter.el); chapter.hear(message); chapter.destroy();
import { element } from "../draw/dom.js";
import { PANELS } from "../panels/index.js";
import { WIDGETS } from "./chapters.js";
import { createExercise } from "./exercise.js";
import { createQuestion } from "./question.js";
import { CHAPTERS } from "./text.js";

export const chapterHref = (n) => `?lesson=${n}`;

const section = (className, heading, ...children) => element("section", { className },
                                                             element("h3", { textContent: heading }), ...children);

// "In the lab": links to the panels this chapter uses (the lab opens on the
// newest session: a rung just trained), and to the lab itself.
function inTheLab(chapter) {
  const p = element("p", { className: "in-the-lab", textContent: "In the lab: " });
  chapter.panels.forEach((name, k) => {
    const panel = PANELS.find((entry) => entry.name === name);
    p.append(k ? " · " : "", element("a", { textContent: panel.title, href: `./#panel-${name}` }));
  });
  p.append(". Every session a chapter trains is listed there, to compare, sample or delete.");
  return p;
}

function pager(n) {
  const nav = element("nav", { className: "chapter-pager", "aria-label": "Previous and next chapter" });
  for (const [to, rel, arrow] of [[n - 1, "prev", "←"], [n + 1, "next", "→"]]) {
    if (to < 1 || to > CHAPTERS.length) continue;
    nav.append(element("a", {
      className: `pager-${rel}`,
      textContent: rel === "prev" ? `${arrow} ${to}. ${CHAPTERS[to - 1].title}` : `${to}. ${CHAPTERS[to - 1].title} ${arrow}`,
      href: chapterHref(to), rel, dataset: { chapter: String(to) },
    }));
  }
  if (n === CHAPTERS.length) nav.append(element("a", { className: "pager-next", textContent: "Open the lab →", href: "./" }));
  return nav;
}

export function renderChapter(n, ctx) {
  const chapter = CHAPTERS[n - 1];
  const kicker = element("p", { className: "chapter-kicker", textContent: `Chapter ${n} of ${CHAPTERS.length}` });
  const title = element("h2", { id: "chapter-title", textContent: chapter.title, tabIndex: -1 }); // focused when the chapter opens
  const soFar = section("so-far", "So far", element("ul", {}, ...chapter.soFar.map((line) => element("li", { textContent: line }))));
  const text = element("div", { className: "chapter-text" },
                       ...chapter.text.map((paragraph) => element("p", { textContent: paragraph })));

  let question = null;
  const widget = WIDGETS[n - 1]({ ...ctx, chapter, changed: () => question?.refresh() });
  question = createQuestion(n, chapter.question, { progress: ctx.progress, answer: () => widget.answer() });
  const live = element("section", { className: "widget", "aria-label": `${chapter.title}: the engine's numbers` }, widget.el);
  const tryIt = section("try-it", "Try it", element("p", { textContent: chapter.tryIt }));
  const el = element("article", { className: "chapter card", "aria-labelledby": "chapter-title", dataset: { chapter: String(n) } },
                     kicker, title, soFar, text, question.el, live, tryIt);
  if (chapter.exercise) el.append(createExercise(chapter.exercise, ctx).el);
  el.append(inTheLab(chapter), pager(n));
  for (const part of [soFar, text, question.el, tryIt]) ctx.explain(part);
  return {
    el,
    title,
    hear: (message) => widget.hear?.(message),
    destroy: () => widget.destroy?.(),
  };
}
