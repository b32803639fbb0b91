"""Batch scoring on Dask: every article exactly once, resumable after a crash, bad records kept aside."""
import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from portrayal.corpus import articles

from .support import free_port

BIN = Path(sys.executable).parent


def write_archive(path: Path, corpus, count: int, extra_lines=()):
    """`count` articles rebuilt from the corpus (ids a-0 … a-{count-1}), then `extra_lines` as given."""
    texts = ["\n".join(r["text"] for r in rows) for rows in articles(corpus).values()]
    lines = [json.dumps({"id": f"a-{i}", "text": texts[i % len(texts)]}, ensure_ascii=False) for i in range(count)]
    lines += list(extra_lines)
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)


def batch(*args, **popen):
    return subprocess.Popen([str(BIN / "stance"), "batch", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True, **popen)


def finished(process, timeout=240):
    output, _ = process.communicate(timeout=timeout)
    return process.returncode, output


def article_ids(output: Path) -> list:
    return pq.read_table(output / "articles", columns=["article_id"]).column("article_id").to_pylist()


def wait_for(condition, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail("timed out")


def test_scores_every_article_like_the_service_and_sets_bad_records_aside(tmp_path, corpus, model_dir, scorer):
    archive = tmp_path / "in.jsonl"
    write_archive(archive, corpus, 40, extra_lines=["not json", json.dumps({"id": "x", "text": 3}), "",
                                                    json.dumps({"id": "last", "sentences": ["Musk a parlé."]})])
    code, output = finished(batch("--input", archive, "--output", tmp_path / "out", "--model", model_dir,
                                  "--partition-size", 15, "--workers", 2))
    assert code == 1, output  # some records could not be scored
    summary = json.loads(output.strip().splitlines()[-1])
    assert summary["articles"] == 41 and summary["errors"] == 2 and summary["partitions"] == 3
    assert sorted(article_ids(tmp_path / "out")) == sorted([f"a-{i}" for i in range(40)] + ["last"])
    errors = [json.loads(line) for f in sorted((tmp_path / "out" / "errors").glob("*.jsonl"))
              for line in f.read_text().splitlines()]
    assert [(e["line"], e["field"]) for e in errors] == [(41, None), (42, "text")]
    assert errors[0]["reason"].startswith("not JSON")
    # The same scoring function as the service: same input, same output.
    table = pq.read_table(tmp_path / "out" / "articles").to_pylist()
    row = next(r for r in table if r["article_id"] == "a-3")
    expected = scorer.score(json.loads(archive.read_text().splitlines()[3]))
    assert row["musk_stance"] == expected["summary"]["musk"]["stance"]
    assert row["altman_sentences"] == expected["summary"]["altman"]["sentences"]
    sentences = pq.read_table(tmp_path / "out" / "sentences").to_pylist()
    rows = [r for r in sentences if r["article_id"] == "a-3" and r["target"] == "altman"]
    assert [r["stance"] for r in rows] == [s["targets"]["altman"]["stance"] for s in expected["sentences"]]


def test_gzip_and_parquet_inputs(tmp_path, corpus, model_dir):
    write_archive(tmp_path / "one.jsonl.gz", corpus, 12)
    texts = ["\n".join(r["text"] for r in rows) for rows in list(articles(corpus).values())[:5]]
    pq.write_table(pa.table({"id": [f"p-{i}" for i in range(5)], "text": texts}), tmp_path / "two.parquet",
                   row_group_size=2)
    code, output = finished(batch("--input", str(tmp_path / "*"), "--output", tmp_path / "out",
                                  "--model", model_dir, "--partition-size", 5, "--workers", 1))
    assert code == 0, output
    assert sorted(article_ids(tmp_path / "out")) == sorted([f"a-{i}" for i in range(12)] + [f"p-{i}" for i in range(5)])


def test_a_killed_run_resumes_without_losing_or_doubling_articles(tmp_path, corpus, model_dir):
    archive, output = tmp_path / "in.jsonl", tmp_path / "out"
    write_archive(archive, corpus, 400)
    run = batch("--input", archive, "--output", output, "--model", model_dir, "--partition-size", 20, "--workers", 1)
    wait_for(lambda: len(list((output / "_done").glob("*.json"))) >= 2 if (output / "_done").exists() else False)
    os.killpg(run.pid, signal.SIGKILL)  # the whole run: driver, scheduler and workers
    run.wait()
    done_before = len(list((output / "_done").glob("*.json")))
    assert 2 <= done_before < 20
    code, log = finished(batch("--input", archive, "--output", output, "--model", model_dir,
                               "--partition-size", 20, "--workers", 2))
    assert code == 0, log
    summary = json.loads(log.strip().splitlines()[-1])
    assert summary["skipped"] >= done_before and summary["completed"] == 20
    ids = article_ids(output)
    assert len(ids) == len(set(ids)) == 400


def test_a_worker_killed_mid_job_on_an_existing_cluster_loses_nothing(tmp_path, corpus, model_dir):
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                  "--dashboard-address", ":0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = [subprocess.Popen([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--no-nanny",
                                 "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for _ in range(2)]
    try:
        archive, output = tmp_path / "in.jsonl", tmp_path / "out"
        write_archive(archive, corpus, 400)
        run = batch("--input", archive, "--output", output, "--model", model_dir, "--partition-size", 20,
                    "--scheduler", address)
        wait_for(lambda: len(list((output / "_done").glob("*.json"))) >= 2 if (output / "_done").exists() else False)
        workers[0].kill()
        code, log = finished(run)
        assert code == 0, log
        ids = article_ids(output)
        assert len(ids) == len(set(ids)) == 400
    finally:
        for process in [*workers, scheduler]:
            process.kill()
            process.wait()
