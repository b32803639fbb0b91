"""The HTTP service: a Flask app factory that loads the model once at start-up."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from portrayal.errors import ModelArtifactError, PortrayalError
from portrayal.scoring import Scorer

from .auth import register_api_key
from .errors import register_error_handlers
from .json_provider import OrjsonProvider
from .metrics import register_metrics
from .request_log import configure_logging, register_request_log
from .settings import load_settings


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: settings from defaults and environment, then `test_config` overrides.

    `test_config` may carry a ready `scorer` (tests build one model per session).
    """
    test_config = dict(test_config or {})
    scorer = test_config.pop("scorer", None)
    settings = load_settings(test_config)
    configure_logging(settings["log_level"])
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=settings["max_body_bytes"], MAX_ARTICLES=settings["max_articles"],
                      SETTINGS=settings)
    app.json = OrjsonProvider(app)
    scorer = scorer or load_scorer(settings["model_dir"])
    app.extensions["portrayal.scorer"] = scorer
    # Order matters: the request id and start time come first, so that a refused key is logged too.
    register_request_log(app)
    register_api_key(app, settings["api_key"])
    register_metrics(app, scorer)
    from . import api, openapi, page, status
    for module in (api, status, openapi, page):
        app.register_blueprint(module.bp)
    register_error_handlers(app)
    return app


def load_scorer(model_dir) -> Scorer:
    """The scorer of `model_dir`; whatever keeps it from scoring is a ModelArtifactError, so that
    `stance serve` says why it cannot start instead of printing a traceback."""
    try:
        return Scorer.from_dir(model_dir)
    except PortrayalError:
        raise
    except Exception as error:  # the file passed every check but its model does not work
        raise ModelArtifactError(f"the model in {Path(model_dir).resolve()} loaded but cannot score "
                                 f"({type(error).__name__}: {error}): retrain with make train") from error
