"""Running the app under gunicorn, the model loaded in the master before the workers fork."""
from __future__ import annotations

import sys

from gunicorn.app.base import BaseApplication

from portrayal.errors import ModelArtifactError

from . import create_app
from .settings import load_settings


class _Gunicorn(BaseApplication):
    def __init__(self, app, options: dict):
        self.application, self.options = app, options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def run(overrides: dict | None = None) -> None:
    settings = load_settings(overrides)
    try:
        app = create_app({k: settings[k] for k in ("model_dir", "max_body_bytes", "max_articles")})
    except ModelArtifactError as error:
        sys.exit(f"cannot start: {error}")
    options = {"bind": f"{settings['host']}:{settings['port']}", "workers": settings["workers"],
               "preload_app": True, "accesslog": "-", "timeout": 60}
    _Gunicorn(app, options).run()
