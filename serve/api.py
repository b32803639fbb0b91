"""POST /score: one article or a list of them, answered with the result schema."""
from __future__ import annotations

import json
import sys

from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import ClientDisconnected

from portrayal.inputs import ARTICLE_FIELDS, parse_article

from .errors import ApiError, body_too_large
from .request_log import note_scored

bp = Blueprint("api", __name__)


class _IntegerTooLong(ValueError):
    def __init__(self, digits: int, limit: int):
        super().__init__(f"body holds an integer of {digits:,} digits; numbers may have at most {limit:,} digits")


def _integer(literal: str) -> int:
    # Python refuses to convert more digits than this (a guard against slow conversions), with
    # advice meant for programmers; the caller gets our own sentence instead.
    limit = sys.get_int_max_str_digits()
    digits = len(literal) - literal.startswith("-")
    if limit and digits > limit:
        raise _IntegerTooLong(digits, limit)
    return int(literal)


def _json_body():
    if not request.mimetype == "application/json":
        raise ApiError(415, "unsupported_media_type", "send the body as JSON with Content-Type: application/json")
    try:
        raw = request.get_data(cache=False)
    except ClientDisconnected as error:  # the client closed, or stayed silent past PORTRAYAL_CLIENT_TIMEOUT
        raise ApiError(400, "incomplete_body", f"the body stopped before its Content-Length of "
                       f"{request.content_length} bytes: the client closed the connection or went silent") from error
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    # A chunked body has no Content-Length to refuse up front: werkzeug stops reading it at the
    # limit, so one more byte from the server's stream tells a body at the limit from one over it.
    if len(raw) >= limit and request.content_length is None and request.environ["wsgi.input"].read(1):
        raise body_too_large(limit)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ApiError(400, "invalid_utf8", f"body is not valid UTF-8 (byte {error.start})") from error
    try:
        body = json.loads(text, parse_int=_integer)
    except json.JSONDecodeError as error:
        raise ApiError(400, "malformed_json", f"body is not valid JSON: {error.msg} at line {error.lineno} "
                       f"column {error.colno}") from error
    except RecursionError as error:
        raise ApiError(400, "malformed_json", "body is not usable JSON: nested too deeply") from error
    except _IntegerTooLong as error:
        raise ApiError(400, "malformed_json", str(error)) from error
    if "\\u" in text:
        _refuse_lone_surrogates(body)
    return body


def _refuse_lone_surrogates(body) -> None:
    # JSON may escape half of a UTF-16 pair (\ud800) alone; that is no character, cannot be
    # written back as UTF-8, and would only fail later, in the answer.
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        raise ApiError(400, "invalid_input", "a string holds an unpaired surrogate escape "
                       f"({error.object[error.start]!r}), which is not a character") from error
    except RecursionError as error:
        raise ApiError(400, "malformed_json", "body is not usable JSON: nested too deeply") from error


def _scored(results: list[dict]) -> list[dict]:
    note_scored(len(results), sum(len(result["sentences"]) for result in results))
    return results


@bp.post("/score")
def score():
    body = _json_body()
    scorer = current_app.extensions["portrayal.scorer"]
    if isinstance(body, dict) and "articles" in body:
        extra = sorted(set(body) - {"articles"})
        if extra:
            raise ApiError(400, "invalid_input", f"unknown field(s) beside articles: {', '.join(extra)}", extra[0])
        items = body["articles"]
        if not isinstance(items, list) or not items:
            raise ApiError(400, "invalid_input", "articles must be a non-empty list of article objects", "articles")
        limit = current_app.config["MAX_ARTICLES"]
        if len(items) > limit:
            raise ApiError(400, "invalid_input", f"{len(items)} articles; the limit is {limit} per request", "articles")
        parsed = [parse_article(item, where=f"articles[{i}].") for i, item in enumerate(items)]
        return jsonify({"articles": _scored(scorer.score_many(parsed))})
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_input",
                       f"body must be an article object ({', '.join(ARTICLE_FIELDS)}) or {{\"articles\": [...]}}")
    return jsonify(_scored([scorer.score(parse_article(body))])[0])
