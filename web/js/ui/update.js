// Service-worker updates (sw.js): register it, and let a waiting new
// version take over a page that has not started anything yet.

import { SW_ACTIVATE_IF_ALONE } from "../engine/protocol.js";

const ADOPT_ATTEMPTS = 6; // "not alone" answers before carrying on with this version
const ADOPT_RETRY_MS = 250; // between two asks
const TAKEOVER_MS = 3000; // how long an agreed take-over may take before it is asked for again
const ADOPT_LIMIT_MS = 30_000; // the longest this page waits before carrying on with this version

export function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("sw.js").catch((error) => console.warn("service worker:", error.message));
}

// A new version that waits takes over when this page, just opened and not
// running anything yet, is the only one (see sw.js); returns true when the
// page is about to reload into it. Right after a reload the previous document
// of this tab may still count as a window for a moment, so a "not alone" is
// asked again a few times before this page carries on with the old version.
// A take-over can also stall: Chromium has been seen to stop the old version
// for it, then start the old one again and leave the new one waiting for
// about 20 s; a take-over that does not happen within TAKEOVER_MS is asked
// for again (each ask calls skipWaiting again), for up to ADOPT_LIMIT_MS.
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms, false));

export async function adoptWaitingVersion() {
  if (!("serviceWorker" in navigator) || !navigator.serviceWorker.controller) return false;
  const registration = await navigator.serviceWorker.getRegistration();
  if (!registration || !registration.waiting) return false;
  const container = navigator.serviceWorker;
  const changed = new Promise((resolve) => container.addEventListener("controllerchange", resolve, { once: true }));
  container.startMessages();
  const askAlone = (waiting) => new Promise((resolve) => {
    const onMessage = ({ data }) => {
      if (!data || data.type !== SW_ACTIVATE_IF_ALONE) return;
      container.removeEventListener("message", onMessage);
      resolve(data.alone);
    };
    container.addEventListener("message", onMessage);
    setTimeout(resolve, 2000, false); // no answer: carry on with this version
    waiting.postMessage({ type: SW_ACTIVATE_IF_ALONE });
  });
  const start = performance.now();
  let notAlone = 0;
  while (registration.waiting && notAlone < ADOPT_ATTEMPTS && performance.now() - start < ADOPT_LIMIT_MS) {
    if (!(await askAlone(registration.waiting))) notAlone += 1;
    else if (await Promise.race([changed.then(() => true), wait(TAKEOVER_MS)])) {
      location.reload();
      return true;
    }
    await wait(ADOPT_RETRY_MS);
  }
  return false;
}
