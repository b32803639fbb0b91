"""Character n-gram counts hashed in bulk with numpy, for a fast TF-IDF.

scikit-learn's char analyzer builds every n-gram as a Python string (about 150 µs a
sentence); here all sentences of a batch are laid end to end as code points and each
n-gram is a rolling polynomial hash computed for the whole batch at once (about 30 µs a
sentence). Like `min_df`, `fit` keeps only the hashed columns seen in at least `min_df`
training texts, so the model stays as small as a vocabulary-based one. The counts go to
scikit-learn's TfidfTransformer like any CountVectorizer output.
"""
from __future__ import annotations

import re

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

_WHITESPACE = re.compile(r"\s\s+")
_BASE = np.uint64(1_000_003)          # polynomial base of the rolling hash
_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: spreads the hash into the top bits


class HashedCharNgrams(TransformerMixin, BaseEstimator):
    """Counts of lower-cased character n-grams of each text, over the hashed columns kept at fit."""

    def __init__(self, ngram_range=(2, 5), bits=20, min_df=2):
        self.ngram_range = ngram_range
        self.bits = bits
        self.min_df = min_df

    def fit(self, texts, y=None):
        rows, columns = self._hashed(texts)
        pairs = np.unique((rows << self.bits) | columns)
        document_frequency = np.bincount(pairs & ((1 << self.bits) - 1), minlength=2**self.bits)
        kept = np.flatnonzero(document_frequency >= self.min_df)
        self.column_of_ = np.full(2**self.bits, -1, dtype=np.int64)
        self.column_of_[kept] = np.arange(len(kept))
        self.n_features_ = len(kept)
        return self

    def transform(self, texts):
        texts = list(texts)
        rows, columns = self._hashed(texts)
        columns = self.column_of_[columns]
        known = columns >= 0
        return _count_matrix(rows[known], columns[known], len(texts), self.n_features_)

    def _hashed(self, texts) -> tuple[np.ndarray, np.ndarray]:
        """(row, hashed column) of every n-gram occurrence in `texts`."""
        texts = [_WHITESPACE.sub(" ", t.lower()) for t in texts]
        lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        ends = np.cumsum(lengths)
        codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        row_of = np.repeat(np.arange(len(texts)), lengths)
        rows, columns = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
        shift = np.uint64(64 - self.bits)
        low, high = self.ngram_range
        with np.errstate(over="ignore"):
            for n in range(low, high + 1):
                count = len(codes) - n + 1
                if count <= 0:
                    continue
                hashed = np.full(count, np.uint64(n))
                for k in range(n):
                    hashed = hashed * _BASE + codes[k:k + count]
                inside = np.arange(count) + n <= ends[row_of[:count]]  # does not run into the next text
                rows.append(row_of[:count][inside])
                columns.append(((hashed[inside] * _MIX) >> shift).astype(np.int64))
        return np.concatenate(rows), np.concatenate(columns)


def _count_matrix(rows: np.ndarray, columns: np.ndarray, n_rows: int, n_columns: int) -> sparse.csr_matrix:
    """CSR counts of (row, column) pairs: one stable radix sort of packed keys, then run lengths."""
    bits = max(1, int(n_columns - 1).bit_length())
    keys = (rows << bits) | columns
    keys.sort(kind="stable")
    first = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]])) if len(keys) else np.zeros(0, np.int64)
    counts = np.diff(np.append(first, len(keys))).astype(np.float64)
    unique = keys[first]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(unique >> bits, minlength=n_rows))])
    indices = (unique & ((1 << bits) - 1)).astype(np.int32)
    return sparse.csr_matrix((counts, indices, indptr), shape=(n_rows, n_columns))
