"""Batch scoring of article archives on Dask (dask.distributed).

The driver cuts the input into deterministic partitions; each Dask task scores one
partition with the same `Scorer.score_many` the service uses and writes its outputs under
temporary names, renamed into place when complete, then a done marker. Re-running the same
command skips partitions that have a marker, so a crash loses nothing and doubles nothing.
"""
from __future__ import annotations

import glob
import gzip
import json
import os
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .artifact import read_metadata
from .errors import InputError, PortrayalError
from .inputs import parse_article

DEFAULT_PARTITION_SIZE = 2_000  # articles per partition: a few seconds of work per task
SCORE_CHUNK = 64                 # articles scored in one model pass inside a task
MANIFEST = "_batch.json"
INPUT_SUFFIXES = (".jsonl", ".jsonl.gz", ".json.gz", ".ndjson", ".parquet")


@dataclass(frozen=True)
class Partition:
    """A slice of one input file: lines [first_line, first_line + lines) or one Parquet row group."""

    index: int
    path: str
    first_line: int          # 1-based line number (JSON Lines) or first row (Parquet)
    lines: int
    byte_offset: int = -1    # where the slice starts in a plain JSON Lines file
    row_group: int = -1      # Parquet row group

    @property
    def name(self) -> str:
        return f"part-{self.index:05d}"


def input_files(pattern: str) -> list[str]:
    """The files a path, a directory or a glob names, sorted; raises InputError if there are none."""
    if os.path.isdir(pattern):
        files = [str(p) for p in sorted(Path(pattern).iterdir()) if p.name.endswith(INPUT_SUFFIXES)]
    else:
        files = sorted(glob.glob(pattern))
    if not files:
        raise InputError(f"no input files match {pattern!r}", "input")
    unknown = [f for f in files if not f.endswith(INPUT_SUFFIXES)]
    if unknown:
        raise InputError(f"{unknown[0]}: expected one of {', '.join(INPUT_SUFFIXES)}", "input")
    return files


def plan_partitions(files: list[str], partition_size: int = DEFAULT_PARTITION_SIZE) -> list[Partition]:
    """Cut every file into partitions, always the same way for the same files and size."""
    partitions: list[Partition] = []
    for path in files:
        if path.endswith(".parquet"):
            import pyarrow.parquet as pq
            metadata = pq.ParquetFile(path).metadata
            first = 0
            for group in range(metadata.num_row_groups):
                rows = metadata.row_group(group).num_rows
                partitions.append(Partition(len(partitions), path, first, rows, row_group=group))
                first += rows
            continue
        compressed = path.endswith(".gz")
        with (gzip.open(path, "rb") if compressed else open(path, "rb")) as handle:
            line, offset, start_line, start_offset = 0, 0, 1, 0
            for raw in handle:
                line += 1
                offset += len(raw)
                if line - start_line + 1 == partition_size:
                    partitions.append(Partition(len(partitions), path, start_line, partition_size,
                                                -1 if compressed else start_offset))
                    start_line, start_offset = line + 1, offset
            if line >= start_line:
                partitions.append(Partition(len(partitions), path, start_line, line - start_line + 1,
                                            -1 if compressed else start_offset))
    return partitions


def read_partition(partition: Partition):
    """(line number, record or error message) for each non-blank line or row of the partition."""
    if partition.row_group >= 0:
        import pyarrow.parquet as pq
        table = pq.ParquetFile(partition.path).read_row_group(partition.row_group)
        for i, row in enumerate(table.to_pylist()):
            yield partition.first_line + i, {k: v for k, v in row.items() if v is not None}
        return
    if partition.byte_offset >= 0:
        handle = open(partition.path, "rb")
        handle.seek(partition.byte_offset)
        skip = 0
    else:
        handle = gzip.open(partition.path, "rb")
        skip = partition.first_line - 1
    with handle:
        for _ in range(skip):
            handle.readline()
        for i in range(partition.lines):
            raw = handle.readline()
            if not raw.strip():
                continue
            try:
                yield partition.first_line + i, json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                yield partition.first_line + i, "not UTF-8"
            except json.JSONDecodeError as error:
                yield partition.first_line + i, f"not JSON: {error.msg}"


@lru_cache(maxsize=2)
def _scorer(model_dir: str):
    """One model per worker process, loaded on its first task (never shipped with tasks)."""
    from .scoring import Scorer
    return Scorer.from_dir(model_dir)


def _atomic_write(path: Path, write) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    write(temporary)
    os.replace(temporary, path)


