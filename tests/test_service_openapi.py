"""GET /openapi.json describes the real app: its routes, its request bodies, its answers and errors."""
from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from serve import create_app

from .support import BrokenScorer, Spec

AUTO_METHODS = {"HEAD", "OPTIONS"}  # werkzeug answers these on every route by itself
ARTICLE = {"id": "a1", "text": "Elon Musk a qualifié Sam Altman d'escroc. Il a refusé."}


def documented_operations(document: dict) -> set[tuple[str, str]]:
    return {(path, method.upper()) for path, item in document["paths"].items() for method in item}


def app_operations(app) -> set[tuple[str, str]]:
    return {(rule.rule, method) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
            for method in rule.methods - AUTO_METHODS}


@pytest.fixture()
def spec(client):
    return Spec(client.get("/openapi.json").get_json())


# --- the document ------------------------------------------------------------------------------

def test_the_document_is_openapi_3_1_with_valid_json_schemas(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    assert document["openapi"].startswith("3.1") and document["info"]["title"] and document["info"]["version"]
    for name, schema in document["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("api_key", ["", "s3cret"])
def test_the_documented_operations_are_exactly_the_app_routes(scorer, api_key):
    app = create_app({"scorer": scorer, "api_key": api_key})
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    document = app.test_client().get("/openapi.json", headers=headers).get_json()
    assert documented_operations(document) == app_operations(app)


def test_every_operation_declares_its_errors_and_the_request_id_header(spec):
    for path, item in spec.document["paths"].items():
        for method, operation in item.items():
            assert "500" in operation["responses"], (method, path)
            for status, response in operation["responses"].items():
                assert "X-Request-Id" in response["headers"], (method, path, status)
    score = spec.document["paths"]["/score"]["post"]["responses"]
    assert {"200", "400", "413", "415", "500"} <= set(score)
    assert "401" not in score  # no key, no 401


def test_with_a_key_the_document_declares_bearer_auth_and_401_except_on_the_probes(scorer):
    app = create_app({"scorer": scorer, "api_key": "s3cret"})
    document = app.test_client().get("/openapi.json", headers={"Authorization": "Bearer s3cret"}).get_json()
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": "the server's PORTRAYAL_API_KEY"}
    for path, item in document["paths"].items():
        operation = item["get"] if "get" in item else item["post"]
        if path in ("/health", "/ready"):
            assert operation["security"] == [] and "401" not in operation["responses"]
        else:
            assert operation["security"] == [{"bearer": []}] and "401" in operation["responses"]


def test_the_limits_in_the_document_are_the_app_settings(spec):
    schemas = spec.document["components"]["schemas"]
    assert schemas["ArticleBatch"]["properties"]["articles"]["maxItems"] == 5  # the `app` fixture's max_articles
    assert schemas["Article"]["properties"]["text"]["maxLength"] == 100_000
    assert set(schemas["Sentence"]["properties"]["targets"]["properties"]) == {"musk", "altman"}


# --- request bodies ------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    ARTICLE,
    {"text": "Sam Altman."},
    {"id": 7, "sentences": ["Sam Altman a refusé.", "Il a ri."]},
    {"articles": [ARTICLE, {"sentences": ["OpenAI grandit."]}]},
])
def test_bodies_the_server_scores_are_valid_requests(spec, client, body):
    assert spec.request_errors("/score", "post", body) == []
    assert client.post("/score", json=body).status_code == 200


@pytest.mark.parametrize("body", [
    {"id": "x"}, {"text": ""}, {"text": "   "}, {"text": 12}, {"text": "a", "sentences": ["a"]},
    {"sentences": []}, {"sentences": ["ok", 3]}, {"text": "ok", "title": "x"}, {"id": {"n": 1}, "text": "ok"},
    {"id": True, "text": "ok"}, {"articles": []}, {"articles": [{"text": "ok"}] * 6},
    {"articles": [{"text": "ok"}], "extra": 1}, ["a"], "text", 3,
])
def test_bodies_the_server_refuses_are_invalid_requests(spec, client, body):
    assert spec.request_errors("/score", "post", body) != []
    assert client.post("/score", json=body).status_code == 400


# --- answers -----------------------------------------------------------------------------------

@pytest.mark.parametrize("method, path, kwargs", [
    ("GET", "/health", {}),
    ("GET", "/ready", {}),
    ("GET", "/model", {}),
    ("GET", "/metrics", {}),
    ("GET", "/openapi.json", {}),
    ("GET", "/", {}),
    ("POST", "/score", {"json": ARTICLE}),
    ("POST", "/score", {"json": {"id": 3, "sentences": ["Musk a parlé.", "Il a ri."]}}),
    ("POST", "/score", {"json": {"articles": [ARTICLE, {"text": "Rien à voir."}]}}),
    ("POST", "/score", {"json": {"txt": "x"}}),
    ("POST", "/score", {"data": b"{", "content_type": "application/json"}),
    ("POST", "/score", {"data": b'"\xff"', "content_type": "application/json"}),
    ("POST", "/score", {"data": "hello", "content_type": "text/plain"}),
    ("POST", "/score", {"json": {"text": "Musk. " * 50_000}}),
])
def test_real_answers_validate_against_the_document(spec, client, method, path, kwargs):
    spec.check(path, method, client.open(path, method=method, **kwargs))


def test_answers_outside_any_operation_have_the_error_schema(spec, client):
    spec.check_error(client.get("/nowhere"))
    spec.check_error(client.delete("/score"))


def test_a_broken_model_answers_503_and_500_as_documented(scorer):
    client = create_app({"scorer": BrokenScorer(scorer.artifact)}).test_client()
    spec = Spec(client.get("/openapi.json").get_json())
    spec.check("/ready", "GET", client.get("/ready"))
    spec.check("/score", "POST", client.post("/score", json=ARTICLE))


def test_a_missing_key_answers_401_as_documented(scorer):
    client = create_app({"scorer": scorer, "api_key": "s3cret"}).test_client()
    spec = Spec(client.get("/openapi.json", headers={"Authorization": "Bearer s3cret"}).get_json())
    for path, item in spec.document["paths"].items():
        for method in item:
            if path not in ("/health", "/ready"):
                spec.check(path, method.upper(), client.open(path, method=method.upper()))
