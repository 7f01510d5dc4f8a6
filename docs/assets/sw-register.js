// Register the service worker that makes the site work offline after the first visit.
// sw.js sits at the site root so that its scope covers every page.
(() => {
  if (!("serviceWorker" in navigator) || location.protocol === "file:") return;
  const script = document.currentScript;
  const url = new URL("../sw.js", script ? script.src : location.href);
  navigator.serviceWorker.register(url).catch(() => {
    // No sw.js under `mkdocs serve` (live reload must not be cached): nothing to do.
  });
})();
