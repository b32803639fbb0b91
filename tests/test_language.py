"""The article's language comes from the function words of its sentences."""
import pytest

from portrayal.language import detect_language
from portrayal.references import lower_words


@pytest.mark.parametrize("text, lang", [
    ("Elon Musk a proposé 97,4 milliards de dollars pour racheter OpenAI, mais le conseil a refusé.", "fr"),
    ("The board of OpenAI turned down the offer that Elon Musk had made on Monday.", "en"),
    ("El consejo de OpenAI rechazó la oferta de Musk y no quiso negociar con él.", "es"),
    ("Der Vorstand von OpenAI hat das Angebot von Musk nicht angenommen.", "de"),
    ("Tesla, SpaceX, xAI", "und"),
])
def test_a_scored_article_carries_the_language_of_its_function_words(scorer, text, lang):
    assert scorer.score({"text": text})["lang"] == lang


def test_the_language_counts_words_across_all_sentences(scorer):
    # One English line, then a French paragraph that outweighs it.
    text = ("Breaking news\nLe conseil d'administration d'OpenAI a rejeté l'offre. "
            "Sam Altman a répondu par une blague sur Twitter et il ne compte pas vendre.")
    assert scorer.score({"text": text})["lang"] == "fr"
    assert detect_language(lower_words("Breaking news: the offer is on the table")) == "en"
