"""Character n-grams hashed in bulk are the n-grams' own polynomial hashes; pairs are counted exactly."""
import re

import numpy as np
import pytest

from portrayal.hashing import _BASE, _MIX, HashedCharNgrams, distinct_pairs

TEXTS = ["Musk  contre\tAltman", "", "é", "« Non merci »,\na répondu Sam Altman.", "ab", "ÉLON MUSK…"]


def one_by_one(texts, ngram_range, bits):
    """(row, hashed column) of every n-gram, one Python loop per n-gram."""
    pairs = []
    for row, text in enumerate(texts):
        text = re.sub(r"\s\s+", " ", text.lower())
        for n in range(ngram_range[0], ngram_range[1] + 1):
            for start in range(len(text) - n + 1):
                value = n
                for character in text[start:start + n]:
                    value = (value * int(_BASE) + ord(character)) % 2**64
                pairs.append((row, (value * int(_MIX)) % 2**64 >> (64 - bits)))
    return sorted(pairs)


@pytest.mark.parametrize("ngram_range", [(2, 5), (1, 3), (4, 4)])
def test_bulk_hashes_are_each_n_gram_s_own_hash(ngram_range):
    rows, columns = HashedCharNgrams(ngram_range, bits=20)._hashed(TEXTS)
    assert sorted(zip(rows.tolist(), columns.tolist())) == one_by_one(TEXTS, ngram_range, 20)


def test_n_grams_never_run_from_one_text_into_the_next():
    rows, _ = HashedCharNgrams((2, 5), bits=20)._hashed(["ab", "cd"])
    assert sorted(rows.tolist()) == [0, 1]  # "ab" and "cd", never "bc"


@pytest.mark.parametrize("n_rows, n_columns", [(30, 92_539), (40_000, 92_539), (3, 1)])
def test_distinct_pairs_counts_every_pair_once_in_row_then_column_order(n_rows, n_columns):
    generator = np.random.default_rng(n_rows)
    rows = generator.integers(0, n_rows, 20_000)
    columns = generator.integers(0, n_columns, 20_000)
    got_rows, got_columns, counts = distinct_pairs(rows, columns, n_columns)
    pairs, expected = np.unique(np.stack([rows, columns], axis=1), axis=0, return_counts=True)
    assert np.array_equal(got_rows, pairs[:, 0]) and np.array_equal(got_columns, pairs[:, 1])
    assert np.array_equal(counts, expected)
