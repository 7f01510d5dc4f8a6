"""Reader-side benchmark: what a phone downloads for a cold load of each kind of page, how fast a
calculator answers, and how fast search answers, in headless Chromium (Debian's /usr/bin/chromium
through Playwright) at 390×844.

It measures the real site built from content/ and, by default, a synthetic 100× site. A page kind
the site does not have (no calculator yet, say) is skipped, and the output says so. Search is
timed against a baseline in the same run: stock Material (benchmarks/stock.py) building the
Markdown our generator writes for the same content, so that both search the same pages and words;
the two sites take turns query by query, and the target is a ratio (≤ 1.5× stock).

    python benchmarks/reader.py                 # the real site and 100×
    python benchmarks/reader.py --scales 1 10   # the real site and synthetic sites at 1× and 10× (the search target)
    python benchmarks/reader.py --site site/    # one site that is already built
"""

from __future__ import annotations

import argparse
import functools
import gzip
import re
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BIN, CHROMIUM, described, local_config, machine, mark, median, run_measured, save, spread  # noqa: E402
from stock import build as build_stock  # noqa: E402
from stock import stock_config  # noqa: E402
from synthetic import ROOT, make_project  # noqa: E402

from generator.postbuild.service_worker import precache_entries  # noqa: E402

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
PAGE_BUDGET_KB = 500
CALCULATOR_BUDGET_MS = 16
SEARCH_OVER_STOCK = 1.5  # last keystroke to painted results, against stock Material on the same Markdown
WIDGET = 'data-refsite-widget="{}"'


def calculator_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix().removesuffix("index.html") for p in site.rglob("index.html")
                  if WIDGET.format("calculator") in p.read_text(encoding="utf-8"))


def page_kinds(site: Path) -> tuple[dict[str, str], list[str]]:
    """One page of each kind (URL path under the site), and the kinds this site lacks."""
    pages = {path.relative_to(site).as_posix(): path for path in sorted(site.rglob("index.html"))}
    html = {url: path.read_text(encoding="utf-8") for url, path in pages.items()}
    # the home, calculator and checklist pages have a summary too, but they are not topic pages
    topics = [u for u, text in html.items() if 'class="topic-summary"' in text and u != "index.html"
              and "data-refsite-widget=" not in text]
    calculators = [u for u, text in html.items() if WIDGET.format("calculator") in text]
    found = {
        "home": "index.html" if "index.html" in html else None,
        "topic": topics[0] if topics else None,
        "topic (largest)": max(topics, key=lambda u: len(html[u])) if topics else None,
        "source": next((u for u in html if u.startswith("sources/") and u.count("/") == 2), None),
        "references": "sources/index.html" if "sources/index.html" in html else None,
        "quick reference": "quick-reference/index.html" if "quick-reference/index.html" in html else None,
        "calculator": calculators[0] if calculators else None,
        "calculator (largest)": max(calculators, key=lambda u: len(html[u])) if calculators else None,
        "checklist": next((u for u, text in html.items() if WIDGET.format("checklist") in text), None),
        "largest page": max(html, key=lambda u: len(html[u])) if html else None,
    }
    kinds = {kind: url.removesuffix("index.html") for kind, url in found.items() if url is not None}
    return kinds, [kind for kind, url in found.items() if url is None]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def cold_load(browser, url: str) -> dict:
    """Everything fetched for one page in a fresh profile until the network is idle (the service
    worker is blocked here: what it precaches afterwards is counted separately)."""
    context = browser.new_context(**PHONE, service_workers="block")
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    raw = packed = 0
    for response in responses:
        try:
            body = response.body()
        except Exception:  # a redirect or an aborted request has no body
            continue
        raw += len(body)
        packed += len(gzip.compress(body, 6))
    context.close()
    return {"requests": len(responses), "raw_kb": raw / 1024, "gzip_kb": packed / 1024,
            "urls": sorted({r.url.removeprefix(url) for r in responses})}


