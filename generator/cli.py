"""The `refsite` command: check content, write the generated Markdown, finish a built site, or serve it."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

from . import report, scaffold, schemas
from .links import repository
from .markdown_out import OutputClash, check_output_folder, snapshot, write_folder
from .pipeline import check, checked_content
from .postbuild import PostbuildError, finish_site
from .problems import ContentError
from .render import Site


def main(argv: list[str] | None = None, keep: list | None = None) -> int:
    """Run one command; its exit status. keep: a list the command adds what it loaded to, so that
    a caller about to exit can leave it unfreed (run)."""
    parser = argparse.ArgumentParser(prog="refsite", description=__doc__)
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    commands = parser.add_subparsers(dest="command", required=True)
    check_cmd = commands.add_parser("check", help="validate content and list every problem")
    check_cmd.add_argument("--format", choices=["text", "json"], default="text",
                           help="text for people (default), json for tools")
    build = commands.add_parser("build", help="write the site as plain Markdown, for any Markdown site engine")
    build.add_argument("--markdown-out", type=Path, required=True,
                       help="folder to write the hand-written folders plus the generated pages into (made to hold "
                            "exactly those: other files in it are removed)")
    build.add_argument("--docs", type=Path, nargs="+", default=[Path("docs")],
                       help="hand-written folders to copy alongside, a later one's files replacing an earlier one's "
                            "(default: docs)")
    _add_site_arguments(build)
    build.add_argument("--site-name", help="the site's name, for each page's suggested citation (default: from --config)")
    build.add_argument("--watch", action="store_true",
                       help="then rebuild whenever a file in the content or docs folders changes, until stopped")
    build.add_argument("then", nargs=argparse.REMAINDER, metavar="-- COMMAND",
                       help="with --watch: run this command alongside (an engine's own server) and stop with it")
    post = commands.add_parser("postbuild", help="finish a site an engine has built: policy hashes, hardened links, "
                                                 "offline bundle, service worker")
    post.add_argument("site_dir", type=Path, metavar="SITE_DIR", help="the built site (changed in place)")
    _add_site_arguments(post)
    post.add_argument("--offline-site", type=Path, metavar="DIR",
                      help="the engine's file:// variant of the site, to zip into SITE_DIR/downloads/")
    post.add_argument("--no-service-worker", dest="service_worker", action="store_false",
                      help="leave out sw.js (a live-reload server: a cache-first worker would hide every reload)")
    commands.add_parser("serve", help="run `mkdocs serve` (the plugin regenerates pages on every save)")
    _add_new_parser(commands)
    schemas_cmd = commands.add_parser("schemas", help="write the JSON Schemas for editors, generated from the model")
    schemas_cmd.add_argument("--out", type=Path, help="folder for the schemas (default: schemas/ beside the content folder)")
    schemas_cmd.add_argument("--check", action="store_true", help="write nothing; exit 1 if any schema is out of date")
    table = commands.add_parser("decision-table", help="write the decision table (what every widget shows for every "
                                                       "context and value) as CSV, the copy kept for review")
    table.add_argument("--out", type=Path, help=f"the file (default: {DECISION_TABLE} beside the content folder)")
    table.add_argument("--check", action="store_true",
                       help="write nothing; exit 1 if the file differs from the table the content and evaluators give")
    args = parser.parse_args(argv)
    args.keep = [] if keep is None else keep
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return 130


def run_check(args) -> int:
    content, problems = check(args.content)
    args.keep.append(content)
    files_checked = len(content.documents)
    if args.format == "json":
        counts = {kind: len(records) for kind, records in content.records.items()}
        print(report.format_json(problems, args.content.parent, files_checked, counts))
    elif problems:
        print(report.format_text(problems, args.content.parent, files_checked))
    else:
        listed = ", ".join(f"{len(records)} {kind}" for kind, records in content.records.items())
        print(f"content is valid: {listed}")
    return 1 if problems else 0


def _add_site_arguments(parser) -> None:
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="take the site's name and address from this engine config (mkdocs.yml, or an engine's "
                             "variant of it; INHERIT is followed)")
    parser.add_argument("--site-url", help="the site's public address (default: $REFSITE_SITE_URL, else from --config)")
    parser.add_argument("--repo-url", help="the repository (https://github.com/owner/name), for the correction links "
                                           "(default: $REFSITE_REPO_URL; none without it)")


def engine_settings(config_file: Path | None) -> dict:
    """The top-level settings of an MkDocs-format config (what MkDocs, ProperDocs and Zensical
    read), with the file it INHERITs from under them. !ENV reads the environment as MkDocs does;
    other tags read as nothing: only plain settings are wanted here."""
    if config_file is None:
        return {}
    settings = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    parent = settings.pop("INHERIT", None)
    return {**engine_settings(config_file.parent / parent), **settings} if parent else settings


class _ConfigLoader(yaml.SafeLoader):
    pass


def _env_setting(loader, node) -> object:
    """`!ENV VAR` or `!ENV [VAR, ..., default]`, as MkDocs reads it: the first variable set, else the default."""
    names = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)
    *variables, default = names if len(names) > 1 else (*names, None)
    return next((os.environ[v] for v in variables if os.environ.get(v)), default)


_ConfigLoader.add_constructor("!ENV", _env_setting)
_ConfigLoader.add_multi_constructor("", lambda loader, tag, node: None)


def _site(args) -> Site:
    """The site as the engine config and the deployment settings describe it: the same settings the plugin
    reads through mkdocs.yml's !ENV tags, which other engines leave unread."""
    settings = engine_settings(args.config)
    name = getattr(args, "site_name", None)
    url = args.site_url if args.site_url is not None else os.environ.get("REFSITE_SITE_URL") or settings.get("site_url") or ""
    repo = args.repo_url if args.repo_url is not None else os.environ.get("REFSITE_REPO_URL", "")
    try:
        repo_address = repository(repo)
    except ValueError as err:
        print(f"--repo-url: {err}", file=sys.stderr)
        raise SystemExit(2) from None
    return Site(settings.get("site_name", "") if name is None else name, url, repo_address,
                settings.get("use_directory_urls", True) is not False,
                (settings.get("extra") or {}).get("refsite_synonyms_in_tags", True) is not False)


