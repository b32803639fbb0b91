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
        rows, columns, counts = distinct_pairs(*self.occurrences(texts), self.n_features_)
        return sparse.csr_matrix((counts.astype(np.float64), columns.astype(np.int32), row_pointers(rows, len(texts))),
                                 shape=(len(texts), self.n_features_))

    def occurrences(self, texts, column_of: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(row, column) of every n-gram occurrence in `texts` whose hashed column was kept at fit.

        `column_of` maps hashed columns to columns (-1: not kept); by default `column_of_`.
        """
        rows, hashed = self._hashed(texts)
        columns = (self.column_of_ if column_of is None else column_of)[hashed]
        known = columns >= 0
        return rows[known], columns[known]

    def _hashed(self, texts) -> tuple[np.ndarray, np.ndarray]:
        """(row, hashed column) of every n-gram occurrence in `texts`.

        The hash of the n-gram at i is n·B^n + c[i]·B^(n-1) + ... + c[i+n-1] (mod 2^64), built
        from the (n-1)-gram's sum with one multiply-add per n.
        """
        texts = [_WHITESPACE.sub(" ", t.lower()) for t in texts]
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        row_of, room = rows_and_room(lengths)
        rows, columns = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
        shift = np.uint64(64 - self.bits)
        low, high = self.ngram_range
        summed = codes
        with np.errstate(over="ignore"):
            for n in range(1, min(high, len(codes)) + 1):
                count = len(codes) - n + 1
                if n > 1:
                    summed = summed[:count] * _BASE + codes[n - 1:]
                if n < low:
                    continue
                inside = room[:count] >= n  # does not run into the next text
                hashed = summed[inside] + np.uint64(n * int(_BASE) ** n % 2**64)
                rows.append(row_of[:count][inside])
                columns.append(((hashed * _MIX) >> shift).astype(np.int64))
        return np.concatenate(rows), np.concatenate(columns)


def rows_and_room(lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For texts of `lengths` laid end to end: the text of each position, and how many
    positions its text has left from there (an n-gram starting there fits when n <= room)."""
    row_of = np.repeat(np.arange(len(lengths)), lengths)
    room = np.repeat(np.cumsum(lengths), lengths) - np.arange(len(row_of))
    return row_of, room


def row_pointers(rows: np.ndarray, n_rows: int) -> np.ndarray:
    """CSR row pointers of entries sorted by row."""
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    return indptr


def distinct_pairs(rows: np.ndarray, columns: np.ndarray, n_columns: int):
    """The distinct (row, column) pairs, sorted by row then column, and how often each occurs.

    Both are packed into one integer key and the keys sorted once: 32-bit keys when they fit
    (up to 32,768 rows with the default model's 92,539 columns), sorted in two 16-bit radix
    passes; 64-bit keys and numpy's sort otherwise.
    """
    bits = max(1, int(n_columns - 1).bit_length())
    if not len(rows):
        return rows, columns, np.zeros(0, dtype=np.int64)
    if (int(rows.max()) + 1) << bits <= 2**32:
        dtype = np.uint32
        keys = _radix_sorted((rows.astype(dtype) << dtype(bits)) | columns.astype(dtype))
    else:
        dtype = np.uint64
        keys = np.sort((rows.astype(dtype) << dtype(bits)) | columns.astype(dtype))
    first = np.empty(len(keys), dtype=bool)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.diff(np.append(starts, len(keys)))
    unique = keys[starts]
    return (unique >> dtype(bits)).astype(np.int64), (unique & dtype((1 << bits) - 1)).astype(np.int64), counts


def _radix_sorted(keys: np.ndarray) -> np.ndarray:
    """uint32 keys sorted by their low then their high 16 bits.

    numpy's stable sort of 16-bit integers is a radix sort, so the two passes take about half
    the time of one comparison sort of the 32-bit keys.
    """
    by_low = keys[np.argsort(keys.astype(np.uint16), kind="stable")]
    return by_low[np.argsort((by_low >> np.uint32(16)).astype(np.uint16), kind="stable")]
