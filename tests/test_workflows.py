"""The contributor workflow files: CI on pull requests with a preview of the site,
deployment from main, pre-commit hooks that run the project's checks, and a
CONTRIBUTING worked example whose output is what `refsite check` really prints."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.load import parse_document
from generator.pipeline import check
from generator.scaffold import place_fact
from tests.conftest import REAL_CONTENT, ROOT, run_cli


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
    assert workflow["permissions"]["pages"] == "write" and workflow["permissions"]["id-token"] == "write"
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert uses(build, "actions/checkout")["with"]["fetch-depth"] == 0
    assert runs(build)[-2:] == ["make test", "make build"]
    assert uses(build, "actions/upload-pages-artifact")["with"]["path"].rstrip("/") == "site"
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    uses(deploy, "actions/deploy-pages")


def test_pre_commit_hooks_run_the_project_checks_and_pass_on_this_tree():
    config = load_yaml(ROOT / ".pre-commit-config.yaml")
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert set(hooks) == {"refsite-check", "refsite-schemas"}
    assert re.search(hooks["refsite-check"]["files"], "content/facts/definitions.yaml")
    assert re.search(hooks["refsite-schemas"]["files"], "generator/model.py")
    for hook in hooks.values():
        assert hook["language"] == "system" and hook["pass_filenames"] is False
        result = subprocess.run(shlex.split(hook["entry"]), cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_from_the_lock_runs_the_hooks_on_every_file():
    """The pinned pre-commit reads the config and runs both hooks over the whole tree, as
    `make hooks` sets them up to run on each commit."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: pre-commit runs only in one")
    pre_commit = [sys.executable, "-m", "pre_commit"]
    result = subprocess.run([*pre_commit, "run", "--all-files"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("refsite check", "JSON Schemas up to date"):
        assert re.search(rf"^{re.escape(name)}.*Passed$", result.stdout, re.M), result.stdout


def test_pull_request_template_asks_for_sources_and_the_clinical_review():
    text = (ROOT / ".github" / "pull_request_template.md").read_text()
    assert text.count("- [ ]") >= 8
    assert "threshold or dose" in text and "locator" in text and "CONTRIBUTING.md" in text


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
    example.write_text(example.read_text().replace("reported_percent: 65", "reported_percent: 56")
                       .replace("bone-tumor-cohort", "bone-tumour-cohort"))
    topic_file = content / "topics" / "bone-tumour-cohort-study.yaml"
    topic, _ = check(content)
    headings = [s.heading for s in topic.topics["bone-tumour-cohort-study"].sections]
    place_fact(topic_file, headings.index("Table II: patients and blood counts"), "cohort-men-share")
    assert [str(p) for p in check(content)[1]] == []
