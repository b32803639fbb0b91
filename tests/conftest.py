"""Shared fixtures: one model trained per test session on the corpus's train split."""
from __future__ import annotations

from pathlib import Path

import pytest

from portrayal.corpus import load_corpus
from portrayal.scoring import Scorer
from portrayal.training import train

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus.jsonl"
REGISTRY = ROOT / "data" / "targets.json"


@pytest.fixture(scope="session")
def corpus():
    return load_corpus(CORPUS)


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("model")
    train(CORPUS, REGISTRY, directory, log=lambda message: None)
    return directory


@pytest.fixture(scope="session")
def scorer(model_dir):
    return Scorer.from_dir(model_dir)


@pytest.fixture()
def app(scorer):
    from serve import create_app
    return create_app({"scorer": scorer, "max_articles": 5, "max_body_bytes": 200_000})


@pytest.fixture()
def client(app):
    return app.test_client()
