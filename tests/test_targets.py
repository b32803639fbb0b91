"""Mention detection: names, aliases, titles, typos, pronoun carry-over, companies."""
import pytest

from portrayal.segment import split_sentences
from portrayal.targets import MentionFinder, TargetRegistry

from .conftest import REGISTRY


@pytest.fixture(scope="module")
def finder():
    return MentionFinder(TargetRegistry.from_file(REGISTRY))


def found(finder, text):
    """[(sentence, {target: [(mention text, via)]})] for an article."""
    sentences = split_sentences(text)
    return [{t: [(m.text, m.via) for m in ms] for t, ms in mentions.items()}
            for mentions in finder.find(sentences)]


@pytest.mark.parametrize("text, target, mention, via", [
    ("Elon Musk a déposé une offre.", "musk", "Elon Musk", "name"),
    ("L'offre de Musk a été rejetée.", "musk", "Musk", "name"),
    ("Le patron de Tesla a déposé une offre.", "musk", "Le patron de Tesla", "title"),
    ("Une lettre du patron de SpaceX est arrivée.", "musk", "du patron de SpaceX", "title"),
    ("L'homme le plus riche du monde insiste.", "musk", "L'homme le plus riche du monde", "alias"),
    ("The world's richest man filed suit.", "musk", "The world's richest man", "alias"),
    ("Le patron d'OpenAI a refusé.", "altman", "Le patron d'OpenAI", "title"),
    ("Le PDG d’OpenAI a refusé.", "altman", "Le PDG d’OpenAI", "title"),
    ("OpenAI's CEO shrugged it off.", "altman", "OpenAI's CEO", "title"),
    ("Sam Atlman a refusé.", "altman", "Sam Atlman", "name"),
    ("Elon Musc insiste.", "musk", "Elon Musc", "name"),
    ("SAM ALTMAN RÉPOND À MUSK", "altman", "SAM ALTMAN", "name"),
])
def test_names_aliases_titles_and_typos_are_found(finder, text, target, mention, via):
    assert (mention, via) in found(finder, text)[0][target]


@pytest.mark.parametrize("text", [
    "OpenAI a annoncé un nouveau modèle de raisonnement.",
    "Tesla a publié ses résultats trimestriels.",
    "xAI lève six milliards de dollars.",
    "Un parfum au musc blanc.",
])
def test_a_company_or_a_common_word_is_not_its_boss(finder, text):
    assert found(finder, text) == [{}]


def test_a_pronoun_continues_the_previous_sentences_target(finder):
    mentions = found(finder, "Elon Musk a déposé une offre. Il a ensuite menacé de poursuivre OpenAI.")
    assert mentions[1] == {"musk": [("Il", "pronoun")]}


def test_a_subject_pronoun_before_the_other_target_still_refers_to_the_focus(finder):
    mentions = found(finder, "Musk a relancé les hostilités. Il a qualifié Sam Altman d'escroc.")
    assert mentions[1]["musk"] == [("Il", "pronoun")]
    assert mentions[1]["altman"] == [("Sam Altman", "name")]


def test_the_speaker_of_a_quote_is_referred_to(finder):
    mentions = found(finder, "Sam Altman a réagi sur X. « Je ne suis pas à vendre », a-t-il écrit.")
    assert [via for _, via in mentions[1]["altman"]] == ["pronoun", "pronoun"]
    english = found(finder, "Altman was asked about the bid. “I feel for the guy,” he said.")
    assert english[1]["altman"] == [("I", "pronoun"), ("he", "pronoun")]


def test_impersonal_il_refers_to_nobody(finder):
    mentions = found(finder, "Musk a parlé. Il faut dire que l'offre était faible. Il y a eu des réactions.")
    assert mentions[1] == {} and mentions[2] == {}


def test_a_pronoun_does_not_reach_back_too_far(finder):
    text = "Musk a parlé. La séance a repris. Les marchés ont ouvert. Le dollar a baissé. Il a ajouté un mot."
    assert found(finder, text)[4] == {}


def test_group_references_refer_to_both_targets(finder):
    mentions = found(finder, "Les deux hommes avaient fondé ensemble le laboratoire.")[0]
    assert set(mentions) == {"musk", "altman"}


def test_a_plural_pronoun_after_both_targets_refers_to_both(finder):
    result = found(finder, "Elon Musk a cofondé OpenAI. Sam Altman l'a rejoint ensuite. "
                           "Ils se sont brouillés en 2018. They still sue each other.")
    assert result[2] == {"musk": [("Ils", "pronoun")], "altman": [("Ils", "pronoun")]}
    assert set(result[3]) == {"musk", "altman"}


def test_a_plural_pronoun_after_one_target_is_somebody_else(finder):
    result = found(finder, "Elon Musk a réuni ses avocats. Ils ont déposé plainte lundi.")
    assert "altman" not in result[1]
    result = found(finder, "Sam Altman a parlé. OpenAI a publié un modèle. Le cours a monté. "
                           "Elon Musk a répondu. Les analystes hésitent. Ils attendent la suite.")
    assert "altman" not in result[5]  # Altman was last named too long ago


def test_mention_offsets_point_into_the_article(finder):
    text = "Titre\nHier, Elon Musk a écrit à Sam Altman."
    sentences = split_sentences(text)
    for mentions in finder.find(sentences):
        for target_mentions in mentions.values():
            for mention in target_mentions:
                assert text[mention.start:mention.end] == mention.text
