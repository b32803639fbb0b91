"""The README documents what the code does: every setting, every make target it names, the CLI."""
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request

import pytest

from serve.settings import SETTINGS

from .conftest import ROOT
from .support import STARTUP_SECONDS, free_port

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme_table_with_its_default():
    rows = dict(re.findall(r"^\| `(PORTRAYAL_\w+)` \| ([^|]+) \|", README, re.MULTILINE))
    assert set(rows) == {s.env for s in SETTINGS}
    for setting in SETTINGS:
        if setting.name == "workers":
            assert rows[setting.env].strip() == "number of cores"
        elif setting.default == "":
            assert rows[setting.env].strip() == "(empty)"
        else:
            assert rows[setting.env].strip() == f"`{setting.default}`"


def test_the_make_targets_the_readme_names_exist():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    defined = set(re.findall(r"^([a-z-]+):", makefile, re.MULTILINE))
    named = set(re.findall(r"make ([a-z-]+)", README))
    assert named <= defined, named - defined


def test_the_cli_commands_the_readme_shows_exist():
    from portrayal.cli import build_parser
    commands = set(build_parser()._subparsers._group_actions[0].choices)
    shown = set(re.findall(r"\.venv/bin/stance (\w+)", README))
    assert shown and shown <= commands


def test_the_fresh_machine_commands_are_documented():
    assert "make serve" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_make_help_lines_up_every_target():
    done = subprocess.run(["make", "--no-print-directory", "help"], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    lines = done.stdout.splitlines()
    described = dict(re.findall(r"^([a-z-]+):.*## (.+)$", (ROOT / "Makefile").read_text(), re.MULTILINE))
    assert len(lines) == len(described) and "bench-newsmtsc" in described
    columns = {line.index(described[line.split()[1]]) for line in lines}
    assert len(columns) == 1, lines


def test_make_serve_takes_the_port_the_set_up_section_shows(model_dir, tmp_path):
    set_up = README.split("## Set-up on a fresh machine")[1].split("\n## ")[0]
    (shown,) = set(re.findall(r"^make serve PORTRAYAL_PORT=(\d+)$", set_up, re.MULTILINE))
    port = free_port()
    served = tmp_path / "model"
    shutil.copytree(model_dir, served)
    (served / "model.joblib").touch()  # newer than the sources, so that make does not retrain it
    command = ["make", "--no-print-directory", "serve", f"MODEL_DIR={served}", f"PORTRAYAL_PORT={port}"]
    assert shown != str(port)
    with open(tmp_path / "serve.log", "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                   env={k: v for k, v in os.environ.items() if not k.startswith("PORTRAYAL_")})
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as response:
                        assert response.status == 200
                        return
                except OSError:
                    time.sleep(0.3)
            pytest.fail(f"make serve did not answer on port {port}: {(tmp_path / 'serve.log').read_text()[-2000:]}")
        finally:
            os.killpg(process.pid, signal.SIGTERM)  # make and the server it started, nothing else
            process.wait(timeout=60)
