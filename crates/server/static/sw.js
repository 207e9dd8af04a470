// baove's service worker: keeps the guard's page and its assets for offline use, and when an
// NFC tag or QR label is opened without network, answers with a page that queues the scan.
const CACHE = "baove-v1";
const SHELL = ["/patrol", "/static/app.css", "/static/patrol.js", "/static/tap.html", "/static/manifest.json"];

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
          if (url.pathname === "/patrol" && resp.ok) caches.open(CACHE).then((c) => c.put("/patrol", resp.clone()));
          return resp;
        })
        .catch(() => {
          const tap = url.pathname === "/n" || url.pathname.startsWith("/q/");
          return caches.match(tap ? "/static/tap.html" : "/patrol");
        }),
    );
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    e.respondWith(caches.match(e.request).then((hit) => hit || fetch(e.request)));
  }
});
