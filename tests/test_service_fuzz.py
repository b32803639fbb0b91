"""Generated requests never break the service: no 5xx, and every answer is one the OpenAPI document declares.

Hypothesis builds thousands of requests through Flask's test client: arbitrary JSON, articles
with wrong types, unknown fields, empty, blank and huge strings, bodies that are not JSON or not
UTF-8, wrong content types, odd request ids, other methods and paths.
"""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from serve import create_app
from serve.request_log import SANE_REQUEST_ID

from .support import Spec

SCORE_REQUESTS = 2_000   # generated POST /score requests
OTHER_REQUESTS = 300     # generated requests to the other routes, other methods and unknown paths
FUZZ = dict(deadline=None, database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])

MAX_BODY_BYTES = 200_000
WORDS = ["Elon Musk", "Sam Altman", "Musc", "Atlman", "le patron d'OpenAI", "il", "elle", "xAI", "Grok", "OpenAI",
         "a critiqué", "a salué", "n'a pas", "« Non merci »", "escroc", "génial", "Lire aussi :", "\n", ".", " "]

# --- strategies --------------------------------------------------------------------------------

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30)
any_json = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
prose = st.lists(st.sampled_from(WORDS), min_size=1, max_size=25).map(" ".join)
blank = st.sampled_from(["", " ", "\n\t", "\u00a0", "\u200b", "\ufeff", "\x00"])
# Around every limit: 100,000 characters of text, 10,000 per sentence, and the body size.
huge = st.sampled_from([99_999, 100_000, 100_001, 150_000, 260_000]).map(lambda n: ("Musk a dit non. " * n)[:n])
strings = st.one_of(prose, prose, st.text(max_size=200), blank, huge)
wrong = st.one_of(st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(), st.lists(st.text(), max_size=3),
                  st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2))
sentence_lists = st.one_of(
    st.lists(st.one_of(prose, prose, blank, wrong, st.just("x" * 10_001)), min_size=0, max_size=6),
    st.just(["Musk."] * 2_001),
    wrong,
)
ids = st.one_of(st.none(), st.text(max_size=20), st.integers(), st.integers(min_value=10**20), wrong)


@st.composite
def articles(draw):
    """Article-shaped objects: any subset of id, text, sentences, sometimes an unknown field."""
    article = {}
    if draw(st.booleans()):
        article["id"] = draw(ids)
    if draw(st.integers(0, 3)):
        article["text"] = draw(st.one_of(strings, wrong))
    if draw(st.integers(0, 3)) == 0:
        article["sentences"] = draw(sentence_lists)
    if draw(st.integers(0, 5)) == 0:
        article[draw(st.sampled_from(["txt", "title", "Text", "", "articles", "ids"]))] = draw(any_json)
    return article


@st.composite
def batches(draw):
    body = {"articles": draw(st.one_of(st.lists(articles(), min_size=0, max_size=7), wrong))}
    if draw(st.integers(0, 5)) == 0:
        body[draw(st.text(max_size=6))] = draw(any_json)
    return body


json_bodies = st.one_of(articles(), articles(), batches(), any_json)


@st.composite
def encoded(draw, bodies=json_bodies):
    """Bytes on the wire: JSON (ASCII-escaped or not), broken JSON, bad UTF-8, deep nesting, anything."""
    kind = draw(st.sampled_from(["json", "json", "json", "json", "ascii", "truncated", "bad_utf8", "deep", "bytes",
                                 "surrogate", "bigint"]))
    if kind in ("json", "ascii", "truncated", "bad_utf8"):
        text = json.dumps(draw(bodies), ensure_ascii=(kind == "ascii"), allow_nan=True)
        data = text.encode("utf-8")
        if kind == "truncated":
            return data[:draw(st.integers(0, max(0, len(data) - 1)))]
        if kind == "bad_utf8":
            at = draw(st.integers(0, len(data)))
            invalid = draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf8\x88\x80\x80"]))
            return data[:at] + invalid + data[at:]
        return data
    if kind == "deep":
        depth = draw(st.sampled_from([50, 1_000, 100_000]))
        return (draw(st.sampled_from(["[", '{"a":'])) * depth).encode()
    if kind == "surrogate":  # \ud800 alone is half a character; \ud83d\ude00 is a whole one
        escape = draw(st.sampled_from([r"\ud800", r"\udfff", r"\ud83d\ude00", r"\ude00\ud83d"]))
        return ('{"text": "Musk ' + escape + '"}').encode()
    if kind == "bigint":
        return b'{"id": ' + b"9" * draw(st.sampled_from([10, 4_300, 5_000])) + b', "text": "Musk."}'
    return draw(st.binary(max_size=300))


