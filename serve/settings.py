"""Service settings as data: each has a name, an environment variable, a default and a help text.

The README's settings table is checked against this list by a test.
"""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: object
    kind: type
    help: str
    choices: tuple = ()  # when not empty, the only values accepted


SETTINGS = (
    Setting("host", "PORTRAYAL_HOST", "127.0.0.1", str, "address the server listens on"),
    Setting("port", "PORTRAYAL_PORT", 8000, int, "TCP port"),
    Setting("workers", "PORTRAYAL_WORKERS", os.cpu_count() or 1, int, "gunicorn worker processes (default: one per core)"),
    Setting("model_dir", "PORTRAYAL_MODEL_DIR", "models/default", str, "model directory written by `make train`"),
    Setting("max_body_bytes", "PORTRAYAL_MAX_BODY_BYTES", 1_048_576, int, "largest request body accepted (413 above)"),
    Setting("max_articles", "PORTRAYAL_MAX_ARTICLES", 64, int, "most articles in one `{\"articles\": [...]}` request"),
    Setting("client_timeout", "PORTRAYAL_CLIENT_TIMEOUT", 5.0, float,
            "seconds a worker waits on a silent client (for its request to begin, or for each read or write "
            "after that: a stall, not the whole answer) before closing the connection"),
    Setting("api_key", "PORTRAYAL_API_KEY", "", str,
            "when set, every endpoint but `/health` and `/ready` needs `Authorization: Bearer <key>` (401 otherwise)"),
    Setting("log_level", "PORTRAYAL_LOG_LEVEL", "info", str,
            "least severe JSON log lines written: `debug`, `info`, `warning` or `error`",
            choices=("debug", "info", "warning", "error")),
)


def load_settings(overrides: dict | None = None, environ=None) -> dict:
    """Defaults, then environment variables, then explicit overrides."""
    environ = os.environ if environ is None else environ
    values = {}
    for setting in SETTINGS:
        value = environ.get(setting.env, setting.default)
        try:
            values[setting.name] = setting.kind(value)
        except ValueError as error:
            raise SystemExit(f"{setting.env}={value!r} is not a valid {setting.kind.__name__}") from error
        if setting.choices and values[setting.name] not in setting.choices:
            raise SystemExit(f"{setting.env}={value!r} is not one of {', '.join(setting.choices)}")
    values.update(overrides or {})
    return values
