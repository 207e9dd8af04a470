// baove's service worker: keeps the guard's page and its assets for offline use, and when an
// NFC tag or QR label is opened without network, answers with a page that queues the scan;
// the incident report form is kept the same way.
const CACHE = "baove-v2";
const SHELL = ["/patrol", "/static/app.css", "/static/patrol.js", "/static/incidents.js", "/static/tap.html", "/static/manifest.json"];

self.addEventListener("install", (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (e) => e.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== "GET" || url.origin !== location.origin) return;
  if (e.request.mode === "navigate") {
    e.respondWith(
      fetch(e.request)
        .then((resp) => {
          // The guard's page and the report form keep working offline (their queues send later).
          const kept = url.pathname === "/patrol" || url.pathname === "/incidents/new";
          if (kept && resp.ok) caches.open(CACHE).then((c) => c.put(url.pathname, resp.clone()));
          return resp;
        })
        .catch(() => {
          const tap = url.pathname === "/n" || url.pathname.startsWith("/q/");
          if (url.pathname === "/incidents/new") return caches.match("/incidents/new");
          return caches.match(tap ? "/static/tap.html" : "/patrol");
        }),
    );
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    e.respondWith(caches.match(e.request).then((hit) => hit || fetch(e.request)));
  }
});
