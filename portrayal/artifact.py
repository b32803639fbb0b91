"""Saving and loading a trained model with its provenance.

joblib (pickle) runs code when it loads and needs the library versions it was saved with,
so `metadata.json` records the file's sha256 and the versions; `load_artifact` checks both
*before* unpickling and refuses a mismatch with a message that says what to do.
"""
from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import dataclass
from pathlib import Path

import joblib
import nltk
import numpy
import scipy
import sklearn
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.utils.validation import check_is_fitted

from .errors import ModelArtifactError
from .model import PortrayalModel
from .references import TargetRegistry

MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"
# A pickled scikit-learn model is only safe to load with the very versions that wrote it. Python
# and nltk are recorded, not checked: the pickle holds objects of these four libraries and of
# this package, none of nltk's, and loads alike on any Python the pinned libraries support.
CHECKED_LIBRARIES = ("scikit-learn", "numpy", "scipy", "joblib")
# What GET /model, /ready and /metrics read from metadata.json, with its type.
REQUIRED_METADATA = {"name": str, "version": str, "sha256": str, "labels": dict, "hyperparameters": dict,
                     "libraries": dict}


def library_versions() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "joblib": joblib.__version__,
        "nltk": nltk.__version__,
    }


def sha256_of(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Artifact:
    """A loaded model: the estimator, the target registry it was trained with, and its metadata."""

    model: PortrayalModel
    registry: TargetRegistry
    metadata: dict

    @property
    def identity(self) -> dict:
        return {"name": self.metadata["name"], "version": self.metadata["version"], "sha256": self.metadata["sha256"]}


def save_artifact(model: PortrayalModel, registry: TargetRegistry, model_dir: str | Path, metadata: dict) -> dict:
    """Write model.joblib and metadata.json (with sha256 and library versions) into `model_dir`."""
    model_dir = Path(model_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    model_path = model_dir / MODEL_FILE
    _drop_memory_addresses(model)
    joblib.dump({"model": model, "registry": registry.document}, model_path, compress=3)
    full = dict(metadata)
    full["sha256"] = sha256_of(model_path)
    full["libraries"] = library_versions()
    full["targets"] = list(registry.ids)
    (model_dir / METADATA_FILE).write_text(json.dumps(full, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return full


def _drop_memory_addresses(model) -> None:
    """Remove the `_stop_words_id` cache of every text vectorizer inside `model`, so that one fit
    writes the same bytes (and sha256) from any process.

    scikit-learn keeps id(stop_words), a memory address that changes from one process to the
    next, to skip checking the stop words again; without it the check is redone once, on first
    use, and costs nothing when there are no stop words.
    """
    stack, seen = [model], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CountVectorizer):
            item.__dict__.pop("_stop_words_id", None)
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif hasattr(item, "__dict__") and not isinstance(item, type):
            stack.extend(vars(item).values())


def read_metadata(model_dir: str | Path) -> dict:
    """metadata.json of `model_dir`, checked to hold the fields a loaded model is described by."""
    path = Path(model_dir).resolve() / METADATA_FILE  # absolute: a relative path says nothing of where it looked
    if not path.is_file():
        raise ModelArtifactError(f"no {METADATA_FILE} in {path.parent}: train a model first (make train)")
    try:
        metadata = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ModelArtifactError(f"{path} is not valid JSON ({error}): retrain with make train") from error
    if not isinstance(metadata, dict):
        raise ModelArtifactError(f"{path} holds a JSON {_json_type(metadata)}, not an object: retrain with make train")
    wrong = [f"{field} (a JSON {_json_type(kind())})" for field, kind in REQUIRED_METADATA.items()
             if not isinstance(metadata.get(field), kind)]
    if wrong:
        raise ModelArtifactError(f"in {path}, {', '.join(wrong)} {'is' if len(wrong) == 1 else 'are'} missing or "
                                 "of another type: retrain with make train")
    return metadata


def _json_type(value) -> str:
    for kind, name in ((bool, "boolean"), (dict, "object"), (list, "array"), (str, "string"), (int, "number"),
                       (float, "number")):
        if isinstance(value, kind):
            return name
    return "null"


def load_artifact(model_dir: str | Path) -> Artifact:
    """Load a model directory after checking its metadata, its hash and library versions."""
    metadata = read_metadata(model_dir)
    model_path = Path(model_dir).resolve() / MODEL_FILE
    if not model_path.is_file():
        raise ModelArtifactError(f"no {MODEL_FILE} in {model_path.parent}: train a model first (make train)")
    actual = sha256_of(model_path)
    if actual != metadata["sha256"]:
        raise ModelArtifactError(
            f"{model_path} does not match its metadata (sha256 {actual[:12]}… != {metadata['sha256'][:12]}…): "
            "the file was changed or truncated; retrain with make train or restore the directory"
        )
    saved = metadata["libraries"]
    current = library_versions()
    mismatched = [f"{lib} {saved.get(lib)} (model) vs {current[lib]} (installed)"
                  for lib in CHECKED_LIBRARIES if saved.get(lib) != current[lib]]
    if mismatched:
        raise ModelArtifactError(
            "model was saved with other library versions: " + "; ".join(mismatched)
            + ". Install the pinned versions (pip install -e .) or retrain with make train"
        )
    try:
        payload = joblib.load(model_path)
    except Exception as error:  # unpickling a damaged file can fail in any way
        raise ModelArtifactError(f"{model_path} matches its sha256 but cannot be read ({type(error).__name__}: "
                                 f"{error}): retrain with make train") from error
    if not (isinstance(payload, dict) and isinstance(payload.get("model"), PortrayalModel)
            and isinstance(payload.get("registry"), dict)):
        raise ModelArtifactError(f"{model_path} holds no portrayal model and target registry: retrain with make train")
    try:
        check_is_fitted(payload["model"])
    except NotFittedError as error:
        raise ModelArtifactError(f"{model_path} holds a model that was never fitted: "
                                 "retrain with make train") from error
    return Artifact(model=payload["model"], registry=TargetRegistry(payload["registry"]), metadata=metadata)
