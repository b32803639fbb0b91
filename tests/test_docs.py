"""The README documents what the code does: every setting, every make target it names, the CLI."""
import re

from serve.settings import SETTINGS

from .conftest import ROOT

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
