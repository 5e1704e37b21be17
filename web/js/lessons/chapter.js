// One chapter of the path, as the learner reads it: where it stands, its
// title, "So far", its words, the question to answer before the reveal,
// the live widget, "Try it", the exercise, the lab's panels it uses, and
// the way on. Its widget (chapters.js) hears the sessions' stream while
// the chapter is shown.
//
//   const chapter = renderChapter(n, ctx);   // ctx: see index.js
//   main.append(chapter.el); chapter.hear(message); chapter.destroy();
import { PANELS } from "../panels/index.js";
import { WIDGETS } from "./chapters.js";
import { createExercise } from "./exercise.js";
import { createQuestion } from "./question.js";
import { CHAPTERS } from "./text.js";

const element = (tag, className, text) => Object.assign(document.createElement(tag), className ? { className } : {},
                                                           text === undefined ? {} : { textContent: text });

export const chapterHref = (n) => `?lesson=${n}`;

function section(className, heading, ...children) {
  const el = element("section", className);
  const title = element("h3", "", heading);
  el.append(title, ...children);
  return el;
}

// "In the lab": links to the panels this chapter uses (the lab opens on the
// newest session: a rung just trained), and to the lab itself.
function inTheLab(chapter) {
  const p = element("p", "in-the-lab", "In the lab: ");
  chapter.panels.forEach((name, k) => {
    const panel = PANELS.find((entry) => entry.name === name);
    const link = element("a", "", panel.title);
    link.href = `./#panel-${name}`;
    p.append(k ? " · " : "", link);
  });
  p.append(". Every session a chapter trains is listed there, to compare, sample or delete.");
  return p;
}

function pager(n) {
  const nav = element("nav", "chapter-pager");
  nav.setAttribute("aria-label", "Previous and next chapter");
  for (const [to, rel, arrow] of [[n - 1, "prev", "←"], [n + 1, "next", "→"]]) {
    if (to < 1 || to > CHAPTERS.length) continue;
    const link = element("a", `pager-${rel}`, rel === "prev" ? `${arrow} ${to}. ${CHAPTERS[to - 1].title}`
      : `${to}. ${CHAPTERS[to - 1].title} ${arrow}`);
    link.href = chapterHref(to);
    link.rel = rel;
    link.dataset.chapter = String(to);
    nav.append(link);
  }
  if (n === CHAPTERS.length) {
    const lab = element("a", "pager-next", "Open the lab →");
    lab.href = "./";
    nav.append(lab);
  }
  return nav;
}

export function renderChapter(n, ctx) {
  const chapter = CHAPTERS[n - 1];
  const el = element("article", "chapter card");
  el.setAttribute("aria-labelledby", "chapter-title");
  el.dataset.chapter = String(n);
  const kicker = element("p", "chapter-kicker", `Chapter ${n} of ${CHAPTERS.length}`);
  const title = element("h2", "", chapter.title);
  title.id = "chapter-title";
  title.tabIndex = -1; // focused when the chapter opens
  const known = element("ul");
  known.append(...chapter.soFar.map((line) => element("li", "", line)));
  const soFar = section("so-far", "So far", known);
  const text = element("div", "chapter-text");
  text.append(...chapter.text.map((paragraph) => element("p", "", paragraph)));

  let question = null;
  const widget = WIDGETS[n - 1]({ ...ctx, chapter, changed: () => question?.refresh() });
  question = createQuestion(n, chapter.question, { progress: ctx.progress, answer: () => widget.answer() });
  const live = element("section", "widget");
  live.setAttribute("aria-label", `${chapter.title}: the engine's numbers`);
  live.append(widget.el);
  const tryIt = section("try-it", "Try it", element("p", "", chapter.tryIt));
  el.append(kicker, title, soFar, text, question.el, live, tryIt);
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
