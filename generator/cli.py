"""The `refsite` command: check content, write the generated Markdown, or serve the site."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .pipeline import build_pages, check
from .problems import ContentError
from .render import Site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="refsite", description=__doc__)
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate content and list every problem")
    build = commands.add_parser("build", help="write the generated Markdown pages")
    build.add_argument("--markdown-out", type=Path, required=True,
                       help="folder to write docs/ plus the generated pages into, for any Markdown site engine")
    build.add_argument("--docs", type=Path, default=Path("docs"), help="hand-written pages to copy alongside")
    build.add_argument("--site-name", default="", help="the site's name, for each page's suggested citation")
    build.add_argument("--site-url", default="", help="the site's public address, for each page's stable URL")
    commands.add_parser("serve", help="run `mkdocs serve` (the plugin regenerates pages on every save)")
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return 130


def run_check(args) -> int:
    content, problems = check(args.content)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found in {args.content}/", file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(records)} {kind}" for kind, records in content.records.items())
    print(f"content is valid: {counts}")
    return 0


def run_build(args) -> int:
    try:
        pages = build_pages(args.content, Site(args.site_name, args.site_url))
    except ContentError as err:
        print(err.report())
        print(f"{len(err.problems)} problem(s); nothing was written", file=sys.stderr)
        return 1
    # Write into a fresh folder first, then swap it in: never a half-written output.
    out = args.markdown_out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".refsite-", dir=out.parent))
    shutil.copytree(args.docs, staging, dirs_exist_ok=True)
    for path, text in pages.items():
        target = staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    if out.exists():
        shutil.rmtree(out)
    staging.rename(out)
    print(f"wrote {len(pages)} generated pages (plus {args.docs}/) to {out}/")
    return 0


def run_serve(args) -> int:
    return subprocess.call([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", "127.0.0.1:8000"])


COMMANDS = {"check": run_check, "build": run_build, "serve": run_serve}

if __name__ == "__main__":
    sys.exit(main())
