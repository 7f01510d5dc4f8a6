"""A stock Material for MkDocs site to measure ours against, in the same run on the same machine.

"Stock" is Material with this site's theme settings (font: false, palette, features, language), the
same Markdown extensions and the search plugin, and nothing of ours: no theme overrides, no CSS or
JavaScript of our own, no plugin. Two kinds:

  placeholder_site(folder)   about 20 pages of seeded placeholder prose: a home page, a long table
                             page and topic pages (scripts/lighthouse.py's baseline page weight and
                             main-thread time)
  stock_config(...)          the stock settings around any Markdown, e.g. the generator's own
                             output (`refsite build --markdown-out`), so that search over the same
                             text can be timed on both sites (benchmarks/reader.py)

    python benchmarks/stock.py --out /tmp/stock      # writes and builds the placeholder site
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
from pathlib import Path

import yaml

from common import local_config

ROOT = Path(__file__).resolve().parent.parent
# Theme settings of ours that a stock site would not have: our override folder and our icon.
OURS_ONLY = ("custom_dir", "favicon")
WORDS = ("count cell blood smear film marrow review ward interval baseline chart observation report "
         "sample laboratory range adult clinic referral pathway result value trend repeat history "
         "examination team senior colleague follow-up record letter note table figure source study").split()
NOT_CLINICAL = "*Placeholder text for a performance baseline. Not clinical content.*"


def stock_config(nav: list | None = None, docs_dir: str = "docs", ours: Path = ROOT / "mkdocs.yml") -> dict:
    """Our mkdocs.yml's theme and Markdown settings, on stock Material: no overrides, no own CSS or JS."""
    config = local_config(ours)
    theme = {key: value for key, value in config["theme"].items() if key not in OURS_ONLY}
    stock = {"site_name": "Stock Material baseline", "site_url": config.get("site_url"), "docs_dir": docs_dir,
             "exclude_docs": config.get("exclude_docs", ""),
             "theme": theme, "plugins": ["search"], "markdown_extensions": config.get("markdown_extensions", []),
             "extra": {"generator": config.get("extra", {}).get("generator", True)}}
    if nav is not None:
        stock["nav"] = nav
    return stock


def _sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join([words[0].capitalize(), *words[1:]]) + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))


def _topic(rng: random.Random, title: str) -> str:
    lines = [f"# {title}", "", NOT_CLINICAL, "", _paragraph(rng), ""]
    for n in range(4):
        lines += [f"## {_sentence(rng, 2, 4)[:-1]}", "", _paragraph(rng), ""]
        lines += [f"- {_sentence(rng, 4, 9)}" for _ in range(rng.randint(3, 6))] + [""]
        if n == 1:
            lines += ['!!! note "Check"', "", f"    {_sentence(rng)}", ""]
    return "\n".join(lines)


def _table(rng: random.Random, rows: int = 40) -> str:
    lines = ["# Reference table", "", NOT_CLINICAL, "", _paragraph(rng), "",
             "| Item | Range | What to do | Review within |", "| --- | --- | --- | --- |"]
    lines += [f"| {rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} | {rng.randint(1, 9)}–{rng.randint(10, 99)} "
              f"| {_sentence(rng, 6, 12)} | {rng.choice([15, 30, 60, 240])} min |" for _ in range(rows)]
    return "\n".join(lines + ["", "## Notes", "", _paragraph(rng), ""])


def placeholder_site(folder: Path, pages: int = 20) -> Path:
    """Write a stock project of `pages` pages (home, reference table, topics) into folder; seeded, so
    the same every time. Returns the folder."""
    rng = random.Random(17)
    docs = folder / "docs"
    (docs / "topics").mkdir(parents=True, exist_ok=True)
    topics = [f"topics/topic-{n:02d}.md" for n in range(pages - 2)]
    for n, path in enumerate(topics):
        (docs / path).write_text(_topic(rng, f"Topic {n:02d}: {_sentence(rng, 2, 3)[:-1]}"), encoding="utf-8")
    home = ["# Stock Material baseline", "", NOT_CLINICAL, "", _paragraph(rng), "", "- [Reference table](reference-table.md)"]
    home += [f"- [Topic {n:02d}]({path})" for n, path in enumerate(topics[:10])]
    (docs / "index.md").write_text("\n".join(home) + "\n", encoding="utf-8")
    (docs / "reference-table.md").write_text(_table(rng), encoding="utf-8")
    nav = [{"Home": "index.md"}, {"Reference table": "reference-table.md"},
           {"Topics": [{f"Topic {n:02d}": path} for n, path in enumerate(topics)]}]
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(stock_config(nav), allow_unicode=True, sort_keys=False),
                                       encoding="utf-8")
    return folder


def build(project: Path, config: str = "mkdocs.yml", site: str = "site") -> Path:
    """`mkdocs build --strict` of a stock project with this environment's pinned MkDocs and Material."""
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", site],
                            cwd=project, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if result.returncode != 0:
        raise SystemExit(f"stock Material build failed in {project}:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return project / site


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="new folder for the stock project")
    parser.add_argument("--pages", type=int, default=20)
    args = parser.parse_args()
    site = build(placeholder_site(args.out, args.pages))
    print(site)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
