# portrayal: stance toward Musk and Altman in news. `make` lists the targets.
.DEFAULT_GOAL := help
.PHONY: help install train serve test eval bench bench-batch bench-newsmtsc clean

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MODEL_DIR ?= models/default
SOURCES := $(wildcard portrayal/*.py portrayal/resources/*.txt)

# Debian packages whose commands are missing, installed (apt-get needs root): $(call debian,COMMANDS).
# Each command here is its package's name: chromium for the page test, wrk for the load generator.
debian = @missing=""; for command in $(1); do command -v $$command >/dev/null || missing="$$missing $$command"; done; \
	if [ -n "$$missing" ]; then echo "installing Debian's$$missing"; apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' \
		'{ name[NR] = $$1; text[NR] = $$2; if (length($$1) > width) width = length($$1) } \
		END { for (i = 1; i <= NR; i++) printf "  make %-" width "s  %s\n", name[i], text[i] }'

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

eval: $(BIN)/stance ## train, write reports/eval.md: dev, test, the challenge set and ../shared real articles (who is referred to, stance, sentiment)
	$(BIN)/stance eval --model $(MODEL_DIR) --report reports

serve: $(MODEL_DIR)/model.joblib ## serve POST /score on 127.0.0.1:8000 (PORTRAYAL_PORT=N for another port; trains first if the model is missing)
	$(BIN)/stance serve --model $(MODEL_DIR)

test: $(BIN)/stance ## run the test suite (installs Debian's chromium and wrk first when missing)
	$(call debian,chromium wrk)
	$(BIN)/python -m pytest

$(VENV)/bench-installed: pyproject.toml | $(BIN)/stance
	$(BIN)/pip install --quiet -e ".[dev,bench]"
	@touch $@

bench: $(MODEL_DIR)/model.joblib $(VENV)/bench-installed ## in-process speed vs a naive baseline, then gunicorn under wrk at several rates
	$(call debian,wrk)
	$(BIN)/python bench/load.py --model $(MODEL_DIR)

bench-batch: $(MODEL_DIR)/model.joblib $(VENV)/bench-installed ## score 100,000 generated articles on Dask with 1 and 2 workers
	$(BIN)/python bench/batch.py --model $(MODEL_DIR)

bench-newsmtsc: $(BIN)/stance ## NewsMTSC: our target-conditioned learner vs the sentence-only baseline
	$(BIN)/python bench/newsmtsc.py

clean: ## remove the virtual environment and trained models
	rm -rf $(VENV) models
