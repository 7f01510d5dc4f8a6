# Two commands do all setup on a fresh machine:
#   make serve   build and serve the site at http://127.0.0.1:8000
#   make test    the full test suite (installs Debian's chromium if missing)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Zensical lives in a venv of its own, from a lock of its own, so it cannot move the MkDocs build's versions.
ZVENV := .venv-zensical
ZBIN := $(ZVENV)/bin
ZSTAMP := $(ZVENV)/.installed
ZENSICAL_ADDR := 127.0.0.1:8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build check schemas schemas-check decision-table decision-table-check architecture typecheck test chromium clean lock hooks build-zensical serve-zensical

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

$(ZSTAMP): requirements-zensical.lock
	test -x $(ZBIN)/python || $(PYTHON) -m venv $(ZVENV)
	$(ZBIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-zensical.lock
	touch $(ZSTAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/mkdocs build --strict

# The same site built by Zensical into build/zensical/site/: it runs no plugin, so it builds the
# generator's Markdown (build/zensical/docs/: docs/ with docs-zensical/ laid over it), twice (the
# site, and its file:// variant for the offline zip, whose Markdown links pages as files in
# build/zensical/offline-docs/), then `refsite postbuild` finishes it as the MkDocs plugin does.
# Folders and settings: mkdocs.zensical*.yml.
ZENSICAL_MARKDOWN := --config mkdocs.zensical.yml --markdown-out build/zensical/docs --docs docs docs-zensical
ZENSICAL_OFFLINE_MARKDOWN := --config mkdocs.zensical-offline.yml --markdown-out build/zensical/offline-docs --docs docs docs-zensical
build-zensical: $(STAMP) $(ZSTAMP)
	$(BIN)/refsite build $(ZENSICAL_MARKDOWN)
	$(BIN)/refsite build $(ZENSICAL_OFFLINE_MARKDOWN)
	$(ZBIN)/zensical build --clean --strict -f mkdocs.zensical.yml
	$(ZBIN)/zensical build --clean --strict -f mkdocs.zensical-offline.yml
	$(BIN)/refsite postbuild build/zensical/site --config mkdocs.zensical.yml --offline-site build/zensical/offline-site

# Zensical's own server on the Markdown, which refsite rewrites whenever content/ or docs/ change.
serve-zensical: $(STAMP) $(ZSTAMP)
	$(BIN)/refsite build $(ZENSICAL_MARKDOWN) --watch -- $(ZBIN)/zensical serve -f mkdocs.zensical-serve.yml --dev-addr $(ZENSICAL_ADDR)

check: $(STAMP)
	$(BIN)/refsite check

# JSON Schemas for editors, generated from generator/model.py
schemas: $(STAMP)
	$(BIN)/refsite schemas

# The decision table kept for review (review/decision-table.csv): what every widget shows for every context and
# value, from the content and the widgets' reference evaluators. Run it after any change to either, and commit
# the diff: tests/test_decision_table.py fails while the copy is out of date.
decision-table: $(STAMP)
	$(BIN)/refsite decision-table

decision-table-check: $(STAMP)
	$(BIN)/refsite decision-table --check

schemas-check: $(STAMP)
	$(BIN)/refsite schemas --check

# The generator's shape (.importlinter): data flows one way, widgets stand alone, no import cycles.
architecture: $(STAMP)
	$(BIN)/lint-imports --no-cache

# Static types of generator/ and site_plugins/ (mypy, set up in pyproject.toml): the JSON specs the widgets
# hand the browser are TypedDicts, so a key renamed on one side fails here rather than in a reader's browser.
typecheck: $(STAMP)
	$(BIN)/mypy

# Debian's Chromium for the browser tests, with the fonts the figure tests measure text in.
BROWSER_PACKAGES := chromium fonts-liberation fonts-dejavu-core
chromium:
	@dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1 || \
	  (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(BROWSER_PACKAGES))

# Three workers on two cores: the browser tests spend much of their time waiting on pages (measured: 13.5 min
# of CPU in 17.5 min of wall time with two), and work stealing keeps one long file from finishing alone.
test: $(STAMP) $(ZSTAMP) chromium typecheck architecture
	$(BIN)/python -m pytest -n 3 --dist worksteal

# Contributors: run the project's checks before each commit (.pre-commit-config.yaml).
hooks: $(STAMP)
	$(BIN)/pre-commit install

lock:
	$(BIN)/pip install --quiet pip-tools && $(BIN)/pip-compile --generate-hashes --allow-unsafe -q -o requirements.lock requirements.in
	$(BIN)/pip-compile --generate-hashes --allow-unsafe -q -o requirements-zensical.lock requirements-zensical.in

clean:
	rm -rf site build $(VENV) $(ZVENV) *.egg-info .cache .mypy_cache
