"""Locust user for `make bench`: each user posts one article a second on average, drawn from a prepared mix.

Waits between requests are exponential, so the users together send a Poisson stream, as
independent newsroom clients do; a fixed one-second pace would keep the users that were
started together in step and measure bursts instead, and for the same reason each
user's first request comes at a random moment of its first second.

`bench/load.py` writes the request bodies to the file named by BENCH_BODIES and starts
locust with as many users as requests per second wanted.
"""
import json
import os
import random

import gevent

from locust import FastHttpUser, task

with open(os.environ["BENCH_BODIES"], encoding="utf-8") as handle:
    BODIES = [line.encode("utf-8") for line in handle.read().splitlines()]
HEADERS = {"Content-Type": "application/json"}
if os.environ.get("BENCH_API_KEY"):
    HEADERS["Authorization"] = f"Bearer {os.environ['BENCH_API_KEY']}"


class NewsroomPipeline(FastHttpUser):
    def on_start(self):
        gevent.sleep(random.uniform(0, 1))  # users spawned together must not fire their first request together

    def wait_time(self):
        return random.expovariate(1.0)

    @task
    def score_article(self):
        with self.client.post("/score", data=random.choice(BODIES), headers=HEADERS,
                              catch_response=True) as response:
            if response.status_code != 200 or not response.text.startswith('{"id"'):
                response.failure(f"HTTP {response.status_code}")
