"""Text processing is linear in its input: hostile text of ~100 KB costs no more than an article.

Each case is timed beside a real article of the same length, in the same test (the best of a few
runs each, so that a noisy machine cannot fail it by chance); property tests draw random text from
punctuation, quotes, abbreviations, line breaks and short words, and check that scoring four times
as much of it costs about four times as much, and that every offset still slices the text.
"""
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portrayal import InputError
from portrayal.segment import split_sentences

SIZE = 98_000
MAX_RATIO = 3.0  # the bound: hostile text at most 3x an article of the same length


def best_time(scorer, text: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        try:
            scorer.score({"text": text})
        except InputError:  # more sentences than an article may hold: refused, and that is timed too
            pass
        best = min(best, time.perf_counter() - started)
    return best


@pytest.fixture(scope="module")
def article(corpus) -> str:
    """Real sentences of the corpus, in paragraphs of three, cut to SIZE characters."""
    texts, size = [], 0
    for record in corpus:
        texts.append(record["text"])
        size += len(record["text"]) + 1
        if size > SIZE:
            break
    return "\n".join(" ".join(texts[i:i + 3]) for i in range(0, len(texts), 3))[:SIZE]


@pytest.fixture(scope="module")
def article_time(scorer, article) -> float:
    return best_time(scorer, article)


def fill(unit: str, prefix: str = "") -> str:
    return (prefix + unit * (SIZE // len(unit)))[:SIZE]


HOSTILE = {
    "question and exclamation marks": fill("?!"),
    "letter and period": fill("a."),
    "word and ellipsis": fill("a… "),
    "periods inside a word": fill("a.a"),
    "unclosed guillemets": fill("«", "Elon Musk a parlé. "),
    "unclosed curly quotes": fill("“", "Elon Musk a parlé. "),
    "straight quotes": fill('"', "Elon Musk a parlé. "),
    "abbreviations": fill("M. "),
    "one pronoun repeated": fill("il ", "Elon Musk a parlé. "),
    "one name repeated": fill("Musk "),
    "elided pronouns": fill("qu'il ", "Sam Altman. "),
    "a quote opened and never closed": fill("a ", "Elon Musk a dit « "),
    "pairs repeated": fill("les deux ", "Musk et Altman. "),
    "attributions repeated": fill("Elon Musk : « "),
    "a run of spaces": "Musk" + " " * (SIZE - 5) + "x",
    "dialogue dashes": fill("— Et lui ?\n"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_text_costs_no_more_than_an_article_of_its_length(scorer, article_time, name):
    took = best_time(scorer, HOSTILE[name])
    assert took <= MAX_RATIO * article_time, f"{name}: {took:.3f}s, an article {article_time:.3f}s"


def test_text_of_more_sentences_than_an_article_holds_is_refused_quickly(scorer, article_time):
    started = time.perf_counter()
    with pytest.raises(InputError, match="more than 2000 sentences"):
        scorer.score({"text": fill(". ")})
    assert time.perf_counter() - started <= MAX_RATIO * article_time


PIECES = st.sampled_from(["a", "il", "Musk", "Altman", "son", "le", "vous", "je", "les deux", " ", "  ", "\n", ".",
                          "…", "?", "!", ",", ":", "«", "»", "“", "”", '"', "— ", "M.", "etc.", "U.S.", "Mr.",
                          "qu'", "l'", "(", ")", "-", "1.5", "le patron de", "Tesla", "OpenAI", "é"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, min_size=1, max_size=30).map("".join))
def test_random_text_scores_in_time_proportional_to_its_length(scorer, unit):
    small, large = ((unit * (n // len(unit) + 1))[:n] for n in (6_000, 24_000))
    ratio = best_time(scorer, large, runs=2) / max(best_time(scorer, small, runs=2), 1e-3)
    assert ratio <= 10, f"4x the text took {ratio:.1f}x the time (linear: about 4)"


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, min_size=0, max_size=200).map("".join))
def test_sentence_offsets_slice_the_text(text):
    for sentence in split_sentences(text):
        assert text[sentence.start:sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip() and sentence.text


@settings(max_examples=100, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=120).map("".join).filter(str.strip))
def test_mention_offsets_slice_the_text(scorer, text):
    try:
        result = scorer.score({"text": text})
    except InputError:
        return
    for sentence in result["sentences"]:
        assert text[sentence["start"]:sentence["end"]] == sentence["text"]
        for target in sentence["targets"].values():
            for mention in target["mentions"]:
                assert text[mention["start"]:mention["end"]] == mention["text"]
