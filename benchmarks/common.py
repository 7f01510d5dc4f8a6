"""What the benchmark scripts share: running a command and measuring it, summaries, the machine."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
RESULTS = Path(__file__).resolve().parent / "results"
# Lighthouse as scripts/lighthouse.py installs it (npm ci, pinned by its package-lock.json)
LIGHTHOUSE_PACKAGE = Path(__file__).resolve().parent.parent / "scripts" / "lighthouse" / "node_modules" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"


@dataclass
class Measurement:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and of the children it waited for (git, the offline bundle)
    peak_rss_mb: float  # its peak resident set
    returncode: int
    output: str


def run_measured(command: list[str], cwd: Path, timeout: float = 1800) -> Measurement:
    """Run a command to the end: its wall time, and (reaped with wait4) its own CPU time and peak memory."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=out, stderr=subprocess.STDOUT)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                process.kill()
                os.wait4(process.pid, 0)
                process.returncode = -9
                raise SystemExit(f"{' '.join(command)} took over {timeout:.0f} s; stopped it")
            time.sleep(0.01)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read()
    return Measurement(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode, output)


def median(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float]) -> str:
    """Median with the range of the runs, e.g. '4.21 s (3.98–4.77)'."""
    return f"{median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def machine() -> dict:
    """What the figures were measured on, with Lighthouse's benchmarkIndex for it."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    memory_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")), 0)
    return {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "nproc": os.cpu_count(),
            "memory_gb": round(memory_kb / 1024 ** 2, 1), "cpu": cpu, "python": platform.python_version(),
            "load_average": [round(x, 2) for x in os.getloadavg()], "benchmark_index": benchmark_index()}


def benchmark_index() -> int | None:
    """The machine's Lighthouse benchmarkIndex, measured as Lighthouse measures it: its own
    computeBenchmarkIndex (read from the installed package, never copied) run in Debian's headless
    Chromium. None where Lighthouse is not installed (`scripts/lighthouse.py` installs it on first
    use; the benchmarks never reach the network themselves)."""
    functions = LIGHTHOUSE_PACKAGE / "core" / "lib" / "page-functions.js"
    if not functions.is_file() or not Path(CHROMIUM).exists():
        return None
    found = re.search(r"^function computeBenchmarkIndex\(\) \{.*?^\}$", functions.read_text(encoding="utf-8"), re.S | re.M)
    if not found:
        return None
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            return round(browser.new_page().evaluate(f"({found.group(0)})()"))
        finally:
            browser.close()


def described(info: dict) -> str:
    """The machine line every benchmark prints first."""
    index = info["benchmark_index"]
    shown = f"benchmarkIndex {index}" if index is not None else \
        "benchmarkIndex not measured (Lighthouse not installed: run scripts/lighthouse.py once)"
    return (f"{info['date']} · {info['nproc']} CPUs ({info['cpu']}) · {info['memory_gb']} GB · "
            f"Python {info['python']} · {shown} · load average {info['load_average']}")


def save(name: str, data: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=1, default=lambda o: asdict(o)), encoding="utf-8")
    return path


def mark(ok: bool) -> str:
    return "met" if ok else "MISSED"


class LocalConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as a local build reads it: each `!ENV [NAME, default]` at its default, so the
    benchmarks measure the build a contributor runs whatever the shell has set."""


LocalConfigLoader.add_constructor("!ENV", lambda loader, node: loader.construct_object(node.value[-1])
                                  if isinstance(node, yaml.SequenceNode) and len(node.value) > 1 else None)


def local_config(path: Path) -> dict:
    """An MkDocs config file's settings as a local build reads them (see LocalConfigLoader)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=LocalConfigLoader)
