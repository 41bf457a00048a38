# Two commands do everything on a fresh machine with Python 3.11:
#   make site   build the site into site/ (creates .venv and installs on first use)
#   make test   run the whole test suite (installs what the tests need)
#   make test-fast   every test that needs no browser, for the loop while you work

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
# Material prints a banner about its end of life on every build; the README says it once.
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve validate render new migrate test test-fast lint browser bench clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(INSTALLED)

site: $(INSTALLED)
	$(BIN)/python -m generator build

serve: $(INSTALLED)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

validate: $(INSTALLED)
	$(BIN)/python -m generator validate

render: $(INSTALLED)
	$(BIN)/python -m generator render --out build/docs

# make new KIND=exemplar TITLE="Breakfast club drop-in"   (KIND: exemplar or evidence)
new: $(INSTALLED)
	@if [ -z "$(TITLE)" ]; then echo 'usage: make new KIND=exemplar TITLE="Your title"' >&2; exit 2; fi
	$(BIN)/python -m generator new $(or $(KIND),exemplar) --title "$(TITLE)"

migrate: $(INSTALLED)
	$(BIN)/python -m generator migrate

# Browser tests drive Debian's Chromium (Playwright's own browser download does not work here).
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Browser tests need Debian's Chromium: sudo apt-get install chromium" >&2; exit 1; fi; \
	fi

# Every test, on both cores, after the linter and the type checker.
test: $(INSTALLED) browser lint
	$(BIN)/python -m pytest -n 2

# The quick loop while working: every test that needs no browser, on both cores.
# Add -m "not browser and not slow" by hand for a quicker one still.
test-fast: $(INSTALLED)
	$(BIN)/python -m pytest -m "not browser" -n 2

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The finder against Material's search at N = 100, 1,000 and 5,000 records (8 minutes
# on 2 cores); prints the figures and records them in docs/performance.md.
# Benchmarks (not part of make test): the finder against Material's search, then
# validation, build time, size and memory against their baselines. Both record their
# latest figures in docs/performance.md.
bench: $(INSTALLED) browser
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m bench
	$(BIN)/python -m bench.scale

clean:
	rm -rf site .site-build-* .site-old .site.lock build .pytest_cache
