"""Lighthouse (mobile form factor) against Debian's Chromium for each page kind, with targets.

    .venv/bin/python scripts/lighthouse.py            # builds site/ first if missing
    .venv/bin/python scripts/lighthouse.py / /leukemoid-reaction/ --runs 3

Installs the pinned npm `lighthouse` from scripts/lighthouse/package-lock.json on first
use (`npm ci`; no browser download). Serves site/ gzip-compressed on 127.0.0.1, as
most hosts would. Prints a table of scores and metrics (median of --runs) and exits 1
when a target is missed.
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
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = ROOT / "scripts" / "lighthouse"
LIGHTHOUSE = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking " \
               "--disable-component-update --disable-sync"
# The page kinds the issue names; pages that do not exist in this build are skipped.
DEFAULT_PAGES = ["/", "/leukemoid-reaction/", "/white-cell-count-calculator/", "/extreme-leukocytosis-checklist/"]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 95}
METRICS = {"first-contentful-paint": "FCP", "largest-contentful-paint": "LCP", "total-blocking-time": "TBT",
           "cumulative-layout-shift": "CLS", "total-byte-weight": "bytes"}


class GzipHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix in {".html", ".css", ".js", ".json", ".svg", ".xml"} and path.is_file():
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


def ensure_lighthouse() -> None:
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE_DIR, check=True)


def run_once(url: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run([str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}", "--quiet",
                        f"--chrome-flags={CHROME_FLAGS}", "--form-factor=mobile",
                        "--only-categories=performance,accessibility,best-practices,seo"],
                       env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True, capture_output=True, timeout=300)
        data = json.loads(report.read_text())
    scores = {k: round(v["score"] * 100) for k, v in data["categories"].items()}
    metrics = {name: data["audits"][key]["numericValue"] for key, name in METRICS.items()}
    failed = [a["id"] for a in data["audits"].values() if a.get("score") is not None and a["score"] < 1
              and a.get("scoreDisplayMode") == "binary"]
    return {"scores": scores, "metrics": metrics, "failed_audits": failed}


def median_of(runs: list[dict]) -> dict:
    scores = {k: statistics.median(r["scores"][k] for r in runs) for k in runs[0]["scores"]}
    metrics = {k: statistics.median(r["metrics"][k] for r in runs) for k in runs[0]["metrics"]}
    return {"scores": scores, "metrics": metrics, "failed_audits": sorted({a for r in runs for a in r["failed_audits"]})}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="*", default=DEFAULT_PAGES)
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    if not (args.site / "index.html").exists():
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(args.site)], cwd=ROOT, check=True)
    ensure_lighthouse()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    missed = []
    print(f"{'page':34} {'perf':>5} {'a11y':>5} {'bp':>5} {'seo':>5} {'FCP ms':>7} {'LCP ms':>7} {'TBT ms':>7} {'CLS':>5} {'KB':>6}")
    for page in args.pages:
        target = args.site / page.strip("/") / "index.html" if page != "/" else args.site / "index.html"
        if not target.exists():
            print(f"{page:34} (not in this build; skipped)")
            continue
        result = median_of([run_once(base + page) for _ in range(args.runs)])
        s, m = result["scores"], result["metrics"]
        print(f"{page:34} {s['performance']:>5} {s['accessibility']:>5} {s['best-practices']:>5} {s['seo']:>5} "
              f"{m['FCP']:>7.0f} {m['LCP']:>7.0f} {m['TBT']:>7.0f} {m['CLS']:>5.2f} {m['bytes'] / 1024:>6.0f}")
        for category, goal in TARGETS.items():
            if s[category] < goal:
                missed.append(f"{page}: {category} {s[category]} < {goal} (failing audits: {', '.join(result['failed_audits']) or '-'})")
    server.shutdown()
    print("targets: " + ", ".join(f"{k} ≥ {v}" for k, v in TARGETS.items()))
    print("\n".join(["missed:"] + missed) if missed else "all targets met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
