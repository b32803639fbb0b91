"""One JSON error shape for every HTTP error: {"error": {"status", "code", "message", "field"}}."""
from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify, request
from gunicorn.http.errors import ParseException
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from portrayal.errors import InputError

from .request_log import current_request_id
from .transport import refusal

log = logging.getLogger(__name__)

# The code for each status when the error comes from Flask or werkzeug rather than from us.
_CODES = {400: "bad_request", 401: "unauthorized", 404: "not_found", 405: "method_not_allowed",
          413: "body_too_large", 415: "unsupported_media_type", 500: "internal_error", 503: "not_ready"}


class ApiError(Exception):
    """An error the caller can fix (or wait out), carrying its HTTP status and any headers it needs."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None,
                 headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field
        self.headers = dict(headers or {})


def body_too_large(limit: int) -> ApiError:
    return ApiError(413, "body_too_large", f"the body is over the limit of {limit:,} bytes "
                    "(PORTRAYAL_MAX_BODY_BYTES): send fewer or shorter articles per request")


def error_response(status: int, code: str, message: str, field: str | None = None, headers: dict | None = None):
    """The one error shape, as a Flask response tuple."""
    body = {"error": {"status": status, "code": code, "message": message, "field": field}}
    return jsonify(body), status, dict(headers or {})


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(error: ApiError):
        return error_response(error.status, error.code, error.message, error.field, error.headers)

    @app.errorhandler(InputError)
    def _input_error(error: InputError):
        return error_response(400, "invalid_input", error.message, error.field)

    @app.errorhandler(RequestEntityTooLarge)  # a Content-Length over the limit, refused before reading
    def _too_large(error: RequestEntityTooLarge):
        return _api_error(body_too_large(current_app.config["MAX_CONTENT_LENGTH"]))

    @app.errorhandler(ParseException)  # a chunked body gunicorn cannot parse, met while the app reads it
    def _malformed_body(error: ParseException):
        answer = refusal(error)
        if answer is None:
            return _unexpected(error)
        return error_response(answer.status, answer.code, answer.message)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        status = error.code or 500
        headers = {"Allow": ", ".join(error.valid_methods)} if getattr(error, "valid_methods", None) else {}
        return error_response(status, _CODES.get(status, "http_error"), error.description or error.name,
                              headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        # The traceback goes to the log only, under the request id the caller sees in X-Request-Id.
        log.exception("unhandled error", extra={"fields": {
            "request_id": current_request_id(), "method": request.method, "path": request.path}})
        return error_response(500, "internal_error", "internal server error")