CALCULATOR_TIMING = """async (values) => {
  const form = document.querySelector('[data-refsite-widget="calculator"]');
  const field = [...form.querySelectorAll("input")].find((i) => ["text", "number", ""].includes(i.type) && i.offsetParent);
  const result = form.querySelector("[aria-live]") || document.querySelector("[aria-live]");
  const times = [];
  for (const value of values) {
    const announced = new Promise((resolve) => {
      const done = () => resolve(performance.now());
      form.addEventListener("refsite:calculated", done, { once: true });
      if (result) new MutationObserver((_, observer) => { observer.disconnect(); done(); })
        .observe(result, { childList: true, subtree: true, characterData: true });
      setTimeout(() => resolve(null), 2000);
    });
    field.value = value;
    const start = performance.now();
    field.dispatchEvent(new Event("input", { bubbles: true }));
    const shown = await announced;
    const painted = await new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()))));
    times.push({ result: shown === null ? null : shown - start, frame: painted - start });
  }
  return { field: field.labels[0] ? field.labels[0].innerText : field.name, times };
}"""


def calculator_timing(browser, url: str) -> dict:
    """From an input event on the calculator's first number field to its result, and to the next frame."""
    context = browser.new_context(**PHONE, service_workers="block")
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    values = [str(v) for v in (3, 12, 25, 48, 72, 99, 130, 250, 7.5, 60)] * 3
    timing = page.evaluate(CALCULATOR_TIMING, values)
    context.close()
    updates = [t["result"] for t in timing["times"] if t["result"] is not None]
    return {"field": timing["field"], "result_ms": updates, "frame_ms": [t["frame"] for t in timing["times"]]}


SEARCH_TIMING = """() => {
  const list = document.querySelector(".md-search-result");  // the list and its "N matching documents" line
  window.__search = { key: null, shown: null };
  // capture: the key's time is taken before Material's own keyup handler starts the search
  document.addEventListener("keyup", (event) => {
    if (event.target.matches("input.md-search__input")) window.__search = { key: performance.now(), shown: null, painted: false };
  }, true);
  // results are painted in the frame after the list changes: taken after that frame
  new MutationObserver(() => {
    const search = window.__search;
    if (search.key === null || search.painted) return;
    search.painted = true;
    requestAnimationFrame(() => setTimeout(() => { search.shown = performance.now(); }));
  }).observe(list, { childList: true, subtree: true, characterData: true });
}"""


SEARCH_SHOWN = """() => new Promise((resolve, reject) => {
  const started = performance.now();
  const check = () => {
    if (window.__search.shown) resolve(window.__search.shown - window.__search.key);
    else if (performance.now() - started > 60000) reject(new Error("no search results within 60 s"));
    else setTimeout(check, 5);
  };
  check();
})"""


def open_search(browser, url: str, warm_up: str):
    """A page with the search box open, its index loaded and the search warmed up once."""
    context = browser.new_context(**PHONE, service_workers="block")
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    page.click("label.md-header__button[for=__search]")
    page.evaluate(SEARCH_TIMING)
    page.locator("input.md-search__input").press_sequentially(warm_up, delay=30)
    page.evaluate(SEARCH_SHOWN)  # the index is in and searched once: what follows is warm
    return page


