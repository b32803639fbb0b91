"""The model directory: round trip, provenance, refused mismatches."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from portrayal.artifact import METADATA_FILE, MODEL_FILE, load_artifact, sha256_of
from portrayal.errors import ModelArtifactError
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


def test_training_writes_the_same_bytes_from_another_process(model_dir, tmp_path):
    """The sha256 names the fit: `make train` run again on the same data gives the same one."""
    from tests.conftest import CORPUS, REGISTRY
    again = tmp_path / "again"
    subprocess.run([str(Path(sys.executable).with_name("stance")), "train", "--data", str(CORPUS),
                    "--targets", str(REGISTRY), "--model", str(again)], check=True, capture_output=True)
    assert sha256_of(again / MODEL_FILE) == sha256_of(model_dir / MODEL_FILE)
