"""The compiled arithmetic gives scikit-learn's own probabilities, and survives a pickle round trip."""
import pickle

import numpy as np

from portrayal.scoring import prepare
from portrayal.inputs import parse_article

ARTICLE = ("Musk contre Altman : « Scam Altman », tonne le milliardaire\n"
           "Elon Musk a qualifié lundi Sam Altman d'escroc. Le patron d'OpenAI n'a pas répondu.\n"
           "Analysts said the OpenAI CEO had played his hand brilliantly; Musc was not amused.\n"
           "Cliquez ici pour lire la suite")


def masked_texts(scorer, corpus):
    texts = [r["text"] for r in corpus[:400]] + prepare(scorer.finder, parse_article({"text": ARTICLE})).masked
    return texts + ["", "   ", "!!!", "é" * 300]


def test_compiled_heads_match_scikit_learn(scorer, corpus):
    texts = masked_texts(scorer, corpus)
    model = scorer.model
    shared = model.vectorizer_.transform(texts)  # scikit-learn's own path
    reference = {name: head.predict_proba(shared)
                 for name, head in {"sentiment": model.sentiment_head_, **model.stance_heads_}.items()}
    compiled = scorer.model.compiled.predict_proba(texts)
    assert set(compiled) == set(reference) == {"sentiment", "musk", "altman"}
    for head, (probabilities, classes) in compiled.items():
        fitted = scorer.model.sentiment_head_ if head == "sentiment" else scorer.model.stance_heads_[head]
        assert classes == tuple(fitted.classes_)
        np.testing.assert_allclose(probabilities, reference[head], atol=1e-12)


def test_compiled_features_match_the_feature_union(scorer, corpus):
    texts = masked_texts(scorer, corpus)
    ours = scorer.model.compiled.features(texts).toarray()
    theirs = scorer.model.vectorizer_.transform(texts).toarray()
    np.testing.assert_allclose(ours, theirs, atol=1e-12)


def test_the_compiled_form_is_not_pickled_and_is_rebuilt(scorer):
    scorer.model.compiled  # built
    restored = pickle.loads(pickle.dumps(scorer.model))
    assert "_compiled" not in vars(restored)
    texts = ["Elon Musk a perdu son procès contre OpenAI."]
    np.testing.assert_allclose(restored.compiled.predict_proba(texts)["musk"][0],
                               scorer.model.compiled.predict_proba(texts)["musk"][0])
