"""Lighthouse (mobile) on each kind of page of ours and on a stock Material site, in the same run.

    .venv/bin/python scripts/lighthouse.py                 # every page kind, median of 3 runs
    .venv/bin/python scripts/lighthouse.py --runs 1 --pages home topic
    .venv/bin/python scripts/lighthouse.py --details       # also where main-thread time goes
    .venv/bin/python scripts/lighthouse.py --site /tmp/before --site site   # two builds, same run

A score measured on one machine says little about another (Lighthouse's `benchmarkIndex` is
printed for that reason), so the targets are stated against a baseline measured in the same run:
a stock Material for MkDocs site with our theme settings (font: false, our palette and features,
no CSS, JavaScript or overrides of ours; benchmarks/stock.py), about 20 pages of placeholder
text, built into a temporary folder with the pinned MkDocs and Material. Both sites are served
gzip-compressed by the same server (as GitHub Pages serves them), and the runs alternate between
them, round by round, so that a busy machine weighs on both alike. Our home page is compared with
the stock home page, every other page with the stock long table page; per page, the median of
--runs runs:

    total blocking time  ≤ stock + 100 ms
    performance score    ≥ stock − 2
    bytes on a cold load ≤ 1.5 × stock
    accessibility 100, best practices 100, SEO ≥ 95 (these do not depend on the machine)

It exits 1 when a target is missed, so it can serve as a check; it is a benchmark, not a test.
Lighthouse is the npm package pinned in scripts/lighthouse/package-lock.json (installed with
`npm ci` on first use), driving Debian's /usr/bin/chromium (CHROME_PATH); no browser is downloaded.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = ROOT / "scripts" / "lighthouse"
LIGHTHOUSE = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking " \
               "--disable-component-update --disable-sync"

# One page of each kind: (kind, our page, the stock page it is compared with).
PAGES = [
    ("home", "/", "/"),
    ("topic", "/hyperleukocytosis-and-leukostasis/", "/reference-table/"),
    ("calculator", "/white-cell-count-calculator/", "/reference-table/"),
    ("checklist", "/extreme-leukocytosis-checklist/", "/reference-table/"),
    ("source", "/sources/bone-tumour-cohort/", "/reference-table/"),
    ("quick-reference", "/quick-reference/", "/reference-table/"),
]
TBT_OVER_STOCK_MS = 100
PERFORMANCE_UNDER_STOCK = 2
BYTES_OVER_STOCK = 1.5
ABSOLUTE = {"accessibility": 100, "best-practices": 100, "seo": 95}
METRICS = {"total-blocking-time": "tbt", "total-byte-weight": "bytes", "first-contentful-paint": "fcp",
           "largest-contentful-paint": "lcp", "cumulative-layout-shift": "cls"}


# ---------------------------------------------------------------- reading a Lighthouse report

@dataclass
class Run:
    scores: dict[str, int]  # category: 0–100
    metrics: dict[str, float]  # tbt, bytes, fcp, lcp, cls
    benchmark_index: float
    mainthread: dict[str, float]  # main-thread ms by kind of work (Script Evaluation, Style & Layout…)
    bootup: dict[str, float]  # main-thread ms by script (its evaluation, parse and compile)
    failed: list[str]  # audits that did not pass, for the report


def read_report(data: dict) -> Run:
    """The figures this script uses from one Lighthouse JSON report."""
    audits = data["audits"]
    details = lambda audit: audits.get(audit, {}).get("details", {}).get("items", [])  # noqa: E731
    return Run(
        scores={k: round(v["score"] * 100) for k, v in data["categories"].items()},
        metrics={name: audits[key]["numericValue"] for key, name in METRICS.items()},
        benchmark_index=data["environment"]["benchmarkIndex"],
        mainthread={i["groupLabel"]: i["duration"] for i in details("mainthread-work-breakdown")},
        bootup={i["url"]: i["total"] for i in details("bootup-time")},
        failed=sorted(k for k, a in audits.items() if a.get("score") is not None and a["score"] < 0.9
                      and a.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")),
    )


def median_run(runs: list[Run]) -> Run:
    """Each figure's median over the runs (a page's figures need not all come from one run)."""
    def med(get, keys):
        return {k: statistics.median(get(r).get(k, 0) for r in runs) for k in keys}
    keys = lambda get: sorted({k for r in runs for k in get(r)})  # noqa: E731
    return Run(scores=med(lambda r: r.scores, keys(lambda r: r.scores)),
               metrics=med(lambda r: r.metrics, keys(lambda r: r.metrics)),
               benchmark_index=statistics.median(r.benchmark_index for r in runs),
               mainthread=med(lambda r: r.mainthread, keys(lambda r: r.mainthread)),
               bootup=med(lambda r: r.bootup, keys(lambda r: r.bootup)),
               failed=sorted({a for r in runs for a in r.failed}))


# ---------------------------------------------------------------- targets against stock

@dataclass
class Comparison:
    tbt_over: float  # ms, ours − stock
    performance_under: float  # points, stock − ours
    bytes_ratio: float  # ours / stock
    missed: list[str]


def compare(ours: Run, stock: Run) -> Comparison:
    tbt_over = ours.metrics["tbt"] - stock.metrics["tbt"]
    performance_under = stock.scores["performance"] - ours.scores["performance"]
    bytes_ratio = ours.metrics["bytes"] / stock.metrics["bytes"]
    missed = []
    if tbt_over > TBT_OVER_STOCK_MS:
        missed.append(f"total blocking time {tbt_over:+.0f} ms over stock (target ≤ +{TBT_OVER_STOCK_MS} ms)")
    if performance_under > PERFORMANCE_UNDER_STOCK:
        missed.append(f"performance {performance_under:.0f} points under stock (target ≤ {PERFORMANCE_UNDER_STOCK})")
    if bytes_ratio > BYTES_OVER_STOCK:
        missed.append(f"bytes {bytes_ratio:.2f}× stock (target ≤ {BYTES_OVER_STOCK}×)")
    for category, goal in ABSOLUTE.items():
        if ours.scores.get(category, goal) < goal:
            missed.append(f"{category} {ours.scores[category]:.0f} < {goal}")
    return Comparison(tbt_over, performance_under, bytes_ratio, missed)


# ---------------------------------------------------------------- serving and running

class GzipHandler(SimpleHTTPRequestHandler):
    """Text files gzip-compressed (level 6, as GitHub Pages sends them); everything else as it is."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix in {".html", ".css", ".js", ".json", ".svg", ".xml", ".webmanifest"} and path.is_file():
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def ensure_lighthouse() -> None:
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE_DIR, check=True)


