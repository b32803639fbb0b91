"""The model directory: round trip, provenance, refused mismatches."""
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import joblib
import pytest

from portrayal.artifact import METADATA_FILE, MODEL_FILE, load_artifact, sha256_of
from portrayal.errors import ModelArtifactError
from portrayal.model import PortrayalModel
from portrayal.scoring import Scorer


@pytest.fixture()
def copy_of(model_dir, tmp_path):
    target = tmp_path / "model"
    shutil.copytree(model_dir, target)
    return target


def test_metadata_records_provenance(model_dir):
    metadata = json.loads((model_dir / METADATA_FILE).read_text())
    assert metadata["sha256"] == sha256_of(model_dir / MODEL_FILE)
    assert metadata["labels"]["stance"] == ["favor", "against", "neutral", "none"]
    assert set(metadata["libraries"]) >= {"scikit-learn", "numpy", "scipy", "joblib", "nltk", "python"}
    assert len(metadata["data"]["corpus"]["sha256"]) == 64
    assert metadata["hyperparameters"]["stance_C"] > 0
    for split in ("dev", "test"):
        assert 0 < metadata["metrics"][split]["targets"]["musk"]["macro_f1"] <= 1


def test_a_reloaded_model_scores_exactly_like_the_original(scorer, copy_of):
    article = {"id": "x", "text": "Elon Musk a qualifié Sam Altman d'escroc. Le patron d'OpenAI a souri."}
    assert Scorer.from_dir(copy_of).score(article) == scorer.score(article)


def test_a_changed_model_file_is_refused_before_unpickling(copy_of):
    with open(copy_of / MODEL_FILE, "ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(ModelArtifactError, match="does not match its metadata"):
        load_artifact(copy_of)


def test_other_library_versions_are_refused_with_advice(copy_of):
    path = copy_of / METADATA_FILE
    metadata = json.loads(path.read_text())
    metadata["libraries"]["scikit-learn"] = "0.24.2"
    path.write_text(json.dumps(metadata))
    with pytest.raises(ModelArtifactError, match=r"scikit-learn 0\.24\.2 \(model\).*retrain"):
        load_artifact(copy_of)


def test_a_missing_model_directory_says_how_to_make_one(tmp_path):
    with pytest.raises(ModelArtifactError, match="make train"):
        load_artifact(tmp_path / "nothing-here")


def test_a_missing_model_names_the_absolute_path_it_looked_in(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # "models/default" from another directory than the repository's
    with pytest.raises(ModelArtifactError) as raised:
        Scorer.from_dir("models/default")
    assert f"no metadata.json in {tmp_path.resolve() / 'models' / 'default'}:" in str(raised.value)


# --- model directories that must be refused with a reason (here and by `stance serve`) ----------------

def edit_metadata(directory: Path, change) -> None:
    path = directory / METADATA_FILE
    metadata = json.loads(path.read_text())
    change(metadata)
    path.write_text(json.dumps(metadata))


def replace_model_file(directory: Path, write) -> None:
    """Write another model.joblib and record its sha256, as a careless hand would."""
    write(directory / MODEL_FILE)
    edit_metadata(directory, lambda metadata: metadata.update(sha256=sha256_of(directory / MODEL_FILE)))


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])


def unfitted_model(path: Path) -> None:
    registry = json.loads((Path(__file__).resolve().parent.parent / "data" / "targets.json").read_text())
    joblib.dump({"model": PortrayalModel(), "registry": registry}, path)


