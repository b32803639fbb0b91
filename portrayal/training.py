"""Fitting a model from the corpus and writing the artifact with its held-out figures."""
from __future__ import annotations

import json
import time
from pathlib import Path

from threadpoolctl import threadpool_limits

from . import __version__
from .artifact import METADATA_FILE, load_artifact, save_artifact, sha256_of
from .corpus import load_corpus, read_jsonl
from .evaluation import evaluate, generic_head_figures
from .model import SENTIMENT_LABELS, STANCE_LABELS, PortrayalModel
from .pairs import prepared_records, target_examples
from .references import ReferenceFinder, TargetRegistry
from .references.decision import fit_decision
from .references.evaluation import found_references, reference_figures
from .scoring import Scorer

MODEL_NAME = "portrayal-stance"


def fit_model(records: list[dict], registry: TargetRegistry, held_out: list[dict] | None = None,
              **params) -> PortrayalModel:
    """Fit the reference decision and the heads on `records` (all of them: choose the split before calling).

    The decision's threshold is chosen on `held_out` (the dev split) when given. Targets the corpus
    labels get a head of their own; the generic head learns from all their sentences and scores
    the registry's other targets.

    The fit runs on one thread: BLAS and scikit-learn's OpenMP loops add up partial sums in an
    order that depends on their thread count, which would change the last bits of the weights
    (and the model's sha256) with the number of cores.
    """
    labelled = tuple(t for t in registry.ids if records and all(t in r for r in records))
    model = PortrayalModel(target_ids=labelled, **params)
    with threadpool_limits(limits=1):
        decision = fit_decision(ReferenceFinder(registry), records, labelled, held_out, C=model.reference_C,
                                random_state=model.random_state)
        prepared = prepared_records(ReferenceFinder(registry, decision), records, labelled)
        examples = target_examples(prepared, records, labelled)
        return model.fit([masked for masked, _, _ in prepared], {t: [r[t] for r in records] for t in labelled},
                         [r["sentiment"] for r in records], target_examples=examples, reference_decision=decision)


def train(corpus_path, registry_path, model_dir, params: dict | None = None, log=print, transfer: bool = False,
          challenge_path=None, real_dev_path=None) -> dict:
    """Train on the corpus's train split, evaluate on dev and test, write the model directory.

    `transfer` also measures a generic head fitted without each target (for `make eval`: two more fits).
    `challenge_path` (the challenge set) and `real_dev_path` (real articles, read where they are, never
    trained on) add their figures, when the files exist.
    """
    started = time.perf_counter()
    records = load_corpus(corpus_path)
    registry = TargetRegistry.from_file(registry_path)
    train_records = [r for r in records if r["split"] == "train"]
    log(f"training on {len(train_records)} sentences "
        f"({len({r['article'] for r in train_records})} articles) from {corpus_path}")
    dev_records = [r for r in records if r["split"] == "dev"]
    model = fit_model(train_records, registry, held_out=dev_records, **(params or {}))
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
    labelled = tuple(scorer.model.stance_heads_)
    metrics = {}
    for split in ("dev", "test"):
        held_out = [r for r in records if r["split"] == split]
        metrics[split] = evaluate(scorer, held_out)
        metrics[split]["references"] = reference_figures(found_references(scorer.finder, held_out), labelled)
        metrics[split]["generic_head"] = generic_head_figures(scorer, held_out, train_records if transfer else None)
    if real_dev_path and Path(real_dev_path).is_file():
        real = read_jsonl(real_dev_path)
        metrics["real-dev"] = evaluate(scorer, real)
        metrics["real-dev"]["references"] = reference_figures(found_references(scorer.finder, real), labelled)
    if challenge_path and Path(challenge_path).is_file():
        challenge = read_jsonl(challenge_path)
        metrics["challenge"] = {"sentences": len(challenge), "passages": len({r["passage"] for r in challenge}),
                                "references": reference_figures(found_references(scorer.finder, challenge, "passage"),
                                                                labelled, by_phenomenon=True)}
    write_metrics(model_dir, metrics)
    for split, figures in metrics.items():
        if "targets" in figures:
            log(format_headline(split, figures))
        if "generic_head" in figures:
            log(format_generic(split, figures["generic_head"]))
        log(format_references(split, figures["references"]))
    log(f"model written to {model_dir} in {time.perf_counter() - started:.1f}s")
    return metrics


def write_metrics(model_dir, metrics: dict) -> None:
    """Add held-out metrics to metadata.json (the model file and its hash are untouched)."""
    path = Path(model_dir) / METADATA_FILE
    metadata = json.loads(path.read_text(encoding="utf-8"))
    metadata["metrics"] = metrics
    path.write_text(json.dumps(metadata, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def format_generic(split: str, figures: dict) -> str:
    parts = [f"{split} stance macro-F1 on referred sentences, own head vs generic head"]
    for target_id, row in figures.items():
        unseen = f" (trained without {target_id}: {row['generic_without_target']:.3f})" if "generic_without_target" in row else ""
        parts.append(f"{target_id} {row['own_head']:.3f} vs {row['generic_head']:.3f}{unseen}")
    return " | ".join(parts)


def format_references(split: str, figures: dict) -> str:
    parts = [f"{split} referred (precision / recall / F1)"]
    for target_id, f in figures["targets"].items():
        parts.append(f"{target_id} {_figure(f['precision'])} / {_figure(f['recall'])} / {_figure(f['f1'])}")
    return " | ".join(parts)


def _figure(value) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def format_headline(split: str, figures: dict) -> str:
    parts = [f"{split}: {figures['sentences']} sentences"]
    for target_id, t in figures["targets"].items():
        parts.append(f"{target_id} macro-F1 {t['macro_f1']:.3f} F_avg {t['f_avg']:.3f} mention-F1 {t['mention']['f1']:.3f}")
    parts.append(f"sentiment macro-F1 {figures['sentiment']['macro_f1']:.3f}")
    return " | ".join(parts)
