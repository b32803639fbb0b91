"""Locust user for `make bench`: each user posts one article a second on average, drawn from a prepared mix.

Each user sends at times of its own Poisson process, set in advance and not pushed back by
slow answers (unless an answer takes longer than the gap to the next send), so the users
together send a Poisson stream at the rate asked, as independent newsroom clients do. A
fixed one-second pace would keep the users that were started together in step and measure
bursts instead; for the same reason each user starts at a random moment of its first second.

`bench/load.py` writes the request bodies to the file named by BENCH_BODIES and starts
locust with as many users as requests per second wanted.
"""
import os
import random
import time

import gevent

from locust import FastHttpUser, task

with open(os.environ["BENCH_BODIES"], encoding="utf-8") as handle:
    BODIES = [line.encode("utf-8") for line in handle.read().splitlines()]
HEADERS = {"Content-Type": "application/json"}
if os.environ.get("BENCH_API_KEY"):
    HEADERS["Authorization"] = f"Bearer {os.environ['BENCH_API_KEY']}"


class NewsroomPipeline(FastHttpUser):
    def on_start(self):
        gevent.sleep(random.uniform(0, 1))
        self.next_send = time.monotonic()

    def wait_time(self):
        self.next_send += random.expovariate(1.0)
        return max(0.0, self.next_send - time.monotonic())

    @task
    def score_article(self):
        with self.client.post("/score", data=random.choice(BODIES), headers=HEADERS,
                              catch_response=True) as response:
            if response.status_code != 200 or not response.content.startswith(b'{"id"'):
                response.failure(f"HTTP {response.status_code}")
