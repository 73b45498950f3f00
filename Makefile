# The two commands of the quick start are `make run` and `make test`; both bootstrap uv and the
# virtual environment on a machine that only has Python 3.11 and make.
PYTHON ?= python3.11
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
RUN := $(UV) run --frozen
HOST ?= 127.0.0.1
PORT ?= 8050

.DEFAULT_GOAL := help
.PHONY: help install run demo test lint typecheck pytest browser-deps bench bench-large lighthouse docs clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(UV):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (looked for $(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==0.13.9

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(VENV)/.synced ## create .venv with the locked dependencies

run: install ## build the demo warehouse and serve the dashboard on http://$(HOST):$(PORT)
	$(RUN) observatory demo --host $(HOST) --port $(PORT)

demo: install ## build the demo warehouse without serving
	$(RUN) observatory demo --no-serve

lint: install ## ruff lint and format check
	$(RUN) ruff check .
	$(RUN) ruff format --check .

typecheck: install ## mypy
	$(RUN) mypy

browser-deps: install ## Debian chromium for the browser tests (installed when missing)
	@bash .ci/browser-deps.sh

pytest: install browser-deps ## every test, browser tests included
	$(RUN) pytest -q

test: lint typecheck pytest ## lint, type-check and run every test

bench: install ## benchmarks at a small scale (under 5 minutes)
	$(RUN) python -m bench.run --scale small

bench-large: install ## the 10M vacancies / 2M enrolments benchmark (long)
	$(RUN) python -m bench.run --scale large

lighthouse: install ## Lighthouse on /, /pool/technicity, /labour-market (npm; after `make bench`)
	$(RUN) python -m bench.lighthouse

docs: install ## regenerate docs/data-dictionary.md and docs/indicators.md
	$(RUN) observatory docs

clean: ## remove the environments and generated data
	rm -rf $(VENV) $(TOOLS) data/inbox data/warehouse data/quarantine .mypy_cache .ruff_cache .pytest_cache
