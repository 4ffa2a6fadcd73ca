# The two commands of the README: `make build` and `make test`.
VENV    ?= .venv
PYTHON  ?= python3
BIN      = $(VENV)/bin
STAMP    = $(VENV)/.stamp-install
TSTAMP   = $(VENV)/.stamp-test
NSTAMP   = node_modules/.stamp-install
# Debian packages: WeasyPrint's text stack for the build (HarfBuzz subsetting keeps font subsets warning-free);
# Chromium and poppler for the tests.
BUILD_PKGS = libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
TEST_PKGS  = chromium poppler-utils fonts-dejavu-core

.PHONY: build test build-deps system-deps check lint bench screens clean

build: build-deps $(STAMP)
	$(BIN)/course build

check: $(STAMP)
	$(BIN)/course check --strict

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(VENV)/bin/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(TSTAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(NSTAMP): package.json
	npm install --no-audit --no-fund --silent
	touch $@

# Installs the named Debian packages only when missing (as root, or through sudo).
define apt_ensure
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

build-deps:
	$(call apt_ensure,$(BUILD_PKGS))

system-deps: build-deps
	$(call apt_ensure,$(TEST_PKGS))

test: system-deps $(TSTAMP) $(NSTAMP)
	$(BIN)/pytest -q

lint: $(TSTAMP)
	$(BIN)/ruff check course exporters tests bench

bench: $(TSTAMP) $(NSTAMP)
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/scorm_first_screen.py
	$(BIN)/python bench/pdf.py

# Screenshots of every player screen type per edition (real course; desktop, phone, 320 px, forced colours).
screens: system-deps $(TSTAMP) $(NSTAMP)
	SCORM_SHOTS=dist/screens SCORM_COURSE=. $(BIN)/pytest -q tests/test_scorm_a11y.py
	@echo "screenshots in dist/screens/<edition>/"

clean:
	rm -rf dist .pytest_cache
