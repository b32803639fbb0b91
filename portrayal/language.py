"""Cheap language identification from function words, enough to tell fr/en/es/de/it/pt apart."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

# Short, frequent function words that are rare in the other languages of the list.
_FUNCTION_WORDS = {
    "fr": "le la les des du de d l à un une et est sont pas que qui qu pour dans sur avec il elle ce cette au aux ses son mais ont été aussi ne".split(),
    "en": "the and is are was were not that which for with on he his of to this by from has have will would".split(),
    "es": "el la los las y es son no que para con por una del al su pero como más está también entre muy".split(),
    "de": "der die das und ist sind nicht für mit auf ein eine den dem des zu sich auch wird".split(),
    "it": "il lo gli e è sono non che per con una del della di al su ma come più questo".split(),
    "pt": "o os as e é são não que para com uma do da dos em no na mas como mais".split(),
}
UNDETERMINED = "und"


def detect_language(words: Iterable[str], default: str = UNDETERMINED) -> str:
    """ISO 639-1 code of the language with the most function words among `words` (lower-cased).

    The words are those the mention finder reads anyway (`references.lower_words` of each
    sentence), so the article is not scanned once more.
    """
    counts = Counter(words)
    scores = {lang: sum(counts[word] for word in vocabulary & counts.keys()) for lang, vocabulary in _VOCABULARY.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] > 0 else default


_VOCABULARY = {lang: frozenset(words) for lang, words in _FUNCTION_WORDS.items()}
