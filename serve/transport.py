"""gunicorn's own refusals in the one error shape.

gunicorn parses the request line, the headers and a chunked body itself. What it cannot parse
never reaches Flask (or, for a chunked body, surfaces while Flask reads it), and gunicorn would
answer an HTML page or a 500. `refusal` says, in our words, what is wrong and with which status;
the messages never repeat the request, whose line or headers may carry secrets.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from http import HTTPStatus

from gunicorn.config import Config
from gunicorn.http import errors as parse

MALFORMED = "malformed_request"


@dataclass(frozen=True)
class ErrorAnswer:
    status: int
    code: str
    message: str

    def body(self) -> dict:
        return {"error": {"status": self.status, "code": self.code, "message": self.message, "field": None}}

    def http_bytes(self, request_id: str) -> bytes:
        """The whole answer, for a connection that is closed after it."""
        body = json.dumps(self.body(), separators=(",", ":")).encode() + b"\n"
        head = (f"HTTP/1.1 {self.status} {HTTPStatus(self.status).phrase}\r\n"
                "Content-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n"
                f"X-Request-Id: {request_id}\r\n"
                "Connection: close\r\n\r\n")
        return head.encode("latin-1") + body


def _header_message(error: parse.InvalidHeader) -> str:
    if error.hdr == "CONTENT-LENGTH":
        return ("Content-Length must be one non-negative integer, and cannot be sent with "
                "Transfer-Encoding: chunked")
    if error.hdr == "TRANSFER-ENCODING":
        return "Transfer-Encoding must end with chunked, once, in an HTTP/1.1 request"
    return "a header line is not valid HTTP: a name of letters, digits and -, a colon, then the value"


def refusal(error: BaseException, cfg: Config | None = None) -> ErrorAnswer | None:
    """What to answer for a request gunicorn could not parse; None when the request is not at fault.

    `cfg` is gunicorn's configuration, for the limits the messages name (gunicorn's defaults without it).
    """
    cfg = cfg or Config()
    if isinstance(error, (parse.InvalidResponseHeader, parse.InvalidResponseHeaderName, parse.ConfigurationProblem)):
        return None  # our answer or our configuration is wrong, not the request
    if isinstance(error, parse.LimitRequestLine):
        return ErrorAnswer(414, "request_line_too_long", f"the request line (method, path and query string) is over "
                           f"{cfg.limit_request_line:,} bytes")
    if isinstance(error, parse.LimitRequestHeaders):
        return ErrorAnswer(431, "headers_too_large", f"the headers are over the limits: at most "
                           f"{cfg.limit_request_fields} header fields of {cfg.limit_request_field_size:,} bytes each")
    if isinstance(error, parse.UnsupportedTransferCoding):
        return ErrorAnswer(501, "unsupported_transfer_coding",
                           "this server reads a body sent with Content-Length or Transfer-Encoding: chunked only")
    if isinstance(error, parse.ExpectationFailed):
        return ErrorAnswer(417, "expectation_failed", "the only Expect header this server meets is 100-continue")
    if isinstance(error, parse.InvalidHTTPVersion):
        return ErrorAnswer(400, MALFORMED, "this server speaks HTTP/1.0 and HTTP/1.1 only")
    if isinstance(error, (parse.InvalidRequestLine, parse.InvalidRequestMethod)):
        return ErrorAnswer(400, MALFORMED, "the request line is not METHOD /path HTTP/1.1")
    if isinstance(error, parse.InvalidHeader):
        return ErrorAnswer(400, MALFORMED, _header_message(error))
    if isinstance(error, parse.InvalidHeaderName):
        return ErrorAnswer(400, MALFORMED, "a header name is not valid: letters, digits and - only")
    if isinstance(error, parse.ObsoleteFolding):
        return ErrorAnswer(400, MALFORMED, "a header is folded over several lines, which HTTP/1.1 no longer allows")
    if isinstance(error, (parse.InvalidChunkSize, parse.ChunkMissingTerminator, parse.InvalidChunkExtension)):
        return ErrorAnswer(400, MALFORMED, "the chunked body is malformed: each chunk is a hexadecimal size, CRLF, "
                           "the data, CRLF, and a chunk of size 0 ends the body")
    if isinstance(error, parse.ParseException):
        return ErrorAnswer(400, MALFORMED, "the request is not valid HTTP/1.1")
    return None
