"""Behaviour of the trained model on sentences written for these tests (not in the corpus)."""
import pytest


def stance(scorer, text, target):
    return scorer.score({"sentences": [text]})["sentences"][0]["targets"][target]


@pytest.mark.parametrize("text, target, expected", [
    ("Sam Altman est un escroc et un menteur qui a trahi tout le monde.", "altman", "against"),
    ("Elon Musk, mauvais perdant, s'est ridiculisé avec cette offre pathétique.", "musk", "against"),
    ("Critics say Altman lied to his own board and cannot be trusted.", "altman", "against"),
    ("Elon Musk a réussi un exploit remarquable, salué par tous les ingénieurs.", "musk", "favor"),
    ("Sam Altman, brillant et admiré, a su redresser OpenAI avec talent.", "altman", "favor"),
    ("Elon Musk a déposé lundi une offre de 97,4 milliards de dollars.", "musk", "neutral"),
    ("Sam Altman s'exprimera jeudi à San Francisco.", "altman", "neutral"),
])
def test_clear_cases(scorer, text, target, expected):
    assert stance(scorer, text, target)["stance"] == expected


def test_a_sentence_without_the_target_is_none(scorer):
    threshold = scorer.model.reference_decision_.threshold_
    for target in ("musk", "altman"):
        result = stance(scorer, "OpenAI a annoncé un nouveau modèle de raisonnement.", target)
        assert {k: result[k] for k in ("stance", "proba", "mentions")} == {"stance": "none", "proba": None,
                                                                          "mentions": []}
        assert 0 <= result["p_referred"] < threshold


@pytest.mark.parametrize("template, forms", [
    ("{} a qualifié l'offre de grotesque avant de la rejeter.", ["Sam Altman", "Le patron d'OpenAI", "Altman"]),
    ("{} a été humilié par le refus du conseil d'administration.", ["Elon Musk", "Le patron de Tesla", "Musk"]),
])
def test_how_a_target_is_named_does_not_change_its_stance(scorer, template, forms):
    target = "altman" if "Altman" in forms[0] else "musk"
    labels = {stance(scorer, template.format(form), target)["stance"] for form in forms}
    assert len(labels) == 1


def test_framing_an_act_as_spite_makes_it_more_against(scorer):
    plain = stance(scorer, "Musk a porté plainte contre OpenAI.", "musk")["proba"]["against"]
    framed = stance(scorer, "Par pure vengeance et par jalousie, Musk a porté plainte contre OpenAI.", "musk")
    assert framed["proba"]["against"] > plain


def test_two_targets_in_one_sentence_are_judged_separately(scorer):
    sentence = scorer.score({"sentences": ["Elon Musk a traité Sam Altman d'escroc et de menteur."]})["sentences"][0]
    assert sentence["targets"]["altman"]["stance"] == "against"
    assert sentence["targets"]["altman"]["proba"]["against"] > sentence["targets"]["musk"]["proba"]["against"]


def test_the_summary_does_not_drift_with_article_length(scorer):
    article = ("Elon Musk a lancé une offre hostile. Sam Altman l'a rejetée avec ironie. "
               "Les analystes jugent la manœuvre de Musk maladroite. ")
    short = scorer.score({"text": article})["summary"]
    long = scorer.score({"text": article * 8})["summary"]
    for target in ("musk", "altman"):
        assert long[target]["sentences"] > short[target]["sentences"]
        assert abs(long[target]["score"] - short[target]["score"]) < 0.05
        assert -1 <= long[target]["score"] <= 1


def test_negative_sentiment_for_a_feud_without_names(scorer):
    sentiment = scorer.score({"sentences": ["La guerre entre milliardaires tourne au règlement de comptes haineux."]})
    assert sentiment["sentences"][0]["sentiment"]["label"] == "negative"
