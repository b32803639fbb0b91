"""Scoring articles: split, find mentions, run the heads, summarise per target.

`Scorer.score_many` is the one function behind the library, the CLI, HTTP and batch jobs,
so the same input gives the same output everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import numpy as np

from .artifact import Artifact, load_artifact
from .conditioned import example_from_mentions
from .errors import ModelArtifactError
from .features import mask_mentions
from .inputs import ArticleInput, parse_article
from .language import detect_language
from .model import NONE, SENTIMENT_LABELS, STANCE_LABELS
from .references import Reference, ReferenceFinder
from .segment import Sentence, sentences_from_list, split_sentences

# The article leans one way when the mean (favor - against) over the sentences that refer to
# the target passes this margin; the mean, unlike a sum, does not grow with article length.
SUMMARY_MARGIN = 0.15
DECIMALS = 4


@dataclass
class PreparedArticle:
    """An article split into sentences, who each sentence refers to, sentences masked for the model, its language."""

    id: object
    text: str
    sentences: list[Sentence]
    references: list[dict[str, Reference]]
    masked: list[str]
    lang: str

    @property
    def mentions(self) -> list[dict]:
        """Per sentence, {target: [Mention, ...]} for the targets it refers to."""
        return [{t: list(r.mentions) for t, r in refs.items() if r.referred} for refs in self.references]


def prepare(finder: ReferenceFinder, article: ArticleInput, masked_targets=None) -> PreparedArticle:
    """Split (unless already split), find who is referred to, mask the mentions for the model, and tell the language.

    Only `masked_targets` (default: all) get placeholders: the targets the model has heads for,
    so a target added to the registry later does not change what those heads read.
    """
    if article.sentences is not None:
        sentences = sentences_from_list(list(article.sentences))
        text = "\n".join(article.sentences)
    else:
        sentences, text = list(article.split) or split_sentences(article.text), article.text
    found = finder.find(sentences)
    masked = [mask_mentions(s.text, s.start, {t: r.mentions for t, r in refs.items() if r.referred and r.mentions
                                              and (masked_targets is None or t in masked_targets)})
              for s, refs in zip(sentences, found.references)]
    return PreparedArticle(article.id, text, sentences, found.references, masked,
                           detect_language(chain.from_iterable(found.words)))


class Scorer:
    """Scores articles with a loaded model artifact."""

    def __init__(self, artifact: Artifact):
        self.artifact = artifact
        self.model = artifact.model
        self.finder = ReferenceFinder(artifact.registry, getattr(self.model, "reference_decision_", None))
        self.target_ids = tuple(artifact.registry.ids)
        # Registry targets the corpus has no labels for are scored by the target-conditioned head.
        self.generic_target_ids = tuple(t for t in self.target_ids if t not in self.model.stance_heads_)
        if self.generic_target_ids and getattr(self.model, "generic_head_", None) is None:
            raise ModelArtifactError(f"the registry names {', '.join(self.generic_target_ids)} but the model has no "
                                     "head for them and no generic head; retrain it with `make train`")
        # Built now, not on the first article: under gunicorn that is before the workers fork,
        # so they share it and none of them makes its first caller wait.
        self.model.compiled

    @classmethod
    def from_dir(cls, model_dir: str | Path) -> "Scorer":
        return cls(load_artifact(model_dir))

    def score(self, article: dict | ArticleInput) -> dict:
        """Score one article given as {"id", "text"} or {"id", "sentences"}."""
        return self.score_many([article])[0]

    def score_many(self, articles) -> list[dict]:
        """Score several articles with one pass of the model over all their sentences."""
        parsed = [a if isinstance(a, ArticleInput) else parse_article(a) for a in articles]
        prepared = [prepare(self.finder, a, self.model.stance_heads_) for a in parsed]
        masked = [text for p in prepared for text in p.masked]
        referred = {t: [refs[t].referred for p in prepared for refs in p.references] for t in self.target_ids}
        if masked:
            sentiment, stance = self.model.predict_proba(masked, referred)
        else:
            sentiment = np.zeros((0, len(SENTIMENT_LABELS)))
            stance = {t: np.zeros((0, len(STANCE_LABELS))) for t in self.target_ids}
        for target_id in self.generic_target_ids:
            stance[target_id] = self._generic_stance(prepared, target_id)
        results, row = [], 0
        for article in prepared:
            n = len(article.sentences)
            rows = slice(row, row + n)
            results.append(self._result(article, sentiment[rows], {t: p[rows] for t, p in stance.items()}))
            row += n
        return results

    def _generic_stance(self, prepared: list[PreparedArticle], target_id: str) -> np.ndarray:
        rows, examples, row = [], [], 0
        for article in prepared:
            for sentence, mentions in zip(article.sentences, article.mentions):
                if target_id in mentions:
                    rows.append(row)
                    examples.append(example_from_mentions(sentence, mentions, target_id))
                row += 1
        probabilities = np.full((row, len(STANCE_LABELS)), np.nan)
        probabilities[rows] = self.model.predict_generic(examples)
        return probabilities

    def _result(self, article: PreparedArticle, sentiment, stance) -> dict:
        # Rounded once per article in numpy: per-number round(float(p)) was a quarter of scoring time.
        sentiment_rows = np.round(sentiment, DECIMALS).tolist()
        stance_rows = {t: np.round(p, DECIMALS).tolist() for t, p in stance.items()}
        sentences = []
        for i, sentence in enumerate(article.sentences):
            targets = {}
            for target_id in self.target_ids:
                reference = article.references[i][target_id]
                if reference.referred:
                    proba = dict(zip(STANCE_LABELS, stance_rows[target_id][i]))
                    label = max(proba, key=proba.get)
                else:
                    proba, label = None, NONE
                targets[target_id] = {"stance": label, "proba": proba, "p_referred": reference.p_referred,
                                      "mentions": [m.as_dict() for m in reference.mentions]}
            sentiment_proba = dict(zip(SENTIMENT_LABELS, sentiment_rows[i]))
            sentences.append({
                "index": sentence.index, "start": sentence.start, "end": sentence.end, "text": sentence.text,
                "targets": targets,
                "sentiment": {"label": max(sentiment_proba, key=sentiment_proba.get), "proba": sentiment_proba},
            })
        return {
            "id": article.id,
            "lang": article.lang,
            "model": self.artifact.identity,
            "sentences": sentences,
            "summary": self._summary(sentences, sentiment),
        }

    def _summary(self, sentences: list[dict], sentiment) -> dict:
        summary = {}
        for target_id in self.target_ids:
            judged = [s["targets"][target_id] for s in sentences if s["targets"][target_id]["stance"] != NONE]
            counts = {label: sum(j["stance"] == label for j in judged) for label in STANCE_LABELS}
            if judged:
                score = float(np.mean([j["proba"]["favor"] - j["proba"]["against"] for j in judged]))
                stance = _lean(score, "favor", "against", "neutral")
            else:
                score, stance = None, NONE
            summary[target_id] = {"stance": stance, "score": _round(score), "sentences": len(judged), "counts": counts}
        if len(sentiment):
            tone = float(np.mean(sentiment[:, 0] - sentiment[:, 1]))
            summary["sentiment"] = {"label": _lean(tone, "positive", "negative", "neutral"), "score": _round(tone)}
        else:
            summary["sentiment"] = {"label": "neutral", "score": 0.0}
        return summary


def _lean(score: float, positive: str, negative: str, neutral: str) -> str:
    if score > SUMMARY_MARGIN:
        return positive
    if score < -SUMMARY_MARGIN:
        return negative
    return neutral


def _round(value):
    return None if value is None else round(value, DECIMALS)

