"""`stance serve` for real: gunicorn workers add up their metrics, write JSON log lines, and take up a
new model on SIGHUP without dropping a request (and keep the old one when the new one is broken).

Every server here listens on 127.0.0.1 only; every loop is bounded in count and in time.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from portrayal.training import train

from .conftest import CORPUS, REGISTRY
from .test_artifact import BAD_MODEL_DIRECTORIES
from .support import STANCE, Server, free_port
from .test_service_endpoints import sample, samples

RELOAD_SECONDS = 90
MAX_TRAFFIC_REQUESTS = 5_000
ARTICLE = {"id": "r", "text": "Elon Musk a critiqué Sam Altman. Le patron d'OpenAI a répondu."}


class Traffic:
    """Scores articles from a few threads until stopped (bounded by count and time), recording every outcome."""

    CLIENTS = 3  # more clients than workers, so that some requests wait while workers are replaced

    def __init__(self, server: Server):
        self.server, self.outcomes, self._stop = server, [], threading.Event()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(self.CLIENTS)]
        for thread in self._threads:
            thread.start()

    def _run(self):
        deadline = time.monotonic() + RELOAD_SECONDS + 30
        while not self._stop.is_set() and len(self.outcomes) < MAX_TRAFFIC_REQUESTS and time.monotonic() < deadline:
            try:
                status, _, body = self.server.request("POST", "/score", ARTICLE)
                self.outcomes.append((status, json.loads(body)["model"]["sha256"] if status == 200 else body[:300]))
            except Exception as error:  # a refused or reset connection is a failed request too
                self.outcomes.append(("failed", repr(error)))

    def stop(self) -> list:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)
        return self.outcomes


def copy_model(source: Path, target: Path) -> None:
    for name in ("model.joblib", "metadata.json"):
        shutil.copyfile(source / name, target / name)


def wait_for_sha(server: Server, sha: str) -> None:
    deadline = time.monotonic() + RELOAD_SECONDS
    while time.monotonic() < deadline:
        if server.sha() == sha:
            return
        time.sleep(0.25)
    pytest.fail(f"GET /model did not report {sha} within {RELOAD_SECONDS} s: {server.log()[-3000:]}")


# --- fixtures ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def other_model_dir(tmp_path_factory):
    """A second trained model whose sha256 differs from the session's (another regularisation)."""
    directory = tmp_path_factory.mktemp("model_c1")
    train(CORPUS, REGISTRY, directory, params={"stance_C": 1.0}, log=lambda message: None)
    return directory


@pytest.fixture()
def server(model_dir, tmp_path):
    """A server on a copy of the session model, so that tests may swap or break its files."""
    served = tmp_path / "model"
    shutil.copytree(model_dir, served)
    running = Server(served, tmp_path)
    yield running
    running.stop()


# --- start-up ------------------------------------------------------------------------------------

BAD_MODELS = {"no model directory": (lambda directory: shutil.rmtree(directory), "no metadata.json in"),
              **BAD_MODEL_DIRECTORIES}


@pytest.mark.parametrize("spoil, reason", BAD_MODELS.values(), ids=BAD_MODELS.keys())
def test_a_model_that_does_not_load_refuses_to_start_with_the_reason(model_dir, tmp_path, spoil, reason):
    served = tmp_path / "model"
    shutil.copytree(model_dir, served)
    spoil(served)
    done = subprocess.run([str(STANCE), "serve", "--model", str(served), "--port", str(free_port())],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "TMPDIR": str(tmp_path)})
    assert done.returncode != 0
    (line,) = done.stderr.splitlines()  # one line, and no traceback
    assert line.startswith("cannot start: ") and reason in line and "make train" in line
    assert not list(tmp_path.glob("portrayal-metrics-*"))  # its metrics directory went with it


# --- metrics and logs across workers ------------------------------------------------------------------

def health_count(server: Server) -> float:
    status, headers, body = server.get("/metrics")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    return sample(samples(body.decode()), "portrayal_http_requests_total", endpoint="/health", method="GET",
                  status="200")


def test_metrics_add_up_across_the_worker_processes_and_go_at_exit(server):
    before = health_count(server)
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(lambda _: server.get("/health")[0], range(120)))
    assert statuses == [200] * 120
    (metrics_dir,) = server.tmpdir.glob("portrayal-metrics-*")
    writers = {path.stem.rsplit("_", 1)[1] for path in metrics_dir.glob("histogram_*.db")}
    assert len(writers) == 2, "both workers should have answered some of the requests"
    assert health_count(server) - before == 120  # whichever worker answers GET /metrics
    assert sample(samples(server.get("/metrics")[2].decode()), "portrayal_model_info", sha256=server.sha()) == 1
    server.stop()
    assert not metrics_dir.exists()


def test_metrics_answer_503_not_500_when_the_shared_directory_is_gone(server):
    (metrics_dir,) = server.tmpdir.glob("portrayal-metrics-*")
    shutil.rmtree(metrics_dir)  # as a cleaner of $TMPDIR would
    status, headers, body = server.get("/metrics")
    assert status == 503 and headers["Content-Type"] == "application/json"
    assert json.loads(body)["error"]["code"] == "metrics_unavailable"
    assert server.get("/health")[0] == 200
    server.wait_for_log("metrics could not be read", 10)


def test_the_server_writes_one_json_line_per_request(server):
    status, headers, _ = server.request("POST", "/score", ARTICLE, headers={"X-Request-Id": "real-server-1"})
    assert status == 200 and headers["X-Request-Id"] == "real-server-1"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = [line for line in server.json_lines() if line.get("request_id") == "real-server-1"]
        if lines:
            break
        time.sleep(0.1)
    (line,) = lines
    assert line["method"] == "POST" and line["path"] == "/score" and line["status"] == 200
    assert line["articles"] == 1 and line["sentences"] == 2 and line["duration_ms"] > 0
    assert "Elon Musk" not in server.log()


# --- reload --------------------------------------------------------------------------------------------

def test_sighup_takes_up_a_new_model_without_dropping_a_request(server, other_model_dir):
    old, new = server.sha(), json.loads((other_model_dir / "metadata.json").read_text())["sha256"]
    assert old != new
    traffic = Traffic(server)
    time.sleep(0.5)
    copy_model(other_model_dir, server.model_dir)
    server.hang_up()
    wait_for_sha(server, new)
    time.sleep(0.5)
    outcomes = traffic.stop()
    failed = [outcome for outcome in outcomes if outcome[0] != 200]
    assert not failed, failed[:5]
    assert len(outcomes) >= 10 and {sha for _, sha in outcomes} == {old, new} and outcomes[-1][1] == new
    status, _, body = server.get("/ready")
    assert status == 200 and json.loads(body)["model"]["sha256"] == new
    server.wait_for_log("reload: serving the model", 10)


def test_a_new_model_that_does_not_load_is_logged_and_the_old_one_kept(server):
    old = server.sha()
    traffic = Traffic(server)
    with open(server.model_dir / "model.joblib", "ab") as handle:
        handle.write(b"tampered")
    server.hang_up()
    server.wait_for_log("did not load", RELOAD_SECONDS)
    time.sleep(1.0)  # the new workers (with the old app) are answering by now
    outcomes = traffic.stop()
    assert not [outcome for outcome in outcomes if outcome[0] != 200]
    assert server.sha() == old and {sha for _, sha in outcomes} == {old}
    (refusal,) = [line for line in server.json_lines() if "did not load" in line["message"]]
    assert refusal["level"] == "error" and "does not match its metadata" in refusal["error"]
    assert server.process.poll() is None
