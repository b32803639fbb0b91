"""How well references are found: precision and recall of "referred", per target and per phenomenon.

Scored on whole articles (or the challenge set's passages), sentence lists as given, so that
quotes, pronouns and pairs resolve across sentences as they would in the service. The targets
the issue set for the finder are checked here, so that `make eval` says which are met.
"""
from __future__ import annotations

from collections import defaultdict

from ..corpus import articles
from ..segment import sentences_from_list

# What reference resolution must reach (held-out sets and the challenge set).
MENTION_F1_FLOOR = 0.95
CHALLENGE_RECALL_FLOOR, CHALLENGE_PRECISION_FLOOR, PHENOMENON_FLOOR = 0.92, 0.95, 0.85
CONTEXT = "context"  # the challenge set's tag for sentences that only set the scene
# The challenge set's phenomena: how a sentence refers to a target without naming it ...
POSITIVE_PHENOMENA = frozenset({"quote_span", "quote_speaker_before", "reported_speech", "quote_about", "addressee",
                                "group", "former_latter", "role", "relational", "salience_pronoun"})
# ... and where the trap is to see a target who is not there: what counts is how rarely that happens.
NEGATIVE_PHENOMENA = frozenset({"company_possessive", "impersonal_il", "third_person", "company_only",
                                "unattributed_quote"})


def found_references(finder, records: list[dict], group: str = "article") -> list[tuple[dict, dict]]:
    """(record, {target: Reference}) for each record, its passage or article read as a whole."""
    keyed = [dict(r, article=r[group]) for r in records]
    pairs = []
    for rows in articles(keyed).values():
        found = finder.find(sentences_from_list([r["text"] for r in rows]))
        pairs.extend(zip(rows, found.references))
    return pairs


def _rates(outcomes: list[tuple[bool, bool]]) -> dict:
    """Precision, recall and F1 of "referred" (None where undefined), and accuracy, over (gold, found) pairs."""
    tp = sum(g and f for g, f in outcomes)
    fp = sum(f and not g for g, f in outcomes)
    fn = sum(g and not f for g, f in outcomes)
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
    accuracy = sum(g == f for g, f in outcomes) / len(outcomes) if outcomes else None
    return {"pairs": len(outcomes), "referred": tp + fn, "precision": _round(precision), "recall": _round(recall),
            "f1": _round(f1), "accuracy": _round(accuracy)}


def reference_figures(pairs, target_ids, by_phenomenon: bool = False) -> dict:
    """Per target (and all targets pooled), and per phenomenon when the records are tagged with one."""
    outcomes = {t: [(r[t] != "none", refs[t].referred) for r, refs in pairs] for t in target_ids}
    figures = {"targets": {t: _rates(o) for t, o in outcomes.items()},
               "all": _rates([o for t in target_ids for o in outcomes[t]])}
    if by_phenomenon:
        tagged = defaultdict(list)
        for record, refs in pairs:
            for t in target_ids:
                tagged[record["phenomenon"]].append((record[t] != "none", refs[t].referred))
        figures["phenomena"] = {name: _rates(o) for name, o in sorted(tagged.items())}
    return figures


def challenge_verdict(figures: dict) -> list[str]:
    """What misses the challenge set's targets, one line each (empty when all are met)."""
    misses = []
    for target, f in figures["targets"].items():
        if (f["recall"] or 0) < CHALLENGE_RECALL_FLOOR:
            misses.append(f"{target}: recall {f['recall']} < {CHALLENGE_RECALL_FLOOR}")
        if (f["precision"] or 0) < CHALLENGE_PRECISION_FLOOR:
            misses.append(f"{target}: precision {f['precision']} < {CHALLENGE_PRECISION_FLOOR}")
    for name, f in figures.get("phenomena", {}).items():
        if name == CONTEXT:
            continue
        measures = ("accuracy",) if name in NEGATIVE_PHENOMENA else ("recall", "precision")
        for measure in measures:
            if f[measure] is not None and f[measure] < PHENOMENON_FLOOR:
                misses.append(f"{name}: {measure} {f[measure]} < {PHENOMENON_FLOOR}")
    return misses


def _round(value):
    return None if value is None else round(value, 4)
