"""The generic words of reference (roles, pronouns, speech verbs...) and how phrases become patterns.

Read once from `portrayal/resources/references.json`; the registry supplies the target-specific
names. Every pattern built here is a plain alternation of literal phrases with fixed word gaps,
so a scan is linear in the text.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources

APOSTROPHE = "['’]"
# A phrase written with a leading definite article also matches its contracted forms.
ARTICLE_FORMS = {
    "le ": r"(?:le|du|au)\s+",
    "la ": r"(?:la|de\s+la|à\s+la)\s+",
    "l'": r"(?:l|de\s+l|à\s+l)" + APOSTROPHE,
    "les ": r"(?:les|des|aux)\s+",
    "the ": r"the\s+",
}
WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def lexicon() -> dict:
    text = resources.files("portrayal.resources").joinpath("references.json").read_text(encoding="utf-8")
    return json.loads(text)


def words_of(entry) -> list[str]:
    """Every phrase of a lexicon entry, whatever its nesting by language or kind."""
    if isinstance(entry, str):
        return [entry]
    if isinstance(entry, dict):
        return [phrase for value in entry.values() for phrase in words_of(value)]
    return [phrase for value in entry for phrase in words_of(value)]


def literal(phrase: str) -> str:
    """Regex for a literal phrase: any run of spaces between words, either apostrophe."""
    return re.sub(r"['’]", APOSTROPHE, re.escape(phrase).replace(r"\ ", r"\s+"))


def phrase_pattern(phrase: str) -> str:
    """Regex for a registry phrase: flexible spaces and apostrophes, contracted articles."""
    lowered = phrase.lower()
    for article, forms in ARTICLE_FORMS.items():
        if lowered.startswith(article) or lowered.startswith(article.replace("'", "’")):
            return forms + literal(phrase[len(article):])
    return literal(phrase)


def alternation(phrases, pattern=literal) -> str:
    """Longest phrase first, so that the longest alternative wins at a position."""
    return "|".join(pattern(p) for p in sorted(set(phrases), key=len, reverse=True))


def lower_words(text: str) -> list[str]:
    """The words of `text`, lower-cased: what tells whether a scan can find anything."""
    return WORD.findall(text.lower())


def first_words(phrases) -> set[str]:
    """The lower-cased words the phrases can begin with (articles in all their contracted forms)."""
    found = set()
    for phrase in phrases:
        lowered = phrase.lower().replace("’", "'")
        article = next((a for a in ARTICLE_FORMS if lowered.startswith(a)), None)
        if article:
            found |= set(WORD.findall(ARTICLE_FORMS[article])) - {"s"}
        if WORD.match(lowered):
            found.add(WORD.match(lowered).group())
    return found


def gate(words) -> str:
    """A lookahead for the words a match can begin with: Python's regex engine tries every
    alternative at every position, and this quick test of a few words first is several times faster."""
    ordered = sorted(words, key=len, reverse=True)
    return rf"(?=(?i:{'|'.join(map(re.escape, ordered))})(?![^\W_]))"


def last_words(phrases) -> set[str]:
    """The lower-cased last word of each phrase: a sentence without any of them needs no scan."""
    return {words[-1] for words in (lower_words(p) for p in phrases) if words}


@lru_cache(maxsize=1)
def given_names() -> dict[str, str]:
    """Common given names (lower-case, without accents) and their usual gender: m, f or x (either)."""
    text = resources.files("portrayal.resources").joinpath("given_names.tsv").read_text(encoding="utf-8")
    return dict(line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))


def plain(word: str) -> str:
    """Lower case without accents: how `given_names` spells a name ("Clémence" -> "clemence")."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Words too common to tell that a phrase may be there.
_COMMON = frozenset("""le la les l un une des du de d au aux à a an the of qui que qu who ce cet cette ces son sa ses
his her their leur leurs mon ma mes my our notre et and ou or en in on up s t n j m c""".split())


def anchors_of(phrases, extra: int = 2) -> dict[str, tuple[int, int]]:
    """For each phrase its most telling word (the longest uncommon one), with how many words may come
    before and after it in a match; `extra` words more before, for contracted articles ("de l'")."""
    anchors: dict[str, tuple[int, int]] = {}
    for phrase in phrases:
        words = lower_words(phrase)
        if not words:
            continue
        index = max(range(len(words)), key=lambda i: (words[i] not in _COMMON, len(words[i])))
        before, after = anchors.get(words[index], (0, 0))
        anchors[words[index]] = (max(before, index + extra), max(after, len(words) - index - 1))
    return anchors
