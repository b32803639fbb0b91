"""Installing the package: no setuptools warning, and every file the code reads is installed."""
from __future__ import annotations

import subprocess
import sys
import zipfile

from .conftest import ROOT


def pip(*arguments: str) -> str:
    done = subprocess.run([sys.executable, "-m", "pip", *arguments], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout + done.stderr


def warnings_in(output: str) -> list[str]:
    # pip's own "WARNING:" lines are about this machine's pip configuration, not about the package.
    return [line for line in output.splitlines() if "Warning" in line or "warning:" in line]


def test_the_editable_install_of_make_install_prints_no_warning(tmp_path):
    # Into an environment of its own: installing into this one, even with --prefix, would first
    # uninstall the package the other tests run.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "venv")], check=True)
    output = pip("--python", str(tmp_path / "venv" / "bin" / "python"), "install", "--no-deps", "--quiet",
                 "--editable", str(ROOT))
    assert warnings_in(output) == []
    assert list((tmp_path / "venv").glob("lib/python*/site-packages/__editable__.portrayal-*.pth"))


def test_the_wheel_holds_the_page_and_the_resources_and_builds_without_warning(tmp_path):
    output = pip("wheel", "--no-deps", "--quiet", "--wheel-dir", str(tmp_path), str(ROOT))
    assert warnings_in(output) == []
    (wheel,) = tmp_path.glob("portrayal-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "serve/static/index.html" in names
    assert {path.relative_to(ROOT).as_posix() for path in (ROOT / "portrayal" / "resources").glob("*.txt")} <= names
