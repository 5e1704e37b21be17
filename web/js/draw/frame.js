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
