"""`stance serve` and requests gunicorn itself refuses, sent as raw bytes over real sockets: every
answer is the JSON error shape with a 4xx status (501 for a transfer coding it does not read), a
body over the limit gets its 413 even when the client sends all of it first, and no log line,
gunicorn's included, carries a query string."""
from __future__ import annotations

import json
import socket

import pytest

from .support import Server, serving

SECRET = "s3cret-in-query"  # in the query string of every request below; it must never be logged
MAX_BODY_BYTES = 1_048_576  # the server's default limit
JSON = b"Content-Type: application/json\r\n"


@pytest.fixture(scope="module")
def server(model_dir, tmp_path_factory):
    # debug, so that gunicorn's most talkative lines are written (and checked) too
    yield from serving(model_dir, tmp_path_factory.mktemp("transport"), environment={"PORTRAYAL_LOG_LEVEL": "debug"})


def exchange(server: Server, raw: bytes) -> tuple[int, dict, bytes]:
    """Send `raw` whole, then read the answer until the server closes: (status, headers, body)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as connection:
        connection.sendall(raw)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in header_lines)}
    return int(status_line.split()[1]), headers, body


def assert_error_shape(status: int, headers: dict, body: bytes, expected_status: int, code: str) -> dict:
    assert status == expected_status, body[:300]
    assert headers["content-type"] == "application/json" and headers["x-request-id"]
    error = json.loads(body)["error"]
    assert set(error) == {"status", "code", "message", "field"}
    assert error["status"] == expected_status and error["code"] == code and error["message"]
    assert SECRET not in error["message"]
    return error


def post(target: bytes, headers: bytes, body: bytes = b"") -> bytes:
    return b"POST " + target + b" HTTP/1.1\r\nHost: localhost\r\n" + JSON + headers + b"\r\n" + body


def chunked(body: bytes) -> bytes:
    return b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"


QUERY = b"/score?api_key=" + SECRET.encode()
ARTICLE = b'{"text": "Elon Musk a critique Sam Altman."}'

REFUSED = {
    "a chunk size that is not hexadecimal": (
        post(QUERY, b"Transfer-Encoding: chunked\r\n", b"zz\r\n" + ARTICLE + b"\r\n0\r\n\r\n"), 400,
        "malformed_request"),
    "a chunk without its CRLF": (
        post(QUERY, b"Transfer-Encoding: chunked\r\n", b"5\r\n{}{}{}\r\n0\r\n\r\n"), 400, "malformed_request"),
    "a Content-Length that is not a number": (
        post(QUERY, b"Content-Length: 4x\r\n", b"{}{}"), 400, "malformed_request"),
    "two Content-Lengths": (
        post(QUERY, b"Content-Length: 2\r\nContent-Length: 2\r\n", b"{}"), 400, "malformed_request"),
    "Transfer-Encoding with Content-Length": (
        post(QUERY, b"Content-Length: 7\r\nTransfer-Encoding: chunked\r\n", chunked(b"{}")), 400, "malformed_request"),
    "an HTTP version that does not exist": (
        b"GET /health?api_key=" + SECRET.encode() + b" HTTP/7.3\r\nHost: localhost\r\n\r\n", 400, "malformed_request"),
    "a request line of four words": (
        b"GET /health?api_key=" + SECRET.encode() + b" HTTP/1.1 more\r\nHost: localhost\r\n\r\n", 400,
        "malformed_request"),
    "a request line that is not one": (b"HELLO\r\n\r\n", 400, "malformed_request"),
    "a header name with a space": (
        b"GET /health?api_key=" + SECRET.encode() + b" HTTP/1.1\r\nHost: localhost\r\nBad Name: x\r\n\r\n", 400,
        "malformed_request"),
    "a request line over the limit": (
        b"GET /health?api_key=" + SECRET.encode() + b"&pad=" + b"x" * 5000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n",
        414, "request_line_too_long"),
    "too many header fields": (
        b"GET /health?api_key=" + SECRET.encode() + b" HTTP/1.1\r\nHost: localhost\r\n"
        + b"".join(b"X-Field-%d: v\r\n" % i for i in range(150)) + b"\r\n", 431, "headers_too_large"),
    "a header over the limit": (
        b"GET /health?api_key=" + SECRET.encode() + b" HTTP/1.1\r\nHost: localhost\r\nX-Big: " + b"v" * 9000
        + b"\r\n\r\n", 431, "headers_too_large"),
    "a transfer coding nobody knows": (
        post(QUERY, b"Transfer-Encoding: zstd-x\r\n", chunked(ARTICLE)), 501, "unsupported_transfer_coding"),
    "a compressed transfer coding (gunicorn would pass the compressed bytes on)": (
        post(QUERY, b"Transfer-Encoding: gzip, chunked\r\n", chunked(ARTICLE)), 501, "unsupported_transfer_coding"),
    "an expectation other than 100-continue": (
        post(QUERY, b"Expect: 200-ok\r\nContent-Length: 2\r\n", b"{}"), 417, "expectation_failed"),
    "a chunked body over the limit": (
        post(QUERY, b"Transfer-Encoding: chunked\r\n",
             chunked(b'{"text": "' + b"Musk. " * (MAX_BODY_BYTES // 6) + b'"}')), 413, "body_too_large"),
}


@pytest.mark.parametrize("raw, status, code", REFUSED.values(), ids=REFUSED.keys())
def test_what_gunicorn_refuses_is_answered_in_the_error_shape(server, raw, status, code):
    exchange_status, headers, body = exchange(server, raw)
    error = assert_error_shape(exchange_status, headers, body, status, code)
    if code == "body_too_large":
        assert f"{MAX_BODY_BYTES:,} bytes" in error["message"] and "PORTRAYAL_MAX_BODY_BYTES" in error["message"]


def test_a_refused_request_is_logged_as_one_json_line_under_its_request_id(server):
    status, headers, _ = exchange(server, post(QUERY, b"Content-Length: 4x\r\nX-Request-Id: refused-1\r\n", b"{}{}"))
    assert status == 400 and headers["x-request-id"] == "refused-1"
    server.wait_for_log('"request_id": "refused-1"', 10)
    (line,) = [line for line in server.json_lines() if line.get("request_id") == "refused-1"]
    assert line["status"] == 400 and line["code"] == "malformed_request"
    assert line["method"] == "POST" and line["path"] == "/score"


@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_a_client_that_sends_a_5_mib_body_whole_reads_its_413(server, framing):
    body = b'{"text": "' + b"x" * (5 * 1024 * 1024) + b'"}'
    if framing == "chunked":
        raw = post(QUERY, b"Transfer-Encoding: chunked\r\n", b"".join(chunked(body[i:i + 65536])[:-5]
                                                                       for i in range(0, len(body), 65536))
                   + b"0\r\n\r\n")
    else:
        raw = post(QUERY, b"Content-Length: %d\r\n" % len(body), body)
    for _ in range(3):  # a reset is a race: one clean exchange would prove little
        error = assert_error_shape(*exchange(server, raw), 413, "body_too_large")
        assert f"{MAX_BODY_BYTES:,} bytes" in error["message"]


def test_the_server_answers_normally_after_the_refusals(server):
    status, _, body = server.request("POST", "/score?api_key=" + SECRET, json.loads(ARTICLE))
    assert status == 200 and json.loads(body)["sentences"]


def test_no_log_line_carries_a_query_string(server):
    # Requests cut short after part of their request line, which gunicorn logs (at debug level).
    for partial in (b"GET /health?api_key=" + SECRET.encode() + b" HT", b"GET /health?api_key=" + SECRET.encode()):
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
            connection.sendall(partial)
            connection.shutdown(socket.SHUT_WR)
            connection.recv(100)
    for raw, _, _ in REFUSED.values():
        exchange(server, raw)
    server.get("/health?api_key=" + SECRET)
    server.wait_for_log("No more data after", 10)  # gunicorn's own line on a cut request line was written
    log = server.log()
    assert SECRET not in log
    assert "[DEBUG]" in log and '"status": 414' in log  # gunicorn's lines and ours are both there
