"""Helpers shared by the service tests: the OpenAPI document as a validator, a failing model."""
from __future__ import annotations

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DOCUMENT_URI = "urn:portrayal:openapi"


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
