"""gunicorn's own log lines, without query strings.

A query string may carry a secret (`?api_key=...`), and gunicorn writes raw request bytes in some
of its lines: the request line of a request it cannot parse, what a client sent before closing
(at debug level), an exception's text. Every line of gunicorn's log, traceback included, goes
through `without_query_strings` first; our own JSON lines carry paths only.
"""
from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger

# "?" followed by anything up to a blank: the query string of a request target, in plain or
# repr() form. A "?" that ends a sentence has a blank (or nothing) after it and is kept.
QUERY_STRING = re.compile(r"\?\S+")
REDACTED = "?…"


def without_query_strings(text: str) -> str:
    return QUERY_STRING.sub(REDACTED, text)


class _DropQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = without_query_strings(record.getMessage()), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = without_query_strings(record.exc_text)
        return True


class QueryFreeLogger(Logger):
    """gunicorn's logger (the `logger_class` setting) with query strings taken out of every line."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, _DropQueryStrings) for f in log.filters):
                log.addFilter(_DropQueryStrings())
