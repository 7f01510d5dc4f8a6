"""A corpus of broken content, each case run through the real `refsite` command.

Every case must give a clear message at path:line, never a traceback, in
bounded time and memory, and leave an existing build untouched. Cases are
small files dropped into a copy of the (valid) fixture content; their line
numbers count from the first line of the text given here (the schema
modeline that real files start with is added above it unless `raw`).
A few representative cases also go through the real `mkdocs build`.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from generator.load import MAX_FILE_BYTES
from generator.schemas import modeline
from tests.conftest import FIXTURE_CONTENT, ROOT, mkdocs_build, replace

MAX_SECONDS = 10
MAX_RSS_MB = 300
ADDRESS_SPACE_LIMIT = 2 * 1024**3  # a runaway case is killed, not left to fill the machine

FACT = """- id: bad-fact
  kind: definition
  statement: A plain statement.
  context: {population: adults}
  cite: [{source: cohort, locator: Table I}]
"""


def fact(**changes: str) -> str:
    """The valid FACT above with some of its lines replaced (key → whole new line text)."""
    lines = FACT.splitlines()
    for key, new in changes.items():
        at = next(i for i, line in enumerate(lines) if line.lstrip("- ").startswith(key + ":"))
        lines[at] = new
    return "\n".join(lines) + "\n"


def billion_laughs() -> str:
    lines = ["- id: lol0", "  lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"  lol{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)]
    return "\n".join(lines) + "\n"


def deep_block(levels: int) -> str:
    return "- id: deep\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(levels)) + "  " * (levels + 1) + "end\n"


@dataclass
class Case:
    name: str
    path: str  # under content/
    text: str | bytes | None  # None: made by `make`
    line: int | str  # where the message must point: a line number counted in `text`, or text on that line
    expect: str  # part of the message
    raw: bool = False  # write exactly `text`, without the modeline
    make: object = None  # callable(path) for files that cannot be plain text
    also: dict = field(default_factory=dict)  # other files the case needs


CASES = [
    # ------------------------------------------------------------ YAML syntax
    Case("unclosed-flow-list", "facts/bad.yaml", fact(statement="  statement: [unclosed"), 4,
         "YAML syntax error: expected ',' or ']'"),
    Case("colon-in-plain-text", "facts/bad.yaml", fact(statement="  statement: Ratio: one to ten"), 3,
         "YAML syntax error: mapping values are not allowed here"),
    Case("bad-indentation", "facts/bad.yaml", fact(statement="   statement: indented one space too far"), 3,
         "YAML syntax error"),
    Case("unclosed-quote", "facts/bad.yaml", fact(statement='  statement: "never closed'), 6,
         "YAML syntax error: found unexpected end of stream"),
    Case("tab-indentation", "facts/bad.yaml", fact(statement="\tstatement: tabbed"), 3,
         "indent with spaces, not tabs"),
    Case("two-documents", "facts/bad.yaml", FACT + "---\n" + FACT, 6, "a second YAML document starts here — a content file holds one"),
    Case("duplicate-key", "facts/bad.yaml", fact(kind="  kind: definition\n  kind: threshold"), 3,
         "duplicate key 'kind' (first given on line 3)"),
    Case("duplicate-key-nested", "facts/bad.yaml",
         fact(context="  context:\n    population: adults\n    population: children"), 6,
         "duplicate key 'population' (first given on line 6)"),
    Case("duplicate-key-flow", "facts/bad.yaml", fact(context="  context: {population: adults, population: kids}"), 4,
         "duplicate key 'population'"),
    Case("python-object-tag", "facts/bad.yaml", fact(statement="  statement: !!python/object/apply:os.system [id]"), 3,
         "YAML tag '!!python/object/apply:os.system' is not allowed"),
    Case("billion-laughs", "facts/bad.yaml", billion_laughs(), 3, "anchors and aliases (&name / *name) are not allowed"),
    Case("deep-flow-nesting", "facts/bad.yaml", "- id: deep\n  x: " + "[" * 5000 + "]" * 5000 + "\n", 2,
         "YAML is nested too deeply"),
    Case("deep-block-nesting", "facts/bad.yaml", deep_block(60), 40, "YAML is nested too deeply (more than 40 levels)"),
    # ------------------------------------------------------------ files that are not YAML text
    Case("empty-file", "facts/bad.yaml", "", 1, "file is empty", raw=True),
    Case("modeline-only", "facts/bad.yaml", modeline("facts") + "\n", 1, "file is empty", raw=True),
    Case("binary-file", "facts/bad.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1, "file is binary", raw=True),
    Case("latin-1-text", "facts/bad.yaml", fact(statement="  statement: caf\xe9 au lait").encode("latin-1"), 3,
         "file is not valid UTF-8 text", raw=True),
    Case("utf-16-text", "facts/bad.yaml", FACT.encode("utf-16"), 1, "file is binary", raw=True),
    Case("huge-file", "facts/bad.yaml", None, 1, f"over the {MAX_FILE_BYTES:,}-byte limit", raw=True,
         make=lambda p: p.write_bytes(b"# " + b"x" * (MAX_FILE_BYTES + 10) + b"\n")),
    Case("symbolic-link", "facts/bad.yaml", None, 1, "bad.yaml is a symbolic link", raw=True,
         make=lambda p: p.symlink_to("/dev/zero")),
    Case("folder-named-like-yaml", "facts/bad.yaml", None, 1, "bad.yaml is not an ordinary file", raw=True,
         make=lambda p: p.mkdir()),
    Case("no-schema-modeline", "facts/bad.yaml", "# Some facts\n" + FACT, 1, "file does not start with the schema modeline",
         raw=True),
    Case("wrong-schema-modeline", "facts/bad.yaml", modeline("sources") + "\n" + FACT, 1,
         "file starts with a different schema modeline — make the first line: " + modeline("facts"), raw=True),
    # ------------------------------------------------------------ wrong shapes and types
    Case("mapping-where-list-expected", "facts/bad.yaml", FACT.replace("- id", "id").replace("\n  ", "\n"), 1,
         "a facts file holds a list of records"),
    Case("list-where-record-expected", "topics/bad.yaml", "- id: bad-topic\n", 1, "a topics file holds one record"),
    Case("text-for-number", "facts/bad.yaml", fact(context="  context: {population: adults, n: twelve}"), 4,
         "context.n: Input should be a valid integer"),
    Case("list-for-mapping", "facts/bad.yaml", fact(context="  context: [adults]"), 4,
         "context: Input should be a valid dictionary"),
    Case("number-for-list", "facts/bad.yaml", fact(cite="  cite: 3"), 5, "cite: Input should be a valid list"),
    Case("true-for-text", "facts/bad.yaml", fact(statement="  statement: true"), 3,
         "statement: Input should be a valid string"),
    Case("empty-citation-list", "facts/bad.yaml", fact(cite="  cite: []"), 5, "List should have at least 1 item"),
    Case("not-a-number", "facts/bad.yaml", fact(context="  context: {population: adults}\n  measure: {value: .nan}"), 5,
         "measure.value: Input should be a finite number"),
    Case("infinite-number", "facts/bad.yaml", fact(context="  context: {population: adults}\n  measure: {value: 1e999}"), 5,
         "measure.value: Input should be a finite number"),
    Case("id-with-spaces", "facts/bad.yaml", fact(id="- id: Bad Fact"), 1, "id: String should match pattern"),
    Case("unknown-kind", "facts/bad.yaml", fact(kind="  kind: defintion"), 2, "did you mean 'definition'?"),
    Case("date-in-words", "topics/test-topic.yaml", None, "last_reviewed", "review.last_reviewed: Input should be a valid date",
         make=lambda p: p.write_text(p.read_text().replace("2026-11-01", "1st November 2026"))),
    # ------------------------------------------------------------ unknown and missing keys
    Case("unknown-key", "facts/bad.yaml", fact(statement="  statment: A plain statement."), 3,
         "unknown key 'statment' — did you mean 'statement'?"),
    Case("unknown-nested-key", "facts/bad.yaml",
         fact(context="  context: {population: adults}\n  measure: {n: 1, denominatr: 2}"), 5,
         "unknown key 'denominatr' — did you mean 'denominator'?"),
    Case("missing-field", "facts/bad.yaml", fact(context="  # no context"), 1, "missing required field 'context'"),
    Case("missing-nested-field", "facts/bad.yaml", fact(cite="  cite: [{source: cohort}]"), 5,
         "missing required field 'locator'"),
    # ------------------------------------------------------------ references between records
    Case("duplicate-id-in-one-file", "facts/bad.yaml", FACT + FACT, 6, "duplicate facts id 'bad-fact' (also in content/facts/bad.yaml:2)"),
    Case("duplicate-id-across-files", "facts/bad.yaml", fact(id="- id: test-sex"), 1,
         "duplicate facts id 'test-sex' (also in content/facts/facts.yaml:"),
    Case("duplicate-source-across-files", "sources/bad.yaml",
         "- id: cohort\n  type: report\n  title: Again\n  short_title: Again\n  label: Again\n"
         "  appraisal: {document_type: report, strength: low, summary: Again.}\n", 1, "duplicate sources id 'cohort'"),
    Case("dangling-citation", "facts/bad.yaml", fact(cite="  cite: [{source: cohrot, locator: Table I}]"), 5,
         "unknown source 'cohrot' — did you mean 'cohort'?"),
    Case("dangling-inline-citation", "facts/bad.yaml", fact(statement="  statement: As shown [@nobody-2020, p. 3]."), 3,
         "unknown source 'nobody-2020'"),
    Case("dangling-fact-on-topic", "topics/bad.yaml",
         "id: bad-topic\ntitle: Bad\nsummary: Bad.\norder: 2\nreview: {last_reviewed: 2026-01-01, reviewed_by: X}\n"
         "sections:\n  - heading: One\n    facts: [test-sex, test-sexx]\n", 8,
         "unknown fact 'test-sexx' — did you mean 'test-sex'?"),
    Case("fact-on-no-page", "facts/bad.yaml", FACT, 1, "fact 'bad-fact' is not on any topic page"),
    Case("future-review-date", "topics/test-topic.yaml", None, "last_reviewed", "is in the future",
         make=lambda p: p.write_text(p.read_text().replace("2026-11-01", "2999-11-01"))),
    # ------------------------------------------------------------ numbers and units
    Case("unknown-unit", "facts/bad.yaml",
         fact(kind="  kind: statistic", context="  context: {population: adults}\n  measure: {value: 5, unit: G/L}"), 5,
         "unknown unit 'G/L'"),
    Case("white-count-threshold-in-percent", "facts/bad.yaml",
         fact(kind="  kind: threshold", context="  context: {population: adults}\n  threshold: {quantity: wbc, "
              "comparator: '>', value: 50, unit: '%', defines: high, as_stated: over 50}"), 5,
         "a threshold of wbc needs one of its units, not '%' — use 10*9/L"),
    Case("threshold-fact-without-numbers", "facts/bad.yaml", fact(kind="  kind: threshold"), 2,
         "a threshold fact needs a 'threshold' block"),
    Case("n-above-denominator", "facts/bad.yaml",
         fact(kind="  kind: statistic", context="  context: {population: adults}\n  measure:\n    n: 12\n    denominator: 10"), 6,
         "n (12) is larger than the denominator (10)"),
    Case("percent-disagrees-with-counts", "facts/bad.yaml",
         fact(kind="  kind: statistic",
              context="  context: {population: adults}\n  measure:\n    n: 5\n    denominator: 10\n    reported_percent: 55"), 8,
         "reported 55% but 5/10 is 50.0%"),
    Case("fractional-count", "facts/bad.yaml",
         fact(kind="  kind: statistic", context="  context: {population: adults}\n  measure:\n    n: 4.5\n    denominator: 10"), 6,
         "a count of 4.5 is not a whole number"),
    Case("percent-over-100", "facts/bad.yaml",
         fact(kind="  kind: statistic", context="  context: {population: adults}\n  measure: {reported_percent: 120}"), 5,
         "measure.reported_percent: Input should be less than or equal to 100"),
    Case("range-upside-down", "facts/bad.yaml",
         fact(context="  context: {population: adults}\n  measure: {low: 11, high: 4.5, unit: 10*9/L}"), 5,
         "low (11) is above high (4.5)"),
    # ------------------------------------------------------------ markup that must never reach a reader's browser
    Case("script-tag", "facts/bad.yaml", fact(statement="  statement: Most <script>alert(1)</script> recovered."), 3,
         "raw HTML '<script>' is not allowed in content"),
    Case("image-with-handler", "topics/test-topic.yaml", None, "onerror", "raw HTML '<img src=x onerror=alert(1)>'",
         make=lambda p: p.write_text(p.read_text().replace("A page to test", "<img src=x onerror=alert(1)> A page to test"))),
    Case("javascript-link", "facts/bad.yaml", fact(statement="  statement: See [this](javascript:alert(1))."), 3,
         "a 'javascript:' URL is not allowed in content"),
    Case("data-url", "sources/sources.yaml", None, "data:text/html", "a 'data:text/html' URL is not allowed in content",
         make=lambda p: p.write_text(p.read_text().replace("A small retrospective series.",
                                                           "A small series [see](data:text/html;base64,PHNjcmlwdD4=)."))),
    Case("image", "facts/bad.yaml", fact(statement="  statement: Looks like this ![x](https://tracker.example/p.png)."), 3,
         "images are not allowed in content"),
    Case("link-to-missing-page", "facts/bad.yaml", fact(statement="  statement: See [the page](no-such-page.md#top)."), 3,
         "link to 'no-such-page.md', a page this site does not have"),
    Case("link-to-another-scheme", "facts/bad.yaml", fact(statement="  statement: See [files](file:///etc/passwd)."), 3,
         "link target 'file:///etc/passwd' is not allowed"),
]


def test_corpus_is_large_and_names_are_unique():
    assert len(CASES) >= 30
    assert len({c.name for c in CASES}) == len(CASES)


def _limits():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (MAX_SECONDS * 3, MAX_SECONDS * 3))


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float


def run_limited(content: Path, *args: str) -> Run:
    """`refsite` in a child process under memory and CPU limits, with its own peak memory measured."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.monotonic()
        process = subprocess.Popen([sys.executable, "-m", "generator.cli", "--content", str(content), *args],
                                   stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=content.parent,
                                   preexec_fn=_limits, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        return Run(process.returncode, out.read(), err.read(), seconds, usage.ru_maxrss / 1024)


def write_case(case: Case, content: Path) -> Path:
    file = content / case.path
    file.parent.mkdir(parents=True, exist_ok=True)
    if case.make:
        case.make(file)
    elif isinstance(case.text, bytes):
        file.write_bytes(case.text)
    else:
        kind = case.path.split("/")[0]
        file.write_text(case.text if case.raw else f"{modeline(kind)}\n{case.text}", encoding="utf-8")
    return file


def expected_line(case: Case, file: Path) -> int:
    if isinstance(case.line, str):
        return next(i for i, line in enumerate(file.read_text().splitlines(), 1) if case.line in line)
    return case.line + (0 if case.raw or case.make else 1)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_reported_clearly_and_safely(case: Case, tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    file = write_case(case, content)
    line = expected_line(case, file)
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.md").write_text("previous good build")
    before = snapshot(out)

    checked = run_limited(content, "check")
    location = f"content/{case.path}:{line}:"
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "Traceback" not in checked.stdout + checked.stderr
    lines = [line for line in checked.stdout.splitlines() if line.startswith(location)]
    assert any(case.expect in line for line in lines), f"wanted {location} … {case.expect}\n{checked.stdout}"
    assert checked.stdout.rstrip().splitlines()[-1].endswith("fix them and run `refsite check` again")
    assert checked.seconds < MAX_SECONDS and checked.max_rss_mb < MAX_RSS_MB, (checked.seconds, checked.max_rss_mb)

    built = run_limited(content, "build", "--markdown-out", str(out), "--docs", str(ROOT / "docs"))
    assert built.returncode == 1 and "Traceback" not in built.stdout + built.stderr
    assert location in built.stdout
    assert snapshot(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".refsite-")]  # no staging folder left behind


MKDOCS_CASES = ["script-tag", "billion-laughs", "binary-file", "tab-indentation"]


@pytest.mark.parametrize("name", MKDOCS_CASES)
def test_real_mkdocs_build_refuses_bad_input_and_keeps_the_old_site(name: str, tmp_path: Path):
    case = next(c for c in CASES if c.name == name)
    project = tmp_path / "project"
    project.mkdir()
    for folder in ("docs", "content"):
        shutil.copytree(ROOT / folder, project / folder)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    # cases refer to the fixture's source ids: give the real content that source too
    shutil.copy(FIXTURE_CONTENT / "sources" / "sources.yaml", project / "content" / "sources" / "zz-fixture.yaml")
    line = expected_line(case, write_case(case, project / "content"))
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("previous good build")
    result = mkdocs_build(project / "mkdocs.yml", site)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"content/{case.path}:{line}:" in result.stderr and case.expect in result.stderr
    assert snapshot(site) == {"index.html": b"previous good build"}


# ------------------------------------------------------------ atomic builds (issue 25 item 2)
def small_project(tmp_path: Path) -> Path:
    """The real configs and docs/ on the small fixture content (its few pages: the real nav is left out)."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copytree(FIXTURE_CONTENT, project / "content")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(config[:config.index("\nnav:")] + "\n", encoding="utf-8")
    shutil.copy(ROOT / "mkdocs.offline.yml", project)
    return project


def previous_site(site: Path) -> str:
    """A last good site/ (any tree will do); the hash of every path and byte in it."""
    (site / "leukemoid-reaction").mkdir(parents=True)
    (site / "index.html").write_text("previous good build")
    (site / "leukemoid-reaction" / "index.html").write_text("previous page")
    return tree_hash(site)


def tree_hash(folder: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<dir>")
    return digest.hexdigest()


def left_behind(project: Path, temp: Path) -> list[str]:
    """What a build left beside site/ (a staging folder) or in its temporary folder (an offline bundle's)."""
    return sorted([p.name for p in project.iterdir() if p.name.startswith(".")] + [p.name for p in temp.iterdir()])


def break_link(project: Path) -> str:
    replace(project / "content" / "facts" / "facts.yaml", "Most had neutrophil predominance.",
            "Most had [neutrophil](test-topic.md#no-such-place) predominance.")
    return "no element with id 'no-such-place'"


def break_image(project: Path) -> str:
    # Without the offline bundle, whose own strict build would fail on it first.
    replace(project / "mkdocs.yml", "      deploy:", "      offline_bundle: false\n      deploy:")
    with (project / "docs" / "about.md").open("a") as about:
        about.write("\n![a picture](no-such-picture.png)\n")
    return "no-such-picture.png"


@pytest.mark.parametrize("damage", [break_link, break_image], ids=["missing-anchor-in-post-build", "strict-warning"])
def test_a_build_that_fails_at_its_end_leaves_the_previous_site_byte_identical(damage, tmp_path: Path):
    """A missing anchor is found by the post-build link check; a missing picture only by MkDocs, as a strict-mode
    warning it counts after the post-build step: either way site/ is the previous one and nothing is left behind."""
    project = small_project(tmp_path)
    why = damage(project)
    site = project / "site"
    before = previous_site(site)
    temp = tmp_path / "tmp"
    temp.mkdir()
    result = mkdocs_build(project / "mkdocs.yml", site, {"TMPDIR": str(temp)})
    assert result.returncode != 0
    assert why in result.stderr and "Traceback" not in result.stderr
    assert tree_hash(site) == before
    assert left_behind(project, temp) == []


@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_ctrl_c_during_mkdocs_build_leaves_the_previous_site_and_nothing_behind(stop: str, tmp_path: Path):
    """Ctrl-C (SIGINT), or a termination (SIGTERM: a cancelled CI job), mid-build."""
    import signal

    project = small_project(tmp_path)
    site = project / "site"
    before = previous_site(site)
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("REFSITE_")}, "NO_MKDOCS_2_WARNING": "1",
           "TMPDIR": str(temp)}
    build = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        # Mid-build: pages are being written into the staging folder and the offline bundle is building.
        while not (list(project.glob(".site.*/assets")) and list(temp.glob("refsite-bundle-*/*"))):
            assert build.poll() is None and time.monotonic() < deadline, build.stderr.read() if build.stderr else ""
            time.sleep(0.05)
        build.send_signal(getattr(signal, stop))
        _, stderr = build.communicate(timeout=60)
    finally:
        build.kill()
    assert build.returncode != 0
    assert tree_hash(site) == before
    assert left_behind(project, temp) == []


