"""Structured logs: one JSON line per request, tied to a request id echoed in X-Request-Id.

Lines carry the time, level, request id, method, path, status, duration and, for scoring
requests, how many articles and sentences were scored. Never a request body or query string:
articles may be unpublished and query strings may carry secrets.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import datetime, timezone

from flask import Flask, g, request

REQUEST_ID_HEADER = "X-Request-Id"
# When the WSGI server puts a dict under this environ key, the request's line is written by the
# server once the answer has gone out (our worker does, so that an answer cut short is logged as
# cut); otherwise it is written as soon as the answer is ready.
LOG_AFTER_SENDING = "portrayal.log_after_sending"
# A caller's id is kept only when it cannot smuggle anything into a log line or a header.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
PACKAGE_LOGGER = "serve"  # every logger of this package hangs below it

log = logging.getLogger(__name__)


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object: time, level, logger, message, the record's `fields`, traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class _StderrHandler(logging.StreamHandler):
    """Writes to sys.stderr as it is when the line is written, so redirections (pytest's too) apply."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):  # StreamHandler.__init__ assigns it; the property always wins
        pass


def configure_logging(level: str) -> None:
    """Send this package's logs to stderr as JSON lines at `level` (idempotent: one handler only)."""
    logger = logging.getLogger(PACKAGE_LOGGER)
    for handler in [h for h in logger.handlers if isinstance(h, _StderrHandler)]:
        logger.removeHandler(handler)
    handler = _StderrHandler()
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.setLevel(level.upper())
    logger.propagate = False  # one line per event, even if the host process configured the root logger


def current_request_id() -> str:
    """The id of the request being served: the caller's X-Request-Id if sane, else a generated one."""
    if "request_id" not in g:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
    return g.request_id


def elapsed_seconds() -> float:
    """Time since the request began (as seen by the app)."""
    return time.perf_counter() - g.get("started", time.perf_counter())


def note_scored(articles: int, sentences: int) -> None:
    """Record what a scoring request scored, for its log line and the metrics."""
    g.scored = {"articles": articles, "sentences": sentences}


def register_request_log(app: Flask) -> None:
    """Give every request an id and a start time first, and log one line for it last."""
    app.before_request(_begin)
    app.after_request(_finish)


def _begin():
    g.started = time.perf_counter()
    current_request_id()


def _finish(response):
    fields = {"request_id": current_request_id(), "method": request.method, "path": request.path,
              "status": response.status_code, "duration_ms": round(elapsed_seconds() * 1000, 2)}
    fields.update(g.get("scored", {}))
    response.headers[REQUEST_ID_HEADER] = fields["request_id"]
    pending = request.environ.get(LOG_AFTER_SENDING)
    if pending is None:
        write_request_line(fields)
    else:
        pending.update(fields)
    return response


def write_request_line(fields: dict, cut_after_bytes: int | None = None) -> None:
    """The request's one log line; an answer cut short says so, with the bytes that went out."""
    if cut_after_bytes is None:
        log.info("request", extra={"fields": fields})
    else:
        log.warning("request cut: the answer did not all go out", extra={"fields": {
            **fields, "cut": True, "sent_bytes": cut_after_bytes}})
