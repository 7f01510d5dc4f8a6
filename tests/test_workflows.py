"""The contributor workflow files: CI on pull requests with a preview of the site,
deployment from main with the site's two addresses, workflows that pass actionlint and
zizmor with every action pinned by commit, issue forms that pass GitHub's schema and
carry what a reviewer needs, pre-commit hooks that run the project's checks, and a
CONTRIBUTING that starts from the page and whose worked example prints what
`refsite check` really prints."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.links import FACT_FORM, PAGE_FORM, SOURCE_FORM, fact_issue_url, page_issue_url, repository
from generator.load import parse_document
from generator.pipeline import check
from generator.scaffold import place_fact
from tests.conftest import REAL_CONTENT, ROOT, TEST_REPOSITORY, run_cli

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
FORMS = ROOT / ".github" / "ISSUE_TEMPLATE"
BIN = Path(sys.executable).parent  # the linters come from requirements.lock, beside this Python


def load_yaml(path: Path):
    """Through the project's own YAML 1.2 loader: `on:` stays the word "on" (YAML 1.1 makes it True)."""
    doc, problems = parse_document(path.read_text(), str(path))
    assert problems == [], problems
    return doc.data


def steps(job: dict) -> list[dict]:
    return job["steps"]


def runs(job: dict) -> list[str]:
    return [s["run"] for s in steps(job) if "run" in s]


def uses(job: dict, action: str) -> dict:
    return next(s for s in steps(job) if s.get("uses", "").startswith(action + "@"))


def test_pull_requests_run_every_test_and_upload_the_site():
    workflow = load_yaml(ROOT / ".github" / "workflows" / "tests.yml")
    assert "pull_request" in workflow["on"]
    job = workflow["jobs"]["test"]
    assert "bookworm" in job["container"]  # Debian, so `make test` can apt-get chromium
    assert uses(job, "actions/checkout")["with"]["fetch-depth"] == 0  # page dates need the whole history
    commands = runs(job)
    assert "make test" in commands and "make build" in commands
    assert commands.index("make test") < commands.index("make build")
    artifact = uses(job, "actions/upload-artifact")["with"]
    assert artifact["name"] == "site-preview" and artifact["path"].rstrip("/") == "site"


