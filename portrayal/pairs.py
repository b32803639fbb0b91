"""The corpus read as (sentence, target) pairs, for the target-conditioned generic head."""
from __future__ import annotations

from .conditioned import example_from_mentions
from .corpus import articles
from .inputs import ArticleInput
from .model import NONE
from .scoring import prepare
from .references import ReferenceFinder
from .segment import Sentence


def prepared_records(finder: ReferenceFinder, records: list[dict], masked_targets) -> list[tuple[str, Sentence, dict]]:
    """(masked text, sentence, mentions) per record, prepared article by article so pronouns resolve."""
    by_id = {}
    for article_id, rows in articles(records).items():
        article = ArticleInput(article_id, sentences=tuple(r["text"] for r in rows))
        prepared = prepare(finder, article, masked_targets)
        by_id.update({r["id"]: parts for r, parts in zip(rows, zip(prepared.masked, prepared.sentences,
                                                                    prepared.mentions))})
    return [by_id[r["id"]] for r in records]


def target_examples(prepared, records: list[dict], target_ids) -> tuple[list[dict], list[str]]:
    """The generic head's training pairs: every sentence that refers to a target, read for that target."""
    examples, labels = [], []
    for (_, sentence, mentions), record in zip(prepared, records):
        for target_id in target_ids:
            if record[target_id] != NONE and target_id in mentions:
                examples.append(example_from_mentions(sentence, mentions, target_id))
                labels.append(record[target_id])
    return examples, labels
