# Two commands do all the set-up on a fresh machine:
#   make run   - creates .venv, installs csto, runs the main job on the embedded default
#   make test  - creates .venv with the dev extras, runs lint, types and the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test lint bench bench-serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# compileall: an editable install leaves csto's own modules uncompiled, and where
# PYTHONDONTWRITEBYTECODE is set every command would compile them again (a third of its start-up).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[all]'
	$(BIN)/python -m compileall -q src
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q src
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/csto simulate kazakhstan-2022

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m compileall -q src
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench_rules.py
	$(BIN)/python benchmarks/bench_simulation.py
	$(BIN)/python benchmarks/bench_sweep.py scaling
	$(BIN)/python benchmarks/bench_sweep.py memory --samples 10000000

bench-serve: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench_serve.py
	$(BIN)/python benchmarks/soak_kill.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
