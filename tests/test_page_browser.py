"""The page at GET /, end to end: a real headless Chromium against the real `stance serve`.

Expected values come from the same server's POST /score, so these tests specify how the page
renders the API's answer, not what the model predicts.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .support import Server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WAIT_MS = 15_000

ARTICLE = ("Elon Musk a qualifié Sam Altman d'escroc. Le patron d'OpenAI a répondu avec ironie.\n"
           "Lire aussi : Tesla en Bourse")
SPLIT = ["Elon Musk a qualifié Sam Altman d'escroc.",
         "Le patron d'OpenAI a répondu avec ironie.",
         "Lire aussi : Tesla en Bourse"]
TARGETS = ("musk", "altman")


# --- helpers ---------------------------------------------------------------------------------

def post_score(origin: str, text: str) -> tuple[int, dict]:
    """What the API answers for the body the page sends."""
    request = urllib.request.Request(f"{origin}/score", data=json.dumps({"id": "page", "text": text}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def signed(score: float | None) -> str:
    """The page's number format: +0.42, −0.42 (U+2212), 0.00, — when absent."""
    if score is None:
        return "—"
    text = f"{abs(score):.2f}"
    if text == "0.00":
        return text
    return ("+" if score > 0 else "\u2212") + text


def net(proba: dict) -> float:
    return proba["favor"] - proba["against"]


def score_in_page(page, text: str) -> None:
    """Paste, click, and wait for the sentences (or fail with the error the page shows instead)."""
    page.fill("#article", text)
    page.click("#score")
    page.wait_for_selector("#sentences .sentence, #error:not([hidden])", timeout=WAIT_MS)
    if page.is_visible("#error"):
        pytest.fail(f"the page showed an error instead of the scores: {page.text_content('#error')}")


# --- fixtures --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def origin(model_dir, tmp_path_factory):
    """`stance serve` started as users start it, on a free port; stopped at the end of the module."""
    server = Server(model_dir, tmp_path_factory.mktemp("page-server"), workers=1)
    try:
        yield server.origin
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's Chromium with `apt-get install chromium` "
                    "(these tests never download a browser)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture()
def page(browser, origin):
    """A fresh page on GET /, with every request URL it makes recorded in `page.requested`."""
    context = browser.new_context()
    page = context.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    page.goto(f"{origin}/")
    yield page
    context.close()


@pytest.fixture(scope="module")
def expected(origin):
    status, body = post_score(origin, ARTICLE)
    assert status == 200, body
    return body


# --- the page --------------------------------------------------------------------------------

def test_page_offers_an_article_box_a_score_button_and_a_sentiment_toggle(page):
    assert page.is_visible("#article") and page.is_visible("#score") and page.is_visible("#sentiment-toggle")
    assert "Score" in page.inner_text("#score")
    assert page.get_attribute("#error", "role") == "alert" and not page.is_visible("#error")


def test_scoring_shows_one_element_per_sentence_with_the_api_stances(page, expected):
    score_in_page(page, ARTICLE)
    sentences = page.locator("#sentences .sentence")
    assert sentences.count() == len(SPLIT) == len(expected["sentences"])
    assert sentences.locator(".text").all_text_contents() == SPLIT == [s["text"] for s in expected["sentences"]]
    assert sentences.nth(0).get_attribute("data-altman") == expected["sentences"][0]["targets"]["altman"]["stance"]
    for row, sentence in zip(sentences.all(), expected["sentences"]):
        for target in TARGETS:
            assert row.get_attribute(f"data-{target}") == sentence["targets"][target]["stance"]
        assert row.get_attribute("data-sentiment") == sentence["sentiment"]["label"]


def test_the_teaser_line_refers_to_nobody(page):
    score_in_page(page, ARTICLE)
    teaser = page.locator("#sentences .sentence").nth(2)
    assert teaser.get_attribute("data-musk") == "none"
    assert teaser.get_attribute("data-altman") == "none"
    assert teaser.locator(".mention").count() == 0


