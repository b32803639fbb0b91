"""The annotated corpus: loading, schema checks, and articles in reading order."""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path

from .errors import InputError

TARGET_LABELS = ("favor", "against", "neutral", "none")
SENTIMENT_VALUES = ("positive", "negative", "neutral")
SPLITS = ("train", "dev", "test")
REQUIRED_FIELDS = ("id", "article", "position", "text", "lang", "genre", "musk", "altman", "sentiment", "split")
# Share of articles in each split; the split is a pure function of the article id.
SPLIT_SHARES = (("train", 0.8), ("dev", 0.1), ("test", 0.1))


def read_jsonl(path: str | Path) -> list[dict]:
    records = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as error:
                    raise InputError(f"{path}:{number}: not JSON ({error.msg})") from error
    return records


def write_jsonl(path: str | Path, records) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def split_of(article_id: str) -> str:
    """The article's split, stable for a given id (train 80%, dev 10%, test 10%)."""
    fraction = int(hashlib.sha256(article_id.encode("utf-8")).hexdigest()[:8], 16) / 16**8
    cumulative = 0.0
    for split, share in SPLIT_SHARES:
        cumulative += share
        if fraction < cumulative:
            return split
    return SPLITS[-1]


def schema_problems(records: list[dict], target_ids=("musk", "altman")) -> list[str]:
    """Every violation of the annotation schema; an empty list means the corpus is well-formed."""
    problems = []
    seen_ids = set()
    positions = defaultdict(list)
    for number, record in enumerate(records, 1):
        missing = [field for field in REQUIRED_FIELDS if field not in record]
        if missing:
            problems.append(f"record {number}: missing {', '.join(missing)}")
            continue
        if record["id"] in seen_ids:
            problems.append(f"record {number}: duplicate id {record['id']}")
        seen_ids.add(record["id"])
        for target_id in target_ids:
            if record[target_id] not in TARGET_LABELS:
                problems.append(f"{record['id']}: {target_id}={record[target_id]!r}")
        if record["sentiment"] not in SENTIMENT_VALUES:
            problems.append(f"{record['id']}: sentiment={record['sentiment']!r}")
        if record["split"] not in SPLITS or record["split"] != split_of(record["article"]):
            problems.append(f"{record['id']}: split {record['split']!r} is not the article's split")
        if not isinstance(record["text"], str) or not record["text"].strip():
            problems.append(f"{record['id']}: empty text")
        positions[record["article"]].append(record["position"])
    for article, found in positions.items():
        if found != list(range(len(found))):
            problems.append(f"article {article}: positions are not 0..{len(found) - 1} in order")
    return problems


def load_corpus(path: str | Path) -> list[dict]:
    """Read and check the corpus; raises InputError listing the first problems."""
    records = read_jsonl(path)
    problems = schema_problems(records)
    if problems:
        raise InputError(f"{path}: {len(problems)} schema problem(s): " + "; ".join(problems[:5]))
    return records


def articles(records: list[dict]) -> dict[str, list[dict]]:
    """Records grouped by article, in position order, articles in first-seen order."""
    grouped: dict[str, list[dict]] = {}
    for record in records:
        grouped.setdefault(record["article"], []).append(record)
    for sentences in grouped.values():
        sentences.sort(key=lambda r: r["position"])
    return grouped
