"""GET /openapi.json: an OpenAPI 3.1 description of every route, built from the running app.

Limits (articles per request, body size, whether an API key is needed) and the model's targets
come from the app itself, so the document describes this server, not a default one. Tests
check that its paths are the app's routes and that real answers validate against it.
"""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify

from portrayal import __version__
from portrayal.inputs import MAX_SENTENCE_CHARS, MAX_SENTENCES, MAX_TEXT_CHARS
from portrayal.model import NONE, SENTIMENT_LABELS, STANCE_LABELS
from portrayal.references import VIAS

from .auth import OPEN_ENDPOINTS

bp = Blueprint("openapi", __name__)

DEFAULT_TARGETS = ("musk", "altman")
JSON = "application/json"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, required=None, additional: bool = False) -> dict:
    return {"type": "object", "properties": properties,
            "required": list(properties if required is None else required), "additionalProperties": additional}


def _probabilities(labels) -> dict:
    return _object({label: {"type": "number", "minimum": 0, "maximum": 1} for label in labels})


def _schemas(targets: tuple[str, ...], max_articles: int) -> dict:
    stance = list(STANCE_LABELS) + [NONE]
    nonblank = {"type": "string", "minLength": 1, "pattern": r"\S"}
    return {
        "Error": _object({"error": _object({
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "code": {"type": "string", "description": "machine-readable reason, e.g. invalid_input"},
            "message": {"type": "string", "minLength": 1, "description": "what to fix"},
            "field": {"type": ["string", "null"], "description": "the offending field, e.g. articles[1].text"},
        })}),
        "Article": {
            **_object({
                "id": {"type": ["string", "integer", "null"], "description": "echoed back"},
                "text": {**nonblank, "maxLength": MAX_TEXT_CHARS, "description": "the article; split by the service"},
                "sentences": {"type": "array", "minItems": 1, "maxItems": MAX_SENTENCES,
                              "items": {**nonblank, "maxLength": MAX_SENTENCE_CHARS},
                              "description": "already split; kept exactly, in order"},
            }, required=[]),
            "oneOf": [{"required": ["text"]}, {"required": ["sentences"]}],
        },
        "ArticleBatch": _object({"articles": {"type": "array", "minItems": 1, "maxItems": max_articles,
                                              "items": _ref("Article")}}),
        "ModelIdentity": _object({"name": {"type": "string"}, "version": {"type": "string"},
                                  "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}),
        "Mention": _object({"start": {"type": "integer", "minimum": 0}, "end": {"type": "integer", "minimum": 0},
                            "text": {"type": "string"}, "via": {"enum": list(VIAS)}}),
        "TargetStance": _object({"stance": {"enum": stance},
                                 "proba": {"oneOf": [_probabilities(STANCE_LABELS), {"type": "null"}]},
                                 "p_referred": {"type": "number", "minimum": 0, "maximum": 1,
                                                "description": "probability that the sentence refers to the target; "
                                                               "stance is none below the model's threshold"},
                                 "mentions": {"type": "array", "items": _ref("Mention"),
                                              "description": "where the target is referred to; may be empty when "
                                                             "the reference is implicit (a quote's speaker)"}}),
        "Sentiment": _object({"label": {"enum": list(SENTIMENT_LABELS)}, "proba": _probabilities(SENTIMENT_LABELS)}),
        "Sentence": _object({
            "index": {"type": "integer", "minimum": 0}, "start": {"type": "integer", "minimum": 0},
            "end": {"type": "integer", "minimum": 0}, "text": {"type": "string"},
            "targets": _object({t: _ref("TargetStance") for t in targets}),
            "sentiment": _ref("Sentiment"),
        }),
        "TargetSummary": _object({
            "stance": {"enum": stance},
            "score": {"type": ["number", "null"], "minimum": -1, "maximum": 1},
            "sentences": {"type": "integer", "minimum": 0},
            "counts": _object({label: {"type": "integer", "minimum": 0} for label in STANCE_LABELS}),
        }),
        "Result": _object({
            "id": {"type": ["string", "integer", "null"]},
            "lang": {"type": "string", "description": "ISO 639-1, und if unknown"},
            "model": _ref("ModelIdentity"),
            "sentences": {"type": "array", "items": _ref("Sentence")},
            "summary": _object({**{t: _ref("TargetSummary") for t in targets},
                                "sentiment": _object({"label": {"enum": list(SENTIMENT_LABELS)},
                                                      "score": {"type": "number", "minimum": -1, "maximum": 1}})}),
        }),
        "ResultBatch": _object({"articles": {"type": "array", "items": _ref("Result")}}),
        "Health": _object({"status": {"const": "ok"}}),
        "Ready": _object({"status": {"const": "ready"}, "model": _ref("ModelIdentity")}),
        "ModelMetadata": {
            **_object({
                "name": {"type": "string"}, "version": {"type": "string"},
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "labels": _object({"stance": {"type": "array", "items": {"type": "string"}},
                                   "sentiment": {"type": "array", "items": {"type": "string"}}}),
                "hyperparameters": {"type": "object"},
                "libraries": {"type": "object", "additionalProperties": {"type": "string"}},
                "metrics": {"type": "object", "description": "held-out figures per split (dev, test)"},
                "data": {"type": "object", "description": "corpus and registry paths and hashes"},
                "targets": {"type": "array", "items": {"type": "string"}},
            }, required=["name", "version", "sha256", "labels", "hyperparameters", "libraries"], additional=True),
            "description": "the model directory's metadata.json, as loaded",
        },
    }


def _json_response(description: str, schema: dict) -> dict:
    return {"description": description, "headers": {"X-Request-Id": {"$ref": "#/components/headers/RequestId"}},
            "content": {JSON: {"schema": schema}}}


def _error(status: int, codes: tuple[str, ...], description: str, headers: dict | None = None) -> dict:
    pinned = {"properties": {"error": {"properties": {"status": {"const": status}, "code": {"enum": list(codes)}}}}}
    response = _json_response(description, {"allOf": [_ref("Error"), pinned]})
    response["headers"].update(headers or {})
    return response


def _operation(endpoint: str, summary: str, responses: dict, needs_key: bool, **extra) -> dict:
    responses = dict(responses)
    if needs_key and endpoint not in OPEN_ENDPOINTS:
        responses["401"] = _error(401, ("unauthorized",), "no or wrong API key",
                                  {"WWW-Authenticate": {"schema": {"const": "Bearer"}}})
    responses["500"] = _error(500, ("internal_error",), "a bug: the traceback is in the server log")
    operation = {"operationId": endpoint.replace(".", "_"), "summary": summary, **extra, "responses": responses}
    if needs_key:
        operation["security"] = [] if endpoint in OPEN_ENDPOINTS else [{"bearer": []}]
    return operation


def build_document(app: Flask) -> dict:
    """The OpenAPI 3.1 document of `app`, with its limits, its model's targets and its key setting."""
    settings = app.config["SETTINGS"]
    needs_key = bool(settings.get("api_key"))
    scorer = app.extensions.get("portrayal.scorer")
    targets = tuple(getattr(scorer, "target_ids", DEFAULT_TARGETS))
    max_bytes = settings["max_body_bytes"]

    def op(endpoint, summary, responses, **extra):
        return _operation(endpoint, summary, responses, needs_key, **extra)

    paths = {
        "/score": {"post": op("api.score", "Score one article or a list of articles", {
            "200": _json_response("one result per article",
                                  {"oneOf": [_ref("Result"), _ref("ResultBatch")]}),
            "400": _error(400, ("invalid_input", "malformed_json", "invalid_utf8", "incomplete_body",
                                "malformed_request"),
                          "a field is missing, empty, of the wrong type, unknown or over a limit; or the body "
                          "is not JSON, not UTF-8, shorter than its Content-Length or wrongly chunked"),
            "413": _error(413, ("body_too_large",), f"the body is over {max_bytes} bytes"),
            "415": _error(415, ("unsupported_media_type",), "the body is not sent as application/json"),
        }, requestBody={"required": True, "content": {JSON: {"schema": {
            "oneOf": [_ref("Article"), _ref("ArticleBatch")]}}}})},
        "/health": {"get": op("status.health", "The process is alive", {
            "200": _json_response("alive", _ref("Health"))})},
        "/ready": {"get": op("status.ready", "The model is loaded and answers", {
            "200": _json_response("ready, with the model's identity", _ref("Ready")),
            "503": _error(503, ("not_ready",), "the model is not loaded or does not answer"),
        })},
        "/model": {"get": op("status.model", "The served model's metadata.json", {
            "200": _json_response("version, sha256, labels, metrics, library versions, hyperparameters",
                                  _ref("ModelMetadata")),
            "503": _error(503, ("not_ready",), "the model is not loaded"),
        })},
        "/metrics": {"get": op("metrics.metrics", "Prometheus metrics, summed over the worker processes", {
            "200": {"description": "Prometheus text format",
                    "headers": {"X-Request-Id": {"$ref": "#/components/headers/RequestId"}},
                    "content": {"text/plain": {"schema": {"type": "string"}}}},
            "503": _error(503, ("metrics_unavailable",), "the samples the workers share could not be read"),
        })},
        "/openapi.json": {"get": op("openapi.document", "This document", {
            "200": _json_response("OpenAPI 3.1", {"type": "object", "required": ["openapi", "info", "paths"]})})},
        "/": {"get": op("page.index", "A page to paste an article and read its scores", {
            "200": {"description": "HTML page",
                    "headers": {"X-Request-Id": {"$ref": "#/components/headers/RequestId"}},
                    "content": {"text/html": {"schema": {"type": "string"}}}}})},
    }
    components = {
        "schemas": _schemas(targets, app.config["MAX_ARTICLES"]),
        "headers": {"RequestId": {"description": "the caller's X-Request-Id if it is at most 128 characters of "
                                                 "[A-Za-z0-9._-], else a generated one; it is in the log line",
                                  "schema": {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,128}$"}}},
    }
    if needs_key:
        components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer",
                                                    "description": "the server's PORTRAYAL_API_KEY"}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "portrayal", "version": __version__,
                 "description": "Stance toward Elon Musk and Sam Altman, and sentiment, sentence by sentence "
                                "in news articles. Every error has the Error shape."},
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": paths,
        "components": components,
    }


@bp.get("/openapi.json")
def document():
    return jsonify(build_document(current_app))
