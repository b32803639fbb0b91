# portrayal: stance toward Musk and Altman in news. `make` lists the targets.
.DEFAULT_GOAL := help
.PHONY: help install train serve test eval bench bench-batch bench-newsmtsc clean

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MODEL_DIR ?= models/default
SOURCES := $(wildcard portrayal/*.py portrayal/resources/*.txt)

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/stance: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

install: $(BIN)/stance ## create .venv and install the package with its pinned dependencies

$(MODEL_DIR)/model.joblib: data/corpus.jsonl data/targets.json $(SOURCES) | $(BIN)/stance
	$(BIN)/stance train --model $(MODEL_DIR)

train: $(BIN)/stance ## fit the model on data/ and write models/default (prints held-out metrics)
	$(BIN)/stance train --model $(MODEL_DIR)

eval: $(BIN)/stance ## train on the train split, write reports/eval.md (dev and test figures, confusion plots)
	$(BIN)/stance eval --model $(MODEL_DIR) --report reports

serve: $(MODEL_DIR)/model.joblib ## serve POST /score on 127.0.0.1:8000 (trains first if the model is missing)
	$(BIN)/stance serve --model $(MODEL_DIR)

test: $(BIN)/stance ## run the test suite
	$(BIN)/python -m pytest

$(BIN)/locust: pyproject.toml | $(BIN)/stance
	$(BIN)/pip install --quiet -e ".[dev,bench]"
	@touch $@

bench: $(MODEL_DIR)/model.joblib $(BIN)/locust ## in-process speed vs a naive baseline, then gunicorn under locust at several rates
	$(BIN)/python bench/load.py --model $(MODEL_DIR)

bench-batch: $(MODEL_DIR)/model.joblib ## score 100,000 generated articles on Dask with 1 and 2 workers
	$(BIN)/python bench/batch.py --model $(MODEL_DIR)

bench-newsmtsc: $(BIN)/stance ## NewsMTSC: our target-conditioned learner vs the sentence-only baseline
	$(BIN)/python bench/newsmtsc.py

clean: ## remove the virtual environment and trained models
	rm -rf $(VENV) models
