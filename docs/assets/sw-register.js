// Register the service worker that makes the site work offline after the first visit, and tell the
// reader about the copy they read: "updated: reload" once a new version is cached and in charge, and
// how old the copy is while offline. sw.js sits at the site root so that its scope covers every page.
// A classic script, no framework. Both notes are built with textContent only: no markup from anywhere.
(() => {
  if (!("serviceWorker" in navigator) || location.protocol === "file:") return;
  const script = document.currentScript;
  const url = new URL("../sw.js", script ? script.src : location.href);
  navigator.serviceWorker.register(url).catch(() => {
    // No sw.js under `mkdocs serve` (live reload must not be cached): nothing to do.
  });

  // What a worker says of its copy, {version, built}; null if there is no worker or no answer.
  function ask(worker) {
    return new Promise((resolve) => {
      if (!worker) return resolve(null);
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => resolve(event.data);
      worker.postMessage({ type: "refsite-version" }, [channel.port2]);
      setTimeout(() => resolve(null), 5000);
    });
  }

  // The version this page was served from (its controller when it loaded); the build date shown offline.
  const served = ask(navigator.serviceWorker.controller);
  let built = null;
  served.then((copy) => { if (copy) built = copy.built; showOffline(); });

  // A new worker takes over once its cache is complete. Only a new version is news: a worker rebuilt with
  // the same content (another build date) takes over as quietly as the first one does.
  navigator.serviceWorker.addEventListener("controllerchange", async () => {
    const before = await served;
    const now = await ask(navigator.serviceWorker.controller);
    if (!now) return;
    if (!before || before.version === now.version) {
      built = now.built;  // the same pages: their newer build date is as true
      showOffline();
    } else {
      showUpdate();
    }
  });

  // The banner sits on <body>, outside Material's container, so instant navigation leaves it in place.
  // Its live region is there from the start (empty, no size), so screen readers announce the text added to it.
  const notice = document.createElement("div");
  notice.className = "update-notice";
  notice.setAttribute("role", "status");
  document.body.append(notice);

  function button(text, className, action) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.textContent = text;
    element.addEventListener("click", action);
    return element;
  }

  function showUpdate() {
    if (notice.firstChild) return;
    const box = document.createElement("div");
    box.className = "update-notice__box";
    const text = document.createElement("span");
    text.textContent = "This reference was updated: ";
    const dismiss = button("×", "update-notice__dismiss", () => box.remove());
    dismiss.setAttribute("aria-label", "Dismiss");
    box.append(text, button("reload", "update-notice__reload", () => location.reload()), dismiss);
    notice.append(box);
  }

  // Offline, every page says which build the reader has. In the page's article, so it is re-added
  // on each page view (Material's document$ fires on instant navigation too).
  function showOffline() {
    const old = document.querySelector(".offline-note");
    if (navigator.onLine || !built) {
      if (old) old.remove();
      return;
    }
    const article = document.querySelector(".md-content__inner");
    if (old || !article) return;
    const note = document.createElement("p");
    note.className = "offline-note";
    note.textContent = `Offline copy of ${built}`;
    article.prepend(note);
  }
  window.addEventListener("online", showOffline);
  window.addEventListener("offline", showOffline);
  if (window.document$) window.document$.subscribe(showOffline);
})();
