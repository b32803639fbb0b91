"""`stance serve` and large answers: PORTRAYAL_CLIENT_TIMEOUT bounds each stall of a client, not the
whole answer, so a client reading steadily gets all of it; one that stops reading is dropped, and
its request is logged as cut, not as a 200."""
from __future__ import annotations

import json
import socket
import time

import pytest

from .support import Server, serving

CLIENT_TIMEOUT = 1.0  # a tenth of the time the answer below takes to read at READ_RATE
READ_RATE = 3_000_000  # bytes per second
# 64 articles of 2,000 one-letter sentences: a 33.6 MB answer from a 0.5 MB body.
LARGEST_BATCH = json.dumps({"articles": [{"sentences": ["a"] * 2000}] * 64}).encode()


@pytest.fixture(scope="module")
def server(model_dir, tmp_path_factory):
    yield from serving(model_dir, tmp_path_factory.mktemp("large-answers"),
                       environment={"PORTRAYAL_CLIENT_TIMEOUT": str(CLIENT_TIMEOUT)})


def ask_for_the_largest_batch(server: Server, request_id: str) -> socket.socket:
    connection = socket.socket()
    # A small receive buffer, so that the answer waits in the server rather than in this kernel.
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    connection.settimeout(60)
    connection.connect(("127.0.0.1", server.port))
    connection.sendall(b"POST /score HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                       b"X-Request-Id: " + request_id.encode() + b"\r\n"
                       b"Content-Length: " + str(len(LARGEST_BATCH)).encode() + b"\r\n\r\n" + LARGEST_BATCH)
    return connection


def read_steadily(connection: socket.socket, rate: float, up_to: int | None = None) -> bytes:
    """Read at `rate` bytes per second on average until the server closes (or `up_to` bytes)."""
    received = bytearray()
    started = None
    while up_to is None or len(received) < up_to:
        chunk = connection.recv(32 * 1024)
        if not chunk:
            break
        started = started or time.monotonic()  # from the first byte: scoring takes its own time
        received += chunk
        ahead = len(received) / rate - (time.monotonic() - started)
        if ahead > 0:
            time.sleep(ahead)
    return bytes(received)


def request_lines(server: Server, request_id: str, seconds: float = 20) -> list[dict]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        lines = [line for line in server.json_lines() if line.get("request_id") == request_id]
        if lines:
            return lines
        time.sleep(0.2)
    pytest.fail(f"no log line for {request_id}: {server.log()[-2000:]}")


def test_a_client_reading_steadily_gets_the_whole_answer(server):
    with ask_for_the_largest_batch(server, "steady-1") as connection:
        started = time.monotonic()
        received = read_steadily(connection, READ_RATE)
        reading = time.monotonic() - started
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    (length,) = [int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")]
    assert length > 30_000_000 and len(body) == length, f"{len(body):,} of {length:,} bytes"
    assert reading > 5 * CLIENT_TIMEOUT  # the whole answer took far longer than the timeout
    assert len(json.loads(body)["articles"]) == 64
    (line,) = request_lines(server, "steady-1")
    assert line["message"] == "request" and line["status"] == 200 and "cut" not in line


def test_an_answer_cut_because_the_client_stopped_reading_is_logged_as_cut(server):
    with ask_for_the_largest_batch(server, "stalled-1") as connection:
        received = read_steadily(connection, READ_RATE, up_to=2_000_000)
        (line,) = request_lines(server, "stalled-1", seconds=60)  # written once the worker gave up
    assert line["level"] == "warning" and line["cut"] is True and line["status"] == 200
    assert line["message"].startswith("request cut")
    assert len(received) <= line["sent_bytes"] < 30_000_000
    assert server.get("/health")[0] == 200