content_types = st.sampled_from(["application/json"] * 6 + [
    "application/json; charset=utf-8", "application/json; charset=latin-1", "APPLICATION/JSON", "text/plain",
    "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "text/json", "",
    None])
header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=200)
request_ids = st.one_of(st.none(), st.from_regex(r"\A[A-Za-z0-9._-]{1,128}\Z"), header_text, st.just("x" * 129))


@st.composite
def score_requests(draw):
    headers = {}
    content_type = draw(content_types)
    if content_type is not None:
        headers["Content-Type"] = content_type
    request_id = draw(request_ids)
    if request_id is not None:
        headers["X-Request-Id"] = request_id
    return "POST", "/score", draw(encoded()), headers


# Not "//...": the test client reads that as a host name. Not /static: Flask's files.
unknown_paths = st.from_regex(r"\A/[a-z0-9._%-][a-z0-9/._%-]{0,30}\Z").filter(lambda p: not p.startswith("/static"))


@st.composite
def other_requests(draw, documented):
    method, path = draw(st.one_of(
        st.sampled_from(sorted(documented)),
        st.tuples(st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE"]),
                  st.sampled_from(sorted({path for _, path in documented}))),
        st.tuples(st.sampled_from(["GET", "POST"]), unknown_paths),
    ))
    body = draw(st.one_of(st.just(b""), encoded()))
    headers = {"Content-Type": draw(content_types) or "application/json"}
    return method, path, body, headers


# --- the property ------------------------------------------------------------------------------

@pytest.fixture(scope="module", autouse=True)
def hypothesis_home(tmp_path_factory):
    """Hypothesis caches (unicode tables, constants) go to a temporary directory, not ./.hypothesis."""
    set_hypothesis_home_dir(tmp_path_factory.mktemp("hypothesis"))
    yield
    set_hypothesis_home_dir(None)


@pytest.fixture(scope="module")
def fuzz_client(scorer):
    app = create_app({"scorer": scorer, "max_articles": 5, "max_body_bytes": MAX_BODY_BYTES, "log_level": "warning"})
    return app.test_client()


@pytest.fixture(scope="module")
def spec(fuzz_client):
    return Spec(fuzz_client.get("/openapi.json").get_json())


def check_answer(spec: Spec, method: str, path: str, body: bytes, headers: dict, response) -> None:
    assert response.status_code < 500, f"{method} {path} {body[:200]!r} {headers} -> {response.data[:500]!r}"
    documented = path in spec.document["paths"] and method.lower() in spec.document["paths"][path]
    if documented:
        spec.check(path, method, response)
    else:
        spec.check_error(response)
    given_id = headers.get("X-Request-Id", "")
    echoed = response.headers["X-Request-Id"]
    assert SANE_REQUEST_ID.fullmatch(echoed)
    assert (echoed == given_id) == bool(SANE_REQUEST_ID.fullmatch(given_id))
    if (method, path) == ("POST", "/score") and response.status_code == 200:
        # What the server scored is what the document calls a valid request.
        assert spec.request_errors(path, method, json.loads(body)) == []


def fuzz(client, spec, requests, count) -> list[int]:
    """Send `count` generated requests, check every answer, return the statuses seen."""
    sent = []

    @settings(max_examples=count, **FUZZ)
    @given(requests)
    def one(request):
        method, path, body, headers = request
        response = client.open(path, method=method, data=body, headers=headers)
        sent.append(response.status_code)
        check_answer(spec, method, path, body, headers, response)

    one()
    return sent


def test_generated_score_requests_never_fail_and_match_the_document(fuzz_client, spec):
    sent = fuzz(fuzz_client, spec, score_requests(), SCORE_REQUESTS)
    assert len(sent) >= SCORE_REQUESTS
    assert {200, 400, 413, 415} <= set(sent)  # the generator reaches every kind of answer


def test_generated_requests_to_every_route_never_fail_and_match_the_document(fuzz_client, spec):
    documented = {(method.upper(), path) for path, item in spec.document["paths"].items() for method in item}
    sent = fuzz(fuzz_client, spec, other_requests(documented), OTHER_REQUESTS)
    assert len(sent) >= OTHER_REQUESTS
    assert {200, 404, 405} <= set(sent)
