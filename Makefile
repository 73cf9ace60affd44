# The two set-up commands in README.md: `make run` (main job) and `make test` (whole suite).
# Both work on a fresh machine with only Python 3.11 and root: they create .venv and install
# what they need themselves (`make test` also installs Debian's chromium and a Java runtime).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test install install-test system-deps build app lint docs benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamps: pip runs again only when pyproject.toml changes, not on every `make run`.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Browser tests need Debian's chromium (no browser downloads here); the OWL reasoner needs Java.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1; then \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium default-jre-headless >/dev/null; \
	fi

# The graph, then the ontology's HTML documentation (pyLODE) beside it for the app's Ontology page.
build: install
	$(BIN)/permanence-kg build
	$(BIN)/python app/ontology_docs.py build

# Serves the app on 127.0.0.1 only and prints its URL; it opens no browser. `make run PORT=8600`.
app:
	@echo "permanence-kg explorer: open http://127.0.0.1:$(PORT)/ in a browser (Ctrl+C stops it)"
	$(BIN)/streamlit run app/streamlit_app.py --server.address 127.0.0.1 --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

run: build app

lint: install-test
	$(BIN)/black --check kg app tests benchmarks
	$(BIN)/flake8 kg app tests benchmarks
	$(BIN)/mypy

docs: install-test
	$(BIN)/cog -r docs/cli.md

test: system-deps install-test
	$(BIN)/permanence-kg build
	$(BIN)/black --check kg app tests benchmarks
	$(BIN)/flake8 kg app tests benchmarks
	$(BIN)/mypy
	$(BIN)/cog --check docs/cli.md
	$(BIN)/pytest

benchmark: build
	$(BIN)/python benchmarks/build.py
	$(BIN)/python benchmarks/queries.py
	$(BIN)/python benchmarks/floor.py
	$(BIN)/python benchmarks/load_method.py
	$(BIN)/python benchmarks/app_pages.py

clean:
	rm -rf build .pytest_cache .mypy_cache
