"""make bench: in-process scoring speed against a naive baseline, then the real service under load.

1. In-process, one core, articles scored one at a time as the service does: our scorer
   (one shared vectorization, every head from one product) beside the naive pipeline a
   user would write, one scikit-learn TF-IDF (word 1-2 + char 2-5) + logistic regression
   pipeline per head, each vectorizing the sentences again. Both get the same
   reference resolution (both articles split beforehand, when they are parsed); the ratio is
   printed.
2. The service as users start it (`stance serve`, gunicorn, one worker per core), driven
   by wrk from a separate process with Poisson arrivals (bench/poisson.lua) at several
   fixed request rates, each for a fixed duration, in three rounds: throughput, p50/p95/p99
   latency, errors, the workers' CPU per request and memory, and the generator's own CPU
   for every run, then the median per rate. wrk rather than locust: its C event loop takes
   1-9 % of a core, where locust took about 1 ms of CPU per request on the two cores the
   workers need, and its latencies also held the waits of its own gevent loop (against one
   service in alternation at 200 requests/s, locust reported p99s of 24-39 ms, wrk 13-17 ms).

Article bodies are drawn from the corpus: consecutive sentences in paragraphs of one to three,
lengths spread around 30 sentences, French and English as the corpus mixes them.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core, as a service worker has

import numpy as np  # noqa: E402
import psutil  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import make_pipeline, make_union  # noqa: E402

from portrayal.corpus import articles, read_jsonl  # noqa: E402
from portrayal.inputs import parse_article  # noqa: E402
from portrayal.model import NONE  # noqa: E402
from portrayal.scoring import Scorer, prepare  # noqa: E402
from portrayal.segment import split_sentences  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
_ENDS_SENTENCE = (".", "!", "?", "…", "»", "”", '"')


def build_bodies(corpus_path: str, count: int, mean_sentences: int, seed: int = 0) -> list[str]:
    """Request bodies {"id", "text"} of consecutive corpus sentences, lengths spread around the mean."""
    rng = random.Random(seed)
    sentences = [r["text"] for rows in articles(read_jsonl(corpus_path)).values() for r in rows]
    bodies = []
    for i in range(count):
        length = max(5, min(80, round(rng.gauss(mean_sentences, mean_sentences / 3))))
        start = rng.randrange(len(sentences) - length)
        lines, paragraph = [], []
        for sentence in sentences[start:start + length]:
            paragraph.append(sentence)
            if not sentence.endswith(_ENDS_SENTENCE) or len(paragraph) == rng.randint(1, 3):
                lines.append(" ".join(paragraph))
                paragraph = []
        lines += [" ".join(paragraph)] if paragraph else []
        bodies.append(json.dumps({"id": f"load-{i}", "text": "\n".join(lines)}, ensure_ascii=False))
    return bodies


class NaiveHeads:
    """The baseline: an independent TF-IDF + logistic regression pipeline per head."""

    def __init__(self, corpus_path: str, target_ids):
        records = [r for r in read_jsonl(corpus_path) if r["split"] == "train"]
        texts = np.array([r["text"] for r in records], dtype=object)
        self.pipelines = {"sentiment": self._fit(texts, [r["sentiment"] for r in records])}
        for target_id in target_ids:
            labels = np.array([r[target_id] for r in records])
            referred = labels != NONE
            self.pipelines[target_id] = self._fit(texts[referred], labels[referred])

    @staticmethod
    def _fit(texts, labels):
        features = make_union(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                              TfidfVectorizer(analyzer="char", ngram_range=(2, 5), min_df=2, sublinear_tf=True))
        return make_pipeline(features, LogisticRegression(max_iter=3000, class_weight="balanced")).fit(texts, labels)

    def score(self, finder, article) -> int:
        return self.heads(prepare(finder, article))

    def heads(self, prepared) -> int:
        texts = [s.text for s in prepared.sentences]
        self.pipelines["sentiment"].predict_proba(texts)
        for target_id, pipeline in self.pipelines.items():
            referred = [t for t, m in zip(texts, prepared.mentions) if target_id in m]
            if target_id != "sentiment" and referred:
                pipeline.predict_proba(referred)
        return len(texts)


def _our_heads(scorer, prepared) -> int:
    referred = {t: [t in m for m in prepared.mentions] for t in scorer.target_ids}
    scorer.model.predict_proba(prepared.masked, referred)
    return len(prepared.masked)


def _sentences_per_second(score_one, parsed, seconds: float) -> float:
    """Score the articles one at a time, round after round, for about `seconds`; sentences per second."""
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for article in parsed:
            done += score_one(article)
    return done / (time.perf_counter() - started)


def in_process(model_dir: str, corpus_path: str, bodies: list[str], seconds: float) -> None:
    scorer = Scorer.from_dir(model_dir)
    print("fitting the naive baseline (three pipelines) on the train split...", flush=True)
    naive = NaiveHeads(corpus_path, scorer.target_ids)
    parsed = [parse_article(json.loads(b)) for b in bodies[:200]]
    for article in parsed[:20]:  # warm both up
        scorer.score(article), naive.score(scorer.finder, article)
    prepared = [prepare(scorer.finder, a) for a in parsed]
    runs = {  # ours before and after the baseline, so drift on a shared machine evens out
        "ours": [lambda a: len(scorer.score(a)["sentences"]), parsed],
        "naive": [lambda a: naive.score(scorer.finder, a), parsed],
        "ours heads": [lambda p: _our_heads(scorer, p), prepared],
        "naive heads": [naive.heads, prepared],
    }
    rates = {name: [_sentences_per_second(*run, seconds / 2)] for name, run in runs.items()}
    for name, run in runs.items():
        rates[name].append(_sentences_per_second(*run, seconds / 2))
    rate = {name: float(np.mean(values)) for name, values in rates.items()}
    print("\nin-process scoring, one core, one article per call (sentences/s)")
    print(f"{'':<28} {'portrayal':>10} {'naive':>10} {'speed-up':>9}")
    for label, ours, theirs in (("whole scoring", "ours", "naive"), ("vectorizing + heads only", "ours heads", "naive heads")):
        print(f"{label:<28} {rate[ours]:>10.0f} {rate[theirs]:>10.0f} {rate[ours] / rate[theirs]:>8.1f}x")
    print("(whole scoring: both find who each sentence refers to the same way; target: at least 5x)\n", flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(url: str, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the service exited with code {server.returncode} before it was ready")
        try:
            with urllib.request.urlopen(url + "/ready", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the service did not become ready in time")


class _WorkersCpu:
    """CPU seconds the gunicorn workers spent since `start()`."""

    def __init__(self, master_pid: int):
        self._master = psutil.Process(master_pid)
        self._started: dict[int, float] = {}

    def _now(self) -> dict[int, float]:
        return {worker.pid: sum(worker.cpu_times()[:2]) for worker in self._master.children()}

    def start(self) -> None:
        self._started = self._now()

    def seconds(self) -> float:
        return sum(spent - self._started.get(pid, 0.0) for pid, spent in self._now().items())


def _children_cpu_seconds() -> float:
    """CPU seconds of this process's finished children (the load generator's runs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _worker_memory(master_pid: int) -> tuple[float, float]:
    """Largest resident and proportional set size (MB) over the gunicorn workers."""
    rss, pss = [], []
    for worker in psutil.Process(master_pid).children():
        info = worker.memory_full_info()
        rss.append(info.rss / 2**20)
        pss.append(info.pss / 2**20)
    return max(rss), max(pss)


