"""The target-conditioned learner: what it reads depends on which person is the target."""
import pickle

from portrayal.conditioned import OTHER, TGT, build_estimator, make_example

SENTENCE = "Musk praised Altman, but Zuckerberg called Altman a fraud."


def spans(word):
    start, found = 0, []
    while (start := SENTENCE.find(word, start)) >= 0:
        found.append((start, start + len(word)))
        start += len(word)
    return found


def test_the_target_and_the_other_persons_are_marked_differently():
    example = make_example(SENTENCE, spans("Altman"), spans("Musk") + spans("Zuckerberg"))
    assert example["masked"] == f"{OTHER} praised {TGT} , but {OTHER} called {TGT} a fraud."
    assert example["tokens"].count(TGT) == 2 and "altman" not in example["tokens"]
    assert example["dist"][example["tokens"].index("praised")] == -1  # one token left of the target
    assert example["mention"] == "altman"


def test_the_same_sentence_reads_differently_for_each_target():
    for_altman = make_example(SENTENCE, spans("Altman"), spans("Musk"))
    for_musk = make_example(SENTENCE, spans("Musk"), spans("Altman"))
    assert for_altman["masked"] != for_musk["masked"]
    assert for_altman["dist"] != for_musk["dist"]


def test_negation_scope_runs_to_the_clause_boundary():
    example = make_example("Altman is not a fraud, says Musk.", [(0, 6)], [(28, 32)])
    tokens, negated = example["tokens"], example["neg"]
    assert negated[tokens.index("fraud")] and not negated[tokens.index("says")]


def test_the_estimator_learns_target_dependent_labels_and_pickles():
    pairs = [
        ("{a} praised {b} warmly.", "a", "neutral"), ("{a} praised {b} warmly.", "b", "positive"),
        ("{a} insulted {b} again.", "a", "neutral"), ("{a} insulted {b} again.", "b", "negative"),
    ]
    names = ["Musk", "Altman", "Nadella", "Pichai", "Zuckerberg", "Bezos", "Cook", "Huang"]
    examples, labels = [], []
    for i, first in enumerate(names):
        second = names[(i + 3) % len(names)]
        for template, role, label in pairs:
            sentence = template.format(a=first, b=second)
            a, b = (0, len(first)), (sentence.index(second), sentence.index(second) + len(second))
            target, other = (a, b) if role == "a" else (b, a)
            examples.append(make_example(sentence, [target], [other]))
            labels.append(label)
    model = pickle.loads(pickle.dumps(build_estimator().fit(examples, labels)))
    sentence = "Sutskever insulted Brockman again."
    as_object = make_example(sentence, [(19, 27)], [(0, 9)])
    as_subject = make_example(sentence, [(0, 9)], [(19, 27)])
    assert list(model.predict([as_object, as_subject])) == ["negative", "neutral"]