# ------------------------------------------------------------ ids whose page would replace another page
@pytest.mark.parametrize("topic_id, taken", [("about", "the hand-written page docs/about.md"),
                                             ("index", "a page the site generates"),
                                             ("quick-reference", "a page the site generates"),
                                             ("count-calculator", "the page of calculator 'count'")])
def test_a_topic_id_that_would_replace_another_page_is_refused_at_its_line(topic_id: str, taken: str, tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    shutil.copytree(ROOT / "tests" / "fixtures" / "calculators", content / "calculators")
    (tmp_path / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "about.md", tmp_path / "docs")  # the hand-written pages beside the content
    (content / "topics" / "clash.yaml").write_text(
        f"{modeline('topics')}\nid: {topic_id}\ntitle: Clash\nsummary: Clash.\norder: 2\n"
        "review: {last_reviewed: 2026-01-01, reviewed_by: X}\nsections:\n  - heading: One\n    facts: [test-sex]\n")
    checked = run_limited(content, "check")
    assert checked.returncode == 1 and "Traceback" not in checked.stdout + checked.stderr
    page = f"{topic_id}.md"
    assert f"content/topics/clash.yaml:2:5: topic id '{topic_id}' would give the page {page}, which is {taken}" \
        in checked.stdout, checked.stdout
    if topic_id == "count-calculator":  # both records are named
        assert f"calculator id 'count' would give the page {page}, which is the page of topic '{topic_id}'" in checked.stdout
