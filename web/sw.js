// One service worker, two jobs:
//  1. offline: precache every file of the build manifest on install (one cache
//     per build version; older caches are deleted on activate) and serve
//     same-origin requests cache-first;
//  2. cross-origin isolation: re-wrap every same-origin response with
//     COOP/COEP headers, so a page it controls is crossOriginIsolated and the
//     engine worker can use a SharedArrayBuffer interrupt;
//  3. lock-down by header, which a <meta> policy cannot do: the engine
//     worker's script gets a Content-Security-Policy of its own (no eval or
//     Function, no connections outside the site: code typed in the console
//     reaches JavaScript through Pyodide's `js`), and every page
//     `frame-ancestors 'self'` (no other site may frame the lab).
//
// Updates never interrupt a running page: a new version installs and waits
// (no skipWaiting on install) while any page of the old version is open. The
// next page to load asks the waiting version to take over ("activate-if-alone",
// below); it does so only when that page is the only window, which then
// reloads once, before anything runs, into the new version. Only the very
// first install claims the open page: nothing was controlled before, the
// caches hold exactly the files that page is loading, so serving it from them
// changes nothing but offline readiness.
//
// build.py replaces the quoted placeholder below with the manifest JSON
// {version, engine_wheel, snapshot, files}. Unbuilt (web/ served as is),
// it stays a string and the worker only adds headers.

const MANIFEST = "__BUILD_MANIFEST__";
const BUILT = typeof MANIFEST === "object";
const PREFIX = "microgpt-lab-";
const CACHE = `${PREFIX}${BUILT ? MANIFEST.version : "dev"}`;
const SCOPE = new URL(self.registration.scope);

// Paths relative to the scope; the scope itself stands for index.html.
const precacheList = () => {
  const files = new Set(["./", "index.html", "manifest.json", ...MANIFEST.files]);
  files.delete("sw.js");
  return [...files].map((file) => new URL(file, SCOPE).href);
};

self.addEventListener("install", (event) => {
  if (!BUILT) return;
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // cache: "reload" bypasses the HTTP cache so a build never mixes versions.
    await cache.addAll(precacheList().map((url) => new Request(url, { cache: "reload" })));
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    const first = !names.some((name) => name.startsWith(PREFIX) && name !== CACHE);
    await Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE)
      .map((name) => caches.delete(name)));
    if (first && BUILT) await self.clients.claim();
  })());
});

// A page that starts while a new version waits asks it to take over, which
// it does only when that page is the origin's only window: nothing else runs,
// so nothing is interrupted, and the page reloads into the new version.
self.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "activate-if-alone") return;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    const alone = windows.length <= 1;
    // Answer first: the page then knows whether to wait for the take-over.
    event.source?.postMessage({ type: event.data.type, alone });
    if (alone) await self.skipWaiting();
  })());
});

// Pyodide compiles WebAssembly ('wasm-unsafe-eval') and nothing else.
const WORKER_POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; "
  + "object-src 'none'; base-uri 'none'";
const PAGE_POLICY = "frame-ancestors 'self'";

function isolate(response, destination) {
  if (!response || response.type === "opaque" || response.type === "opaqueredirect" || response.status === 0) {
    return response;
  }
  const headers = new Headers(response.headers);
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Cross-Origin-Embedder-Policy", "require-corp");
  headers.set("Cross-Origin-Resource-Policy", "same-origin");
  if (destination === "worker") headers.set("Content-Security-Policy", WORKER_POLICY);
  if (destination === "document") headers.set("Content-Security-Policy", PAGE_POLICY);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function respond(request) {
  const url = new URL(request.url);
  if (BUILT) {
    const cache = await caches.open(CACHE);
    let key = request;
    if (request.mode === "navigate" && url.pathname.endsWith("/")) key = new URL("index.html", url).href;
    const cached = await cache.match(key, { ignoreSearch: request.mode === "navigate" });
    if (cached) return isolate(cached, request.destination);
  }
  return isolate(await fetch(request), request.destination);
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (!url.href.startsWith(SCOPE.href)) return;
  event.respondWith(respond(event.request));
});
