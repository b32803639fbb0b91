"""`stance serve` reloaded again and again keeps its memory: after ten SIGHUPs the master and the
workers use within 10 % of what they used after one (resident memory, read from /proc)."""
from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

from .support import Server, serving

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads resident memory from /proc")

WORKERS = 2
ARTICLE = {"id": "m", "text": "Elon Musk a critiqué Sam Altman. Le patron d'OpenAI a répondu."}


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")


def workers_of(server: Server) -> set[int]:
    pid = server.process.pid
    return {int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


def reload_and_settle(server: Server) -> None:
    """SIGHUP, then wait until the new workers alone serve, and have each served a few requests."""
    old = workers_of(server)
    server.hang_up()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        current = workers_of(server)
        if len(current) == WORKERS and not current & old:
            break
        time.sleep(0.2)
    else:
        pytest.fail(f"the workers were not replaced within 90 s: {server.log()[-2000:]}")
    warm_up(server)


def warm_up(server: Server) -> None:
    for _ in range(20):
        assert server.request("POST", "/score", ARTICLE)[0] == 200


def memory(server: Server) -> dict[str, float]:
    return {"master": resident_mb(server.process.pid),
            **{f"worker {i}": resident_mb(pid) for i, pid in enumerate(sorted(workers_of(server)))}}


@pytest.fixture()
def server(model_dir, tmp_path):
    served = tmp_path / "model"
    shutil.copytree(model_dir, served)
    yield from serving(served, tmp_path, workers=WORKERS)


def test_ten_reloads_use_no_more_memory_than_one(server):
    warm_up(server)
    before = memory(server)
    reload_and_settle(server)
    after_one = memory(server)
    for _ in range(9):
        reload_and_settle(server)
    after_ten = memory(server)
    print(f"resident MB before any reload {before}, after one {after_one}, after ten {after_ten}")
    for process in ("master", "worker 0", "worker 1"):
        assert after_ten[process] <= 1.10 * after_one[process], (process, after_one, after_ten)
    # The previous model is freed, not kept beside the new one (it is ~50 MB, a quarter of the master).
    assert after_one["master"] <= 1.10 * before["master"], (before, after_one)
