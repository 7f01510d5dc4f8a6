"""`make serve-zensical` rebuilds a page when a content file is saved, keeps the last good page
while the content has a problem, and stops with everything it started."""

from __future__ import annotations

import os
import signal
import subprocess

import pytest

from tests.conftest import make_command, zensical_project
from tests.test_serve import fetch, free_port, wait_for


@pytest.fixture
def served_project(tmp_path):
    project = zensical_project(tmp_path / "project", content_copy=True)
    port = free_port()
    log = open(tmp_path / "serve.log", "w")
    # A session of its own, so that stopping it stops make, refsite and Zensical alike.
    server = subprocess.Popen(make_command(project, "serve-zensical", f"ZENSICAL_ADDR=127.0.0.1:{port}"),
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/leukemoid-reaction/"
    try:
        assert wait_for(lambda: "Leukemoid reaction" in fetch(url)), (tmp_path / "serve.log").read_text()
        yield project, url, tmp_path / "serve.log"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def test_saving_a_fact_rebuilds_its_page_and_bad_content_keeps_the_last_good_page(served_project):
    project, url, log = served_project
    assert "Content-Security-Policy" not in fetch(url)  # nothing fills its hashes here, and live reload is inline
    facts = project / "content" / "facts" / "definitions.yaml"
    original = facts.read_text()
    assert "the total white cell count as 4.5 to 11.0" in original
    facts.write_text(original.replace("the total white cell count as 4.5 to 11.0", "the total white cell count as 4.5 to 11.0 (edited live)"))
    assert wait_for(lambda: "(edited live)" in fetch(url)), log.read_text()

    facts.write_text(original.replace("  statement:", "  statment:", 1))
    assert wait_for(lambda: "still showing the last valid content" in log.read_text()), log.read_text()
    assert "unknown key 'statment'" in log.read_text() and "Traceback" not in log.read_text()
    assert "(edited live)" in fetch(url)

    facts.write_text(original.replace("the total white cell count as 4.5 to 11.0", "the total white cell count as 4.5 to 11.0 (fixed)"))
    assert wait_for(lambda: "(fixed)" in fetch(url)), log.read_text()