def score_partition(partition: Partition, model_dir: str, output_dir: str) -> dict:
    """Score one partition and write its sentences, articles and errors; returns its counts."""
    from .tables import article_row, sentence_rows, write_parquet
    scorer = _scorer(model_dir)
    output = Path(output_dir)
    sentences, articles, errors = [], [], []
    pending: list[tuple[int, object]] = []
    scored_sentences = 0

    def flush():
        nonlocal scored_sentences
        for (line, _), result in zip(pending, scorer.score_many([a for _, a in pending])):
            sentences.extend(sentence_rows(result, partition.path, line))
            articles.append(article_row(result, partition.path, line))
            scored_sentences += len(result["sentences"])
        pending.clear()

    for line, record in read_partition(partition):
        try:
            if isinstance(record, str):
                raise InputError(record)
            pending.append((line, parse_article(record)))
        except PortrayalError as error:
            errors.append({"file": partition.path, "line": line, "reason": str(error),
                           "field": getattr(error, "field", None)})
        if len(pending) >= SCORE_CHUNK:
            flush()
    flush()
    name = partition.name
    _atomic_write(output / "sentences" / f"{name}.parquet", lambda p: write_parquet(sentences, p, "sentences"))
    _atomic_write(output / "articles" / f"{name}.parquet", lambda p: write_parquet(articles, p, "articles"))
    _atomic_write(output / "errors" / f"{name}.jsonl",
                  lambda p: p.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors)))
    counts = {"partition": partition.index, "articles": len(articles), "sentences": scored_sentences,
              "errors": len(errors)}
    _atomic_write(output / "_done" / f"{name}.json", lambda p: p.write_text(json.dumps(counts)))
    return counts


def _check_manifest(output: Path, manifest: dict) -> None:
    """Refuse to mix the results of another model, input or partitioning in one output directory."""
    path = output / MANIFEST
    if path.exists():
        previous = json.loads(path.read_text())
        if previous != manifest:
            changed = [key for key in manifest if previous.get(key) != manifest[key]]
            raise InputError(f"{output} holds results of another run (different {', '.join(changed)}); "
                             "use a new --output directory", "output")
    else:
        _atomic_write(path, lambda p: p.write_text(json.dumps(manifest, indent=2)))


def run_batch(input_pattern: str, output_dir: str, model_dir: str, scheduler: str | None = None,
              workers: int = 2, partition_size: int = DEFAULT_PARTITION_SIZE, log=print, client=None) -> dict:
    """Score every article the input names into `output_dir` on a Dask cluster; resumable.

    The cluster is `client`'s if given, else the scheduler at `scheduler`, else a local
    cluster of `workers` processes started and closed here.
    """
    from distributed import Client, LocalCluster

    started = time.perf_counter()
    model_dir = str(Path(model_dir).resolve())
    metadata = read_metadata(model_dir)
    files = [str(Path(f).resolve()) for f in input_files(input_pattern)]
    partitions = plan_partitions(files, partition_size)
    output = Path(output_dir).resolve()
    for folder in ("sentences", "articles", "errors", "_done"):
        (output / folder).mkdir(parents=True, exist_ok=True)
    _check_manifest(output, {"model_sha256": metadata["sha256"], "inputs": files,
                             "partition_size": partition_size, "partitions": len(partitions)})
    todo = [p for p in partitions if not (output / "_done" / f"{p.name}.json").exists()]
    log(f"{len(partitions)} partitions in {len(files)} file(s); {len(partitions) - len(todo)} already done, "
        f"{len(todo)} to score")
    if todo and client is not None:
        _run_on(client, todo, model_dir, output, log)
    elif todo:
        cluster = None if scheduler else LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                      dashboard_address="127.0.0.1:0")
        with Client(scheduler or cluster) as own_client:
            _run_on(own_client, todo, model_dir, output, log)
        if cluster is not None:
            cluster.close()
    summary = _summary(output, len(partitions), len(partitions) - len(todo), time.perf_counter() - started)
    log(json.dumps(summary))
    return summary


def _run_on(client, todo: list[Partition], model_dir: str, output: Path, log) -> None:
    from distributed import progress, wait
    log(f"Dask dashboard: {client.dashboard_link}")
    futures = client.map(score_partition, todo, model_dir=model_dir, output_dir=str(output), pure=False, retries=2)
    if sys.stdout.isatty():
        progress(futures)  # a console bar; the dashboard's progress page shows the same tasks
    else:
        wait(futures)
    client.gather(futures)


def _summary(output: Path, partitions: int, skipped: int, seconds: float) -> dict:
    done = [json.loads(p.read_text()) for p in sorted((output / "_done").glob("part-*.json"))]
    totals = {key: sum(d[key] for d in done) for key in ("articles", "sentences", "errors")}
    return {"partitions": partitions, "skipped": skipped, "completed": len(done), **totals,
            "seconds": round(seconds, 2), "output": str(output)}
