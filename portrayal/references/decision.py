"""The learned decision: P(a sentence refers to a target) from the signals of pass three.

A logistic regression (scikit-learn) over each (sentence, target) pair's signals, fitted on the
corpus's labels (`none` or not), so that the rules propose and the annotated articles decide how
much each kind of evidence counts: a pronoun three sentences after the name, in a paragraph that
has moved to another person, counts for less than one right after it. The target is referred to
when the probability reaches `threshold`, chosen on the dev split. Scoring reads the fitted
weights from a dict: a handful of additions per pair.
"""
from __future__ import annotations

import math

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_fscore_support


class ReferenceDecision:
    """Weights per signal, an intercept and a threshold; `fit` learns the first two."""

    def __init__(self, C: float = 1.0, random_state: int = 0):
        self.C = C
        self.random_state = random_state
        self.weights_: dict[str, float] = {}
        self.intercept_ = 0.0
        self.threshold_ = 0.5

    def fit(self, signals: list[dict[str, float]], referred: list[bool]) -> "ReferenceDecision":
        vectorizer = DictVectorizer(sort=True)
        X = vectorizer.fit_transform(signals)
        model = LogisticRegression(C=self.C, max_iter=5000, random_state=self.random_state)
        model.fit(X, np.asarray(referred, dtype=bool))
        self.weights_ = {name: float(w) for name, w in zip(vectorizer.feature_names_, model.coef_[0]) if w != 0.0}
        self.intercept_ = float(model.intercept_[0])
        return self

    def probability(self, signals: dict[str, float]) -> float:
        weight = self.weights_.get
        z = self.intercept_
        for name, value in signals.items():
            z += weight(name, 0.0) * value
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def choose_threshold(self, probabilities: list[float], referred: list[bool]) -> float:
        """The threshold with the best F1 of "referred" on held-out pairs (the dev split)."""
        gold = np.asarray(referred, dtype=bool)
        p = np.asarray(probabilities)
        best, best_f1 = 0.5, -1.0
        for threshold in np.round(np.arange(0.2, 0.81, 0.01), 2):
            _, _, f1, _ = precision_recall_fscore_support(gold, p >= threshold, average="binary", zero_division=0)
            if f1 > best_f1 + 1e-9:
                best, best_f1 = float(threshold), f1
        self.threshold_ = best
        return best


def pairs_of(finder, records: list[dict], target_ids) -> tuple[list[dict], list[bool]]:
    """The (signals, referred) pairs of labelled records, every target of every sentence, article by article."""
    from ..corpus import articles
    from ..segment import sentences_from_list

    signals, referred = [], []
    for rows in articles(records).values():
        evidence, _ = finder.evidence(sentences_from_list([r["text"] for r in rows]))
        for record, found in zip(rows, evidence):
            for target_id in target_ids:
                signals.append(found[target_id].signals)
                referred.append(record[target_id] != "none")
    return signals, referred


def fit_decision(finder, records: list[dict], target_ids, held_out: list[dict] | None = None, C: float = 1.0,
                 random_state: int = 0) -> ReferenceDecision:
    """Fit the decision on `records`' labels; choose its threshold on `held_out` (the dev split) if given."""
    decision = ReferenceDecision(C=C, random_state=random_state).fit(*pairs_of(finder, records, target_ids))
    if held_out:
        signals, referred = pairs_of(finder, held_out, target_ids)
        decision.choose_threshold([decision.probability(s) for s in signals], referred)
    return decision
