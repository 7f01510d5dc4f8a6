// search-on-demand.js: runs just before Material's bundle (docs/overrides/main.html).
// Material requests the whole search index as every page loads, although most page views never
// search: here that is 60 KB compressed, half of a cold page load, and 350 KB of JSON parsed on
// the main thread and copied to the search worker while the page is still starting. This holds
// that one request until the reader reaches for search (a touch on the search button, the search
// box focused, or a search result's page opened with its words to highlight), and sends it then.
// Measured with scripts/lighthouse.py (benchmarks/RESULTS.md). Offline use is unchanged: the
// service worker precaches the index, and from file:// Material loads it its own way, on opening
// search. Without JavaScript there is no search either way.
(() => {
  "use strict";
  const INDEX = /\/search\/search_index\.json(?:[?#]|$)/;
  const { open, send } = XMLHttpRequest.prototype;
  const held = [];
  let wanted = new URLSearchParams(window.location.search).has("h");

  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.refsiteSearchIndex = INDEX.test(String(url));
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...args) {
    if (this.refsiteSearchIndex && !wanted) held.push(() => send.apply(this, args));
    else send.apply(this, args);
  };

  function want() {
    wanted = true;
    for (const go of held.splice(0)) go();
  }

  const searchButton = (target) => target instanceof Element && target.closest("label[for='__search']");
  document.addEventListener("pointerdown", (event) => { if (searchButton(event.target)) want(); }, true);
  document.addEventListener("change", (event) => { if (event.target.id === "__search") want(); }, true);
  document.addEventListener("focusin", (event) => {
    if (event.target instanceof Element && event.target.matches("[data-md-component='search-query']")) want();
  }, true);
})();
