"""The fitted model's arithmetic, without scikit-learn's per-call machinery.

For one article of some thirty sentences, input validation, output wrapping and the
FeatureUnion's joblib dispatch cost more than the TF-IDF and the logistic regressions
themselves. `CompiledModel` takes the fitted vocabulary, idf weights and coefficients
and computes the same probabilities directly: the same TF-IDF as scikit-learn's
`TfidfTransformer(sublinear_tf=True)` per block, then every head's logits from one
sparse-by-dense product, then a softmax per head. A test holds it equal to the
scikit-learn path.
"""
from __future__ import annotations

import numpy as np
from scipy import sparse


class CompiledModel:
    """Every head of a fitted PortrayalModel as one weight matrix over the shared features."""

    def __init__(self, vectorizer, heads: dict):
        words = vectorizer.named_transformers["words"]
        hasher, char_tfidf = (step for _, step in vectorizer.named_transformers["chars"].steps)
        self._analyze = words.build_analyzer()
        self._vocabulary = words.vocabulary_
        self._word_idf = words.idf_
        self._hasher = hasher
        self._char_idf = char_tfidf.idf_
        self._slices: dict[str, tuple[slice, tuple]] = {}
        weights, biases, column = [], [], 0
        for name, head in heads.items():
            weights.append(head.coef_.T)
            biases.append(head.intercept_)
            width = head.coef_.shape[0]  # one column for a two-class head
            self._slices[name] = (slice(column, column + width), tuple(head.classes_))
            column += width
        self._weights = np.ascontiguousarray(np.hstack(weights))
        self._bias = np.concatenate(biases)

    def features(self, texts: list[str]) -> sparse.csr_matrix:
        """The shared TF-IDF features: word block then character block, as the FeatureUnion builds them."""
        return sparse.hstack(self._blocks(texts), format="csr")

    def predict_proba(self, texts: list[str]) -> dict[str, tuple[np.ndarray, tuple]]:
        """{head: (probabilities, classes)} for every text, each head's columns in its classes' order."""
        words, chars = self._blocks(texts)  # each block times its rows of the weights: no stacking
        logits = words @ self._weights[:words.shape[1]] + chars @ self._weights[words.shape[1]:] + self._bias
        return {name: (_softmax(logits[:, columns]), classes) for name, (columns, classes) in self._slices.items()}

    def _blocks(self, texts: list[str]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        words = _tfidf(self._word_counts(texts), self._word_idf)
        chars = _tfidf(self._hasher.transform(texts), self._char_idf)
        return words, chars

    def _word_counts(self, texts: list[str]) -> sparse.csr_matrix:
        vocabulary, indices, counts, indptr = self._vocabulary, [], [], [0]
        for text in texts:
            row: dict[int, int] = {}
            for token in self._analyze(text):
                column = vocabulary.get(token)
                if column is not None:
                    row[column] = row.get(column, 0) + 1
            indices.extend(row)
            counts.extend(row.values())
            indptr.append(len(indices))
        return sparse.csr_matrix((np.asarray(counts, dtype=np.float64), np.asarray(indices, dtype=np.int32),
                                  np.asarray(indptr, dtype=np.int64)), shape=(len(texts), len(vocabulary)))


def _tfidf(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear tf times idf, rows scaled to unit length."""
    counts.data = (np.log(counts.data) + 1.0) * idf[counts.indices]
    lengths = np.sqrt(np.bincount(np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr)),
                                  weights=counts.data ** 2, minlength=counts.shape[0]))
    lengths[lengths == 0] = 1.0
    counts.data /= np.repeat(lengths, np.diff(counts.indptr))
    return counts


def _softmax(logits: np.ndarray) -> np.ndarray:
    if logits.shape[1] == 1:  # a binary head has one logit column
        positive = 1.0 / (1.0 + np.exp(-logits))
        return np.hstack([1.0 - positive, positive])
    exponentials = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exponentials / exponentials.sum(axis=1, keepdims=True)
