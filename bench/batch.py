"""make bench-batch: score a generated archive of 100,000 articles on Dask with 1 worker, then 2.

Articles are windows of 6 to 20 consecutive sentences of the corpus's articles (briefs to
long reads). Prints articles/s per worker count, the scaling efficiency and memory per worker.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
from pathlib import Path

import psutil
from distributed import Client, LocalCluster

from portrayal.batch import run_batch
from portrayal.corpus import articles, read_jsonl


def build_archive(corpus_path: str, path: Path, count: int, seed: int = 0) -> int:
    """Write `count` articles as JSON Lines; returns the number of sentences."""
    rng = random.Random(seed)
    sources = [[r["text"] for r in rows] for rows in articles(read_jsonl(corpus_path)).values()]
    sentences = 0
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(count):
            source = rng.choice(sources)
            length = min(len(source), rng.randint(6, 20))
            start = rng.randint(0, len(source) - length)
            sentences += length
            handle.write(json.dumps({"id": f"bench-{i}", "text": "\n".join(source[start:start + length])},
                                    ensure_ascii=False) + "\n")
    return sentences


def _worker_rss() -> int:
    return psutil.Process().memory_info().rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--model", default="models/default")
    parser.add_argument("--corpus", default="data/corpus.jsonl")
    parser.add_argument("--partition-size", type=int, default=2000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        archive = work / "archive.jsonl"
        sentences = build_archive(args.corpus, archive, args.articles)
        print(f"archive: {args.articles} articles, {sentences} sentences, {archive.stat().st_size / 1e6:.0f} MB")
        rows = []
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              dashboard_address="127.0.0.1:0") as cluster, Client(cluster) as client:
                started = time.perf_counter()
                summary = run_batch(str(archive), str(work / f"out-{workers}"), args.model,
                                    partition_size=args.partition_size, client=client, log=lambda m: None)
                seconds = time.perf_counter() - started
                memory = max(client.run(_worker_rss).values()) / 2**20
            assert summary["articles"] == args.articles, summary
            rows.append((workers, summary["articles"] / seconds, summary["sentences"] / seconds, seconds, memory))
        base = rows[0][1]
        print(f"{'workers':>7} {'articles/s':>11} {'sentences/s':>12} {'seconds':>8} {'efficiency':>10} {'MB/worker':>10}")
        for workers, rate, sentence_rate, seconds, memory in rows:
            print(f"{workers:>7} {rate:>11.0f} {sentence_rate:>12.0f} {seconds:>8.1f} "
                  f"{rate / (base * workers):>10.0%} {memory:>10.0f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
