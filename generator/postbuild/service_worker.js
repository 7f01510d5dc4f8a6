// Service worker for offline use, written into site/sw.js at build time.
// Precaches the whole built site under one versioned cache: a new build has a
// new VERSION, installs a new cache, and only then drops the old one, so
// readers never get a mix of old and new pages.
// Pages and what renders them are cached before the worker takes over (a short
// first visit on hospital Wi-Fi is enough); the rest (search index, icons)
// follows right after.
const VERSION = "__VERSION__";
const PAGES_FIRST = __PAGES_FIRST__;
const THEN_THE_REST = __THEN_THE_REST__;
const CACHE = "refsite-" + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PAGES_FIRST)).then(() => self.skipWaiting()));
});

async function cacheTheRest() {
  const cache = await caches.open(CACHE);
  await Promise.all(THEN_THE_REST.map((url) => cache.add(url).catch(() => {
    // Offline already: this file is cached on its first successful fetch instead.
  })));
}

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("refsite-") && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
  cacheTheRest();  // not awaited by activation: pages are served meanwhile
});

async function fromCache(request) {
  const cache = await caches.open(CACHE);
  const url = new URL(request.url);
  const asFolder = url.pathname.endsWith("/index.html") ? new URL("./", url).href : null;
  const hit = (await cache.match(request, { ignoreSearch: true })) || (asFolder && (await cache.match(asFolder)));
  if (hit) return hit;
  try {
    const response = await fetch(request);
    const path = new URL(request.url).pathname;
    if (response.ok && THEN_THE_REST.some((url) => path.endsWith("/" + url))) cache.put(request, response.clone());
    return response;
  } catch (error) {
    if (request.mode === "navigate") {
      const missing = await cache.match(new URL("404.html", self.registration.scope).href);
      if (missing) return missing;
    }
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(fromCache(request));
});
