"""Corpus quality figures: balance, near-duplicates, sentence skeletons, diversity, agreement.

The data tests hold these figures to the floors documented in data/README.md, where
the data card reports them.
"""
from __future__ import annotations

import re
from collections import Counter

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.metrics import cohen_kappa_score

_NUMBER = re.compile(r"\d+(?:[.,\s]\d+)*")
_CAPITALISED = re.compile(r"(?<=\s)[A-ZÀ-Ý][\w'’-]*")
_WORDS = re.compile(r"\w+")


def skeleton(text: str, names: re.Pattern | None = None) -> str:
    """The sentence with names and numbers masked: what stays is its wording."""
    masked = names.sub("NAME", text) if names else text
    masked = _CAPITALISED.sub("NAME", masked)  # proper nouns after the first word
    masked = _NUMBER.sub("0", masked)
    return " ".join(masked.lower().split())


def repeated_skeletons(texts, names: re.Pattern | None = None, more_than: int = 5) -> dict[str, int]:
    counts = Counter(skeleton(t, names) for t in texts)
    return {s: c for s, c in counts.items() if c > more_than}


def near_duplicate_pairs(texts: list[str], threshold: float = 0.7, chunk: int = 512) -> int:
    """Pairs of sentences whose character 5-gram sets have Jaccard similarity >= threshold."""
    vectorizer = CountVectorizer(analyzer="char", ngram_range=(5, 5), lowercase=True, binary=True, dtype=np.int32)
    grams = vectorizer.fit_transform(texts).tocsr()
    sizes = np.asarray(grams.sum(axis=1)).ravel()
    transposed = grams.T.tocsc()
    pairs = 0
    for start in range(0, grams.shape[0], chunk):
        block = (grams[start:start + chunk] @ transposed).toarray()
        union = sizes[start:start + chunk, None] + sizes[None, :] - block
        similar = block >= threshold * np.maximum(union, 1)
        rows = np.arange(block.shape[0])[:, None] + start
        pairs += int(np.sum(similar & (np.arange(grams.shape[0])[None, :] > rows)))
    return pairs


def diversity(texts) -> dict:
    """Vocabulary size and the share of word trigrams that occur once across the corpus."""
    tokens = [_WORDS.findall(t.lower()) for t in texts]
    vocabulary = {w for sentence in tokens for w in sentence}
    trigrams = Counter(tuple(s[i:i + 3]) for s in tokens for i in range(len(s) - 2))
    total = sum(trigrams.values())
    return {"vocabulary": len(vocabulary), "trigrams": total,
            "distinct_trigram_share": round(len(trigrams) / total, 4) if total else 0.0}


def agreement(first: dict[str, dict], second: list[dict], fields=("musk", "altman", "sentiment")) -> dict:
    """Cohen's kappa and raw agreement per field between two annotations of the same sentences."""
    figures = {"sentences": len(second)}
    for field in fields:
        a = [first[s["id"]][field] for s in second]
        b = [s[field] for s in second]
        figures[field] = {"kappa": round(float(cohen_kappa_score(a, b)), 3),
                          "agreement": round(sum(x == y for x, y in zip(a, b)) / len(a), 3)}
    return figures


def label_counts(records, field: str) -> dict[str, int]:
    return dict(Counter(r[field] for r in records))
