"""Running the app under gunicorn, the model loaded in the master before the workers fork.

SIGHUP to the master takes up whatever model is now in the model directory: the master builds a
fresh app (a new Scorer, hash and library versions checked), then gunicorn forks new workers
with it and retires the old ones once they have answered their current request. A model that
does not load is logged, and the workers keep serving the model they had.
"""
from __future__ import annotations

import ctypes
import gc
import logging
import os
import shutil
import sys
import tempfile

from gunicorn.app.base import BaseApplication

from portrayal.errors import ModelArtifactError

from . import create_app
from .metrics import forget_process, use_multiprocess_dir
from .request_log import configure_logging
from .settings import load_settings

log = logging.getLogger(__name__)
_C_LIBRARY = ctypes.CDLL(None)  # the symbols of the running process, the C library's included
WORKER_TIMEOUT_SECONDS = 60  # a batch of 64 long articles takes a few seconds; a minute means stuck


class PortrayalServer(BaseApplication):
    """gunicorn with our app preloaded, rebuilt from the model directory on SIGHUP."""

    def __init__(self, app, settings: dict):
        self.settings = settings
        super().__init__()
        self.callable = app  # preloaded: what wsgi() hands to every worker forked from now on

    def load_config(self):
        options = {
            "bind": f"{self.settings['host']}:{self.settings['port']}",
            "workers": self.settings["workers"],
            "preload_app": True,
            "timeout": WORKER_TIMEOUT_SECONDS,
            "worker_class": "serve.worker.SilenceLimitedSyncWorker",
            "logger_class": "serve.gunicorn_log.QueryFreeLogger",  # no query string in its lines
            "loglevel": self.settings["log_level"],
            "accesslog": None,  # the app writes one JSON line per request instead
            "child_exit": _child_exit,
            # No control socket: we do not use it, and two servers on one machine would share its path.
            "control_socket_disable": True,
        }
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self):
        return create_app(self.settings)

    def reload(self):
        """On SIGHUP, in the master: gunicorn's configuration again, then a new app if the model loads."""
        super().reload()
        model_dir = self.settings["model_dir"]
        try:
            app = create_app(self.settings)
        except Exception as error:  # whatever is wrong with the new model, the old one keeps serving
            log.error("reload: the model in %s did not load; still serving the previous one", model_dir,
                      exc_info=not isinstance(error, ModelArtifactError),
                      extra={"fields": {"model_dir": model_dir, "error": str(error)}})
            return
        self.callable = app
        identity = app.extensions["portrayal.scorer"].artifact.identity
        log.info("reload: serving the model in %s", model_dir, extra={"fields": {"model_dir": model_dir, "model": identity}})
        _return_freed_memory()


def _return_freed_memory() -> None:
    """Free the previous app (its model included) and give the memory back to the system.

    The old and the new model live side by side while the new one loads; once the old one is
    freed, glibc keeps many of its pages rather than returning them, and the master (and every
    worker forked from it) grew with reloads: 243 MB after one, 278 MB after ten. malloc_trim
    returns them (where there is no glibc, nothing is done).
    """
    gc.collect()
    trim = getattr(_C_LIBRARY, "malloc_trim", None)
    if trim is not None:
        trim(0)


def _child_exit(server, worker):
    forget_process(worker.pid)


def run(overrides: dict | None = None) -> None:
    """Load the model, then serve it with gunicorn until stopped (refusing to start if it does not load)."""
    settings = load_settings(overrides)
    configure_logging(settings["log_level"])
    master = os.getpid()
    # Worker processes share their metrics through this directory, made before anything forks.
    metrics_dir = tempfile.mkdtemp(prefix="portrayal-metrics-")
    use_multiprocess_dir(metrics_dir)
    try:
        try:
            # No local name for the app: this frame lasts as long as the master, and would keep the
            # first model alive after every reload.
            server = PortrayalServer(create_app(settings), settings)
        except ModelArtifactError as error:
            sys.exit(f"cannot start: {error}")
        server.run()
    finally:
        # Workers leave through sys.exit too, unwinding this very frame: only the master cleans up.
        if os.getpid() == master:
            shutil.rmtree(metrics_dir, ignore_errors=True)
