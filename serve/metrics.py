"""GET /metrics in Prometheus text format: requests, latency, articles and sentences scored, model.

Under gunicorn every worker is a process of its own. The server points PROMETHEUS_MULTIPROC_DIR
at a fresh directory before the workers fork (see server.py); each process then writes its
samples there and GET /metrics adds up every process's files, whichever worker answers. Without
it (tests, `flask run`) the app's own registry is read.
"""
from __future__ import annotations

import logging
import os

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import InfoMetricFamily

from .errors import ApiError
from .request_log import elapsed_seconds

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Scoring one short article takes a few milliseconds; a batch of 64 long ones about a second.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# Any other method a client invents is counted as "other", so labels stay few.
KNOWN_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
UNMATCHED = "unmatched"  # the endpoint label of requests to no route (no label per unknown path)

bp = Blueprint("metrics", __name__)
log = logging.getLogger(__name__)


class _ModelInfo:
    """portrayal_model_info{name, version, sha256} 1, read from the app's model when scraped."""

    def __init__(self, scorer):
        self.scorer = scorer

    def collect(self):
        info = InfoMetricFamily("portrayal_model", "the model this worker serves")
        metadata = getattr(getattr(self.scorer, "artifact", None), "metadata", None)
        if isinstance(metadata, dict):  # loading checks it; a scorer given by other code may not have
            info.add_metric([], {key: str(metadata.get(key, "")) for key in ("name", "version", "sha256")})
        yield info


class Metrics:
    """The app's metrics; one instance per app, with its own registry."""

    def __init__(self, scorer):
        self.registry = CollectorRegistry()
        self.requests = Counter("portrayal_http_requests", "HTTP requests answered, by endpoint, method and status",
                                ("endpoint", "method", "status"), registry=self.registry)
        self.latency = Histogram("portrayal_http_request_duration_seconds", "time to answer a request, by endpoint",
                                 ("endpoint",), buckets=LATENCY_BUCKETS, registry=self.registry)
        self.articles = Counter("portrayal_articles_scored", "articles scored", registry=self.registry)
        self.sentences = Counter("portrayal_sentences_scored", "sentences scored", registry=self.registry)
        self.model_info = _ModelInfo(scorer)
        self.registry.register(self.model_info)
        self.failed_to_count = False

    def observe(self, response) -> None:
        """Count a finished request and what it scored."""
        endpoint = request.url_rule.rule if request.url_rule is not None else UNMATCHED
        method = request.method if request.method in KNOWN_METHODS else "other"
        self.requests.labels(endpoint, method, str(response.status_code)).inc()
        self.latency.labels(endpoint).observe(elapsed_seconds())
        scored = g.get("scored")
        if scored:
            self.articles.inc(scored["articles"])
            self.sentences.inc(scored["sentences"])

    def exposition(self) -> bytes:
        """The text format: every process's samples in multiprocess mode, this app's otherwise."""
        if not os.environ.get(MULTIPROC_ENV):
            return generate_latest(self.registry)
        from prometheus_client import multiprocess
        registry = CollectorRegistry()
        try:
            multiprocess.MultiProcessCollector(registry)
            registry.register(self.model_info)
            return generate_latest(registry)
        except Exception as error:  # files other processes write: gone (a cleaner emptied $TMPDIR), or damaged
            log.error("metrics could not be read", extra={"fields": {"metrics_dir": os.environ[MULTIPROC_ENV],
                                                                     "error": str(error)}})
            raise ApiError(503, "metrics_unavailable", "the metrics the workers share could not be read "
                           "(the server log says why); restarting the server starts them again") from error


def use_multiprocess_dir(directory: str) -> None:
    """Share samples between processes through files in `directory`; call before any metric is created."""
    os.environ[MULTIPROC_ENV] = str(directory)
    # prometheus_client chooses where values live when it is first imported; choose again now
    # the directory is set, whatever imported it before.
    from prometheus_client import values
    values.ValueClass = values.get_value_class()


def forget_process(pid: int) -> None:
    """A worker exited: drop its live-gauge files (its counters stay, so totals never go down)."""
    from prometheus_client import multiprocess
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(pid)


def register_metrics(app: Flask, scorer) -> None:
    """Attach the app's metrics, count every request, and serve GET /metrics."""
    metrics = Metrics(scorer)
    app.extensions["portrayal.metrics"] = metrics
    app.after_request(_observe)
    app.register_blueprint(bp)


def _observe(response):
    metrics = current_app.extensions["portrayal.metrics"]
    try:
        metrics.observe(response)
    except Exception as error:  # counting must not fail the request it counts (say, its file cannot be made)
        if not metrics.failed_to_count:
            metrics.failed_to_count = True
            log.error("metrics could not be counted; the next failures of this process are not logged",
                      extra={"fields": {"error": f"{type(error).__name__}: {error}"}})
    return response


@bp.get("/metrics")
def metrics():
    return Response(current_app.extensions["portrayal.metrics"].exposition(), mimetype=None,
                    content_type=CONTENT_TYPE_LATEST)
