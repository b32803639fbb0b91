"""The fitted model's arithmetic, without scikit-learn's per-call machinery.

For one article of some thirty sentences, input validation, output wrapping, the
FeatureUnion's joblib dispatch and building every word n-gram as a string cost more than
the TF-IDF and the logistic regressions themselves. `CompiledModel` takes the fitted
vocabulary, idf weights and coefficients and computes the same probabilities directly:

- words: each token becomes an integer id with one dictionary lookup; a word n-gram is
  the base-`len(ids)` number of its tokens' ids, looked up in a sorted array in bulk;
- characters: `HashedCharNgrams` hashes every n-gram of the batch at once;
- both blocks' (row, column) occurrences are counted together with one sort, then get
  scikit-learn's `TfidfTransformer(sublinear_tf=True)` weights, each block's rows scaled
  to unit length, and every head's logits come from one sparse-by-dense product.

A test holds the probabilities equal to the scikit-learn path.
"""
from __future__ import annotations

import re

import numpy as np
from scipy import sparse

from .hashing import distinct_pairs, row_pointers, rows_and_room


class CompiledModel:
    """Every head of a fitted PortrayalModel as one weight matrix over the shared features."""

    def __init__(self, vectorizer, heads: dict):
        words = vectorizer.named_transformers["words"]
        hasher, char_tfidf = (step for _, step in vectorizer.named_transformers["chars"].steps)
        self._n_words = n_words = len(words.vocabulary_)
        self._n_columns = n_words + hasher.n_features_
        # Columns renumbered within each block from the most to the least frequent n-gram (lowest
        # idf first): the few thousand that make most occurrences then lie together in the weights
        # and stay in the processor's caches from one request to the next.
        order = np.concatenate([np.argsort(words.idf_, kind="stable"),
                                n_words + np.argsort(char_tfidf.idf_, kind="stable")])
        self._original_column = order
        renumbered = np.empty_like(order)
        renumbered[order] = np.arange(len(order))
        self._word_ngrams = _WordNgrams(words, renumbered[:n_words])
        self._hasher = hasher
        kept = hasher.column_of_ >= 0
        self._char_column_of = np.full(len(kept), -1, dtype=np.int32)  # hashed column -> our char column
        self._char_column_of[kept] = renumbered[n_words + hasher.column_of_[kept]] - n_words
        self._idf = np.concatenate([words.idf_, char_tfidf.idf_])[order]
        self._slices: dict[str, tuple[slice, tuple]] = {}
        weights, biases, column = [], [], 0
        for name, head in heads.items():
            weights.append(head.coef_.T)
            biases.append(head.intercept_)
            width = head.coef_.shape[0]  # one column for a two-class head
            self._slices[name] = (slice(column, column + width), tuple(head.classes_))
            column += width
        self._weights = np.ascontiguousarray(np.hstack(weights)[order])
        self._bias = np.concatenate(biases)

    def features(self, texts: list[str]) -> sparse.csr_matrix:
        """The shared TF-IDF features: word block then character block, as the FeatureUnion builds them."""
        columns, values, indptr = self._tfidf(texts)
        return sparse.csr_matrix((values, self._original_column[columns].astype(np.int32), indptr),
                                 shape=(len(texts), self._n_columns))

    def predict_proba(self, texts: list[str]) -> dict[str, tuple[np.ndarray, tuple]]:
        """{head: (probabilities, classes)} for every text, each head's columns in its classes' order."""
        columns, values, indptr = self._tfidf(texts)
        features = sparse.csr_matrix((values, columns.astype(np.int32), indptr), shape=(len(texts), self._n_columns))
        logits = features @ self._weights + self._bias
        return {name: (_softmax(logits[:, head]), classes) for name, (head, classes) in self._slices.items()}

    def _tfidf(self, texts: list[str]):
        """(our columns, TF-IDF values, CSR row pointers) of every non-zero feature, row by row."""
        word_rows, word_columns = self._word_ngrams.occurrences(texts)
        char_rows, char_columns = self._hasher.occurrences(texts, self._char_column_of)
        rows, columns, counts = distinct_pairs(np.concatenate([word_rows, char_rows]),
                                               np.concatenate([word_columns, char_columns + self._n_words]),
                                               self._n_columns)
        values = (np.log(counts) + 1.0) * self._idf[columns]
        block = rows * 2 + (columns >= self._n_words)  # each block's rows have unit length
        lengths = np.sqrt(np.bincount(block, weights=values * values, minlength=2 * len(texts)))
        lengths[lengths == 0] = 1.0
        values /= lengths[block]
        return columns, values, row_pointers(rows, len(texts))


class _WordNgrams:
    """A fitted word TfidfVectorizer's n-gram lookup, with tokens as integer ids instead of strings."""

    def __init__(self, words, column_of_feature: np.ndarray):
        """`column_of_feature`: our column for each of the vectorizer's feature indices."""
        if words.analyzer != "word" or words.tokenizer is not None or words.stop_words is not None:
            raise ValueError("the compiled word n-grams follow the default word analyzer only")
        self._preprocess = words.build_preprocessor()
        self._tokens = re.compile(words.token_pattern)
        self._low, self._high = words.ngram_range
        grams = {tuple(gram.split(" ")): column for gram, column in words.vocabulary_.items()}
        self._ids = {token: i for i, token in enumerate(sorted({t for gram in grams for t in gram}))}
        self._base = max(1, len(self._ids))
        if self._high * self._base ** self._high >= 2**63:  # the largest key, length prefix included
            raise ValueError(f"word n-grams up to {self._high} over {self._base} tokens do not fit in 64 bits")
        keys = np.array([self._key(gram) for gram in grams], dtype=np.int64)
        order = np.argsort(keys)
        self._keys = keys[order]
        self._columns = column_of_feature[np.fromiter(grams.values(), dtype=np.int64, count=len(grams))][order]

    def _key(self, gram: tuple) -> int:
        key = len(gram) - 1  # n-grams of different lengths never share a key
        for token in gram:
            key = key * self._base + self._ids[token]
        return key

    def occurrences(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(row, column) of every in-vocabulary word n-gram occurrence in `texts`."""
        tokenized = [self._tokens.findall(self._preprocess(text)) for text in texts]
        lengths = np.fromiter(map(len, tokenized), dtype=np.int64, count=len(texts))
        ids = np.array([self._ids.get(token, -1) for tokens in tokenized for token in tokens], dtype=np.int64)
        row_of, room = rows_and_room(lengths)
        rows, columns = [], []
        for n in range(self._low, self._high + 1):
            count = len(ids) - n + 1
            if count <= 0:
                continue
            key = np.full(count, n - 1, dtype=np.int64)
            known = np.ones(count, dtype=bool)
            for k in range(n):
                part = ids[k:k + count]
                known &= part >= 0
                key = key * self._base + part
            known &= room[:count] >= n  # within one text
            key = key[known]
            found = np.minimum(np.searchsorted(self._keys, key), len(self._keys) - 1)
            hit = self._keys[found] == key
            rows.append(row_of[:count][known][hit])
            columns.append(self._columns[found[hit]])
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(rows), np.concatenate(columns)


def _softmax(logits: np.ndarray) -> np.ndarray:
    if logits.shape[1] == 1:  # a binary head has one logit column
        positive = 1.0 / (1.0 + np.exp(-logits))
        return np.hstack([1.0 - positive, positive])
    exponentials = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exponentials / exponentials.sum(axis=1, keepdims=True)
