"""The installed `stance` command, end to end in a subprocess."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

STANCE = Path(sys.executable).with_name("stance")


def run(*args, stdin=""):
    return subprocess.run([str(STANCE), *map(str, args)], input=stdin, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


@pytest.fixture(scope="module", autouse=True)
def installed():
    if not STANCE.exists():
        pytest.fail(f"{STANCE} is missing: install the package with `make install`")


def test_score_writes_one_result_line_per_input_line(model_dir, scorer):
    lines = [
        {"id": "a", "text": "Elon Musk a qualifié Sam Altman d'escroc."},
        {"id": "b", "sentences": ["Sam Altman a refusé l'offre.", "Il a plaisanté."]},
    ]
    done = run("score", "--model", model_dir, stdin="".join(json.dumps(l) + "\n" for l in lines))
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert results == [scorer.score(article) for article in lines]  # the CLI and the library agree


def test_bad_lines_become_error_lines_and_nothing_is_lost(model_dir, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1, "text": "Musk a parlé."}\nnot json\n{"id": 3, "sentences": []}\n'
                      '{"id": 4, "text": "Altman a répondu."}\n', encoding="utf-8")
    done = run("score", source, "--model", model_dir)
    assert done.returncode == 1
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r.get("id") for r in results] == [1, None, None, 4]
    assert results[1]["error"]["line"] == 2 and "not JSON" in results[1]["error"]["message"]
    assert results[2]["error"] == {"line": 3, "message": "sentences must be a non-empty list of strings",
                                   "field": "sentences"}
    assert "2 line(s) could not be scored" in done.stderr


def test_a_missing_model_is_a_clear_error(tmp_path):
    done = run("score", "--model", tmp_path / "none", stdin='{"text": "x"}\n')
    assert done.returncode == 2
    assert "make train" in done.stderr and "Traceback" not in done.stderr


def test_train_prints_held_out_metrics(tmp_path):
    from tests.conftest import CORPUS, REGISTRY
    done = run("train", "--data", CORPUS, "--targets", REGISTRY, "--model", tmp_path / "m")
    assert done.returncode == 0, done.stderr
    assert "dev:" in done.stdout and "test:" in done.stdout and "macro-F1" in done.stdout
    assert (tmp_path / "m" / "model.joblib").exists()
