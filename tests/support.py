"""Helpers shared by the service tests: the OpenAPI document as a validator, a failing model,
a free port and `stance serve` started as users start it."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DOCUMENT_URI = "urn:portrayal:openapi"
STANCE = Path(sys.executable).with_name("stance")
STARTUP_SECONDS = 60


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`stance serve --workers 2` on a free port of 127.0.0.1, its stderr kept in a file."""

    def __init__(self, model_dir: Path, workdir: Path, workers: int = 2, environment: dict | None = None):
        """`environment`: PORTRAYAL_* settings for this server (those of the test process are left out)."""
        self.model_dir, self.port = model_dir, free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.tmpdir = workdir / "tmp"  # where the server makes its metrics directory
        self.tmpdir.mkdir()
        self.log_path = workdir / "server.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PORTRAYAL_")}
        env.update({"TMPDIR": str(self.tmpdir), "PORTRAYAL_LOG_LEVEL": "info", **(environment or {})})
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [str(STANCE), "serve", "--model", str(model_dir), "--host", "127.0.0.1", "--port", str(self.port),
             "--workers", str(workers)], stdout=self._log, stderr=subprocess.STDOUT, env=env)
        self._wait_until_healthy()

    def _wait_until_healthy(self):
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"stance serve exited with {self.process.returncode}: {self.log()[-2000:]}")
            try:
                if self.get("/health")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        pytest.fail(f"stance serve did not answer GET /health within {STARTUP_SECONDS} s")

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.origin + path, data=data, method=method,
                                         headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def get(self, path: str, headers: dict | None = None):
        return self.request("GET", path, headers=headers)

    def sha(self) -> str:
        status, _, body = self.get("/model")
        assert status == 200
        return json.loads(body)["sha256"]

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def json_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.log().splitlines() if line.startswith("{")]

    def wait_for_log(self, text: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if text in self.log():
                return
            time.sleep(0.2)
        pytest.fail(f"{text!r} not in the server log within {seconds} s: {self.log()[-3000:]}")

    def hang_up(self) -> None:
        self.process.send_signal(signal.SIGHUP)  # `stance serve` is the gunicorn master itself

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def serving(model_dir: Path, workdir: Path, **settings):
    """The body of a module's server fixture (`yield from serving(...)`): a Server, stopped after the tests."""
    server = Server(model_dir, workdir, **settings)
    try:
        yield server
    finally:
        server.stop()
