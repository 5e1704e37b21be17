// A session whose drawing froze or crashed the page must not do it again on
// every later visit. The session being drawn is written down (localStorage)
// until its first frames have painted; a load that finds it still written
// down knows the last page died drawing it, opens on the sessions list
// instead, and says why. Choosing the session again draws it as usual.
// A page that unloads (reload, close, navigation) mid-draw ran its
// handlers, so it was not frozen: it rubs its own mark out. A mark it found
// on loading stays until that session is drawn.
//
//   const guard = createDrawGuard();
//   guard.suspect            // the session the last page died drawing, or null
//   await guard.draw(id, () => show(id));   // router.js: every session shown
const KEY = "microgpt-lab-drawing";
const PAINTED_FRAMES = 2;

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null; // storage blocked: nothing to remember with, nothing to fear
  }
}

const frames = (count) => new Promise((resolve) => {
  const tick = (n) => (n >= count ? resolve() : requestAnimationFrame(() => tick(n + 1)));
  tick(0);
});

export function createDrawGuard(store = storage()) {
  const read = () => {
    try {
      return store?.getItem(KEY) ?? null;
    } catch {
      return null;
    }
  };
  const write = (id) => {
    try {
      if (id === null) store?.removeItem(KEY);
      else store?.setItem(KEY, id);
    } catch {
      // a full or blocked storage only loses the protection
    }
  };
  const suspect = read();
  let latest = 0; // only the newest draw may say drawing is over
  let drawing = false;
  addEventListener("pagehide", () => drawing && write(null));
  return {
    suspect,
    notice: suspect && `Session ${suspect} was being drawn when this page last stopped (it froze or crashed), `
      + "so the lab opened without it: choose it in the sessions list to try again.",
    async draw(id, draw) {
      const mine = ++latest;
      drawing = true;
      write(id);
      try {
        await draw();
        await frames(PAINTED_FRAMES);
      } finally {
        if (mine === latest) {
          drawing = false;
          write(null);
        }
      }
    },
  };
}
