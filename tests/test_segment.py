"""Sentence splitting: abbreviations, quotes, line breaks, offsets."""
import pytest

from portrayal.segment import sentences_from_list, split_sentences


def texts(text):
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize("text, expected", [
    ("M. Musk a déposé une offre. Mme Dupont a réagi.", ["M. Musk a déposé une offre.", "Mme Dupont a réagi."]),
    ("Le Dr Martin, etc. Il a parlé.", ["Le Dr Martin, etc.", "Il a parlé."]),
    ("The U.S. government said so. Mr. Altman agreed.", ["The U.S. government said so.", "Mr. Altman agreed."]),
    ("Une offre (env. 93 milliards) a été faite. Voilà.", ["Une offre (env. 93 milliards) a été faite.", "Voilà."]),
])
def test_abbreviations_do_not_end_sentences(text, expected):
    assert texts(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("« Non merci. Nous rachèterons Twitter. » a écrit Sam Altman. Il a ri.",
     ["« Non merci. Nous rachèterons Twitter. » a écrit Sam Altman.", "Il a ri."]),
    ("“No thank you. We will buy Twitter,” he wrote. Musk replied.",
     ["“No thank you. We will buy Twitter,” he wrote.", "Musk replied."]),
    ("Il a répondu « non merci ». « Je ne suis pas à vendre », a-t-il ajouté.",
     ["Il a répondu « non merci ».", "« Je ne suis pas à vendre », a-t-il ajouté."]),
    ("« Quelle honte ! » s'est exclamé Musk. Fin.", ["« Quelle honte ! » s'est exclamé Musk.", "Fin."]),
])
def test_quotes_stay_with_their_sentence(text, expected):
    assert texts(text) == expected


def test_a_line_break_always_ends_a_sentence():
    text = "Musk contre Altman : la guerre est déclarée\nLire aussi : le procès\nPhoto AFP\nLe texte commence ici. Il continue."
    assert texts(text) == ["Musk contre Altman : la guerre est déclarée", "Lire aussi : le procès", "Photo AFP",
                           "Le texte commence ici.", "Il continue."]


def test_offsets_point_into_the_original_text():
    text = "  Titre\r\n\n   Elon Musk a parlé.   Sam Altman a répondu « non ».\n"
    sentences = split_sentences(text)
    assert [s.index for s in sentences] == [0, 1, 2]
    for sentence in sentences:
        assert text[sentence.start:sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()


def test_empty_and_blank_text_have_no_sentences():
    assert split_sentences("") == []
    assert split_sentences(" \n\t\n") == []


def test_presplit_sentences_are_kept_exactly_with_joined_offsets():
    given = ["Premier. Toujours le premier.", "Second"]
    sentences = sentences_from_list(given)
    assert [s.text for s in sentences] == given
    joined = "\n".join(given)
    assert all(joined[s.start:s.end] == s.text for s in sentences)
