"""Held-out figures: stance per target over the four labels, mention detection, sentiment."""
from __future__ import annotations

from collections import defaultdict

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

from .corpus import SENTIMENT_VALUES, TARGET_LABELS, articles
from .conditioned import build_estimator
from .model import NONE, STANCE_LABELS
from .pairs import prepared_records, target_examples

WORST_ERRORS = 25


def predict_records(scorer, records: list[dict]) -> list[tuple[dict, dict]]:
    """(gold record, scored sentence) pairs, scoring each article from its gold sentences."""
    groups = articles(records)
    inputs = [{"id": article_id, "sentences": [r["text"] for r in rows]} for article_id, rows in groups.items()]
    pairs = []
    for rows, result in zip(groups.values(), scorer.score_many(inputs)):
        pairs.extend(zip(rows, result["sentences"]))
    return pairs


def _per_class(gold, predicted, labels) -> dict:
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=list(labels), zero_division=0)
    return {label: {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4),
                    "support": int(s)} for label, p, r, f, s in zip(labels, precision, recall, f1, support)}


def _label_figures(gold, predicted, labels) -> dict:
    return {
        "macro_f1": round(float(f1_score(gold, predicted, labels=list(labels), average="macro", zero_division=0)), 4),
        "accuracy": round(float(np.mean(np.asarray(gold) == np.asarray(predicted))) if len(gold) else 0.0, 4),
        "per_class": _per_class(gold, predicted, labels),
        "confusion": {"labels": list(labels),
                      "matrix": confusion_matrix(gold, predicted, labels=list(labels)).tolist() if len(gold) else []},
    }


def target_figures(gold, predicted) -> dict:
    figures = _label_figures(gold, predicted, TARGET_LABELS)
    figures["f_avg"] = round((figures["per_class"]["favor"]["f1"] + figures["per_class"]["against"]["f1"]) / 2, 4)
    gold_referred = np.asarray(gold) != NONE
    found = np.asarray(predicted) != NONE
    precision, recall, f1, _ = precision_recall_fscore_support(
        gold_referred, found, average="binary", pos_label=True, zero_division=0)
    figures["mention"] = {"precision": round(float(precision), 4), "recall": round(float(recall), 4),
                          "f1": round(float(f1), 4)}
    return figures


def evaluate_pairs(pairs, target_ids) -> dict:
    """All figures for (gold record, scored sentence) pairs."""
    figures = {"sentences": len(pairs), "articles": len({g["article"] for g, _ in pairs}), "targets": {}}
    for target_id in target_ids:
        gold = [g[target_id] for g, _ in pairs]
        predicted = [p["targets"][target_id]["stance"] for _, p in pairs]
        figures["targets"][target_id] = target_figures(gold, predicted)
    figures["sentiment"] = _label_figures([g["sentiment"] for g, _ in pairs],
                                          [p["sentiment"]["label"] for _, p in pairs], SENTIMENT_VALUES)
    return figures


def evaluate(scorer, records: list[dict]) -> dict:
    """Figures overall, by language, and the most confident errors."""
    pairs = predict_records(scorer, records)
    target_ids = tuple(scorer.model.stance_heads_)  # the targets the corpus labels
    figures = evaluate_pairs(pairs, target_ids)
    by_language = defaultdict(list)
    for gold, scored in pairs:
        by_language[gold["lang"] if gold["lang"] in ("fr", "en") else "other"].append((gold, scored))
    figures["by_language"] = {}
    for lang, subset in sorted(by_language.items()):
        sub = evaluate_pairs(subset, target_ids)
        figures["by_language"][lang] = {
            "sentences": sub["sentences"],
            **{f"{t}_macro_f1": sub["targets"][t]["macro_f1"] for t in target_ids},
            **{f"{t}_f_avg": sub["targets"][t]["f_avg"] for t in target_ids},
            "sentiment_macro_f1": sub["sentiment"]["macro_f1"],
        }
    figures["worst_errors"] = worst_errors(pairs, target_ids)
    return figures


def generic_head_figures(scorer, records: list[dict], train_records: list[dict] | None = None) -> dict:
    """Stance macro-F1 (favor / against / neutral) on each target's pairs: sentences that refer to it and
    where it is found. Its own head against the generic head; with `train_records`, also a generic head
    fitted without that target's pairs, as for a target with no training data of its own."""
    heads = tuple(scorer.model.stance_heads_)
    prepared = prepared_records(scorer.finder, records, heads)
    prepared_train = prepared_records(scorer.finder, train_records, heads) if train_records else None
    figures = {}
    for target_id in heads:
        examples, gold = target_examples(prepared, records, [target_id])
        if not gold:
            continue
        masked = [masked for (masked, _, mentions), r in zip(prepared, records)
                  if r[target_id] != NONE and target_id in mentions]
        own = scorer.model.predict_proba(masked, {t: [True] * len(masked) for t in heads})[1][target_id]
        row = {"pairs": len(gold), "own_head": _stance_f1(gold, _most_probable(own)),
               "generic_head": _stance_f1(gold, _most_probable(scorer.model.predict_generic(examples)))}
        if prepared_train is not None:
            others = [t for t in heads if t != target_id]
            unseen = build_estimator().fit(*target_examples(prepared_train, train_records, others))
            row["generic_without_target"] = _stance_f1(gold, unseen.predict(examples))
        figures[target_id] = row
    return figures


def _most_probable(probabilities) -> list[str]:
    return [STANCE_LABELS[i] for i in np.argmax(probabilities, axis=1)]


def _stance_f1(gold, predicted) -> float:
    return round(float(f1_score(gold, predicted, labels=list(STANCE_LABELS), average="macro", zero_division=0)), 4)


def worst_errors(pairs, target_ids, limit: int = WORST_ERRORS) -> list[dict]:
    """Stance errors the model was most sure of, then missed or spurious mentions."""
    errors = []
    for gold, scored in pairs:
        for target_id in target_ids:
            predicted = scored["targets"][target_id]
            if predicted["stance"] == gold[target_id]:
                continue
            confidence = max(predicted["proba"].values()) if predicted["proba"] else 1.0
            errors.append({"id": gold["id"], "text": gold["text"], "target": target_id, "gold": gold[target_id],
                           "predicted": predicted["stance"], "confidence": round(confidence, 4)})
    errors.sort(key=lambda e: -e["confidence"])
    return errors[:limit]
