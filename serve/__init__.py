"""The HTTP service: a Flask app factory that loads the model once at start-up."""
from __future__ import annotations

from flask import Flask

from portrayal.scoring import Scorer

from .errors import register_error_handlers
from .settings import load_settings


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: settings from defaults and environment, then `test_config` overrides.

    `test_config` may carry a ready `scorer` (tests build one model per session).
    """
    test_config = dict(test_config or {})
    scorer = test_config.pop("scorer", None)
    settings = load_settings(test_config)
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=settings["max_body_bytes"], MAX_ARTICLES=settings["max_articles"],
                      JSON_SORT_KEYS=False, SETTINGS=settings)
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.extensions["portrayal.scorer"] = scorer or Scorer.from_dir(settings["model_dir"])
    from . import api, page
    app.register_blueprint(api.bp)
    app.register_blueprint(page.bp)
    register_error_handlers(app)
    return app
