// Service-worker updates (sw.js): register it, and let a waiting new
// version take over a page that has not started anything yet.

import { SW_ACTIVATE_IF_ALONE } from "../engine/protocol.js";

const ADOPT_ATTEMPTS = 6; // asking a waiting new version to take over, 250 ms apart
const ADOPT_RETRY_MS = 250;

export function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("sw.js").catch((error) => console.warn("service worker:", error.message));
}

// A new version that waits takes over when this page, just opened and not
// running anything yet, is the only one (see sw.js); returns true when the
// page is about to reload into it. Right after a reload the previous document
// of this tab may still count as a window for a moment, so a "not alone" is
// asked again a few times before this page carries on with the old version.
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
  for (let attempt = 0; attempt < ADOPT_ATTEMPTS; attempt += 1) {
    if (!registration.waiting) return false;
    if (await askAlone(registration.waiting)) {
      await changed;
      location.reload();
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, ADOPT_RETRY_MS));
  }
  return false;
}
