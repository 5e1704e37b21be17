// Coalesce repaints: callers mark a view dirty as often as they like; the
// view draws at most once per animation frame.
export function createFrame(draw) {
  let handle = 0;
  return {
    request() {
      if (!handle) handle = requestAnimationFrame(() => {
        handle = 0;
        draw();
      });
    },
    cancel() {
      if (handle) cancelAnimationFrame(handle);
      handle = 0;
    },
  };
}

// A panel's resize() and destroy() when it draws through `frame`: a resize
// redraws; destroy stops the frame, destroys what the panel owns (its
// charts) and empties its element.
export function frameLifecycle(el, frame, ...owned) {
  return {
    resize: () => frame.request(),
    destroy() {
      frame.cancel();
      for (const part of owned) part.destroy();
      el.replaceChildren();
    },
  };
}
