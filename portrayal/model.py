"""The learner: one TF-IDF vectorization shared by every head, a logistic regression per head.

Heads: one stance head per target (favor / against / neutral, trained and applied only on
sentences that refer to the target) and one sentence-sentiment head. The sentence is read
with each target's mentions replaced by that target's placeholder, so word n-grams such as
"qualifié _altman_" tell the heads who is judged. Extra per-target features of the words
around the mention were tried and lowered 4-fold cross-validated macro-F1 by 2 points.
"""
from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline

from .conditioned import build_estimator
from .features import mark_negation
from .hashing import HashedCharNgrams
from .inference import CompiledModel

STANCE_LABELS = ("favor", "against", "neutral")
SENTIMENT_LABELS = ("positive", "negative", "neutral")
NONE = "none"
SENTIMENT = "sentiment"  # the sentiment head's name beside the targets' stance heads


class PortrayalModel(BaseEstimator):
    """Stance heads per target plus a sentiment head over one shared sentence vectorization."""

    def __init__(self, target_ids=("musk", "altman"), word_ngrams=(1, 2), char_ngrams=(2, 5),
                 min_df=2, char_hash_bits=20, negation_scope=True, stance_C=4.0, sentiment_C=4.0,
                 reference_C=1.0, random_state=0):
        self.target_ids = target_ids
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.char_hash_bits = char_hash_bits
        self.negation_scope = negation_scope
        self.stance_C = stance_C
        self.sentiment_C = sentiment_C
        self.reference_C = reference_C
        self.random_state = random_state

    def _classifier(self, C: float) -> LogisticRegression:
        return LogisticRegression(C=C, class_weight="balanced", max_iter=3000, random_state=self.random_state)

    def fit(self, masked_texts, stance_labels: dict, sentiment_labels, target_examples=None,
            reference_decision=None) -> "PortrayalModel":
        """Fit on masked sentences; `stance_labels[target]` holds favor/against/neutral/none per sentence.

        `target_examples`, (examples, labels) from `conditioned.example_from_mentions` over every
        target, fits the generic head that scores targets with no head of their own.
        `reference_decision`, fitted beforehand (`references.decision.fit_decision`, with `reference_C`),
        is kept with the heads: it decides who each sentence refers to, hence which heads apply.
        """
        self.reference_decision_ = reference_decision
        self.vectorizer_ = FeatureUnion([
            ("words", TfidfVectorizer(ngram_range=self.word_ngrams, min_df=self.min_df, sublinear_tf=True,
                                      preprocessor=mark_negation if self.negation_scope else None)),
            ("chars", make_pipeline(HashedCharNgrams(self.char_ngrams, self.char_hash_bits, self.min_df),
                                    TfidfTransformer(sublinear_tf=True))),
        ])
        shared = self.vectorizer_.fit_transform(masked_texts)
        self.sentiment_head_ = self._classifier(self.sentiment_C).fit(shared, np.asarray(sentiment_labels))
        self.stance_heads_ = {}
        for target_id in self.target_ids:
            labels = np.asarray(stance_labels[target_id])
            rows = np.flatnonzero(labels != NONE)
            self.stance_heads_[target_id] = self._classifier(self.stance_C).fit(shared[rows], labels[rows])
        self.generic_head_ = None
        if target_examples is not None:
            self.generic_head_ = build_estimator().fit(*target_examples)
        return self

    def predict_generic(self, examples) -> np.ndarray:
        """Stance probabilities (STANCE_LABELS order) from the target-conditioned head, for any target."""
        if not examples:
            return np.zeros((0, len(STANCE_LABELS)))
        return _reorder(self.generic_head_.predict_proba(examples), self.generic_head_.classes_, STANCE_LABELS)

    def predict_proba(self, masked_texts, referred: dict):
        """Sentiment probabilities for all rows, and stance probabilities for rows that refer to each target.

        Returns (sentiment, stance) where sentiment is an (n, 3) array in SENTIMENT_LABELS order and
        stance[target] is an (n, 3) array in STANCE_LABELS order with NaN rows where not referred.
        """
        heads = self.compiled.predict_proba(list(masked_texts))
        sentiment = _reorder(*heads[SENTIMENT], SENTIMENT_LABELS)
        stance = {}
        for target_id in self.stance_heads_:
            probabilities = np.full((len(masked_texts), len(STANCE_LABELS)), np.nan)
            rows = np.flatnonzero(np.asarray(referred[target_id], dtype=bool))
            probabilities[rows] = _reorder(*heads[target_id], STANCE_LABELS)[rows]
            stance[target_id] = probabilities
        return sentiment, stance

    @property
    def compiled(self) -> CompiledModel:
        """The heads' arithmetic without scikit-learn's per-call overhead, built once on first use."""
        if getattr(self, "_compiled", None) is None:
            self._compiled = CompiledModel(self.vectorizer_, {SENTIMENT: self.sentiment_head_, **self.stance_heads_})
        return self._compiled

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_compiled", None)  # rebuilt from the fitted parts after loading
        return state


def _reorder(probabilities, classes, labels):
    """Columns in the documented label order, whatever order the classifier learned them in."""
    index = {label: i for i, label in enumerate(classes)}
    out = np.zeros((probabilities.shape[0], len(labels)))
    for j, label in enumerate(labels):
        if label in index:
            out[:, j] = probabilities[:, index[label]]
    return out
