// The path: the page at ?lesson=<n> (ui/main.js imports this module and
// hands over to startLessons only when the address asks for a lesson, so
// nothing here can stop the lab from loading). Nine short chapters (text.js), each
// a stable, shareable address; moving between them keeps the page, its
// workers and any rung training (history.pushState). The lab is one click
// away, and every chapter links to the panels it uses.
//
// What it uses: the sessions API (sessions/index.js) as a caller, for the
// rungs a chapter trains and the trained models it asks; a worker of its
// own for the learner's code and the questions about the data (engine.js);
// the glossary; the learner's progress in localStorage (progress.js).
import { element } from "../draw/dom.js";
import { renderChapter } from "./chapter.js";
import { createLessonEngine } from "./engine.js";
import { createProgress } from "./progress.js";
import { createRungs } from "./rungs.js";
import { CHAPTERS, chapterOf } from "./text.js";

// The chapter list with the learner's progress: read, exercise passed, the one shown.
function renderList(list, progress, shown) {
  list.replaceChildren(...CHAPTERS.map((chapter, k) => {
    const n = k + 1;
    const link = element("a", { textContent: `${n}. ${chapter.title}`, href: `?lesson=${n}`, dataset: { chapter: String(n) } });
    if (n === shown) link.setAttribute("aria-current", "page");
    const marks = [progress.isRead(n) && "read", chapter.exercise && progress.passed(chapter.exercise) && "exercise passed"]
      .filter(Boolean);
    const item = element("li", { dataset: { read: String(progress.isRead(n)) } }, link);
    if (marks.length) item.append(element("span", { className: "chapter-marks", textContent: ` ${marks.join(" · ")}` }));
    return item;
  }));
}

function createShell() {
  const summary = element("summary", { textContent: "The path: 9 chapters" });
  const list = element("ol", { className: "lesson-list" });
  const lab = element("p", { className: "lesson-lab" }, element("a", { textContent: "Open the lab", href: "./" }),
                      " (the panels, every session, the whole config)");
  const details = element("details", {}, summary, list, lab);
  const nav = element("nav", { className: "lesson-nav", "aria-label": "Chapters" }, details);
  const notice = element("p", { className: "notice", role: "status", hidden: true });
  const place = element("div", { className: "chapter-place" });
  const main = element("main", { className: "lessons", id: "lessons" }, nav, notice, place);
  // The list stands open beside the chapter on a wide window; on a phone it folds above it.
  const wide = matchMedia("(min-width: 900px)");
  details.open = wide.matches;
  wide.addEventListener("change", () => {
    details.open = wide.matches;
  });
  return { main, list, summary, notice, place };
}

export function startLessons({ sessions, schema, glossary, status }) {
  document.querySelector("main.layout")?.remove(); // the lab's own page: one click away, not under the chapter
  document.querySelector("[data-action=help]")?.setAttribute("hidden", ""); // the lab's help: its panels and keys
  const learn = document.querySelector("#learn-link"); // the lab's way here is the way back
  if (learn) Object.assign(learn, { textContent: "Open the lab", href: "./" });
  // the lab's skip links lead to its own page
  const skip = element("a", { className: "skip-link", textContent: "Skip to the chapter", href: "#chapter-title" });
  document.querySelector(".skip-links")?.replaceChildren(skip);
  const shell = createShell();
  document.querySelector("header").after(shell.main);
  document.title = "microGPT Lab: learn";

  let shown = null; // {n, chapter}
  const renderNav = () => {
    renderList(shell.list, progress, shown?.n);
    const read = CHAPTERS.filter((_, k) => progress.isRead(k + 1)).length;
    shell.summary.textContent = `The path: ${read} of ${CHAPTERS.length} chapters read`;
  };
  const progress = createProgress(globalThis.localStorage, { onChange: renderNav });
  const dataset = bundledNames();
  dataset.catch(() => {}); // each widget that needs it says so
  const engine = createLessonEngine({ workerUrl: new URL("../engine/worker.js", import.meta.url), dataset });
  const rungs = createRungs({ sessions, progress, dataset, schema });
  const ctx = { sessions, schema, engine, rungs, progress, dataset, explain: glossary.explain };

  function show(n, { focus = true } = {}) {
    shown?.chapter.destroy();
    const chapter = renderChapter(n, ctx);
    shell.place.replaceChildren(chapter.el);
    shown = { n, chapter };
    progress.read(n);
    renderNav();
    document.title = `${n}. ${CHAPTERS[n - 1].title} · microGPT Lab`;
    if (focus) {
      scrollTo(0, 0);
      chapter.title.focus({ preventScroll: true });
    }
  }

  // Chapter links move within the page: the workers and a running rung go on.
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.("a[data-chapter]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    history.pushState(null, "", link.href);
    shell.notice.hidden = true; // a wrong address's notice, answered
    show(Number(link.dataset.chapter));
  });
  addEventListener("popstate", () => show(chapterOf(location.search) ?? 1));

  sessions.subscribe((message) => {
    shown?.chapter.hear(message);
    if (message.type === "fatal") say(status, "error", "error");
  });
  const asked = chapterOf(location.search);
  if (!asked) {
    shell.notice.hidden = false;
    shell.notice.textContent = `There is no chapter "${new URLSearchParams(location.search).get("lesson")}": the path has chapters 1 to ${CHAPTERS.length}. Here is the first.`;
  }
  show(asked ?? 1, { focus: false });
  say(status, "loading", "loading");
  Promise.all([engine.ready, sessions.ready]).then(
    () => say(status, "ready", "ready"),
    (error) => say(status, `error: ${error.message}`, "error"),
  );
  sessions.ready.then(() => sessions.resumeInterrupted(), () => {});
  // A read-only handle for tests and the curious, as the lab's (ui/debug.js) has.
  window.lab = Object.freeze({
    listSessions: () => sessions.list(),
    steps: (id) => sessions.steps(id),
    samples: (id) => sessions.samples(id),
    get chapter() {
      return shown?.n ?? null;
    },
  });
}

// The site's own names, which the rungs train on as the lab's default dataset
// ("names.txt"; the engine judges the text when a session opens on it).
async function bundledNames() {
  const response = await fetch(new URL("../../data/names.txt", import.meta.url));
  if (!response.ok) throw new Error(`data/names.txt: HTTP ${response.status}`);
  return { text: await response.text(), kind: "default", name: "names.txt" };
}

function say(status, text, state) {
  status.textContent = text;
  status.dataset.state = state;
}
