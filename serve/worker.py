"""gunicorn's sync worker, with limits on silent clients and answers in our shape to the end.

A sync worker serves one connection at a time, from accepting it to closing it. A client that
connects and then sends nothing (a browser's speculative preconnection, a stuck pipeline) would
hold the worker until gunicorn's worker timeout, and as many such clients as workers would stop
the service for a minute. Here the worker waits at most `client_timeout` seconds for the
request to begin, then closes the connection and takes the next one. The same limit bounds every
later stall: each read, and each piece of the answer written (a client reading a large answer
steadily, however slowly, gets all of it; one that stops reading is dropped).

It also answers what gunicorn refuses before the app sees it (a malformed request line or
header, an unsupported transfer coding) in the one error shape, logs each request once its
answer has gone out (an answer cut short is logged as cut), and reads what is left of a body it
did not need (a 413) before closing, so that the client reads the answer instead of a reset.
"""
from __future__ import annotations

import logging
import socket
import uuid

from gunicorn import util
from gunicorn.http.errors import ParseException, UnsupportedTransferCoding
from gunicorn.workers.sync import SyncWorker

from .request_log import LOG_AFTER_SENDING, REQUEST_ID_HEADER, SANE_REQUEST_ID, write_request_line
from .transport import ErrorAnswer, refusal

log = logging.getLogger(__name__)
# What is left of an unread body is read and dropped up to this much; past it the connection is
# simply closed (the client may then see a reset instead of the answer).
DISCARD_LIMIT_BYTES = 64 * 1024 * 1024
COMPRESSIONS = frozenset({"gzip", "deflate", "compress"})
INTERNAL_ERROR = ErrorAnswer(500, "internal_error", "internal server error")


class _IdleBoundedSocket(socket.socket):
    """A socket whose `sendall` lets each piece take up to the timeout, rather than the whole answer.

    Python's own sendall applies the timeout to the whole call: a 33 MB answer read at 3 MB/s
    would be cut after `client_timeout` seconds. Whenever bytes move, `heartbeat` tells gunicorn's
    master the worker is alive, so its worker timeout only stops a worker that is stuck.
    """

    sent = 0  # bytes written so far, for the log line of an answer cut short
    heartbeat = staticmethod(lambda: None)

    def sendall(self, data, flags=0):
        with memoryview(data) as view, view.cast("B") as remaining:
            offset = 0
            while offset < len(remaining):
                offset += self.send(remaining[offset:], flags)  # waits at most the timeout to write anything

    def send(self, data, flags=0):
        count = super().send(data, flags)
        self.sent += count
        self.heartbeat()
        return count

    def recv(self, size, flags=0):
        data = super().recv(size, flags)
        self.heartbeat()
        return data


class SilenceLimitedSyncWorker(SyncWorker):
    _pending_line: dict | None = None  # what the app gives for the request line, logged once the answer is out

    def accept(self, listener):
        accepted, address = listener.accept()
        client = _IdleBoundedSocket(fileno=accepted.detach())
        client.heartbeat = self.notify
        timeout = self.app.settings["client_timeout"]
        client.settimeout(timeout)
        try:
            began = client.recv(1, socket.MSG_PEEK)  # the byte stays for the request parser
        except TimeoutError:
            log.info("closed a connection that sent nothing in %g s", timeout,
                     extra={"fields": {"client_timeout": timeout}})
            began = b""
        except OSError:  # reset by the client before it sent anything
            began = b""
        if not began:
            client.close()
            return
        util.close_on_exec(client)
        self.handle(listener, client, address)

    def load_wsgi(self):
        super().load_wsgi()
        app = self.wsgi

        def app_logged_after_sending(environ, start_response):
            environ[LOG_AFTER_SENDING] = self._pending_line
            return app(environ, start_response)

        self.wsgi = app_logged_after_sending

    def handle_request(self, listener, req, client, addr):
        _refuse_codings_gunicorn_passes_on(req)
        self._pending_line = pending = {}
        sent = False
        try:
            super().handle_request(listener, req, client, addr)
            sent = True
        except OSError as error:  # the client stopped reading past the timeout, or went away
            raise StopIteration(f"the answer did not all go out ({type(error).__name__})") from error
        finally:
            self._pending_line = None
            if pending:
                write_request_line(pending, None if sent else client.sent)
        _discard_unread_body(req)

    def handle_error(self, req, client, addr, exc):
        """Answer a request gunicorn refused (or a failure outside the app) in the one error shape."""
        answer = refusal(exc, self.cfg)
        req = req if req is not None else getattr(exc, "req", None)  # a bad header still knows its request
        fields = {"request_id": _request_id(req), "method": getattr(req, "method", None),
                  "path": getattr(req, "path", None)}
        if answer is None:
            log.error("unhandled error outside the app", exc_info=exc, extra={"fields": fields})
            answer = INTERNAL_ERROR
        write_request_line({**fields, "status": answer.status, "code": answer.code})
        try:
            client.sendall(answer.http_bytes(fields["request_id"]))
        except OSError:
            pass  # the client is gone; the log line says what it would have read


def _refuse_codings_gunicorn_passes_on(req) -> None:
    # gunicorn accepts "Transfer-Encoding: gzip, chunked" and hands the app the compressed bytes.
    for name, value in req.headers:
        if name == "TRANSFER-ENCODING" and any(coding.strip(" \t").lower() in COMPRESSIONS
                                               for coding in value.split(",")):
            raise UnsupportedTransferCoding(value)


def _request_id(req) -> str:
    for name, value in getattr(req, "headers", None) or ():
        if name == REQUEST_ID_HEADER.upper() and SANE_REQUEST_ID.fullmatch(value):
            return value
    return uuid.uuid4().hex


def _discard_unread_body(req) -> None:
    """Read and drop what the app left of the body, so that closing does not reset the connection
    before the client has read the answer (a body over the limit is answered without reading it)."""
    discarded = 0
    try:
        while discarded < DISCARD_LIMIT_BYTES:
            piece = req.body.read(1 << 16)
            if not piece:
                return
            discarded += len(piece)
    except (OSError, ParseException):  # silent past the timeout, gone, or a malformed chunk
        return