def _wrk(url: str, bodies_path: Path, rate: int, seconds: int) -> dict:
    """One wrk run at `rate` requests/s with Poisson arrivals (bench/poisson.lua); its counts and latencies."""
    threads = 1  # one epoll loop sends 300 requests/s on a few % of a core
    command = ["wrk", "--threads", str(threads), "--connections", str(max(10, rate)), "--duration", f"{seconds}s",
               "--timeout", "10s", "--script", str(ROOT / "bench" / "poisson.lua"), url + "/score"]
    env = dict(os.environ, BENCH_BODIES=str(bodies_path), BENCH_RATE=str(rate), BENCH_THREADS=str(threads))
    finished = subprocess.run(command, env=env, capture_output=True, text=True)
    if finished.returncode != 0:
        raise SystemExit(f"wrk failed (exit code {finished.returncode}): {finished.stderr.strip()[-2000:]}")
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    result["errors"] = sum(result[key] for key in ("bad_answers", "connect_errors", "read_errors", "write_errors",
                                                    "timeouts"))
    return result


def under_load(model_dir: str, bodies: list[str], rates: list[int], seconds: int, workers: int, work: Path,
               rounds: int = 1) -> None:
    """Every rate for `seconds`, in `rounds` rounds (all rates, then all again), then the medians per rate.

    Rounds rather than back-to-back repeats: a spell of load from the machine's other tenants
    then falls on different rates instead of on every run of one.
    """
    bodies_path = work / "bodies.jsonl"
    bodies_path.write_text("\n".join(bodies), encoding="utf-8")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [str(Path(sys.executable).with_name("stance")), "serve", "--model", model_dir, "--port", str(port),
               "--workers", str(workers)]
    with open(work / "service.log", "wb") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, PORTRAYAL_LOG_LEVEL="warning"))
    runs: dict[int, list[dict]] = {rate: [] for rate in rates}
    try:
        _wait_ready(url, server)
        texts = [json.loads(b)["text"] for b in bodies]
        print(f"service: {workers} gunicorn workers on {url}; articles average "
              f"{np.mean([len(split_sentences(t)) for t in texts]):.1f} sentences, "
              f"{np.mean([len(t) for t in texts]) / 1000:.1f} kB; {seconds} s per rate, {rounds} round(s)")
        print(f"{'round':>5} {'target req/s':>12} {'served req/s':>12} {'requests':>9} {'errors':>7} {'p50 ms':>7} "
              f"{'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'worker CPU ms/req':>18} {'wrk CPU %':>9} "
              f"{'worker RSS MB':>14} {'worker PSS MB':>14}", flush=True)
        workers_cpu = _WorkersCpu(server.pid)
        for round_number in range(1, rounds + 1):
            for rate in rates:
                workers_cpu.start()
                generator_cpu = _children_cpu_seconds()
                run = _wrk(url, bodies_path, rate, seconds)
                generator_cpu = _children_cpu_seconds() - generator_cpu
                run["served"] = run["requests"] / run["seconds"]
                run["cpu_ms"] = 1000 * workers_cpu.seconds() / max(1, run["requests"])
                run["rss"], run["pss"] = _worker_memory(server.pid)
                runs[rate].append(run)
                print(f"{round_number:>5} {rate:>12} {run['served']:>12.1f} {run['requests']:>9} {run['errors']:>7} "
                      f"{run['p50']:>7.1f} {run['p95']:>7.1f} {run['p99']:>7.1f} {run['max']:>7.0f} "
                      f"{run['cpu_ms']:>18.2f} {100 * generator_cpu / run['seconds']:>9.0f} "
                      f"{run['rss']:>14.0f} {run['pss']:>14.0f}", flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    if rounds > 1:
        print(f"\nmedian over the {rounds} rounds (errors: total; p99: median and range)")
        print(f"{'target req/s':>12} {'served req/s':>12} {'errors':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
              f"{'p99 range':>11} {'worker RSS MB':>14}")
        for rate, done in runs.items():
            median = {key: float(np.median([run[key] for run in done])) for key in ("served", "p50", "p95", "p99", "rss")}
            p99s = [run["p99"] for run in done]
            print(f"{rate:>12} {median['served']:>12.1f} {sum(run['errors'] for run in done):>7} {median['p50']:>7.1f} "
                  f"{median['p95']:>7.1f} {median['p99']:>7.1f} {f'{min(p99s):.1f}-{max(p99s):.1f}':>11} "
                  f"{max(run['rss'] for run in done):>14.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="models/default")
    parser.add_argument("--corpus", default="data/corpus.jsonl")
    parser.add_argument("--rates", default="50,100,200,250,300", help="requests per second, comma-separated")
    parser.add_argument("--seconds", type=int, default=30, help="duration of each rate")
    parser.add_argument("--rounds", type=int, default=3, help="times every rate is run, in rounds")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--sentences", type=int, default=30, help="mean sentences per article")
    parser.add_argument("--in-process-seconds", type=float, default=10)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("the load test drives the service with wrk, which is not installed: "
                         "apt-get install wrk (Debian's package; `make bench` installs it)")
    bodies = build_bodies(args.corpus, 1000, args.sentences)
    in_process(args.model, args.corpus, bodies, args.in_process_seconds)
    with tempfile.TemporaryDirectory(prefix="bench-load-") as work:
        under_load(args.model, bodies, [int(r) for r in args.rates.split(",")], args.seconds, args.workers, Path(work),
                   args.rounds)


if __name__ == "__main__":
    main()
