"""The optional API key (PORTRAYAL_API_KEY): off by default; when set, all but the probes need it."""
from __future__ import annotations

import hmac

import pytest

from serve import auth, create_app
from serve.settings import load_settings

KEY = "k3y-with.sym_bols"
ARTICLE = {"text": "Elon Musk a répondu à Sam Altman."}
PROTECTED = [("POST", "/score", {"json": ARTICLE}), ("GET", "/model", {}), ("GET", "/metrics", {}),
             ("GET", "/openapi.json", {}), ("GET", "/", {})]


@pytest.fixture()
def keyed(scorer):
    return create_app({"scorer": scorer, "api_key": KEY}).test_client()


def test_the_key_is_off_by_default_and_read_from_the_environment():
    assert load_settings(environ={})["api_key"] == ""
    assert load_settings(environ={"PORTRAYAL_API_KEY": KEY})["api_key"] == KEY


def test_without_a_key_setting_nothing_asks_for_one(client):
    for method, path, kwargs in PROTECTED:
        assert client.open(path, method=method, **kwargs).status_code == 200, path


@pytest.mark.parametrize("method, path, kwargs", PROTECTED)
def test_with_the_key_every_route_answers(keyed, method, path, kwargs):
    response = keyed.open(path, method=method, headers={"Authorization": f"Bearer {KEY}"}, **kwargs)
    assert response.status_code == 200


@pytest.mark.parametrize("method, path, kwargs", PROTECTED)
def test_without_the_key_every_route_is_refused_with_a_bearer_challenge(keyed, method, path, kwargs):
    response = keyed.open(path, method=method, **kwargs)
    assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_the_page_needs_the_key_too(keyed):
    assert keyed.get("/").status_code == 401
    assert keyed.get("/", headers={"Authorization": f"Bearer {KEY}"}).mimetype == "text/html"


@pytest.mark.parametrize("path", ["/health", "/ready"])
def test_the_probes_need_no_key(keyed, path):
    assert keyed.get(path).status_code == 200


def test_the_scheme_is_case_insensitive_and_the_token_exact(keyed):
    assert keyed.get("/model", headers={"Authorization": f"bearer {KEY}"}).status_code == 200
    assert keyed.get("/model", headers={"Authorization": f"Bearer {KEY.upper()}"}).status_code == 401
    assert keyed.get("/model", headers={"Authorization": f"Bearer {KEY[:-1]}"}).status_code == 401


def test_a_refused_request_does_not_read_the_body(keyed):
    # Checked before anything else: a body over the limit is still a 401, not a 413.
    response = keyed.post("/score", json={"text": "Musk. " * 500_000})
    assert response.status_code == 401


def test_the_key_is_compared_in_constant_time(keyed, monkeypatch):
    compared, original = [], hmac.compare_digest
    monkeypatch.setattr(auth.hmac, "compare_digest", lambda a, b: compared.append((a, b)) or original(a, b))
    keyed.get("/model", headers={"Authorization": "Bearer guess"})
    assert compared == [(b"guess", KEY.encode())]