def test_mentions_are_underlined_with_their_target(page, expected):
    score_in_page(page, ARTICLE)
    first = page.locator("#sentences .sentence").nth(0)
    assert first.locator('.mention[data-target="musk"]').all_text_contents() == ["Elon Musk"]
    assert first.locator('.mention[data-target="altman"]').all_text_contents() == ["Sam Altman"]
    assert "underline" in first.locator(".mention").first.evaluate("e => getComputedStyle(e).textDecorationLine")
    for row, sentence in zip(page.locator("#sentences .sentence").all(), expected["sentences"]):
        for target in TARGETS:
            shown = row.locator(f'.mention[data-target="{target}"]').all_text_contents()
            assert shown == [m["text"] for m in sentence["targets"][target]["mentions"]]


def test_mentions_stay_aligned_after_emoji(page, origin):
    # The API counts code points (Python); JavaScript strings count UTF-16 units.
    text = "🚀🚀 Elon Musk 😀 a attaqué Sam Altman. Il a répondu."
    status, body = post_score(origin, text)
    assert status == 200
    score_in_page(page, text)
    mentions = page.locator("#sentences .mention")
    shown = [(m.get_attribute("data-target"), m.text_content()) for m in mentions.all()]
    api = sorted(((m["start"], target, m["text"]) for s in body["sentences"] for target in TARGETS
                  for m in s["targets"][target]["mentions"]))
    assert shown == [(target, mention) for _, target, mention in api]
    assert ("musk", "Elon Musk") in shown and ("altman", "Sam Altman") in shown
    assert page.locator("#sentences .sentence .text").all_text_contents() == [s["text"] for s in body["sentences"]]


def test_hovering_a_sentence_gives_the_probabilities(page, expected):
    score_in_page(page, ARTICLE)
    title = page.locator("#sentences .sentence").nth(0).get_attribute("title")
    first = expected["sentences"][0]
    assert f"against {first['targets']['altman']['proba']['against']:.2f}" in title
    assert f"referred to {first['targets']['altman']['p_referred']:.2f}" in title
    assert f"Sentiment: {first['sentiment']['label']}" in title


def test_summary_cards_show_the_api_stance_score_and_strongest_evidence(page, expected):
    score_in_page(page, ARTICLE)
    for target in TARGETS:
        summary = expected["summary"][target]
        card = page.locator(f'#summary [data-target="{target}"]')
        assert card.locator(".stance").text_content() == summary["stance"]
        assert card.locator(".score").text_content() == signed(summary["score"])
        assert float(card.locator(".score").get_attribute("data-score")) == summary["score"]
        counts = card.locator(".counts").text_content()
        assert all(f"{summary['counts'][label]} {label}" in counts for label in ("favor", "against", "neutral"))
        referring = [s for s in expected["sentences"] if s["targets"][target]["proba"]]
        strongest = sorted(referring, key=lambda s: -abs(net(s["targets"][target]["proba"])))[:2]
        shown = card.locator(".evidence li").evaluate_all("items => items.map(li => Number(li.dataset.index))")
        assert shown == [s["index"] for s in strongest]


def test_sentiment_toggle_shows_the_api_sentiment_labels(page, expected):
    score_in_page(page, ARTICLE)
    badges = page.locator("#sentences .sentence .badge")
    assert not any(badge.is_visible() for badge in badges.all())
    page.check("#sentiment-toggle")
    page.wait_for_selector("#sentences .sentence .badge", state="visible", timeout=WAIT_MS)
    assert all(badge.is_visible() for badge in badges.all())
    assert badges.all_text_contents() == [s["sentiment"]["label"] for s in expected["sentences"]]
    page.uncheck("#sentiment-toggle")
    assert not any(badge.is_visible() for badge in badges.all())


def test_an_empty_article_shows_the_server_error_message(page, origin):
    status, body = post_score(origin, "")
    assert status == 400
    page.fill("#article", "")
    page.click("#score")
    page.wait_for_selector("#error", state="visible", timeout=WAIT_MS)
    assert body["error"]["message"] in page.text_content("#error")
    assert page.locator("#sentences .sentence").count() == 0


def test_the_page_only_talks_to_its_own_origin(page, origin):
    score_in_page(page, ARTICLE)
    page.check("#sentiment-toggle")
    assert f"{origin}/score" in page.requested
    foreign = [url for url in page.requested if not url.startswith(f"{origin}/")]
    assert foreign == []
