"""A registry target the corpus has no labels for is scored by the target-conditioned generic head."""
import copy
import json

import pytest

from portrayal.artifact import Artifact
from portrayal.errors import ModelArtifactError
from portrayal.scoring import Scorer
from portrayal.references import TargetRegistry
from portrayal.training import train

from .conftest import REGISTRY

ZUCKERBERG = {"id": "zuckerberg", "display_name": "Mark Zuckerberg", "names": ["Mark Zuckerberg", "Zuckerberg"],
              "aliases": ["le patron de Meta", "the Meta CEO"],
              "pronouns": {"fr": ["il", "lui", "son", "sa", "ses"], "en": ["he", "him", "his"]}}


def with_target(artifact, model=None):
    document = copy.deepcopy(artifact.registry.document)
    document["targets"].append(ZUCKERBERG)
    return Artifact(model or artifact.model, TargetRegistry(document), artifact.metadata)


@pytest.fixture(scope="module")
def extended(scorer):
    return Scorer(with_target(scorer.artifact))


def test_a_new_target_gets_a_stance_wherever_it_is_referred_to(extended):
    result = extended.score({"text": "Mark Zuckerberg a réussi un coup de maître, salué par tous les analystes.\n"
                                     "Il a ensuite présenté ses lunettes connectées.\n"
                                     "OpenAI a publié un nouveau modèle."})
    first, second, third = (s["targets"]["zuckerberg"] for s in result["sentences"])
    assert first["stance"] == "favor" and first["mentions"][0]["via"] == "name"
    assert abs(sum(first["proba"].values()) - 1) < 1e-3
    assert second["stance"] != "none" and second["mentions"][0]["text"] == "Il"
    assert {k: third[k] for k in ("stance", "proba", "mentions")} == {"stance": "none", "proba": None, "mentions": []}
    assert result["summary"]["zuckerberg"]["sentences"] == 2
    assert all(s["targets"]["musk"]["stance"] == "none" for s in result["sentences"])


def test_the_trained_targets_keep_their_own_heads(scorer, extended):
    text = "Elon Musk a qualifié Sam Altman d'escroc lors d'une conférence avec Mark Zuckerberg."
    before, after = scorer.score({"text": text}), extended.score({"text": text})
    for target in ("musk", "altman"):
        kept, changed = before["sentences"][0]["targets"][target], after["sentences"][0]["targets"][target]
        assert {k: v for k, v in changed.items() if k != "p_referred"} == {k: v for k, v in kept.items()
                                                                             if k != "p_referred"}
        # Zuckerberg is now a target rather than another person: the reference decision sees it, a little.
        assert abs(changed["p_referred"] - kept["p_referred"]) < 0.05
    assert after["sentences"][0]["targets"]["zuckerberg"]["stance"] != "none"


def test_a_clear_criticism_of_the_new_target_is_against(extended):
    sentence = extended.score({"sentences": ["Critics say Zuckerberg lied to Congress and cannot be trusted."]})
    assert sentence["sentences"][0]["targets"]["zuckerberg"]["stance"] == "against"


def test_a_model_without_a_generic_head_refuses_a_registry_with_new_targets(scorer):
    model = copy.copy(scorer.model)
    model.generic_head_ = None
    with pytest.raises(ModelArtifactError, match="zuckerberg"):
        Scorer(with_target(scorer.artifact, model))


def test_training_reports_the_generic_head_on_each_target(scorer):
    for split in ("dev", "test"):
        figures = scorer.artifact.metadata["metrics"][split]["generic_head"]
        assert set(figures) == {"musk", "altman"}
        for row in figures.values():
            assert row["pairs"] > 50 and 0.3 < row["generic_head"] <= 1 and 0.3 < row["own_head"] <= 1


def test_training_with_a_new_registry_target_scores_it(tmp_path, corpus):
    registry = json.loads(REGISTRY.read_text(encoding="utf-8"))
    registry["targets"].append(ZUCKERBERG)
    (tmp_path / "targets.json").write_text(json.dumps(registry, ensure_ascii=False), encoding="utf-8")
    articles = sorted({r["article"] for r in corpus})[::6]  # a sixth of the articles, enough for every split
    subset = tmp_path / "corpus.jsonl"
    subset.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in corpus if r["article"] in articles),
                      encoding="utf-8")
    metrics = train(subset, tmp_path / "targets.json", tmp_path / "model", log=lambda message: None)
    assert set(metrics["test"]["targets"]) == {"musk", "altman"}  # only labelled targets are measured
    result = Scorer.from_dir(tmp_path / "model").score({"text": "Zuckerberg a rejeté l'offre d'Elon Musk."})
    assert set(result["summary"]) == {"musk", "altman", "zuckerberg", "sentiment"}
    assert result["sentences"][0]["targets"]["zuckerberg"]["stance"] in ("favor", "against", "neutral")
