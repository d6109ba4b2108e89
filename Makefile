# The two commands of the README:
#   make site   set up, build the graph, the dumps and the site into dist/
#   make test   set up, lint and run every test
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site test lint pytest clean bench evaluate

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The site's browser components (Yasqe, Yasr, Oxigraph WebAssembly) and axe-core, pinned
# by package-lock.json; the build copies the files it needs into dist/site/vendor/.
NODE := node_modules/.package-lock.json
$(NODE): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(NODE)

site: $(STAMP) $(NODE)
	$(BIN)/wpsgraph build --out dist

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

pytest: $(STAMP) $(NODE)
	$(BIN)/pytest

test: lint pytest

# Timings are measured here, never in the tests. Writes bench/results/.
bench: $(STAMP) $(NODE)
	$(BIN)/pip install --quiet matplotlib
	$(BIN)/python bench/run.py

# Precision and recall of the linker on the whole gold set (the targets), then on its
# held-out half (the second round of rule changes saw its errors too: see the README).
evaluate: $(STAMP)
	$(BIN)/wpsgraph evaluate --split all
	@echo; echo "held-out half:"
	$(BIN)/wpsgraph evaluate --split test | head -3

clean:
	rm -rf dist .dist.lock tests/output .pytest_cache .ruff_cache
