"""`stance serve` and clients that go silent: a worker waits PORTRAYAL_CLIENT_TIMEOUT seconds at most,
so idle connections (as many as there are workers) cannot stop the service."""
from __future__ import annotations

import json
import socket
import time

import pytest

from .support import Server, serving

CLIENT_TIMEOUT = 1.0
ARTICLE = json.dumps({"id": "slow", "text": "Elon Musk a critiqué Sam Altman."}).encode()


@pytest.fixture(scope="module")
def server(model_dir, tmp_path_factory):
    yield from serving(model_dir, tmp_path_factory.mktemp("silent-clients"),
                       environment={"PORTRAYAL_CLIENT_TIMEOUT": str(CLIENT_TIMEOUT)})


def connect(server: Server) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


def read_until_closed(connection: socket.socket) -> bytes:
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    return received


def test_idle_connections_on_every_worker_delay_a_request_by_the_timeout_only(server):
    idle = [connect(server) for _ in range(2)]  # one per worker
    time.sleep(0.3)  # both workers have accepted one and wait for its request
    started = time.monotonic()
    status, _, _ = server.get("/health")
    waited = time.monotonic() - started
    assert status == 200
    assert waited < CLIENT_TIMEOUT + 3  # not gunicorn's one-minute worker timeout
    for connection in idle:
        assert read_until_closed(connection) == b""  # closed by the server, without an answer
        connection.close()
    assert "closed a connection that sent nothing in 1 s" in server.log()


def test_a_request_sent_slowly_but_steadily_is_answered(server):
    request = (b"POST /score HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
               b"Content-Length: " + str(len(ARTICLE)).encode() + b"\r\n\r\n" + ARTICLE)
    pieces = [request[i:i + 40] for i in range(0, len(request), 40)]
    connection = connect(server)
    started = time.monotonic()
    for piece in pieces:  # each pause is under the timeout; the whole is well over it
        connection.sendall(piece)
        time.sleep(CLIENT_TIMEOUT * 0.5)
    answer = read_until_closed(connection)
    connection.close()
    assert time.monotonic() - started > 2 * CLIENT_TIMEOUT
    assert answer.startswith(b"HTTP/1.1 200")
    assert b'"id":"slow"' in answer


def test_a_body_that_stalls_halfway_gets_a_400_after_the_timeout_and_the_service_goes_on(server):
    connection = connect(server)
    connection.sendall(b"POST /score HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                       b"Content-Length: " + str(len(ARTICLE)).encode() + b"\r\n\r\n" + ARTICLE[:10])
    started = time.monotonic()
    head, _, body = read_until_closed(connection).partition(b"\r\n\r\n")
    assert CLIENT_TIMEOUT * 0.9 < time.monotonic() - started < CLIENT_TIMEOUT + 3
    connection.close()
    assert head.startswith(b"HTTP/1.1 400")
    error = json.loads(body)["error"]
    assert error["code"] == "incomplete_body" and f"Content-Length of {len(ARTICLE)} bytes" in error["message"]
    assert server.request("POST", "/score", json.loads(ARTICLE))[0] == 200