def time_query(page, query: str) -> tuple[float, int]:
    """From the last keystroke of a query to its results painted, and how many results were shown."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press_sequentially(query[:-1], delay=30)
    page.wait_for_timeout(300)  # earlier keystrokes' results settle first
    box.press(query[-1])
    # polled inside the page: wait_for_function would need eval, which the site's policy forbids
    ms = page.evaluate(SEARCH_SHOWN)
    return ms, page.locator(".md-search-result__item").count()


def search_timing(browser, urls: dict[str, str], queries: list[str], repeats: int = 5) -> dict:
    """Each query on each site (ours and stock Material over the same Markdown), taking turns query
    by query so that both meet the machine in the same state."""
    pages = {name: open_search(browser, url, queries[0]) for name, url in urls.items()}
    times = {name: {q: [] for q in queries} for name in urls}
    counts = {name: {} for name in urls}
    for _ in range(repeats):
        for query in queries:
            for name, page in pages.items():
                ms, n = time_query(page, query)
                times[name][query].append(ms)
                counts[name][query] = n
    for page in pages.values():
        page.context.close()
    return {"queries": queries, "ms": times, "results": counts}


def search_ratio(search: dict, ours: str = "ours", stock: str = "stock") -> tuple[float | None, list[str]]:
    """Our median over the queries both sites find something for, divided by stock's (same run);
    and the queries left out because one of the sites found nothing (an empty list paints less)."""
    both = [q for q in search["queries"] if search["results"][ours][q] and search["results"][stock][q]]
    if not both:
        return None, search["queries"]
    mine = median([ms for q in both for ms in search["ms"][ours][q]])
    theirs = median([ms for q in both for ms in search["ms"][stock][q]])
    return mine / theirs, [q for q in search["queries"] if q not in both]


def search_queries(site: Path, topic_url: str | None) -> list[str]:
    """Words a reader would type: the longest words of a topic's title, and a white count."""
    html = (site / (topic_url or "") / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    words = sorted(set(re.findall(r"[A-Za-z]{5,}", re.sub(r"<[^>]+>", " ", title.group(1)) if title else "")),
                   key=len, reverse=True)
    return [w.lower() for w in words[:2]] + ["100000"]


def measure_site(site: Path, label: str, stock: Path, repeats: int = 5) -> dict:
    """Cold loads, calculators and search on our site; search also on `stock`, stock Material over
    the same Markdown (stock_site), in the same run."""
    from playwright.sync_api import sync_playwright

    kinds, missing = page_kinds(site)
    queries = search_queries(site, kinds.get("topic"))
    (server, base), (stock_server, stock_base) = serve(site), serve(stock)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
            loads = {kind: cold_load(browser, base + url) | {"url": url} for kind, url in kinds.items()}
            calculators = [calculator_timing(browser, base + url) | {"url": url} for url in calculator_pages(site)[:3]]
            search = search_timing(browser, {"ours": base, "stock": stock_base}, queries, repeats)
            browser.close()
    finally:
        server.shutdown()
        stock_server.shutdown()
    # pages are precached by folder URL: their file is the folder's index.html
    files = [site / e / "index.html" if (site / e).is_dir() else site / e for e in precache_entries(site)]
    files = [f for f in files if f.is_file()]
    return {"label": label, "loads": loads, "skipped": missing, "calculators": calculators, "search": search,
            "precache": {"files": len(files), "kb": sum(f.stat().st_size for f in files) / 1024}}


def stock_site(project: Path, work: Path) -> Path:
    """Stock Material (benchmarks/stock.py: our theme settings, none of our overrides, CSS, JS or
    plugin) building the Markdown our generator writes for `project`: the same pages and words."""
    folder = work / "stock"
    config = local_config(project / "mkdocs.yml")
    made = run_measured([str(BIN / "refsite"), "--content", str(project / "content"), "build", "--markdown-out",
                         str(folder / "markdown"), "--docs", str(project / "docs"), "--site-name", config["site_name"],
                         "--site-url", config.get("site_url", "")], project)
    if made.returncode != 0:
        raise SystemExit(f"refsite build failed in {project}:\n{made.output[-3000:]}")
    settings = stock_config(config.get("nav"), "markdown", project / "mkdocs.yml")
    # The About page links the offline zip, which our post-build step writes and stock Material never will.
    settings["validation"] = {"links": {"not_found": "info"}}
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return build_stock(folder)


def report(result: dict) -> list[str]:
    lines = ["", f"{result['label']}: cold load of each kind of page (fresh profile, phone, service worker blocked)",
             f"  {'page':18} {'requests':>8} {'KB as served':>13} {'KB gzipped':>11}  within {PAGE_BUDGET_KB} KB?  url"]
    for kind, load in result["loads"].items():
        within = mark(load["raw_kb"] <= PAGE_BUDGET_KB) + " / " + mark(load["gzip_kb"] <= PAGE_BUDGET_KB)
        lines.append(f"  {kind:18} {load['requests']:8} {load['raw_kb']:13.0f} {load['gzip_kb']:11.0f}  "
                     f"{within:>15}  /{load['url']}")
    lines += [f"  skipped: no {kind} page" for kind in result["skipped"]]
    largest = max(result["loads"].values(), key=lambda load: load["raw_kb"])
    lines.append(f"  target: no page over {PAGE_BUDGET_KB} KB cold — largest measured {largest['raw_kb']:.0f} KB as served "
                 f"({mark(largest['raw_kb'] <= PAGE_BUDGET_KB)}), {largest['gzip_kb']:.0f} KB gzipped "
                 f"({mark(largest['gzip_kb'] <= PAGE_BUDGET_KB)})")
    lines.append(f"  then the service worker precaches {result['precache']['files']} files, "
                 f"{result['precache']['kb'] / 1024:.1f} MB as served, for offline use")
    if not result["calculators"]:
        lines.append("  calculator: skipped: no calculator page")
    for calc in result["calculators"]:
        if not calc["result_ms"]:
            lines.append(f"  calculator /{calc['url']}: no result was announced after input events (nothing to time)")
            continue
        lines.append(f"  calculator /{calc['url']} ('{calc['field']}', {len(calc['result_ms'])} inputs): input event → "
                     f"result {spread(calc['result_ms'])} ms, → next frame {spread(calc['frame_ms'])} ms; "
                     f"target < {CALCULATOR_BUDGET_MS} ms: {mark(median(calc['result_ms']) < CALCULATOR_BUDGET_MS)}"
                     f" (slowest {max(calc['result_ms']):.1f} ms)")
    search = result["search"]
    lines.append(f"  search, warm: last keystroke → results painted, ms, median (min–max) of {len(search['ms']['ours'][search['queries'][0]])}"
                 " per query, ours and stock Material over the same Markdown taking turns:")
    for query in search["queries"]:
        lines.append(f"    {query!r:18} ours {spread(search['ms']['ours'][query]):>22} ({search['results']['ours'][query]} results)"
                     f"   stock {spread(search['ms']['stock'][query]):>22} ({search['results']['stock'][query]} results)")
    ratio, left_out = search_ratio(search)
    if ratio is None:
        lines.append("  search / stock: no query found results on both sites; nothing to compare")
    else:
        lines.append(f"  search / stock Material (same run) ≤ {SEARCH_OVER_STOCK}: {ratio:.2f} — {mark(ratio <= SEARCH_OVER_STOCK)}"
                     + (f" (left out, found on one site only: {', '.join(left_out)})" if left_out else ""))
    return lines


def build_site(project: Path) -> Path:
    m = run_measured([str(BIN / "python"), "-m", "mkdocs", "build", "--strict", "-d", "site"], project)
    if m.returncode != 0:
        raise SystemExit(f"mkdocs build failed in {project}:\n{m.output[-3000:]}")
    return project / "site"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=int, nargs="*", default=[100], help="synthetic sizes besides the real site (default 100)")
    parser.add_argument("--no-real", action="store_true", help="leave out the site built from the real content/")
    parser.add_argument("--site", type=Path, help="measure this already built site only")
    parser.add_argument("--work", type=Path, help="folder for the builds (default: a temporary one, removed after)")
    parser.add_argument("--save", metavar="NAME", help="also write the figures to benchmarks/results/NAME.json")
    parser.add_argument("--repeats", type=int, default=5, help="times each search query is timed on each site (default 5)")
    args = parser.parse_args(argv)
    info = machine()
    print(described(info))
    results = []
    with tempfile.TemporaryDirectory(prefix="refsite-reader-") as tmp:
        work = args.work or Path(tmp)
        real_stock = None if args.no_real and not args.site else stock_site(ROOT, work / "real")
        if args.site:  # a build of this repository's content/: its stock twin is built from content/ too
            results.append(measure_site(args.site, str(args.site), real_stock, args.repeats))
        else:
            if not args.no_real:
                site = run_measured([str(BIN / "python"), "-m", "mkdocs", "build", "--strict", "-d", str(work / "real-site")], ROOT)
                if site.returncode != 0:
                    raise SystemExit(f"mkdocs build of the real site failed:\n{site.output[-3000:]}")
                results.append(measure_site(work / "real-site", "real content", real_stock, args.repeats))
            for scale in args.scales:
                project = work / f"reader-{scale}x"
                make_project(scale, project)
                results.append(measure_site(build_site(project), f"synthetic {scale}×", stock_site(project, project),
                                            args.repeats))
    for result in results:
        print("\n".join(report(result)))
    if args.save:
        save(args.save, {"machine": info, "sites": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
