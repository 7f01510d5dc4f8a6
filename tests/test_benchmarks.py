"""The benchmark scripts run (on the smallest size, once each), and their synthetic content is
valid, the right size, and unmistakably not clinical. Their figures are not tested: they are
measurements, printed by the scripts (benchmarks/RESULTS.md)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

from generator.load import load_document

from tests.conftest import REAL_CONTENT, ROOT, run_cli

BENCHMARKS = ROOT / "benchmarks"


def bench(script: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, str(BENCHMARKS / script), *args], capture_output=True, text=True,
                            cwd=ROOT, timeout=timeout)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def records(content: Path) -> dict[str, list[dict]]:
    """Every record's raw data, by kind (topics are one record per file)."""
    found: dict[str, list[dict]] = {}
    for file in sorted(content.glob("*/*.yaml")):
        doc, problems = load_document(file, file.name)
        assert not problems, problems
        found.setdefault(file.parent.name, []).extend(doc.data if isinstance(doc.data, list) else [doc.data])
    return found


def test_synthetic_content_is_valid_twice_the_real_content_and_clearly_synthetic(tmp_path):
    bench("synthetic.py", "--scale", "2", "--out", str(tmp_path / "project"), "--no-git")
    content = tmp_path / "project" / "content"
    checked = run_cli(content, "check")
    assert checked.returncode == 0, checked.stdout
    real, synthetic = records(REAL_CONTENT), records(content)
    # white-count calculators carry the threshold ladder, which draws from all of content: one copy only
    ladder_calculators = [c for c in real["calculators"] if any(
        i["id"] == c.get("scale", {}).get("input") and i.get("quantity") == "wbc" for i in c["inputs"])]
    assert ladder_calculators
    # the questions about the patient and the editors' choices are made once however large the site: one copy,
    # ids kept (facts name the questions)
    def answers(questions):
        return [(q["id"], [o["id"] for o in q["options"]]) for q in questions]
    assert answers(synthetic.pop("contexts")) == answers(real.pop("contexts"))
    assert [c["id"] for c in synthetic.pop("choices")] == [c["id"] for c in real.pop("choices")]
    # the quantities and the site settings are the site's own: one copy, as written
    assert synthetic.pop("quantities") == real.pop("quantities")
    assert [s["id"] for s in synthetic.pop("site")] == [s["id"] for s in real.pop("site")]
    expected = {kind: 2 * len(r) - (len(ladder_calculators) if kind == "calculators" else 0) for kind, r in real.items()}
    assert expected == {kind: len(r) for kind, r in synthetic.items()}
    real_ids = {r["id"] for rs in real.values() for r in rs}
    assert all(r["id"].startswith("synthetic-") and r["id"] not in real_ids for rs in synthetic.values() for r in rs)
    assert all(f["statement"].startswith("Synthetic ") for f in synthetic["facts"])
    real_words = {f["statement"] for f in real["facts"]}
    assert not real_words & {f["statement"] for f in synthetic["facts"]}
    # the numbers stay (so the arithmetic checks and pictures are exercised), only the words change
    def thresholds(facts):
        return sorted(f["threshold"]["value"] for f in facts if "threshold" in f)
    assert thresholds(synthetic["facts"]) == sorted(thresholds(real["facts"]) * 2)
    manifest = json.loads((tmp_path / "project" / "benchmark.json").read_text())
    assert manifest["counts"]["facts"] == len(synthetic["facts"])
    plain = yaml.safe_load((tmp_path / "project" / "mkdocs.plain.yml").read_text())
    assert "search" in plain["plugins"] and not any("refsite" in p for p in plain["plugins"] if isinstance(p, dict))
    zensical = yaml.safe_load((tmp_path / "project" / "mkdocs.zensical.yml").read_text())
    assert zensical["docs_dir"] == plain["docs_dir"] and zensical["nav"] == plain["nav"]  # the same Markdown, whole
    assert zensical["theme"]["variant"] == "classic" and zensical["theme"]["custom_dir"] == "markdown/overrides"


def test_build_benchmark_runs_on_the_smallest_size():
    result = bench("build.py", "--scales", "1", "--runs", "1", "--steps", "check", "no_bundle", "markdown", "plain",
                   "properdocs", "zensical", timeout=300)
    out = result.stdout
    assert "benchmarkIndex" in out.splitlines()[0]  # measured where Lighthouse is installed, else said so
    assert "1× content:" in out and "refsite check" in out and "plain MkDocs" in out
    assert "without the offline bundle / plain" in out
    assert "properdocs build, same Markdown / plain" in out and "zensical build, same Markdown / plain" in out
    assert "Targets (at 1×):" in out and "refsite check <" not in out  # a ratio, not seconds
    ratio = re.search(r"refsite check / bare libyaml load of the same files ≤ 1.5: (\d+\.\d+)", out)
    assert ratio and float(ratio.group(1)) > 1, out  # the check does everything the bare load does, and more


def test_reload_benchmark_runs_on_the_smallest_size():
    result = bench("reload.py", "--scales", "1", "--runs", "1", "--timeout", "120", timeout=240)
    row = next(line for line in result.stdout.splitlines() if line.strip().startswith("1×"))
    first_build, reload_seconds = float(row.split()[1]), float(row.split()[2])
    assert 0 < reload_seconds < 120 and first_build > 0


def test_plot_draws_each_step_at_its_sizes(tmp_path):
    """Larger times sit higher on the plot, one path and three points per step."""
    import xml.etree.ElementTree as ET

    def runs(seconds: float) -> list[dict]:
        return [{"wall": seconds, "cpu": seconds * 2}]
    results = {"steps": {"plugin": "mkdocs build with our plugin", "plain": "plain MkDocs, same Markdown"},
               "scales": {str(s): {"runs": {"plugin": runs(2.0 * s), "plain": runs(1.0 * s)}} for s in (1, 10, 100)}}
    (tmp_path / "build.json").write_text(json.dumps(results))
    bench("plot.py", str(tmp_path / "build.json"), str(tmp_path / "plot.svg"))
    svg = ET.parse(tmp_path / "plot.svg").getroot()
    ns = "{http://www.w3.org/2000/svg}"
    points = {}
    for circle in svg.iter(ns + "circle"):
        name = circle.find(ns + "title").text.split(":")[0]
        points.setdefault(name, []).append((float(circle.get("cx")), float(circle.get("cy"))))
    assert set(points) == set(results["steps"].values()) and all(len(p) == 3 for p in points.values())
    plugin, plain = points["mkdocs build with our plugin"], points["plain MkDocs, same Markdown"]
    assert all(a[1] < b[1] for a, b in zip(plugin, plain))  # twice the time: higher (smaller y)
    assert [x for x, _ in plugin] == sorted(x for x, _ in plugin)  # sizes left to right
    assert "wall time" in svg.find(ns + "title").text
