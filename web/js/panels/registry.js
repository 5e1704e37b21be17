// The panels container: each visual panel is one module exporting
// create(el, options) -> {update(message), resize(), destroy()}. The registry
// gives each panel its own element and passes every client message (see
// lab-client.js: "event", "status", "sample", "session" ...) to every panel's
// update; panels keep what they need and coalesce their own drawing.
export function createPanels(container) {
  const panels = [];
  let resizeObserver = null;
  if (typeof ResizeObserver === "function") {
    resizeObserver = new ResizeObserver(() => {
      for (const panel of panels) panel.view.resize();
    });
    resizeObserver.observe(container);
  }
  return {
    add(name, create, options = {}) {
      const el = document.createElement("section");
      el.className = `panel panel-${name}`;
      el.dataset.panel = name;
      if (options.title) {
        const heading = document.createElement("h2");
        heading.textContent = options.title;
        el.append(heading);
        el.setAttribute("aria-label", options.title);
      }
      container.append(el);
      const view = create(el, options);
      panels.push({ name, el, view });
      return view;
    },
    update(message) {
      for (const panel of panels) {
        try {
          panel.view.update(message);
        } catch (error) {
          console.error(`panel ${panel.name}:`, error);
        }
      }
    },
    resize() {
      for (const panel of panels) panel.view.resize();
    },
    destroy() {
      resizeObserver?.disconnect();
      for (const panel of panels.splice(0)) {
        panel.view.destroy();
        panel.el.remove();
      }
    },
  };
}