BAD_MODEL_DIRECTORIES = {  # what is wrong: (how to make it from a good directory, what the refusal says)
    "metadata.json is a JSON list": (
        lambda d: (d / METADATA_FILE).write_text("[1, 2]"), "holds a JSON array, not an object"),
    "metadata.json is not JSON": (lambda d: (d / METADATA_FILE).write_text('{"name": '), "is not valid JSON"),
    "metadata.json is not UTF-8": (lambda d: (d / METADATA_FILE).write_bytes(b'{"name": "\xff"}'), "is not valid JSON"),
    "libraries is not an object": (
        lambda d: edit_metadata(d, lambda m: m.update(libraries="scikit-learn 1.9.1")),
        "libraries (a JSON object) is missing or of another type"),
    "no name": (lambda d: edit_metadata(d, lambda m: m.pop("name")), "name (a JSON string) is missing"),
    "a sha256 that is a number": (
        lambda d: edit_metadata(d, lambda m: m.update(sha256=12)), "sha256 (a JSON string) is missing"),
    "a changed model file": (
        lambda d: (d / MODEL_FILE).write_bytes((d / MODEL_FILE).read_bytes() + b"x"), "does not match its metadata"),
    "a corrupt model file whose sha256 was updated": (
        lambda d: replace_model_file(d, truncate), "matches its sha256 but cannot be read"),
    "a model file of something else": (
        lambda d: replace_model_file(d, lambda path: joblib.dump([1, 2, 3], path)), "holds no portrayal model"),
    "a model that was never fitted": (
        lambda d: replace_model_file(d, unfitted_model), "never fitted"),
    "other library versions": (
        lambda d: edit_metadata(d, lambda m: m["libraries"].update(numpy="1.0.0")),
        "numpy 1.0.0 (model) vs"),
    "no model file": (lambda d: (d / MODEL_FILE).unlink(), "no model.joblib in"),
}


@pytest.mark.parametrize("spoil, reason", BAD_MODEL_DIRECTORIES.values(), ids=BAD_MODEL_DIRECTORIES.keys())
def test_a_bad_model_directory_is_refused_with_its_reason(copy_of, spoil, reason):
    spoil(copy_of)
    with pytest.raises(ModelArtifactError) as raised:
        Scorer.from_dir(copy_of)
    assert reason in str(raised.value) and "make train" in str(raised.value)


def train_in_another_process(model: Path, **environment: str) -> dict:
    """`stance train` on the corpus in a new process with `environment` (BLAS settings); its metadata."""
    from tests.conftest import CORPUS, REGISTRY
    subprocess.run([str(Path(sys.executable).with_name("stance")), "train", "--data", str(CORPUS),
                    "--targets", str(REGISTRY), "--model", str(model)],
                   check=True, capture_output=True, env={**os.environ, **environment})
    return json.loads((model / METADATA_FILE).read_text())


def test_training_writes_the_same_bytes_from_another_process_with_other_thread_counts(model_dir, tmp_path):
    """The sha256 names the fit: `make train` run again on the same data gives the same one, on any
    number of cores (here one thread for BLAS and OpenMP, where the session had one per core)."""
    train_in_another_process(tmp_path / "again", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    assert sha256_of(tmp_path / "again" / MODEL_FILE) == sha256_of(model_dir / MODEL_FILE)


def held_out_articles(corpus) -> list[dict]:
    articles: dict[str, list[str]] = {}
    for record in corpus:
        if record["split"] in ("dev", "test"):
            articles.setdefault(record["article"], []).append(record["text"])
    return [{"id": article, "sentences": sentences} for article, sentences in articles.items()]


def leaves(value, path=""):
    """(path, value) of every number and string in a result, the model's identity left out."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "model":
                yield from leaves(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, f"{path}[{index}]")
    else:
        yield path, value


@pytest.mark.skipif(platform.machine() != "x86_64", reason="OPENBLAS_CORETYPE names x86-64 kernels")
def test_another_cpu_kernel_gives_the_same_labels_and_probabilities_within_the_last_digit(model_dir, scorer, corpus,
                                                                                           tmp_path):
    """What reproduces across machines: OpenBLAS picks its kernel by CPU, and another kernel sums in
    another order, so the weights' last bits and the sha256 differ, not what the model says."""
    other = tmp_path / "prescott"
    metadata = train_in_another_process(other, OPENBLAS_CORETYPE="Prescott")  # SSE3: every x86-64 has it
    articles = held_out_articles(corpus)
    here = dict(leaves(scorer.score_many(articles)))
    there = dict(leaves(Scorer.from_dir(other).score_many(articles)))
    assert here.keys() == there.keys() and len(here) > 10_000
    labels = [path for path, value in here.items() if isinstance(value, str) and value != there[path]]
    assert labels == []
    gaps = [abs(value - there[path]) for path, value in here.items() if isinstance(value, float)]
    assert max(gaps) <= 0.0001 + 1e-12
    assert metadata["metrics"] == json.loads((model_dir / METADATA_FILE).read_text())["metrics"]
