"""`mkdocs serve` regenerates pages when a YAML file is saved (live reload)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return ""


def wait_for(predicate, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


@pytest.fixture
def served_project(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("docs", "content"):
        shutil.copytree(ROOT / name, project / name)
    for name in ("mkdocs.yml", "mkdocs.offline.yml"):
        shutil.copy(ROOT / name, project / name)
    port = free_port()
    log = open(tmp_path / "serve.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}",
                               "-f", str(project / "mkdocs.yml")], cwd=project, stdout=log, stderr=subprocess.STDOUT,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    url = f"http://127.0.0.1:{port}/leukemoid-reaction/"
    try:
        assert wait_for(lambda: "Leukemoid reaction" in fetch(url)), (tmp_path / "serve.log").read_text()
        yield project, url, tmp_path / "serve.log"
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def test_saving_a_fact_rebuilds_its_page_and_bad_content_keeps_the_last_good_page(served_project):
    project, url, log = served_project
    facts = project / "content" / "facts" / "definitions.yaml"
    original = facts.read_text()
    assert "the total white cell count as 4.5 to 11.0" in original
    facts.write_text(original.replace("the total white cell count as 4.5 to 11.0", "the total white cell count as 4.5 to 11.0 (edited live)"))
    assert wait_for(lambda: "(edited live)" in fetch(url)), log.read_text()

    facts.write_text(original.replace("  statement:", "  statment:", 1))
    assert wait_for(lambda: "unknown key 'statment'" in log.read_text()), log.read_text()
    assert wait_for(lambda: "still showing the last valid content" in log.read_text()), log.read_text()
    assert wait_for(lambda: "(edited live)" in fetch(url))  # the last good build is still served (once the rebuild ends)
    assert "Traceback" not in log.read_text()

    facts.write_text(original.replace("the total white cell count as 4.5 to 11.0", "the total white cell count as 4.5 to 11.0 (fixed)"))
    assert wait_for(lambda: "(fixed)" in fetch(url)), log.read_text()
