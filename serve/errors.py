"""One JSON error shape for every HTTP error: {"error": {"status", "code", "message", "field"}}."""
from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from portrayal.errors import InputError

log = logging.getLogger(__name__)

_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "body_too_large",
          415: "unsupported_media_type", 500: "internal_error"}


class ApiError(Exception):
    """An error the caller can fix, carrying its HTTP status."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def error_response(status: int, code: str, message: str, field: str | None = None):
    body = {"error": {"status": status, "code": code, "message": message, "field": field}}
    return jsonify(body), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(error: ApiError):
        return error_response(error.status, error.code, error.message, error.field)

    @app.errorhandler(InputError)
    def _input_error(error: InputError):
        return error_response(400, "invalid_input", error.message, error.field)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        status = error.code or 500
        return error_response(status, _CODES.get(status, "http_error"), error.description or error.name)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error")  # the traceback goes to the log only
        return error_response(500, "internal_error", "internal server error")
