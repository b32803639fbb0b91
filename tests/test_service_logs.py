"""Structured logs: one JSON line per request with its request id, and never a request body."""
from __future__ import annotations

import json

import pytest

from serve import create_app
from serve.settings import load_settings

from .support import BrokenScorer

SECRET_TEXT = "Elon Musk a confié un secret à Sam Altman: embargo-7f3a."
REQUEST_FIELDS = {"time", "level", "logger", "message", "request_id", "method", "path", "status", "duration_ms"}


def log_lines(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]


@pytest.fixture()
def logged(scorer):
    return create_app({"scorer": scorer, "log_level": "info"}).test_client()


def test_every_request_logs_one_json_line(logged, capsys):
    capsys.readouterr()
    logged.get("/health")
    logged.get("/nowhere")
    lines = log_lines(capsys)
    assert [(line["path"], line["status"]) for line in lines] == [("/health", 200), ("/nowhere", 404)]
    for line in lines:
        assert set(line) == REQUEST_FIELDS
        assert line["level"] == "info" and line["method"] == "GET" and line["duration_ms"] >= 0
        assert line["time"].endswith("+00:00")


def test_a_scoring_request_logs_what_it_scored_but_never_the_body(logged, capsys):
    capsys.readouterr()
    response = logged.post("/score?token=abc", json={"articles": [{"id": "x", "text": SECRET_TEXT},
                                                                  {"sentences": ["Un.", "Deux."]}]})
    assert response.status_code == 200
    output = capsys.readouterr().err
    (line,) = [json.loads(text) for text in output.splitlines()]
    assert line["articles"] == 2 and line["sentences"] == 3 and line["path"] == "/score"
    assert "embargo" not in output and "token" not in output


@pytest.mark.parametrize("given, kept", [
    ("abc-123", True),
    ("trace.ID_01", True),
    ("x" * 128, True),
    ("x" * 129, False),
    ("", False),
    ("has space", False),
    ("inject\\nme", False),
    ('quote"d', False),
    ("élan", False),
])
def test_the_request_id_is_the_callers_when_sane_else_generated(logged, capsys, given, kept):
    capsys.readouterr()
    response = logged.get("/health", headers={"X-Request-Id": given})
    (line,) = log_lines(capsys)
    echoed = response.headers["X-Request-Id"]
    assert line["request_id"] == echoed
    if kept:
        assert echoed == given
    else:
        assert echoed != given and len(echoed) == 32 and echoed.isalnum()


def test_each_request_without_an_id_gets_its_own(logged):
    ids = {logged.get("/health").headers["X-Request-Id"] for _ in range(5)}
    assert len(ids) == 5


def test_errors_carry_the_request_id_too(logged):
    response = logged.post("/score", data="x", content_type="text/plain", headers={"X-Request-Id": "req-415"})
    assert response.status_code == 415 and response.headers["X-Request-Id"] == "req-415"


def test_a_500_logs_the_traceback_under_the_request_id(scorer, capsys):
    client = create_app({"scorer": BrokenScorer(scorer.artifact), "log_level": "info"}).test_client()
    capsys.readouterr()
    response = client.post("/score", json={"text": SECRET_TEXT}, headers={"X-Request-Id": "req-500"})
    assert response.status_code == 500 and response.headers["X-Request-Id"] == "req-500"
    error, request = log_lines(capsys)
    assert error["level"] == "error" and error["request_id"] == "req-500" and error["path"] == "/score"
    assert "Traceback" in error["traceback"] and "the model fell over" in error["traceback"]
    assert request["request_id"] == "req-500" and request["status"] == 500
    assert "embargo" not in json.dumps([error, request])


def test_the_log_level_setting_silences_request_lines(scorer, capsys):
    client = create_app({"scorer": scorer, "log_level": "warning"}).test_client()
    capsys.readouterr()
    client.get("/health")
    assert log_lines(capsys) == []


def test_the_log_level_is_read_from_the_environment_and_checked():
    assert load_settings(environ={})["log_level"] == "info"
    assert load_settings(environ={"PORTRAYAL_LOG_LEVEL": "debug"})["log_level"] == "debug"
    with pytest.raises(SystemExit, match="PORTRAYAL_LOG_LEVEL='loud' is not one of debug, info, warning, error"):
        load_settings(environ={"PORTRAYAL_LOG_LEVEL": "loud"})
