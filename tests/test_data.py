"""Data tests: the corpus's schema, balance, diversity and agreement hold the floors of data/README.md."""
from collections import Counter, defaultdict

import pytest

from portrayal.corpus import TARGET_LABELS, read_jsonl, schema_problems
from portrayal.quality import agreement, diversity, near_duplicate_pairs, repeated_skeletons
from portrayal.references.evaluation import CONTEXT, NEGATIVE_PHENOMENA, POSITIVE_PHENOMENA

from .conftest import ROOT

AGREEMENT = ROOT / "data" / "agreement"
CHALLENGE = ROOT / "data" / "challenge"
TARGETS = ("musk", "altman")


def test_every_record_follows_the_schema(corpus):
    assert schema_problems(corpus) == []


def test_size_and_languages(corpus):
    assert len(corpus) >= 6000
    assert len({r["article"] for r in corpus}) >= 300
    languages = Counter(r["lang"] for r in corpus)
    assert languages["fr"] / len(corpus) >= 0.70
    assert languages["en"] / len(corpus) >= 0.20
    assert len(set(languages) - {"fr", "en"}) >= 2  # stray lines, as real pages carry


@pytest.mark.parametrize("target", TARGETS)
def test_each_target_has_enough_of_every_stance(corpus, target):
    counts = Counter(r[target] for r in corpus)
    assert all(counts[label] >= 500 for label in ("favor", "against", "neutral")), counts
    assert counts["none"] / len(corpus) >= 0.30


def test_sentiment_has_every_class(corpus):
    counts = Counter(r["sentiment"] for r in corpus)
    assert min(counts[label] for label in ("positive", "negative", "neutral")) >= 0.15 * len(corpus)


def test_no_duplicate_sentences(corpus):
    assert [t for t, c in Counter(r["text"] for r in corpus).items() if c > 1] == []


def test_near_duplicates_stay_under_one_percent_of_pairs(corpus):
    texts = [r["text"] for r in corpus]
    pairs = len(texts) * (len(texts) - 1) // 2
    assert near_duplicate_pairs(texts) <= 0.01 * pairs


def test_no_sentence_skeleton_repeats_more_than_five_times(corpus):
    assert repeated_skeletons([r["text"] for r in corpus], more_than=5) == {}


def test_diversity_floors(corpus):
    figures = diversity(r["text"] for r in corpus)
    assert figures["vocabulary"] >= 11_000
    assert figures["distinct_trigram_share"] >= 0.75


def test_genres_are_varied(corpus):
    genres = Counter(r["genre"] for r in corpus)
    assert len(genres) >= 10
    assert max(genres.values()) <= 0.2 * len(corpus)


def test_splits_are_by_article_and_each_has_every_label(corpus):
    split_of_article = defaultdict(set)
    for record in corpus:
        split_of_article[record["article"]].add(record["split"])
    assert all(len(splits) == 1 for splits in split_of_article.values())
    for split in ("train", "dev", "test"):
        rows = [r for r in corpus if r["split"] == split]
        for target in TARGETS:
            assert set(TARGET_LABELS) <= {r[target] for r in rows}


def test_context_is_the_previous_sentence(corpus):
    by_article = defaultdict(dict)
    for record in corpus:
        by_article[record["article"]][record["position"]] = record["text"]
    with_context = [r for r in corpus if r.get("context")]
    assert len(with_context) >= 300
    assert all(r["position"] > 0 for r in with_context)


def test_a_second_annotation_covers_ten_percent_and_agrees(corpus):
    second = read_jsonl(AGREEMENT / "second_annotation.jsonl")
    assert len(second) >= max(500, len(corpus) // 10)
    first = {r["id"]: r for r in read_jsonl(AGREEMENT / "first_annotation.jsonl")}  # before adjudication
    assert set(first) == {s["id"] for s in second} <= {r["id"] for r in corpus}
    figures = agreement(first, second)
    for field in ("musk", "altman", "sentiment"):
        assert figures[field]["kappa"] >= 0.7, figures


def test_every_disagreement_is_adjudicated_and_applied(corpus):
    first = {r["id"]: r for r in corpus}
    second = {s["id"]: s for s in read_jsonl(AGREEMENT / "second_annotation.jsonl")}
    decisions = {(d["id"], d["field"]): d for d in read_jsonl(AGREEMENT / "adjudication.jsonl")}
    for (sentence_id, field), decision in decisions.items():
        assert decision["final"] == first[sentence_id][field], (sentence_id, field)
        assert decision["reason"]
    original = read_jsonl(AGREEMENT / "first_annotation.jsonl")
    for record in original:
        for field in ("musk", "altman", "sentiment"):
            if record[field] != second[record["id"]][field]:
                assert (record["id"], field) in decisions


# -- the challenge set for reference resolution (never trained on) --------------------------------

@pytest.fixture(scope="module")
def challenge():
    return read_jsonl(CHALLENGE / "references.jsonl")


def test_the_challenge_set_follows_its_schema(challenge):
    ids = [r["id"] for r in challenge]
    assert len(ids) == len(set(ids)) >= 300
    assert len({r["passage"] for r in challenge}) >= 60
    positions = defaultdict(list)
    for r in challenge:
        assert r["id"] == f"{r['passage']}-{r['position']:02d}"
        assert r["phenomenon"] in POSITIVE_PHENOMENA | NEGATIVE_PHENOMENA | {CONTEXT}
        assert r["musk"] in TARGET_LABELS and r["altman"] in TARGET_LABELS
        assert r["text"].strip() == r["text"] and r["text"]
        positions[r["passage"]].append(r["position"])
    assert all(found == list(range(len(found))) for found in positions.values())


def test_the_challenge_set_covers_every_phenomenon_in_both_languages(challenge):
    tagged = Counter(r["phenomenon"] for r in challenge)
    assert all(tagged[name] >= 8 for name in POSITIVE_PHENOMENA | NEGATIVE_PHENOMENA), tagged
    languages = Counter(r["lang"] for r in challenge)
    assert languages["fr"] >= 0.5 * len(challenge) and languages["en"] >= 0.3 * len(challenge)


def test_the_challenge_set_shares_no_sentence_with_the_corpus(challenge, corpus):
    shared = {r["text"] for r in challenge} & {r["text"] for r in corpus}
    assert shared == set()
    texts = [r["text"] for r in challenge]
    corpus_texts = [r["text"] for r in corpus]
    assert near_duplicate_pairs(texts + corpus_texts) - near_duplicate_pairs(corpus_texts) - \
        near_duplicate_pairs(texts) <= 2  # across the two: at most a couple of stock phrases


def test_the_challenge_set_was_annotated_twice_and_every_disagreement_decided(challenge):
    final = {r["id"]: r for r in challenge}
    first = {r["id"]: r for r in read_jsonl(CHALLENGE / "agreement" / "first_annotation.jsonl")}
    second = read_jsonl(CHALLENGE / "agreement" / "second_annotation.jsonl")
    assert {s["id"] for s in second} == set(first) == set(final)
    figures = agreement(first, second, fields=("musk", "altman"))
    assert figures["musk"]["kappa"] >= 0.8 and figures["altman"]["kappa"] >= 0.8, figures
    decisions = {(d["id"], d["field"]): d for d in read_jsonl(CHALLENGE / "agreement" / "adjudication.jsonl")}
    for s in second:
        for field in ("musk", "altman"):
            if first[s["id"]][field] != s[field]:
                assert final[s["id"]][field] == decisions[(s["id"], field)]["final"]