def test_main_is_tested_built_and_deployed_to_pages():
    workflow = load_yaml(ROOT / ".github" / "workflows" / "pages.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {}  # each job asks for what it needs
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert uses(build, "actions/checkout")["with"]["fetch-depth"] == 0
    assert runs(build)[-2:] == ["make test", "make build"]
    assert uses(build, "actions/upload-pages-artifact")["with"]["path"].rstrip("/") == "site"
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    uses(deploy, "actions/deploy-pages")


def test_pages_build_takes_both_addresses_from_the_repository_it_runs_in():
    build = load_yaml(ROOT / ".github" / "workflows" / "pages.yml")["jobs"]["build"]
    names = [s.get("id") or s.get("run") for s in steps(build)]
    assert names.index("pages") < names.index("make build")  # configure-pages knows the Pages address
    assert uses(build, "actions/configure-pages")["id"] == "pages"
    env = next(s for s in steps(build) if s.get("run") == "make build")["env"]
    assert env == {"REFSITE_DEPLOY": "true", "REFSITE_SITE_URL": "${{ steps.pages.outputs.base_url }}/",
                   "REFSITE_REPO_URL": "${{ github.server_url }}/${{ github.repository }}"}
    assert "env" not in next(s for s in steps(build) if s.get("run") == "make test")  # tests set their own


def test_every_action_is_pinned_to_a_commit():
    for workflow in WORKFLOWS:
        lines = [line for line in workflow.read_text().splitlines() if re.match(r"\s*(-\s+)?uses:", line)]
        assert lines, workflow
        for line in lines:
            assert re.fullmatch(r"\s*(-\s+)?uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), line


def run_linter(*command: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / command[0]), *command[1:]], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_actionlint_passes_on_the_workflows_and_catches_a_mistake(tmp_path):
    result = run_linter("actionlint", "-no-color", *map(str, WORKFLOWS))
    assert result.returncode == 0, result.stdout + result.stderr
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text((ROOT / ".github" / "workflows" / "tests.yml").read_text()
                      .replace("make build", "make build ${{ github.no_such_thing }}"))
    result = run_linter("actionlint", "-no-color", str(broken), cwd=tmp_path)
    assert result.returncode == 1 and "no_such_thing" in result.stdout


def test_zizmor_passes_on_the_workflows_and_catches_an_unpinned_action(tmp_path):
    result = run_linter("zizmor", "--offline", "--no-progress", ".github/workflows")
    assert result.returncode == 0, result.stdout + result.stderr
    unpinned = tmp_path / "unpinned.yml"
    unpinned.write_text(re.sub(r"actions/checkout@[0-9a-f]{40}", "actions/checkout@v4",
                               (ROOT / ".github" / "workflows" / "tests.yml").read_text()))
    result = run_linter("zizmor", "--offline", "--no-progress", str(unpinned))
    assert result.returncode != 0 and "unpinned-uses" in result.stdout


def form(name: str) -> dict:
    return load_yaml(FORMS / name)


def field_ids(name: str) -> list[str]:
    return [field["id"] for field in form(name)["body"] if "id" in field]


def test_issue_forms_and_workflows_pass_githubs_schemas(tmp_path):
    """SchemaStore's schemas for GitHub's files, as vendored in check-jsonschema (no network)."""
    for schema, files in (("vendor.github-issue-forms", [FORMS / f for f in (FACT_FORM, SOURCE_FORM, PAGE_FORM)]),
                          ("vendor.github-issue-config", [FORMS / "config.yml"]),
                          ("vendor.github-workflows", WORKFLOWS)):
        result = run_linter("check-jsonschema", "--builtin-schema", schema, *map(str, files))
        assert result.returncode == 0, result.stdout + result.stderr
    unlabelled = tmp_path / "form.yml"  # a field without its label: GitHub refuses the form
    unlabelled.write_text((FORMS / FACT_FORM).read_text().replace("      label: Locator\n", ""))
    result = run_linter("check-jsonschema", "--builtin-schema", "vendor.github-issue-forms", str(unlabelled))
    assert result.returncode == 1


def test_issue_forms_ask_what_a_reviewer_needs():
    needs = {FACT_FORM: {"fact-id", "page", "source", "locator", "source-says", "evidence"},
             SOURCE_FORM: {"reference", "source-says", "locator", "evidence", "page"},
             PAGE_FORM: {"page", "what-happened", "evidence"}}
    assert {f.name for f in FORMS.glob("*.yml")} == set(needs) | {"config.yml"}
    for name, fields in needs.items():
        ids = field_ids(name)
        assert len(ids) == len(set(ids)), name  # GitHub refuses a form with a repeated id
        assert fields <= set(ids), (name, fields - set(ids))
        required = {f["id"] for f in form(name)["body"] if f.get("validations", {}).get("required")}
        assert fields - {"page", "evidence"} <= required, name
    assert form("config.yml")["blank_issues_enabled"] is False


def test_report_links_fill_fields_the_forms_have():
    content, _ = check(REAL_CONTENT)
    repo = repository(TEST_REPOSITORY)
    for url, name in ((fact_issue_url(repo, next(iter(content.facts.values())), "https://example.org/p/"), FACT_FORM),
                      (page_issue_url(repo, "https://example.org/p/", "A page"), PAGE_FORM)):
        query = dict(part.split("=", 1) for part in url.split("?", 1)[1].split("&"))
        assert query.pop("template") == name and query.pop("title")
        assert set(query) <= set(field_ids(name)), (name, set(query) - set(field_ids(name)))


def test_pre_commit_hooks_run_the_project_checks_and_pass_on_this_tree():
    config = load_yaml(ROOT / ".pre-commit-config.yaml")
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert set(hooks) == {"refsite-check", "refsite-schemas", "refsite-decision-table", "refsite-architecture",
                          "refsite-typecheck"}
    for changed in ("content/calculators/white-cell-count.yaml", "generator/widgets/checklist/evaluate.py",
                    "review/decision-table.csv"):
        assert re.search(hooks["refsite-decision-table"]["files"], changed)
    assert re.search(hooks["refsite-check"]["files"], "content/facts/definitions.yaml")
    assert re.search(hooks["refsite-schemas"]["files"], "generator/model.py")
    assert re.search(hooks["refsite-architecture"]["files"], "generator/widgets/calculator/render.py")
    for changed in ("generator/widgets/calculator/spec.py", "site_plugins/refsite_plugin.py", "pyproject.toml"):
        assert re.search(hooks["refsite-typecheck"]["files"], changed)
    assert not re.search(hooks["refsite-typecheck"]["files"], "content/facts/definitions.yaml")
    for hook in hooks.values():
        assert hook["language"] == "system" and hook["pass_filenames"] is False
        result = subprocess.run(shlex.split(hook["entry"]), cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_from_the_lock_runs_the_hooks_on_every_file():
    """The pinned pre-commit reads the config and runs every hook over the whole tree, as
    `make hooks` sets them up to run on each commit."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: pre-commit runs only in one")
    pre_commit = [sys.executable, "-m", "pre_commit"]
    result = subprocess.run([*pre_commit, "run", "--all-files"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("refsite check", "JSON Schemas up to date", "review/decision-table.csv up to date", "import contracts kept",
                 "mypy"):
        assert re.search(rf"^{re.escape(name)}.*Passed$", result.stdout, re.M), result.stdout


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_pull_request_template_asks_for_sources_and_links_the_clinical_checklist():
    text = (ROOT / ".github" / "pull_request_template.md").read_text()
    assert text.count("- [ ]") >= 8
    assert "threshold or dose" in text and "locator" in text
    link = re.search(r"\[reviewer's clinical checklist\]\(\.\./blob/main/CONTRIBUTING\.md#([\w-]+)\)", text)
    headings = re.findall(r"^#+ (.+)$", (ROOT / "CONTRIBUTING.md").read_text(), re.M)
    assert link and link.group(1) in {github_anchor(h) for h in headings} and "Reviewer's clinical checklist" in headings


def test_contributing_starts_with_the_two_tap_path():
    text = (ROOT / "CONTRIBUTING.md").read_text()
    sections = re.findall(r"^## (.+)$", text, re.M)
    assert sections[0].startswith("From the page") and sections[1] == "Set up once"
    first = text.split("\n## ")[1]
    for step in ("Suggest a correction", "web editor", "pull request", "Report a problem"):
        assert step in first, step
    assert first.index("Suggest a correction") < first.index("web editor") < first.index("pull request")
    readme = (ROOT / "README.md").read_text()
    assert "REFSITE_SITE_URL" in readme and "REFSITE_REPO_URL" in readme


def contributing_block(marker: str) -> str:
    text = (ROOT / "CONTRIBUTING.md").read_text()
    after = text[text.index(marker):]
    return re.search(r"```\w*\n(.*?)```", after, re.S).group(1)


def test_contributing_example_shows_what_refsite_check_really_prints(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, content)
    example = content / "facts" / "my-first-facts.yaml"
    example.write_text(contributing_block("<!-- example: content/facts/my-first-facts.yaml -->"))
    shown = contributing_block("<!-- example output -->").rstrip("\n").splitlines()
    result = run_cli(content, "check")
    assert result.returncode == 1
    actual = result.stdout.rstrip("\n").splitlines()
    assert actual[:-1] == shown[:-1]
    count = re.compile(r"\(\d+ files checked\)")
    assert count.sub("", actual[-1]) == count.sub("", shown[-1])

    # the fixes the guide describes make the content valid
    example.write_text(example.read_text().replace("reported_percent: 87", "reported_percent: 78")
                       .replace("bone-tumor-cohort", "bone-tumour-cohort"))
    topic_file = content / "topics" / "bone-tumour-cohort-study.yaml"
    topic, _ = check(content)
    headings = [s.heading for s in topic.topics["bone-tumour-cohort-study"].sections]
    place_fact(topic_file, headings.index("Outcomes of the PLR group"), "cohort-plr-12-week-outcome-discussion")
    assert [str(p) for p in check(content)[1]] == []
