"""Regenerate `portrayal/resources/given_names.tsv` from the nomquamgender package's name data.

    .venv/bin/python -m train.given_names

nomquamgender (MIT; Van Buskirk et al., 2022) ships counts and P(female) for 700,000 given
names from 36 sources. Reference resolution needs far fewer: the given names common enough to
tell "Mark Zuckerberg" or "Yvonne Gonzalez Rogers" from "Silicon Valley", and their gender, so
that "elle" after the judge is not read as a rival to "il". The file keeps names seen at least
MIN_COUNT times in at least MIN_SOURCES sources. Only the data file is read, without importing
the package (whose import loads pandas and the whole table).
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

MIN_COUNT = 1000
MIN_SOURCES = 10
MALE_BELOW, FEMALE_ABOVE = 0.2, 0.8   # P(female) bounds for a gendered name; between, "either"
OUTPUT = Path(__file__).resolve().parent.parent / "portrayal" / "resources" / "given_names.tsv"


def name_data() -> dict:
    spec = importlib.util.find_spec("nomquamgender")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("nomquamgender is not installed: pip install -e '.[dev]'")
    path = Path(next(iter(spec.submodule_search_locations))) / "name_data.json"
    return json.loads(path.read_text(encoding="utf-8"))


def table(data: dict) -> list[tuple[str, str]]:
    rows = []
    for name, (sources, count, p_female, *_) in data.items():
        if count >= MIN_COUNT and sources >= MIN_SOURCES and name.isalpha() and name.isascii():
            gender = "m" if p_female < MALE_BELOW else "f" if p_female > FEMALE_ABOVE else "x"
            rows.append((name, gender))
    return sorted(rows)


def render(rows) -> str:
    header = ("# Given names and their usual gender (m, f, x: either), derived from nomquamgender 0.1.4 (MIT) by\n"
              f"# train/given_names.py: names seen at least {MIN_COUNT} times in at least {MIN_SOURCES} sources.\n")
    return header + "".join(f"{name}\t{gender}\n" for name, gender in rows)


def main() -> None:
    OUTPUT.write_text(render(table(name_data())), encoding="utf-8")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
