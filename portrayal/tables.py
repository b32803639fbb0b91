"""Flat tables of scoring results for Parquet: one row per sentence and target, one per article."""
from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq

from .model import SENTIMENT_LABELS, STANCE_LABELS

TARGET_IDS = ("musk", "altman")

SENTENCE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("source_file", pa.string()), ("source_line", pa.int64()),
    ("sentence_index", pa.int32()), ("start", pa.int32()), ("end", pa.int32()), ("text", pa.string()),
    ("target", pa.string()), ("stance", pa.string()),
    *[(f"proba_{label}", pa.float32()) for label in STANCE_LABELS],
    ("mentions", pa.string()),
    ("sentiment", pa.string()), *[(f"sentiment_{label}", pa.float32()) for label in SENTIMENT_LABELS],
])

ARTICLE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("source_file", pa.string()), ("source_line", pa.int64()),
    ("lang", pa.string()), ("sentences", pa.int32()), ("model_version", pa.string()), ("model_sha256", pa.string()),
    *[field for t in TARGET_IDS for field in (
        (f"{t}_stance", pa.string()), (f"{t}_score", pa.float32()), (f"{t}_sentences", pa.int32()),
        *[(f"{t}_{label}", pa.int32()) for label in STANCE_LABELS])],
    ("sentiment", pa.string()), ("sentiment_score", pa.float32()),
])
SCHEMAS = {"sentences": SENTENCE_SCHEMA, "articles": ARTICLE_SCHEMA}


def _article_id(result: dict) -> str | None:
    return None if result["id"] is None else str(result["id"])


def sentence_rows(result: dict, source_file: str, source_line: int) -> list[dict]:
    rows = []
    for sentence in result["sentences"]:
        sentiment = sentence["sentiment"]
        for target, judged in sentence["targets"].items():
            proba = judged["proba"] or {}
            rows.append({
                "article_id": _article_id(result), "source_file": source_file, "source_line": source_line,
                "sentence_index": sentence["index"], "start": sentence["start"], "end": sentence["end"],
                "text": sentence["text"], "target": target, "stance": judged["stance"],
                **{f"proba_{label}": proba.get(label) for label in STANCE_LABELS},
                "mentions": json.dumps(judged["mentions"], ensure_ascii=False),
                "sentiment": sentiment["label"],
                **{f"sentiment_{label}": sentiment["proba"][label] for label in SENTIMENT_LABELS},
            })
    return rows


def article_row(result: dict, source_file: str, source_line: int) -> dict:
    summary = result["summary"]
    row = {"article_id": _article_id(result), "source_file": source_file, "source_line": source_line,
           "lang": result["lang"], "sentences": len(result["sentences"]),
           "model_version": result["model"]["version"], "model_sha256": result["model"]["sha256"],
           "sentiment": summary["sentiment"]["label"], "sentiment_score": summary["sentiment"]["score"]}
    for target in TARGET_IDS:
        figures = summary[target]
        row.update({f"{target}_stance": figures["stance"], f"{target}_score": figures["score"],
                    f"{target}_sentences": figures["sentences"],
                    **{f"{target}_{label}": figures["counts"][label] for label in STANCE_LABELS}})
    return row


def write_parquet(rows: list[dict], path, table: str) -> None:
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[table]), path)
