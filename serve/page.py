"""GET /: a self-contained page to paste an article and read its scores (no external assets)."""
from __future__ import annotations

from importlib import resources

from flask import Blueprint, Response

bp = Blueprint("page", __name__)


@bp.get("/")
def index():
    html = resources.files("serve").joinpath("static/index.html").read_text(encoding="utf-8")
    return Response(html, mimetype="text/html")
