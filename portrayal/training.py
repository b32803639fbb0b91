"""Fitting a model from the corpus and writing the artifact with its held-out figures."""
from __future__ import annotations

import json
import time
from pathlib import Path

from . import __version__
from .artifact import METADATA_FILE, load_artifact, save_artifact, sha256_of
from .corpus import articles, load_corpus
from .evaluation import evaluate
from .inputs import ArticleInput
from .model import SENTIMENT_LABELS, STANCE_LABELS, PortrayalModel
from .scoring import Scorer, prepare
from .targets import MentionFinder, TargetRegistry

MODEL_NAME = "portrayal-stance"


def masked_sentences(finder: MentionFinder, records: list[dict]) -> list[str]:
    """The model's view of each record, prepared article by article so pronouns resolve across sentences."""
    by_id = {}
    for article_id, rows in articles(records).items():
        prepared = prepare(finder, ArticleInput(article_id, sentences=tuple(r["text"] for r in rows)))
        by_id.update({r["id"]: masked for r, masked in zip(rows, prepared.masked)})
    return [by_id[r["id"]] for r in records]


def fit_model(records: list[dict], registry: TargetRegistry, **params) -> PortrayalModel:
    """Fit the heads on `records` (all of them: choose the split before calling)."""
    masked = masked_sentences(MentionFinder(registry), records)
    model = PortrayalModel(target_ids=registry.ids, **params)
    return model.fit(masked, {t: [r[t] for r in records] for t in registry.ids}, [r["sentiment"] for r in records])


def train(corpus_path, registry_path, model_dir, params: dict | None = None, log=print) -> dict:
    """Train on the corpus's train split, evaluate on dev and test, write the model directory."""
    started = time.perf_counter()
    records = load_corpus(corpus_path)
    registry = TargetRegistry.from_file(registry_path)
    train_records = [r for r in records if r["split"] == "train"]
    log(f"training on {len(train_records)} sentences "
        f"({len({r['article'] for r in train_records})} articles) from {corpus_path}")
    model = fit_model(train_records, registry, **(params or {}))
    corpus_sha = sha256_of(corpus_path)
    metadata = {
        "name": MODEL_NAME,
        "version": f"{__version__}+data.{corpus_sha[:8]}",
        "labels": {"stance": list(STANCE_LABELS) + ["none"], "sentiment": list(SENTIMENT_LABELS)},
        "hyperparameters": {k: v for k, v in model.get_params().items() if k != "target_ids"},
        "data": {
            "corpus": {"path": str(corpus_path), "sha256": corpus_sha, "sentences": len(records),
                       "train_sentences": len(train_records)},
            "registry": {"path": str(registry_path), "sha256": sha256_of(registry_path)},
        },
    }
    save_artifact(model, registry, model_dir, metadata)
    log(f"fitted in {time.perf_counter() - started:.1f}s; evaluating on held-out splits")
    scorer = Scorer(load_artifact(model_dir))
    metrics = {split: evaluate(scorer, [r for r in records if r["split"] == split]) for split in ("dev", "test")}
    write_metrics(model_dir, metrics)
    for split, figures in metrics.items():
        log(format_headline(split, figures))
    log(f"model written to {model_dir} in {time.perf_counter() - started:.1f}s")
    return metrics


def write_metrics(model_dir, metrics: dict) -> None:
    """Add held-out metrics to metadata.json (the model file and its hash are untouched)."""
    path = Path(model_dir) / METADATA_FILE
    metadata = json.loads(path.read_text(encoding="utf-8"))
    metadata["metrics"] = metrics
    path.write_text(json.dumps(metadata, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def format_headline(split: str, figures: dict) -> str:
    parts = [f"{split}: {figures['sentences']} sentences"]
    for target_id, t in figures["targets"].items():
        parts.append(f"{target_id} macro-F1 {t['macro_f1']:.3f} F_avg {t['f_avg']:.3f} mention-F1 {t['mention']['f1']:.3f}")
    parts.append(f"sentiment macro-F1 {figures['sentiment']['macro_f1']:.3f}")
    return " | ".join(parts)
