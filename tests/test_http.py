"""The HTTP contract of POST /score and GET /health, and every error path in the one shape."""
import json

import pytest

from serve import create_app

from .support import BrokenScorer

ARTICLE = {"id": "a1", "text": "Elon Musk a qualifié Sam Altman d'escroc.\nLire aussi : Tesla en Bourse"}


def assert_error(response, status, code, field=None):
    assert response.status_code == status
    assert response.is_json
    error = response.get_json()["error"]
    assert set(error) == {"status", "code", "message", "field"}
    assert error["status"] == status and error["code"] == code and error["message"]
    if field is not None:
        assert error["field"] == field


def test_health(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_score_an_article_returns_the_documented_shape(client, scorer):
    response = client.post("/score", json=ARTICLE)
    assert response.status_code == 200
    body = response.get_json()
    assert body == scorer.score(ARTICLE)  # HTTP and the library agree
    assert set(body) == {"id", "lang", "model", "sentences", "summary"}
    assert body["id"] == "a1" and body["lang"] == "fr"
    assert set(body["model"]) == {"name", "version", "sha256"}
    first = body["sentences"][0]
    assert set(first) == {"index", "start", "end", "text", "targets", "sentiment"}
    assert first["targets"]["altman"]["mentions"] == [{"start": 21, "end": 31, "text": "Sam Altman", "via": "name"}]
    assert sum(first["targets"]["musk"]["proba"].values()) == pytest.approx(1, abs=1e-3)
    teaser = body["sentences"][1]
    assert teaser["targets"]["musk"] == {"stance": "none", "proba": None, "mentions": [],
                                         "p_referred": teaser["targets"]["musk"]["p_referred"]}
    assert teaser["targets"]["musk"]["p_referred"] < scorer.model.reference_decision_.threshold_
    assert set(body["summary"]) == {"musk", "altman", "sentiment"}
    assert set(body["summary"]["musk"]) == {"stance", "score", "sentences", "counts"}


def test_the_answer_is_compact_utf8_json_in_the_library_s_key_order(client, scorer):
    article = {"id": "é-1", "text": "« Non merci », a répondu Sam Altman à Elon Musk."}
    response = client.post("/score", json=article)
    expected = json.dumps(scorer.score(article), ensure_ascii=False, separators=(",", ":")) + "\n"
    assert response.get_data() == expected.encode("utf-8")


def test_an_id_beyond_64_bit_integers_is_echoed_exactly(client):
    big = 2**70 + 1
    response = client.post("/score", json={"id": big, "text": "Musk."})
    assert response.status_code == 200 and json.loads(response.get_data())["id"] == big


def test_presplit_sentences_are_kept_in_order(client):
    sentences = ["Sam Altman a refusé.", "Il a ensuite plaisanté sur Twitter.", "Fin de l'article"]
    body = client.post("/score", json={"id": 7, "sentences": sentences}).get_json()
    assert [s["text"] for s in body["sentences"]] == sentences
    assert body["sentences"][1]["targets"]["altman"]["mentions"][0]["via"] == "pronoun"


def test_several_articles_in_one_request(client):
    body = client.post("/score", json={"articles": [ARTICLE, {"id": "b", "sentences": ["OpenAI grandit."]}]}).get_json()
    assert [a["id"] for a in body["articles"]] == ["a1", "b"]


@pytest.mark.parametrize("payload, field", [
    ({"id": "x"}, "text"),
    ({"text": ""}, "text"),
    ({"text": "   "}, "text"),
    ({"text": 12}, "text"),
    ({"text": "a", "sentences": ["a"]}, "text"),
    ({"sentences": []}, "sentences"),
    ({"sentences": "not a list"}, "sentences"),
    ({"sentences": ["ok", 3]}, "sentences[1]"),
    ({"text": "ok", "title": "x"}, "title"),
    ({"id": {"nested": 1}, "text": "ok"}, "id"),
    ({"articles": []}, "articles"),
    ({"articles": [{"text": "ok"}, {"txt": "ok"}]}, "articles[1].txt"),
    ({"articles": [{"text": "ok"}] * 6}, "articles"),
    ({"articles": [{"text": "ok"}], "extra": 1}, "extra"),
])
def test_invalid_input_is_a_400_naming_the_field(client, payload, field):
    assert_error(client.post("/score", json=payload), 400, "invalid_input", field)


def test_a_json_value_that_is_not_an_object_is_refused(client):
    assert_error(client.post("/score", json=["a", "b"]), 400, "invalid_input")


def test_malformed_json_is_a_400(client):
    response = client.post("/score", data=b'{"text": ', content_type="application/json")
    assert_error(response, 400, "malformed_json")


def test_invalid_utf8_is_a_400(client):
    response = client.post("/score", data=b'{"text": "\xff\xfe"}', content_type="application/json")
    assert_error(response, 400, "invalid_utf8")


def test_a_body_that_is_not_json_is_a_415(client):
    assert_error(client.post("/score", data="text=hello", content_type="text/plain"), 415, "unsupported_media_type")


def test_a_body_over_the_limit_is_a_413(client):
    response = client.post("/score", json={"text": "Musk. " * 50_000})
    assert_error(response, 413, "body_too_large")


def test_wrong_method_and_unknown_path(client):
    assert_error(client.get("/score"), 405, "method_not_allowed")
    assert_error(client.get("/nowhere"), 404, "not_found")


def test_a_wrong_method_says_which_methods_are_allowed(client):
    response = client.put("/score", json=ARTICLE)
    assert_error(response, 405, "method_not_allowed")
    assert set(response.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", "Basic czNjcmV0", "Bearer", "s3cret", "Bearer s3cret2"])
def test_without_the_api_key_every_route_but_the_probes_is_a_401(scorer, authorization):
    client = create_app({"scorer": scorer, "api_key": "s3cret"}).test_client()
    headers = {"Authorization": authorization} if authorization else {}
    for response in (client.post("/score", json=ARTICLE, headers=headers), client.get("/model", headers=headers),
                     client.get("/metrics", headers=headers), client.get("/openapi.json", headers=headers),
                     client.get("/", headers=headers), client.get("/nowhere", headers=headers)):
        assert_error(response, 401, "unauthorized")
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_model_that_fails_is_a_503_from_ready_and_a_500_from_score(scorer):
    client = create_app({"scorer": BrokenScorer(scorer.artifact)}).test_client()
    assert_error(client.get("/ready"), 503, "not_ready")
    response = client.post("/score", json=ARTICLE)
    assert_error(response, 500, "internal_error")
    assert "fell over" not in response.get_data(as_text=True)  # the traceback stays in the log


def test_no_model_loaded_is_a_503_from_ready_and_model(app):
    app.extensions["portrayal.scorer"] = None
    client = app.test_client()
    assert_error(client.get("/ready"), 503, "not_ready")
    assert_error(client.get("/model"), 503, "not_ready")
    assert client.get("/health").status_code == 200  # alive all the same


@pytest.mark.parametrize("body, code", [
    (b"[" * 100_000, "malformed_json"),                           # deeper than the parser goes
    (b'{"id": ' + b"9" * 5_000 + b', "text": "x"}', "malformed_json"),  # more digits than Python converts
    (b'{"text": "Musk \\ud800"}', "invalid_input"),             # half a UTF-16 pair: not a character
    (b"\xef\xbb\xbf{}", "malformed_json"),                         # a byte-order mark
    (b"", "malformed_json"),
])
def test_bodies_that_are_json_in_name_only_are_a_400(client, body, code):
    assert_error(client.post("/score", data=body, content_type="application/json"), 400, code)


@pytest.mark.parametrize("number", [b"9" * 5_000, b"-" + b"9" * 5_000])
def test_an_integer_of_too_many_digits_is_refused_in_our_words(client, number):
    response = client.post("/score", data=b'{"id": ' + number + b', "text": "x"}', content_type="application/json")
    assert_error(response, 400, "malformed_json")
    message = response.get_json()["error"]["message"]
    assert message == "body holds an integer of 5,000 digits; numbers may have at most 4,300 digits"