def lighthouse(url: str, keep: Path | None = None) -> Run:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run([str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}", "--quiet",
                        f"--chrome-flags={CHROME_FLAGS}", "--form-factor=mobile",
                        "--only-categories=performance,accessibility,best-practices,seo"],
                       env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True, capture_output=True, timeout=300)
        data = json.loads(report.read_text())
        if keep:
            keep.write_text(report.read_text())
    return read_report(data)


def stock_site(work: Path) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from stock import build, placeholder_site

    return build(placeholder_site(work / "stock"))


# ---------------------------------------------------------------- the report

def row(label: str, run: Run) -> str:
    return (f"  {label:22} {run.scores['performance']:>5.0f} {run.metrics['tbt']:>7.0f} {run.metrics['bytes'] / 1024:>7.1f} "
            f"{run.metrics['fcp']:>7.0f} {run.metrics['lcp']:>7.0f}")


def details(label: str, run: Run, top: int = 6) -> list[str]:
    work = sorted(run.mainthread.items(), key=lambda kv: -kv[1])
    scripts = sorted(run.bootup.items(), key=lambda kv: -kv[1])[:top]
    return ([f"    {label}: main thread {sum(run.mainthread.values()):.0f} ms = "
             + ", ".join(f"{k} {v:.0f}" for k, v in work)]
            + [f"      script {v:6.0f} ms  {k.split('/', 3)[-1] or '(page)'}" for k, v in scripts])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", nargs="+", choices=[k for k, _, _ in PAGES], help="page kinds (default all)")
    parser.add_argument("--site", type=Path, action="append",
                        help="our built site (default site/, built first if missing); give it twice to measure "
                             "two builds in the same run, e.g. before and after a change")
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median is reported (default 3)")
    parser.add_argument("--details", action="store_true", help="also print main-thread time by kind and by script")
    parser.add_argument("--keep", type=Path, help="save every Lighthouse JSON report in this folder")
    args = parser.parse_args(argv)
    pages = [p for p in PAGES if not args.pages or p[0] in args.pages]
    sites = args.site or [ROOT / "site"]
    if sites == [ROOT / "site"] and not (ROOT / "site" / "index.html").exists():
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=ROOT, check=True)
    ensure_lighthouse()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="refsite-lighthouse-") as tmp:
        servers = {"stock": serve(stock_site(Path(tmp)))} | {str(site): serve(site) for site in sites}
        targets = ([("stock", path) for path in dict.fromkeys(s for _, _, s in pages)]
                   + [(str(site), o) for site in sites for _, o, _ in pages])
        runs: dict[tuple[str, str], list[Run]] = {t: [] for t in targets}
        try:
            for n in range(args.runs):  # round by round, so that every site meets the same machine
                for site, path in targets:
                    keep = args.keep / f"{site.replace('/', '_')}{path.replace('/', '_')}{n + 1}.json" if args.keep else None
                    runs[(site, path)].append(lighthouse(servers[site][1] + path, keep))
                    print(f"  run {n + 1}: {site} {path}", file=sys.stderr, flush=True)
        finally:
            for server, _ in servers.values():
                server.shutdown()
    result = {t: median_run(r) for t, r in runs.items()}
    indexes = [r.benchmark_index for rs in runs.values() for r in rs]
    print(f"Lighthouse mobile (simulated throttling), median of {args.runs} run(s) per page; "
          f"benchmarkIndex {statistics.median(indexes):.0f} (runs {min(indexes):.0f}–{max(indexes):.0f}); "
          f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    header = f"  {'page':22} {'perf':>5} {'TBT ms':>7} {'KB':>7} {'FCP ms':>7} {'LCP ms':>7}"
    print("\nstock Material\n" + header)
    for site, path in targets:
        if site == "stock":
            print(row(path, result[(site, path)]))
    missed = []
    for site in sites:
        print(f"\n{site}\n{header}   {'Δperf':>5} {'ΔTBT ms':>8} {'bytes×':>6}  page, against stock page")
        for kind, ours_path, stock_path in pages:
            ours, stock_run = result[(str(site), ours_path)], result[("stock", stock_path)]
            c = compare(ours, stock_run)
            print(f"{row(kind, ours)}   {-c.performance_under:>+5.0f} {c.tbt_over:>+8.0f} "
                  f"{c.bytes_ratio:>6.2f}  {ours_path}, against {stock_path}")
            missed += [f"{site} {kind} {ours_path}: {m}" for m in c.missed]
            if c.missed:
                missed.append(f"    (audits not passed: {', '.join(ours.failed) or '-'})")
    if args.details:
        print("\nWhere main-thread time goes (medians, ms):")
        for (site, path), run in result.items():
            print("\n".join(details(f"{site} {path}", run)))
    print(f"\nTargets against the same run's stock page: TBT ≤ stock + {TBT_OVER_STOCK_MS} ms, performance ≥ stock − "
          f"{PERFORMANCE_UNDER_STOCK}, bytes ≤ {BYTES_OVER_STOCK}× stock; "
          + ", ".join(f"{k} ≥ {v}" for k, v in ABSOLUTE.items()))
    print("\n".join(["missed:"] + missed) if missed else "all targets met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