def run_build(args) -> int:
    then = args.then[1:] if args.then[:1] == ["--"] else args.then
    if then and not args.watch:
        print("a command to run alongside needs --watch", file=sys.stderr)
        return 2
    try:
        check_output_folder(args.markdown_out, [args.content, *args.docs])
    except OutputClash as err:
        print(err, file=sys.stderr)
        return 2
    site = _site(args)
    built = _build_markdown(args, site)
    if not args.watch or not built:
        return 0 if built else 1
    return _watch(args, site, then)


def _build_markdown(args, site: Site) -> bool:
    """Write the Markdown site; on problems print them and leave the folder as it was."""
    try:
        files = checked_content(args.content).markdown(args.docs, site)
    except ContentError as err:
        print(report.format_text(err.problems, args.content.parent, err.files_checked))
        print(f"nothing was written to {args.markdown_out}/", file=sys.stderr)
        return False
    except OutputClash as err:
        print(err, file=sys.stderr)
        return False
    changed = write_folder(files, args.markdown_out)
    pages = sum(path.endswith(".md") for path in files)
    print(f"wrote {args.markdown_out}/: {pages} pages, {len(files) - pages} other files ({changed} changed)", flush=True)
    return True


def _watch(args, site: Site, then: list[str]) -> int:
    """Rebuild on every change under the content and docs folders (polled: no watcher library
    needed, and any editor's way of saving counts); with a command, run it and stop with it."""
    folders = [args.content, *args.docs]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stopped like Ctrl-C: the command stops too
    server = subprocess.Popen(then) if then else None
    seen = snapshot(folders)
    print(f"watching {', '.join(f'{f}/' for f in folders)} for changes", flush=True)
    stopped = False
    try:
        while server is None or server.poll() is None:
            time.sleep(0.3)
            now = snapshot(folders)
            if now != seen:
                seen = now
                if not _build_markdown(args, site):
                    print(f"still showing the last valid content in {args.markdown_out}/", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None and server.poll() is None:
            stopped = True
            server.terminate()
            server.wait(timeout=30)
    return 0 if server is None or stopped else server.returncode  # the command's own failure is ours


def run_postbuild(args) -> int:
    try:
        finished = finish_site(args.site_dir, _site(args).url, with_service_worker=args.service_worker,
                             offline_site=args.offline_site)
    except PostbuildError as err:
        print(f"refsite postbuild: {err}", file=sys.stderr)
        return 1
    done = [f"{finished.script_hashes} inline script hashes in the policy", "links to other hosts hardened"]
    done += [f"offline bundle {finished.bundle}"] if finished.bundle else []
    done += [f"service worker {finished.service_worker}"] if finished.service_worker else []
    print(f"finished {args.site_dir}/: " + "; ".join(done))
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
            scaffold.place_fact(content.root.parent / content.origin_file(topic), section, record["id"])
            print(f"listed it on topic '{topic.id}' under '{topic.sections[section].heading}'")
    except scaffold.ScaffoldError as err:
        for text in err.lines:
            print(text, file=sys.stderr)
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


DECISION_TABLE = "review/decision-table.csv"


def run_decision_table(args) -> int:
    out = args.out or args.content.parent / DECISION_TABLE
    try:
        table = checked_content(args.content, with_history=False).decision_table()
    except ContentError as err:
        print(report.format_text(err.problems, args.content.parent, err.files_checked))
        return 1
    if not table:
        print("no widget has a value to try: no decision table")
        return 0
    current = out.read_text(encoding="utf-8") if out.is_file() else None
    if args.check:
        if current != table:
            print(f"{out}: out of date with what the widgets show — run `make decision-table`, review the diff "
                  "(each changed line is a change to what a reader is shown) and commit it")
            return 1
        return 0
    if current == table:
        print(f"{out} is up to date")
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(table, encoding="utf-8", newline="")
    print(f"wrote {out}: review the diff (git diff {out}) and commit it")
    return 0


def run_serve(args) -> int:
    return subprocess.call([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", "127.0.0.1:8000"])


COMMANDS = {"check": run_check, "build": run_build, "postbuild": run_postbuild, "serve": run_serve, "new": run_new,
            "schemas": run_schemas, "decision-table": run_decision_table}

def run() -> None:
    """The `refsite` command line. Once a command that loaded the content has finished, the process
    ends without freeing it object by object: at 100× content that took a tenth of `refsite check`,
    spent for nothing, as the system takes the memory back whole (mypy leaves the same way)."""
    loaded: list = []
    code = main(keep=loaded)
    if loaded:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
