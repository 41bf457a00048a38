# Two commands do everything on a fresh machine with Python 3.11:
#   make site   build the site into site/ (creates .venv and installs on first use)
#   make test   run the whole test suite (installs what the tests need)
#   make test-fast   every test that needs no browser, for the loop while you work

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Every Python package comes from a lock file with hashes (make lock writes them):
# requirements/build.txt is what building needs, requirements/test.txt adds the test tools.
INSTALLED := $(VENV)/.installed-build
TEST_INSTALLED := $(VENV)/.installed-test
# The test tools from npm (the Nu HTML Checker, the YAML language server), locked in
# requirements/package-lock.json.
NODE_TOOLS := requirements/node_modules/.installed
# Other engines the rendered docs folder must build with, each in a venv of its own.
ENGINES := properdocs zensical
ENGINES_INSTALLED := $(foreach engine,$(ENGINES),.venv-engines/$(engine)/.installed)
CHROMIUM := /usr/bin/chromium
# Material prints a banner about its end of life on every build; the README says it once.
export NO_MKDOCS_2_WARNING := 1

.PHONY: site site-offline serve validate render schemas new migrate test test-fast lint system-tools lock bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# --require-hashes: nothing outside the lock is installed, and nothing that differs from it.
# The project itself comes last, without its dependencies (the lock has them) and built
# with the locked setuptools rather than whatever version pip would fetch for the build.
define install_lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(1)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
endef

$(INSTALLED): requirements/build.txt pyproject.toml | $(BIN)/python
	$(call install_lock,requirements/build.txt)
	touch $@

$(TEST_INSTALLED): requirements/test.txt pyproject.toml | $(BIN)/python
	$(call install_lock,requirements/test.txt)
	touch $@ $(INSTALLED)

.venv-engines/%/.installed: requirements/%.txt
	$(PYTHON) -m venv .venv-engines/$*
	.venv-engines/$*/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $<
	touch $@

$(NODE_TOOLS): requirements/package-lock.json
	npm ci --prefix requirements --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# The lock files, from pyproject.toml's pins and requirements/installer.in: run after
# changing either. test.txt is constrained by build.txt, so the packages both hold are
# the same versions. uv is used for this only; it is not needed to install.
lock:
	$(PYTHON) -m venv build/uv
	build/uv/bin/python -m pip install --quiet uv==0.13.9
	build/uv/bin/uv pip compile --quiet pyproject.toml requirements/installer.in --generate-hashes \
	  --python-version 3.11 --custom-compile-command "make lock" -o requirements/build.txt
	build/uv/bin/uv pip compile --quiet pyproject.toml requirements/installer.in --extra test \
	  -c requirements/build.txt --generate-hashes --python-version 3.11 --custom-compile-command "make lock" \
	  -o requirements/test.txt
	for engine in $(ENGINES); do \
	  build/uv/bin/uv pip compile --quiet requirements/installer.in requirements/$$engine.in --generate-hashes \
	    --python-version 3.11 --custom-compile-command "make lock" -o requirements/$$engine.txt || exit 1; \
	done

site: $(INSTALLED)
	$(BIN)/python -m generator build

# A copy that works opened from disk (file://): links to files, the finder's data preloaded.
site-offline: $(INSTALLED)
	$(BIN)/python -m generator build --offline --site-dir site-offline

serve: $(INSTALLED)
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

validate: $(INSTALLED)
	$(BIN)/python -m generator validate

render: $(INSTALLED)
	$(BIN)/python -m generator render --out build/docs

# schemas/vocabularies/<id>.schema.json from the vocabularies' YAML files, for tools other
# than the generator (check-jsonschema, editors); run it after changing a vocabulary.
schemas: $(INSTALLED)
	$(BIN)/python -m generator schemas

# make new KIND=exemplar TITLE="Breakfast club drop-in"   (KIND: exemplar or evidence)
new: $(INSTALLED)
	@if [ -z "$(TITLE)" ]; then echo 'usage: make new KIND=exemplar TITLE="Your title"' >&2; exit 2; fi
	$(BIN)/python -m generator new $(or $(KIND),exemplar) --title "$(TITLE)"

migrate: $(INSTALLED)
	$(BIN)/python -m generator migrate

# What the tests need from Debian: Chromium for the browser tests (Playwright's own browser
# download does not work here), Java for the Nu HTML Checker, Node.js and npm for the npm tools.
system-tools:
	@missing=""; \
	[ -x $(CHROMIUM) ] || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing; \
	  else echo "The tests need Debian's$$missing: sudo apt-get install$$missing" >&2; exit 1; fi; \
	fi

# Every test, on both cores, after the linter and the type checker.
test: $(TEST_INSTALLED) system-tools $(NODE_TOOLS) $(ENGINES_INSTALLED) lint
	$(BIN)/python -m pytest -n 2

# The quick loop while working: every test that needs no browser, on both cores.
# Add -m "not browser and not slow" by hand for a quicker one still.
test-fast: $(TEST_INSTALLED) system-tools $(NODE_TOOLS) $(ENGINES_INSTALLED)
	$(BIN)/python -m pytest -m "not browser" -n 2

lint: $(TEST_INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Benchmarks (not part of make test), at N = 100, 1,000, 5,000 and 20,000 records: the
# finder against Material's search, then validation, build time, size and memory against
# their baselines (about 80 minutes on 2 cores; add BENCH_MAX=5000 to stop at 5,000).
# Both record their latest figures in docs/performance.md. The live preview's own bench
# is `python -m bench.serve_edit`.
bench: $(TEST_INSTALLED) system-tools
	$(BIN)/python -m bench $(if $(BENCH_MAX),--max $(BENCH_MAX))
	$(BIN)/python -m bench.scale $(if $(BENCH_MAX),--max $(BENCH_MAX))

clean:
	rm -rf site site-offline .site-build-* .site-old .site.lock build .pytest_cache
