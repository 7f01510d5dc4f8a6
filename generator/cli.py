"""The `refsite` command: check content, write the generated Markdown, or serve the site."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import report, scaffold, schemas
from .history import read_history
from .pipeline import build_pages, check
from .problems import ContentError
from .links import repository
from .render import Site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="refsite", description=__doc__)
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    commands = parser.add_subparsers(dest="command", required=True)
    check_cmd = commands.add_parser("check", help="validate content and list every problem")
    check_cmd.add_argument("--format", choices=["text", "json"], default="text",
                           help="text for people (default), json for tools")
    build = commands.add_parser("build", help="write the generated Markdown pages")
    build.add_argument("--markdown-out", type=Path, required=True,
                       help="folder to write docs/ plus the generated pages into, for any Markdown site engine")
    build.add_argument("--docs", type=Path, default=Path("docs"), help="hand-written pages to copy alongside")
    build.add_argument("--site-name", default="", help="the site's name, for each page's suggested citation")
    build.add_argument("--site-url", default="", help="the site's public address, for each page's stable URL")
    build.add_argument("--repo-url", default="",
                       help="the repository (https://github.com/owner/name), for the correction links (none without it)")
    commands.add_parser("serve", help="run `mkdocs serve` (the plugin regenerates pages on every save)")
    _add_new_parser(commands)
    schemas_cmd = commands.add_parser("schemas", help="write the JSON Schemas for editors, generated from the model")
    schemas_cmd.add_argument("--out", type=Path, help="folder for the schemas (default: schemas/ beside the content folder)")
    schemas_cmd.add_argument("--check", action="store_true", help="write nothing; exit 1 if any schema is out of date")
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return 130


def run_check(args) -> int:
    content, problems = check(args.content)
    files_checked = len(content.documents)
    if args.format == "json":
        counts = {kind: len(records) for kind, records in content.records.items()}
        print(report.format_json(problems, args.content.parent, files_checked, counts))
    elif problems:
        print(report.format_text(problems, args.content.parent, files_checked))
    else:
        counts = ", ".join(f"{len(records)} {kind}" for kind, records in content.records.items())
        print(f"content is valid: {counts}")
    return 1 if problems else 0


def run_build(args) -> int:
    try:
        site = Site(args.site_name, args.site_url, repository(args.repo_url))
    except ValueError as err:
        print(f"--repo-url: {err}", file=sys.stderr)
        return 2
    try:
        pages = build_pages(args.content, site, read_history(args.content))
    except ContentError as err:
        print(report.format_text(err.problems, args.content.parent, err.files_checked))
        print(f"nothing was written to {args.markdown_out}/", file=sys.stderr)
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


def _add_new_parser(commands) -> None:
    new = commands.add_parser("new", help="add a fact, source or topic that passes the checks (asks for what is missing)")
    kinds = new.add_subparsers(dest="what", required=True)
    for what, help_text in (("fact", "a fact with its citation, optionally listed on a topic page"),
                            ("source", "a source with its appraisal"), ("topic", "a topic page with its first section")):
        sub = kinds.add_parser(what, help=help_text)
        asks = scaffold.QUESTIONS[what] + (sum(scaffold.FACT_NUMBERS.values(), []) if what == "fact" else [])
        for ask in asks:
            sub.add_argument(ask.flag, dest=ask.name, metavar=ask.name.upper(), help=ask.question)
        if what == "fact":
            sub.add_argument("--section", help="heading of the topic section to list it under")
        sub.add_argument("--no-input", action="store_true", help="never ask: fail if a required flag is missing")


def run_new(args) -> int:
    content, _ = check(args.content)
    given = {name: value for name, value in vars(args).items() if name in {*scaffold.ALL_ASKS, "section"}}
    answers = {name: value for name, value in given.items() if value is not None}
    interactive = sys.stdin.isatty() and not args.no_input
    try:
        answers = _collect(args.what, answers, content, interactive)
        record = scaffold.build_record(args.what, answers, content)
        section = _section(answers, content) if args.what == "fact" else None
        file = scaffold.target_file(args.what, answers, content)
        line = scaffold.write_record(args.what, record, file)
        print(f"added {args.what} '{record['id']}' at {file}:{line}")
        if section is not None:
            topic = content.topics[answers["topic"]]
            scaffold.place_fact(content.root.parent / topic._origin[0], section, record["id"])
            print(f"listed it on topic '{topic.id}' under '{topic.sections[section].heading}'")
    except scaffold.ScaffoldError as err:
        for line in err.lines:
            print(line, file=sys.stderr)
        print(f"nothing was added; see `refsite new {args.what} --help`", file=sys.stderr)
        return 1
    content, problems = check(args.content)
    if problems:
        print(report.format_text(problems, args.content.parent, len(content.documents)))
    else:
        print("content is valid; preview it with `make serve`")
    return 0


def _collect(what: str, answers: dict, content, interactive: bool) -> dict:
    """Ask for every missing answer in turn (a fact's kind decides which numbers are asked for)."""
    asked = set(answers)
    while pending := [a for a in scaffold.questions(what, answers) if a.name not in asked]:
        ask = pending[0]
        asked.add(ask.name)
        default = ask.default(content) if ask.default else ""
        answer = _prompt(ask, content, default) if interactive else default
        if answer:
            answers[ask.name] = answer
        if ask.name == "topic" and answer in content.topics and interactive and "section" not in answers:
            headings = scaffold.section_choices(content, answer)
            if len(headings) > 1:
                section = scaffold.Ask("section", (), "Section of that page", lambda _: headings)
                answers["section"] = _prompt(section, content, headings[0])
    return answers


def _prompt(ask, content, default: str) -> str:
    choices = ask.choices(content) if ask.choices else []
    shown = f" [{', '.join(choices)}]" if choices and len(choices) <= 15 else ""
    shown += f" (default {default})" if default else ""
    while True:
        try:
            answer = input(f"{ask.question}{shown}: ").strip() or default
        except EOFError:
            raise scaffold.ScaffoldError([f"{ask.flag}: no answer given"]) from None
        why = scaffold.answer_problem(ask, answer, content)
        if why is None:
            return answer
        print(f"  {why}")


def _section(answers: dict, content) -> int | None:
    """Which section of the chosen topic a new fact goes in (None: no topic chosen)."""
    if not answers.get("topic"):
        return None
    headings = scaffold.section_choices(content, answers["topic"])
    heading = answers.get("section") or (headings[0] if len(headings) == 1 else None)
    if heading not in headings:
        raise scaffold.ScaffoldError([f"--section: topic '{answers['topic']}' has sections: {'; '.join(headings)}"])
    return headings.index(heading)


def run_schemas(args) -> int:
    out = args.out or args.content.parent / "schemas"
    if args.check:
        stale = schemas.stale_schemas(out)
        for name in stale:
            print(f"{out / name}: out of date with generator/model.py — run `refsite schemas` and commit the result")
        return 1 if stale else 0
    written = schemas.write_schemas(out)
    print(f"wrote {', '.join(written)} to {out}/" if written else f"schemas in {out}/ are up to date")
    return 0


def run_serve(args) -> int:
    return subprocess.call([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", "127.0.0.1:8000"])


COMMANDS = {"check": run_check, "build": run_build, "serve": run_serve, "new": run_new, "schemas": run_schemas}

if __name__ == "__main__":
    sys.exit(main())
