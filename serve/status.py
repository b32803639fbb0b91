"""Probes and identity: GET /health (the process is alive), /ready (the model answers), /model (its metadata)."""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify

from .errors import ApiError
from .request_log import current_request_id

bp = Blueprint("status", __name__)
log = logging.getLogger(__name__)

# A tiny article that mentions both targets, so readiness exercises every head of the model.
READY_PROBE = {"id": "ready", "text": "Elon Musk a critiqué Sam Altman."}


def _loaded_scorer():
    scorer = current_app.extensions.get("portrayal.scorer")
    if scorer is None:
        raise ApiError(503, "not_ready", "the model is not loaded yet")
    return scorer


@bp.get("/health")
def health():
    return jsonify({"status": "ok"})


@bp.get("/ready")
def ready():
    scorer = _loaded_scorer()
    try:
        scorer.score(READY_PROBE)
    except Exception as error:  # whatever breaks, the answer is "not ready", and the log says why
        log.exception("readiness probe failed", extra={"fields": {"request_id": current_request_id()}})
        message = f"the model does not answer a test article ({type(error).__name__})"
        raise ApiError(503, "not_ready", message) from error
    return jsonify({"status": "ready", "model": scorer.artifact.identity})


@bp.get("/model")
def model():
    """The metadata.json of the model being served, as it was when loaded."""
    return jsonify(_loaded_scorer().artifact.metadata)
