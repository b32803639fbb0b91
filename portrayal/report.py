"""The evaluation report: reports/eval.md with confusion matrices as PNG plots."""
from __future__ import annotations

from pathlib import Path

from .references.evaluation import (CHALLENGE_PRECISION_FLOOR, CHALLENGE_RECALL_FLOOR, MENTION_F1_FLOOR,
                                    PHENOMENON_FLOOR, challenge_verdict)


def _plot_confusion(confusion: dict, title: str, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    labels, matrix = confusion["labels"], confusion["matrix"]
    figure, axes = plt.subplots(figsize=(4.2, 3.6), dpi=110)
    image = axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(labels)), labels, rotation=30)
    axes.set_yticks(range(len(labels)), labels)
    axes.set_xlabel("predicted")
    axes.set_ylabel("gold")
    axes.set_title(title, fontsize=10)
    peak = max((max(row) for row in matrix), default=0)
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            axes.text(j, i, value, ha="center", va="center", color="white" if value > peak / 2 else "black")
    figure.colorbar(image, ax=axes, fraction=0.046)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def _per_class_table(per_class: dict) -> list[str]:
    lines = ["| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    lines += [f"| {label} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | {v['support']} |"
              for label, v in per_class.items()]
    return lines


def _rate(value) -> str:
    return "" if value is None else f"{value:.3f}"


def _references_section(metrics: dict) -> list[str]:
    """Who is referred to: precision and recall of "referred" per set and target, the challenge set by
    phenomenon, and the targets set for reference resolution, met or missed."""
    lines = ["## Who is referred to", "",
             "A sentence refers to a target when its `stance` is not `none`; precision and recall of that decision "
             "per target, on whole articles (passages for the challenge set).", "",
             "| set | target | sentences | referred | precision | recall | F1 |", "|---|---|---|---|---|---|---|"]
    checks = []
    for split, figures in metrics.items():
        for target, f in figures["references"]["targets"].items():
            lines.append(f"| {split} | {target} | {f['pairs']} | {f['referred']} | {_rate(f['precision'])} | "
                         f"{_rate(f['recall'])} | {_rate(f['f1'])} |")
            if split != "challenge":
                met = (f["f1"] or 0) >= MENTION_F1_FLOOR
                checks.append(f"- {'met' if met else 'missed'}: {split} {target} mention F1 {_rate(f['f1'])} "
                              f"(target {MENTION_F1_FLOOR})")
    lines.append("")
    challenge = metrics.get("challenge")
    if challenge:
        lines += [f"### Challenge set by phenomenon ({challenge['sentences']} sentences, {challenge['passages']} "
                  "passages, never trained on)", "",
                  "Each sentence is tagged with the phenomenon it tests (`context` only sets the scene); figures "
                  "pool both targets. A positive phenomenon is held to its recall and precision; a negative one "
                  "(company possessives, impersonal *il*, other persons, companies alone, unattributed quotes), "
                  "where the trap is to see a target who is not there, to its accuracy.", "",
                  "| phenomenon | sentence-target pairs | referred | precision | recall | accuracy |",
                  "|---|---|---|---|---|---|"]
        for name, f in challenge["references"]["phenomena"].items():
            lines.append(f"| {name} | {f['pairs']} | {f['referred']} | {_rate(f['precision'])} | {_rate(f['recall'])} "
                         f"| {_rate(f['accuracy'])} |")
        lines.append("")
        misses = challenge_verdict(challenge["references"])
        checks.append(f"- {'met' if not misses else 'missed'}: challenge set, recall >= {CHALLENGE_RECALL_FLOOR} and "
                      f"precision >= {CHALLENGE_PRECISION_FLOOR} per target, no phenomenon under {PHENOMENON_FLOOR}"
                      + ("" if not misses else ": " + "; ".join(misses)))
    return lines + ["### Targets", ""] + checks + [""]


def write_report(metrics: dict, metadata: dict, out_dir: str | Path) -> Path:
    """Write eval.md and the confusion-matrix PNGs for each held-out split into `out_dir`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = ["# Evaluation report", "",
             f"Model `{metadata['name']}` version `{metadata['version']}` (sha256 `{metadata['sha256'][:12]}…`), "
             f"trained on {metadata['data']['corpus']['train_sentences']} sentences of the train split; "
             "figures on the held-out dev and test splits (split by article). Written by `make eval`.", "",
             "Stance macro-F1 is over the four labels favor / against / neutral / none, so it counts mention "
             "detection too; F_avg is the mean F1 of favor and against.", ""]
    lines += _references_section(metrics)
    for split, figures in metrics.items():
        if "targets" not in figures:
            continue
        lines += [f"## {split} ({figures['sentences']} sentences, {figures['articles']} articles)", "",
                  "| head | macro-F1 | F_avg | accuracy | mention P | mention R | mention F1 |",
                  "|---|---|---|---|---|---|---|"]
        for target_id, t in figures["targets"].items():
            m = t["mention"]
            lines.append(f"| {target_id} | {t['macro_f1']:.3f} | {t['f_avg']:.3f} | {t['accuracy']:.3f} | "
                         f"{m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} |")
        s = figures["sentiment"]
        lines += [f"| sentiment | {s['macro_f1']:.3f} | | {s['accuracy']:.3f} | | | |", ""]
        lines += ["### By language", "", "| language | sentences | " + " | ".join(
            f"{t} macro-F1 | {t} F_avg" for t in figures["targets"]) + " | sentiment macro-F1 |",
            "|---|---|" + "---|---|" * len(figures["targets"]) + "---|"]
        for lang, v in figures["by_language"].items():
            cells = " | ".join(f"{v[f'{t}_macro_f1']:.3f} | {v[f'{t}_f_avg']:.3f}" for t in figures["targets"])
            lines.append(f"| {lang} | {v['sentences']} | {cells} | {v['sentiment_macro_f1']:.3f} |")
        lines.append("")
        for head, h in [*figures["targets"].items(), ("sentiment", s)]:
            picture = f"confusion_{split}_{head}.png"
            _plot_confusion(h["confusion"], f"{head} ({split})", out_dir / picture)
            lines += [f"### {head}", "", *_per_class_table(h["per_class"]), "", f"![{head} confusion]({picture})", ""]
        lines += ["### Most confident errors", "", "| id | target | gold | predicted | confidence | sentence |",
                  "|---|---|---|---|---|---|"]
        for e in figures["worst_errors"]:
            text = e["text"].replace("|", "\\|")
            lines.append(f"| {e['id']} | {e['target']} | {e['gold']} | {e['predicted']} | {e['confidence']:.2f} | {text} |")
        lines.append("")
    lines += ["## Generic head: targets with no training data of their own", "",
              "Registry targets the corpus has no labels for are scored by the target-conditioned head "
              "(`portrayal/conditioned.py`), trained on every labelled target's sentences. Stance macro-F1 "
              "over favor / against / neutral on the sentences that refer to each target (where it is found): "
              "the target's own head, the generic head, and a generic head trained without that target.", "",
              "| split | target | sentences | own head | generic head | generic, trained without the target |",
              "|---|---|---|---|---|---|"]
    for split, figures in metrics.items():
        for target_id, row in figures.get("generic_head", {}).items():
            unseen = f"{row['generic_without_target']:.3f}" if "generic_without_target" in row else ""
            lines.append(f"| {split} | {target_id} | {row['pairs']} | {row['own_head']:.3f} | "
                         f"{row['generic_head']:.3f} | {unseen} |")
    lines.append("")
    path = out_dir / "eval.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
