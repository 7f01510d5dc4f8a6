// Service worker for offline use, written into site/sw.js at build time.
// Precaches the whole built site under one versioned cache: a new build has a
// new VERSION, fills a new cache completely, and only then takes over and drops
// the old one, so readers never get a mix of old and new pages.
// Each file has its own REVISION (a hash of its bytes): an update copies the files
// whose revision is unchanged from the previous cache, and fetches only the others.
// On a first visit, pages and what renders them are cached before the worker takes
// over (a short first visit on hospital Wi-Fi is enough); the rest (search index,
// icons) follows right after.
const VERSION = "__VERSION__";
// The day of the build, shown to offline readers. Outside VERSION: a rebuild of the same
// content on another day changes only this line, and its worker fetches nothing.
const BUILT = "__BUILT__";
const PAGES_FIRST = __PAGES_FIRST__;
const THEN_THE_REST = __THEN_THE_REST__;
const CACHE = "refsite-" + VERSION;
const REVISION = new Map([...PAGES_FIRST, ...THEN_THE_REST].map(([url, revision]) => [new URL(url, self.location).href, revision]));

// Cached under its address plus its revision, so a copy in any cache says which bytes it is.
// Lookups for readers ignore the query (fromCache), so the key's query never gets in the way.
function keyOf(url, revision) {
  const key = new URL(url, self.location);
  key.searchParams.set("refsite-revision", revision);
  return key.href;
}

async function previousCaches() {
  return (await caches.keys()).filter((name) => name.startsWith("refsite-") && name !== CACHE);
}

// One file into this version's cache: already there (the same version, rebuilt), copied from a
// previous version's cache (unchanged revision), or fetched.
async function keep(cache, [url, revision], previous) {
  const key = keyOf(url, revision);
  if (await cache.match(key)) return;
  for (const name of previous) {
    const copy = await (await caches.open(name)).match(key);
    if (copy) return cache.put(key, copy);
  }
  // "reload": past the browser's HTTP cache, which the host lets keep the previous build's
  // file for a while (GitHub Pages: max-age=600) and would hand to us as if it were new.
  const response = await fetch(new Request(url, { cache: "reload" }));
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  await cache.put(key, response);
}

// Every entry, or none: install fails (and the old worker stays) if one cannot be had.
async function fill(entries, previous) {
  const cache = await caches.open(CACHE);
  await Promise.all(entries.map((entry) => keep(cache, entry, previous)));
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const previous = await previousCaches();
    // An update fills the whole new cache before it is used (meanwhile the reader keeps a
    // complete old copy); a first visit needs only the pages to start working offline.
    await fill(previous.length ? [...PAGES_FIRST, ...THEN_THE_REST] : PAGES_FIRST, previous);
    await self.skipWaiting();
  })());
});

async function cacheTheRest() {
  const cache = await caches.open(CACHE);
  await Promise.all(THEN_THE_REST.map((entry) => keep(cache, entry, []).catch(() => {
    // Offline already: this file is cached on its first successful fetch instead.
  })));
}

self.addEventListener("activate", (event) => {
  event.waitUntil(
    previousCaches()
      .then((names) => Promise.all(names.map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
  cacheTheRest();  // not awaited by activation: pages are served meanwhile (after an update, all is there)
});

// A page asks which version it is served from and how old that is (sw-register.js): the update
// banner compares versions, the offline note shows BUILT. Answered on the port the page sent.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "refsite-version" && event.ports[0]) {
    event.ports[0].postMessage({ version: VERSION, built: BUILT });
  }
});

async function fromCache(request) {
  const cache = await caches.open(CACHE);
  const url = new URL(request.url);
  const asFolder = url.pathname.endsWith("/index.html") ? new URL("./", url).href : null;
  const hit = (await cache.match(request, { ignoreSearch: true })) || (asFolder && (await cache.match(asFolder, { ignoreSearch: true })));
  if (hit) return hit;
  const revision = REVISION.get(url.origin + url.pathname);
  try {
    if (revision === undefined) return await fetch(request);
    // A precached file not cached yet (a first visit cut short): fetched as install does, and kept.
    const response = await fetch(new Request(url.origin + url.pathname, { cache: "reload" }));
    if (response.ok) cache.put(keyOf(url.origin + url.pathname, revision), response.clone());
    return response;
  } catch (error) {
    if (request.mode === "navigate") {
      const missing = await cache.match(new URL("404.html", self.registration.scope).href, { ignoreSearch: true });
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
