"""The optional API key: with `api_key` set, every endpoint but the probes needs `Authorization: Bearer <key>`."""
from __future__ import annotations

import hmac

from flask import Flask, request

from .errors import ApiError

# Liveness and readiness probes come from orchestrators that hold no secret, and reveal nothing.
OPEN_ENDPOINTS = frozenset({"status.health", "status.ready"})


def register_api_key(app: Flask, key: str) -> None:
    """Refuse requests without the key (401); nothing to do when no key is set."""
    if not key:
        return
    expected = key.encode("utf-8")

    @app.before_request
    def _require_api_key():
        if request.endpoint in OPEN_ENDPOINTS:
            return None
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        # Header values reach WSGI as latin-1 text: back to the bytes the client sent, then a
        # constant-time comparison so the answer's timing says nothing about the key.
        given = token.strip().encode("latin-1", "replace")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given, expected):
            raise ApiError(401, "unauthorized", "this server needs an API key: send Authorization: Bearer <key>",
                           headers={"WWW-Authenticate": "Bearer"})
        return None
