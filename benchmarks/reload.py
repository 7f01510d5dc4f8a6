"""Live-reload benchmark: from saving a YAML file to the changed page being served by `mkdocs serve`.

For each size it starts `mkdocs serve` on 127.0.0.1 at a free port in a synthetic project, waits
for the first build, then several times edits one fact's statement and polls the page it is on
until the new words appear. Every wait is bounded; the server is stopped at the end.

    python benchmarks/reload.py --scales 1 100 --runs 3
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BIN, ENV, described, machine, median, save, spread  # noqa: E402
from synthetic import make_project  # noqa: E402

POLL = 0.05  # seconds between requests for the page
BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_for(url: str, words: str | None, timeout: float, server: subprocess.Popen) -> float:
    """Seconds until the page is served (and contains words, if given); bounded by timeout."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if server.poll() is not None:
            raise SystemExit(f"mkdocs serve stopped (exit {server.returncode}) before {url} was served")
        page = fetch(url)
        if page is not None and (words is None or words in page):
            return time.perf_counter() - start
        time.sleep(POLL)
    raise SystemExit(f"{url} did not show {words!r} within {timeout:.0f} s")


def edit_statement(file: Path, fact_id: str, words: str) -> None:
    """Put words at the start of the fact's statement (replacing earlier words put there)."""
    text = file.read_text(encoding="utf-8")
    start = text.index(f"- id: {fact_id}\n")
    line = text.index("  statement: ", start)
    value = line + len("  statement: ")
    value += 1 if text[value] in "'\"" else 0
    rest = re.sub(r"^Reloadprobe[a-z]+ ", "", text[value:])
    file.write_text(text[:value] + words + " " + rest, encoding="utf-8")


def stop(server: subprocess.Popen) -> None:
    """Ctrl-C, as a person would (MkDocs then removes its temporary site); killed if it hangs."""
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)


def bench_reload(project: Path, runs: int, timeout: float) -> dict:
    probe = json.loads((project / "benchmark.json").read_text(encoding="utf-8"))["probe"]
    port = free_port()
    url = f"http://127.0.0.1:{port}/{probe['page']}"
    log = tempfile.TemporaryFile("w+", encoding="utf-8")
    server = subprocess.Popen([str(BIN / "python"), "-m", "mkdocs", "serve", "-f", "mkdocs.yml", "--dev-addr",
                               f"127.0.0.1:{port}"], cwd=project, env=ENV, stdout=log, stderr=subprocess.STDOUT)
    try:
        first = wait_for(url, None, timeout, server)
        reloads = []
        for run in range(runs):
            words = "Reloadprobe" + "".join(chr(ord("a") + int(d)) for d in f"{run}{time.time_ns() % 10**6}")
            edit_statement(project / probe["file"], probe["fact"], words)
            reloads.append(wait_for(url, words, timeout, server))
            print(f"  reload {run + 1}: {reloads[-1]:.2f} s", file=sys.stderr, flush=True)
    finally:
        stop(server)
        log.seek(0)
        output = log.read()
        log.close()
    builds = [float(s) for s in BUILT.findall(output)]
    return {"first_build": first, "reloads": reloads, "server_builds": builds[1:], "page": probe["page"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100], help="content sizes (default 1 100)")
    parser.add_argument("--runs", type=int, default=3, help="edits per size (default 3)")
    parser.add_argument("--timeout", type=float, default=1800, help="longest wait for any one build, seconds")
    parser.add_argument("--work", type=Path, help="folder for the projects (default: a temporary one, removed after)")
    parser.add_argument("--save", metavar="NAME", help="also write the figures to benchmarks/results/NAME.json")
    args = parser.parse_args(argv)
    info = machine()
    print(described(info))
    results = {}
    with tempfile.TemporaryDirectory(prefix="refsite-reload-") as tmp:
        for scale in args.scales:
            project = (args.work or Path(tmp)) / f"serve-{scale}x"
            make_project(scale, project)
            results[scale] = bench_reload(project, args.runs, args.timeout)
    print("\nLive reload under `mkdocs serve`: save a fact's YAML → its page served with the change; "
          "median (min–max), seconds")
    print(f"  {'size':6} {'first build':>12} {'save → page changed':>24} {'of which MkDocs build':>24}")
    for scale, r in results.items():
        builds = spread(r["server_builds"]) if r["server_builds"] else "–"
        print(f"  {str(scale) + '×':6} {r['first_build']:12.2f} {spread(r['reloads']):>24} {builds:>24}")
    if len(results) > 1:
        small, large = min(results), max(results)
        factor = median(results[large]["reloads"]) / median(results[small]["reloads"])
        print(f"  growth from {small}× to {large}×: ×{factor:.1f}")
    if args.save:
        save(args.save, {"machine": info, "scales": {str(s): r for s, r in results.items()}})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
