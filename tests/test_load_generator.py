"""`make bench`'s load generator: wrk with bench/poisson.lua sends the prepared bodies at Poisson
arrival times at the rate asked, and counts every wrong answer as an error."""
import importlib.util
import json
import statistics
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BODIES = [json.dumps({"id": f"load-{i}", "text": f"Elon Musk, article {i}."}) for i in range(20)]


def load_bench_module():
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class RecordingService(ThreadingHTTPServer):
    """Answers POST /score like the service, except every fifth request (a 500) and every seventh
    (a 200 whose body is not a result); records when each request arrived and what it carried."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.arrivals, self.bodies, self.content_types, self.wrong_answers = [], [], set(), 0


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        service = self.server
        with service.lock:
            service.arrivals.append(time.monotonic())
            service.bodies.append(body.decode("utf-8"))
            service.content_types.add(self.headers["Content-Type"])
            number = len(service.arrivals)
            wrong = number % 5 == 0 or number % 7 == 0
            service.wrong_answers += wrong
        status, answer = (500, b'{"error": {"status": 500}}') if number % 5 == 0 else \
            (200, b'{"error": "not a result"}') if number % 7 == 0 else (200, b'{"id": "x", "sentences": []}')
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def run_at_100_per_second(tmp_path_factory):
    bodies_path = tmp_path_factory.mktemp("load") / "bodies.jsonl"
    bodies_path.write_text("\n".join(BODIES), encoding="utf-8")
    service = RecordingService()
    threading.Thread(target=service.serve_forever, daemon=True).start()
    try:
        result = load_bench_module()._wrk(f"http://127.0.0.1:{service.server_address[1]}", bodies_path, 100, 4)
    finally:
        service.shutdown()
    return result, service


def test_sends_at_the_rate_asked(run_at_100_per_second):
    result, service = run_at_100_per_second
    assert 80 <= result["requests"] / result["seconds"] <= 120
    assert abs(result["requests"] - len(service.arrivals)) <= 3  # only requests cut off by the end may differ


def test_arrivals_are_a_poisson_stream_not_a_fixed_pace(run_at_100_per_second):
    _, service = run_at_100_per_second
    gaps = [b - a for a, b in zip(service.arrivals, service.arrivals[1:])]
    # Exponential gaps: the standard deviation equals the mean (a fixed pace would give about 0).
    assert 0.75 <= statistics.pstdev(gaps) / statistics.mean(gaps) <= 1.25


def test_posts_the_prepared_bodies_as_json(run_at_100_per_second):
    _, service = run_at_100_per_second
    assert set(service.bodies) <= set(BODIES) and len(set(service.bodies)) > 10
    assert service.content_types == {"application/json"}


def test_every_wrong_answer_is_an_error(run_at_100_per_second):
    result, service = run_at_100_per_second
    assert result["errors"] > 0
    assert abs(result["errors"] - service.wrong_answers) <= 3
    assert result["timeouts"] == result["connect_errors"] == 0
