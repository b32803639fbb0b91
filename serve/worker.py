"""gunicorn's sync worker, with a limit on how long a client may stay silent.

A sync worker serves one connection at a time, from accepting it to closing it. A client that
connects and then sends nothing (a browser's speculative preconnection, a stuck pipeline) would
hold the worker until gunicorn's worker timeout, and as many such clients as workers would stop
the service for a minute. Here the worker waits at most `client_timeout` seconds for the
request to begin, then closes the connection and takes the next one; the same limit applies to
every later read and write on the connection, so a request that stalls halfway is dropped too.
"""
from __future__ import annotations

import logging
import socket

from gunicorn import util
from gunicorn.workers.sync import SyncWorker

log = logging.getLogger(__name__)


class SilenceLimitedSyncWorker(SyncWorker):
    def accept(self, listener):
        client, address = listener.accept()
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
