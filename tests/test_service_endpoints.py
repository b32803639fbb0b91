"""The operational endpoints: /health, /ready, /model and /metrics, through Flask's test client."""
from __future__ import annotations

import json
import re

import pytest

ARTICLE = {"id": "a1", "text": "Elon Musk a qualifié Sam Altman d'escroc.\nLire aussi : Tesla en Bourse"}


def samples(text: str) -> dict[str, float]:
    """Prometheus text format as {'name{labels}': value} (labels as written)."""
    found = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            found[name] = float(value)
    return found


def sample(found: dict, sample_name: str, **labels) -> float:
    """The value of the sample `sample_name` whose labels include `labels` (0 when absent)."""
    for key, value in found.items():
        metric, _, rest = key.partition("{")
        pairs = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', rest))
        if metric == sample_name and all(pairs.get(k) == v for k, v in labels.items()):
            return value
    return 0.0


def test_health_says_the_process_is_alive(client):
    assert client.get("/health").get_json() == {"status": "ok"}


def test_ready_scores_a_tiny_article_and_names_the_model(client, scorer):
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "model": scorer.artifact.identity}


def test_ready_calls_the_model(client, scorer, monkeypatch):
    calls = []
    monkeypatch.setattr(scorer, "score", lambda article: calls.append(article) or {})
    assert client.get("/ready").status_code == 200 and len(calls) == 1


def test_model_is_the_metadata_json_of_the_loaded_model(client, model_dir, scorer):
    body = client.get("/model").get_json()
    assert body == json.loads((model_dir / "metadata.json").read_text(encoding="utf-8"))
    assert {"name", "version", "sha256", "labels", "metrics", "libraries", "hyperparameters"} <= set(body)
    assert body["sha256"] == scorer.artifact.identity["sha256"]
    assert body["hyperparameters"]["stance_C"] == 4.0 and "scikit-learn" in body["libraries"]


def test_metrics_are_in_the_prometheus_text_format(client):
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain" and "version=" in response.content_type
    text = response.get_data(as_text=True)
    for family, kind in [("portrayal_http_requests", "counter"), ("portrayal_http_request_duration_seconds", "histogram"),
                         ("portrayal_articles_scored", "counter"), ("portrayal_sentences_scored", "counter"),
                         ("portrayal_model", "info")]:
        assert re.search(rf"^# TYPE {family}(_total|_info)? (counter|histogram|info|gauge)$", text, re.MULTILINE), family


def test_metrics_count_requests_by_endpoint_and_status_and_what_was_scored(client, scorer):
    client.post("/score", json=ARTICLE)
    client.post("/score", json={"articles": [ARTICLE, {"sentences": ["Sam Altman a refusé.", "Il a ri.", "Fin."]}]})
    client.post("/score", json={"txt": "x"})
    client.get("/nowhere")
    found = samples(client.get("/metrics").get_data(as_text=True))
    assert sample(found, "portrayal_http_requests_total", endpoint="/score", method="POST", status="200") == 2
    assert sample(found, "portrayal_http_requests_total", endpoint="/score", method="POST", status="400") == 1
    assert sample(found, "portrayal_http_requests_total", endpoint="unmatched", method="GET", status="404") == 1
    assert sample(found, "portrayal_articles_scored_total") == 3
    assert sample(found, "portrayal_sentences_scored_total") == 2 + 2 + 3
    assert sample(found, "portrayal_http_request_duration_seconds_count", endpoint="/score") == 3
    assert sample(found, "portrayal_http_request_duration_seconds_bucket", endpoint="/score", le="+Inf") == 3
    identity = scorer.artifact.identity
    assert sample(found, "portrayal_model_info", name=identity["name"], version=identity["version"],
                  sha256=identity["sha256"]) == 1


@pytest.mark.parametrize("method", ["BREW", "PROPFIND"])
def test_invented_methods_do_not_create_new_metric_labels(client, method):
    client.open("/score", method=method)
    found = samples(client.get("/metrics").get_data(as_text=True))
    assert sample(found, "portrayal_http_requests_total", method="other") == 1
    assert not any(method in key for key in found)


def test_metrics_answer_whatever_the_model_metadata_lacks(scorer):
    from portrayal.artifact import Artifact
    from serve import create_app

    from .support import BrokenScorer
    artifact = Artifact(scorer.artifact.model, scorer.artifact.registry, {"version": "x"})  # no name, no sha256
    response = create_app({"scorer": BrokenScorer(artifact)}).test_client().get("/metrics")
    assert response.status_code == 200
    assert sample(samples(response.get_data(as_text=True)), "portrayal_model_info", name="", version="x") == 1
