"""The HTTP contract of POST /score and GET /health, through Flask's test client."""
import pytest

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
    assert teaser["targets"]["musk"] == {"stance": "none", "proba": None, "mentions": []}
    assert set(body["summary"]) == {"musk", "altman", "sentiment"}
    assert set(body["summary"]["musk"]) == {"stance", "score", "sentences", "counts"}


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
