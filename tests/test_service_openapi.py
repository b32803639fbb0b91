"""GET /openapi.json describes the real app: its routes, its request bodies, its answers and errors."""
from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from serve import create_app

AUTO_METHODS = {"HEAD", "OPTIONS"}  # werkzeug answers these on every route by itself
DOCUMENT_URI = "urn:portrayal:openapi"
ARTICLE = {"id": "a1", "text": "Elon Musk a qualifié Sam Altman d'escroc. Il a refusé."}


def _pointer(*parts: str) -> str:
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


class Spec:
    """An OpenAPI document that can tell whether a request body or a response conforms to it."""

    def __init__(self, document: dict):
        self.document = document
        self._registry = Registry().with_resource(DOCUMENT_URI, Resource(document, DRAFT202012))
        self._validators: dict[str, Draft202012Validator] = {}

    def validator(self, pointer: str) -> Draft202012Validator:
        if pointer not in self._validators:
            self._validators[pointer] = Draft202012Validator({"$ref": f"{DOCUMENT_URI}#{pointer}"},
                                                             registry=self._registry)
        return self._validators[pointer]

    def request_errors(self, path: str, method: str, body) -> list[str]:
        pointer = _pointer("paths", path, method.lower(), "requestBody", "content", "application/json", "schema")
        return [error.message for error in self.validator(pointer).iter_errors(body)]

    def check(self, path: str, method: str, response) -> None:
        """The status is one the operation declares, with the declared media type, schema and headers."""
        operation = self.document["paths"][path][method.lower()]
        status = str(response.status_code)
        assert status in operation["responses"], \
            f"{method} {path} answered {status}, which the document does not declare: {response.data[:300]!r}"
        declared = operation["responses"][status]
        assert response.mimetype in declared["content"], (response.mimetype, list(declared["content"]))
        if response.mimetype == "application/json":
            pointer = _pointer("paths", path, method.lower(), "responses", status, "content", "application/json",
                               "schema")
            self._assert_valid(pointer, response.get_json(), f"{method} {path} {status}")
        self._check_headers(declared, response)

    def check_error(self, response) -> None:
        """An answer outside any operation (unknown path, wrong method): the Error schema."""
        assert 400 <= response.status_code < 500 and response.mimetype == "application/json"
        self._assert_valid("/components/schemas/Error", response.get_json(), f"error {response.status_code}")
        assert response.get_json()["error"]["status"] == response.status_code

    def _assert_valid(self, pointer: str, instance, where: str) -> None:
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in self.validator(pointer).iter_errors(instance)]
        assert not errors, f"{where} does not match {pointer}: {errors[:5]}"

    def _check_headers(self, declared: dict, response) -> None:
        for name, header in declared.get("headers", {}).items():
            if "$ref" in header:
                header = self.document["components"]["headers"][header["$ref"].rsplit("/", 1)[1]]
            assert name in response.headers, f"header {name} is declared but missing"
            errors = list(Draft202012Validator(header["schema"]).iter_errors(response.headers[name]))
            assert not errors, (name, response.headers[name], errors)


class BrokenScorer:
    """A model that loaded but fails on every call (for 500 and 503)."""

    def __init__(self, artifact):
        self.artifact = artifact
        self.target_ids = ("musk", "altman")

    def score(self, article):
        raise RuntimeError("the model fell over")

    def score_many(self, articles):
        raise RuntimeError("the model fell over")


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
