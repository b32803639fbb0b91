"""The `stance` command: train, score JSON Lines, serve over HTTP."""
from __future__ import annotations

import argparse
import json
import sys

from .errors import PortrayalError

DEFAULT_MODEL_DIR = "models/default"
DEFAULT_CORPUS = "data/corpus.jsonl"
DEFAULT_REGISTRY = "data/targets.json"
DEFAULT_CHALLENGE = "data/challenge/references.jsonl"
DEFAULT_REAL_DEV = "../shared/datasets/real-dev/seeds.jsonl"
SCORE_BATCH = 32  # lines scored together: one model pass per batch


def _train(args) -> int:
    from .training import train
    train(args.data, args.targets, args.model)
    return 0


def _eval(args) -> int:
    from .artifact import read_metadata
    from .report import write_report
    from .training import train
    metrics = train(args.data, args.targets, args.model, transfer=True, challenge_path=args.challenge,
                    real_dev_path=args.real_dev)
    path = write_report(metrics, read_metadata(args.model), args.report)
    print(f"report written to {path}")
    return 0


def _error_line(line_number: int, error: Exception) -> dict:
    field = getattr(error, "field", None)
    return {"error": {"line": line_number, "message": getattr(error, "message", str(error)), "field": field}}


def _score(args) -> int:
    from .inputs import parse_article
    from .scoring import Scorer

    scorer = Scorer.from_dir(args.model)
    source = sys.stdin if args.input == "-" else open(args.input, encoding="utf-8")
    failures = 0
    batch: list[tuple[int, object]] = []  # (line number, parsed article or error)

    def flush():
        nonlocal failures
        valid = [item for _, item in batch if not isinstance(item, Exception)]
        results = iter(scorer.score_many(valid)) if valid else iter(())
        for line_number, item in batch:
            if isinstance(item, Exception):
                failures += 1
                out = _error_line(line_number, item)
            else:
                out = next(results)
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        sys.stdout.flush()
        batch.clear()

    with source:
        for line_number, line in enumerate(source, 1):
            if not line.strip():
                continue
            try:
                batch.append((line_number, parse_article(json.loads(line))))
            except json.JSONDecodeError as error:
                batch.append((line_number, PortrayalError(f"not JSON: {error.msg}")))
            except PortrayalError as error:
                batch.append((line_number, error))
            if len(batch) >= SCORE_BATCH:
                flush()
        flush()
    if failures:
        print(f"stance score: {failures} line(s) could not be scored (see their error lines)", file=sys.stderr)
    return 1 if failures else 0


def _batch(args) -> int:
    from .batch import run_batch
    summary = run_batch(args.input, args.output, args.model, scheduler=args.scheduler, workers=args.workers,
                        partition_size=args.partition_size)
    return 1 if summary["errors"] else 0


def _serve(args) -> int:
    from serve.server import run  # the HTTP layer lives outside the core package
    overrides = {k: v for k, v in {"host": args.host, "port": args.port, "workers": args.workers,
                                   "model_dir": args.model}.items() if v is not None}
    run(overrides)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stance", description="Stance toward Musk and Altman in news articles.")
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser("train", help="fit the model from the annotated corpus")
    train.add_argument("--data", default=DEFAULT_CORPUS, help=f"corpus JSON Lines (default {DEFAULT_CORPUS})")
    train.add_argument("--targets", default=DEFAULT_REGISTRY, help=f"target registry (default {DEFAULT_REGISTRY})")
    train.add_argument("--model", default=DEFAULT_MODEL_DIR, help=f"output model directory (default {DEFAULT_MODEL_DIR})")
    train.set_defaults(run=_train)

    evaluate = commands.add_parser("eval", help="train, then write the held-out evaluation report")
    evaluate.add_argument("--data", default=DEFAULT_CORPUS, help=f"corpus JSON Lines (default {DEFAULT_CORPUS})")
    evaluate.add_argument("--targets", default=DEFAULT_REGISTRY, help=f"target registry (default {DEFAULT_REGISTRY})")
    evaluate.add_argument("--model", default=DEFAULT_MODEL_DIR, help=f"model directory (default {DEFAULT_MODEL_DIR})")
    evaluate.add_argument("--report", default="reports", help="report directory (default reports)")
    evaluate.add_argument("--challenge", default=DEFAULT_CHALLENGE,
                          help=f"challenge set for reference resolution (default {DEFAULT_CHALLENGE})")
    evaluate.add_argument("--real-dev", default=DEFAULT_REAL_DEV,
                          help=f"real articles, read in place and never trained on (default {DEFAULT_REAL_DEV}; "
                               "skipped when absent)")
    evaluate.set_defaults(run=_eval)

    score = commands.add_parser("score", help="score JSON Lines articles: one result line per input line")
    score.add_argument("input", nargs="?", default="-", help="JSON Lines file, or - for standard input (default)")
    score.add_argument("--model", default=DEFAULT_MODEL_DIR, help=f"model directory (default {DEFAULT_MODEL_DIR})")
    score.set_defaults(run=_score)

    batch = commands.add_parser("batch", help="score an archive on Dask into Parquet (resumable)")
    batch.add_argument("--input", required=True, help="JSON Lines (.jsonl, .jsonl.gz) or Parquet file, directory or glob")
    batch.add_argument("--output", required=True, help="output directory (sentences/, articles/, errors/)")
    batch.add_argument("--scheduler", help="address of an existing Dask scheduler, e.g. tcp://HOST:8786")
    batch.add_argument("--workers", type=int, default=2, help="workers of the local cluster (default 2)")
    batch.add_argument("--partition-size", type=int, default=2000, help="articles per partition (default 2000)")
    batch.add_argument("--model", default=DEFAULT_MODEL_DIR, help=f"model directory (default {DEFAULT_MODEL_DIR})")
    batch.set_defaults(run=_batch)

    serve = commands.add_parser("serve", help="serve POST /score over HTTP with gunicorn")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int)
    serve.add_argument("--model", help="model directory")
    serve.set_defaults(run=_serve)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except PortrayalError as error:
        print(f"stance {args.command}: {error}", file=sys.stderr)
        return 2
    except FileNotFoundError as error:
        print(f"stance {args.command}: {error.strerror}: {error.filename}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
