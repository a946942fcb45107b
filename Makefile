# One place for what CI runs. `make check` is the README's test command.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install install-run sample check lint types test test-fast bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# the development install, what `make check` needs: the dev tools and Ray too
install: $(BIN)/python
	# torch first and pinned: an unpinned torch pulls a multi-GB CUDA build
	$(BIN)/pip install -q torch==2.13.0
	# the ray extra too, so the Ray backend's test runs in CI (about 60 MB of wheels)
	$(BIN)/pip install -q -e ".[dev,ray]"

# what running needs, no more: no dev tools, no Ray. torch stays: the first run
# exports the models to ONNX with it (later runs never import it)
install-run: $(BIN)/python
	# torch first and pinned: an unpinned torch pulls a multi-GB CUDA build
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e .

sample: install-run
	mkdir -p out
	$(BIN)/consistency report data/ --format json -o out/report.json
	$(BIN)/consistency report data/ --format md -o out/report.md
	$(BIN)/consistency report data/ --format html -o out/report.html
	@echo "wrote out/report.json, out/report.md and out/report.html (open it in a browser)"

# the dev tools, when .venv has none (a `make sample` one): `make check` works alone
$(BIN)/pytest:
	$(MAKE) install

lint types test test-fast: | $(BIN)/pytest

lint:
	$(BIN)/ruff format --check consistency tui tests bench
	$(BIN)/ruff check consistency tui tests bench
	$(BIN)/lint-imports --no-cache

types:
	$(BIN)/mypy

test:
	$(BIN)/python -m pytest

test-fast:
	$(BIN)/python -m pytest -m "not slow"

check: lint types test

bench:
	$(BIN)/python bench/pipeline_bench.py

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
