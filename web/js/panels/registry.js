// SCAFFOLD (h-panels, dropped at merge): drives the new panels (contract
// section 5) from today's app.js, which still sends every client message to
// panels.update(message). It plays the router's part: filters by the shown
// session, calls reset/show/sample/all, and reads the model for the
// live-model panels with live.js's old gating (on screen, two reads a
// second, one in flight). The schema comes from dist/schema.json.
const schema = await fetch(new URL("../../schema.json", import.meta.url)).then((response) => response.json());

const MIN_INTERVAL_MS = 500;
const NO_MODEL = "No live model here yet: start, step or run a session.";
const IMPORTED = "An imported trace is read-only: it has no model to look into.";
const ASKS = {
  matrix: (source, id, { name }) => source.inspectMatrix(id, name),
  embedding_map: (source, id) => source.embeddingMap(id),
  next_token: (source, id, { context }) => source.probe(id, context),
  console: (source, id, { code }) => source.runConsole(id, code),
};

function reader(el, read) {
  let visible = true;
  let wanted = false;
  let inFlight = false;
  let last = -Infinity;
  let timer = 0;
  new IntersectionObserver((entries) => {
    visible = entries[entries.length - 1].isIntersecting;
    pump();
  }).observe(el);
  function pump() {
    if (inFlight || !wanted || timer || !visible) return;
    const wait = last + MIN_INTERVAL_MS - performance.now();
    if (wait > 0) {
      timer = setTimeout(() => {
        timer = 0;
        pump();
      }, wait);
      return;
    }
    wanted = false;
    inFlight = true;
    last = performance.now();
    Promise.resolve().then(read).catch((error) => console.error(error)).finally(() => {
      inFlight = false;
      pump();
    });
  }
  return () => {
    wanted = true;
    pump();
  };
}

export function createPanels(container) {
  const panels = [];
  let shown = { session: null, record: null, travel: null };
  let source = null;

  function model() {
    if (!shown.session || shown.session === "recording") return { missing: NO_MODEL };
    if (shown.record?.status === "imported") return { missing: IMPORTED };
    const id = shown.session;
    return {
      step: null,
      async ask(type, fields) {
        const result = await ASKS[type](source, id, fields);
        if (result === null) throw new Error(type === "console" ? "Start a session first: the console runs against a live model." : NO_MODEL);
        return result;
      },
    };
  }

  const each = (method, ...args) => {
    for (const panel of panels) {
      try {
        panel.view[method]?.(...args);
      } catch (error) {
        console.error(`panel ${panel.name}:`, error);
      }
    }
  };
  const readAll = () => panels.forEach((panel) => panel.request?.());

  const observer = new ResizeObserver(() => each("resize"));
  observer.observe(container);
  return {
    add(name, create, options = {}) {
      source = options.source;
      const el = document.createElement("section");
      el.className = `panel panel-${name}`;
      el.dataset.panel = name;
      const heading = document.createElement("h2");
      heading.textContent = options.title;
      el.append(heading);
      el.setAttribute("aria-label", options.title);
      container.append(el);
      const panel = { name, el };
      const stored = { list: () => source.listSessions(), steps: (id) => source.steps(id), samples: (id) => source.samples(id) };
      panel.view = create(el, { schema, stored, requestRead: () => panel.request?.() });
      if (panel.view.read) panel.request = reader(el, () => panel.view.read(model()));
      panels.push(panel);
      return panel.view;
    },
    update(message) {
      const mine = message.session === shown.session;
      switch (message.type) {
        case "session":
          shown = { session: message.session, record: message.record, travel: message.travel ?? null };
          each("reset", { ...shown, steps: message.steps || [], samples: [], model: model() });
          readAll();
          break;
        case "event":
          each("all", { type: "event", session: message.session, event: message.event });
          if (mine && message.session === message.current) each("show", message.event);
          if (mine && !message.remote && message.event.topk) readAll();
          break;
        case "sample":
          each("all", { type: "sample", session: message.session, result: message.result });
          if (mine) each("sample", message.result);
          break;
        case "status":
          each("all", { type: "list" });
          if (mine) readAll();
          break;
        case "sessions":
          each("all", { type: "list" });
          break;
        default:
      }
    },
    resize: () => each("resize"),
    destroy() {
      observer.disconnect();
      each("destroy");
      container.replaceChildren();
    },
  };
}
