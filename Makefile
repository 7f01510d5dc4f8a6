# Two commands do all setup on a fresh machine:
#   make serve   build and serve the site at http://127.0.0.1:8000
#   make test    the full test suite (installs Debian's chromium if missing)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build check schemas schemas-check test chromium clean lock hooks

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/mkdocs build --strict

check: $(STAMP)
	$(BIN)/refsite check

# JSON Schemas for editors, generated from generator/model.py
schemas: $(STAMP)
	$(BIN)/refsite schemas

schemas-check: $(STAMP)
	$(BIN)/refsite schemas --check

# Debian's Chromium for the browser tests, with the fonts the figure tests measure text in.
BROWSER_PACKAGES := chromium fonts-liberation fonts-dejavu-core
chromium:
	@dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1 || \
	  (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(BROWSER_PACKAGES))

test: $(STAMP) chromium
	$(BIN)/python -m pytest -n 2 --dist loadfile

# Contributors: run the project's checks before each commit (.pre-commit-config.yaml).
hooks: $(STAMP)
	$(BIN)/pre-commit install

lock:
	$(BIN)/pip install --quiet pip-tools && $(BIN)/pip-compile --generate-hashes --allow-unsafe -q -o requirements.lock requirements.in

clean:
	rm -rf site $(VENV) *.egg-info
