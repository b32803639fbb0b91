"""Sentence splitting with nltk's Punkt, configured from our own abbreviation files.

No nltk data is downloaded: Punkt runs with parameters built from the word lists in
`portrayal/resources`. A line break always ends a sentence (headlines, captions and
teasers carry no final period), and a boundary Punkt finds inside « » or “ ” quotes is
undone so that a quote stays with the sentence that reports it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer

_OPENING_QUOTES = {"«": "»", "“": "”"}
_LINE = re.compile(r"[^\n\r]+")
_QUOTE_OR_EXCLAMATION_END = re.compile(r"(?:[»”\"]|[!?…]\s*[»”\"]?)\s*$")


@dataclass(frozen=True)
class Sentence:
    """A sentence and its character offsets [start, end) in the text it came from."""

    index: int
    start: int
    end: int
    text: str


class _NewsLanguageVars(PunktLanguageVars):
    """Punkt's defaults plus the ellipsis character as a sentence end."""

    sent_end_chars = (".", "?", "!", "…")


class _NewsPunkt(PunktSentenceTokenizer):
    # Closing quotes and brackets after a period belong to the sentence that ends there.
    _re_boundary_realignment = re.compile(r"[\"'’»”)\]}]+?(?:\s+|(?=--)|$)", re.MULTILINE)


def _word_list(name: str) -> set[str]:
    text = resources.files("portrayal.resources").joinpath(name).read_text(encoding="utf-8")
    return {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}


@lru_cache(maxsize=1)
def _tokenizer() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = _word_list("abbreviations_fr.txt") | _word_list("abbreviations_en.txt")
    params.sent_starters = _word_list("sentence_starters.txt")
    return _NewsPunkt(params, lang_vars=_NewsLanguageVars())


def _inside_quote(text: str, position: int) -> bool:
    """True when `position` lies between an opening « or “ and its closing mark."""
    depth = 0
    for char in text[:position]:
        if char in _OPENING_QUOTES:
            depth += 1
        elif char in _OPENING_QUOTES.values() and depth:
            depth -= 1
    return depth > 0


def _realign_opening_quotes(line: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Punkt leaves the next sentence's opening « or “ at the end of the previous one."""
    spans = list(spans)
    for i in range(len(spans) - 1):
        start, end = spans[i]
        body = line[start:end].rstrip()
        if body and body[-1] in _OPENING_QUOTES:
            quote_at = start + len(body) - 1
            spans[i] = (start, quote_at)
            spans[i + 1] = (quote_at, spans[i + 1][1])
    return spans


def _line_spans(line: str) -> list[tuple[int, int]]:
    spans = _realign_opening_quotes(line, _tokenizer().span_tokenize(line))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and (
            (_inside_quote(line, start) and _quote_closes_after(line, start))
            or _continues_reported_speech(line[merged[-1][0]:merged[-1][1]], line[start:end])
        ):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _continues_reported_speech(previous: str, following: str) -> bool:
    """« Non merci ! » a-t-il écrit: a quote or ?/! followed by a lower-case clause."""
    return bool(_QUOTE_OR_EXCLAMATION_END.search(previous)) and following[:1].islower()


def _quote_closes_after(line: str, position: int) -> bool:
    """Only keep a quote together when it is closed later on the same line."""
    rest = line[position:]
    return any(closing in rest for closing in _OPENING_QUOTES.values())


def split_sentences(text: str) -> list[Sentence]:
    """Split an article into sentences with their offsets in `text`."""
    sentences: list[Sentence] = []
    for line in _LINE.finditer(text):
        for start, end in _line_spans(line.group()):
            piece = line.group()[start:end]
            stripped = piece.strip()
            if not stripped:
                continue
            offset = line.start() + start + (len(piece) - len(piece.lstrip()))
            sentences.append(Sentence(len(sentences), offset, offset + len(stripped), stripped))
    return sentences


def sentences_from_list(texts: list[str]) -> list[Sentence]:
    """Wrap already split sentences, kept exactly and in order.

    Offsets refer to the sentences joined with one newline each, so that they are unique
    and consistent with `split_sentences` on that joined text.
    """
    sentences, offset = [], 0
    for index, text in enumerate(texts):
        sentences.append(Sentence(index, offset, offset + len(text), text))
        offset += len(text) + 1
    return sentences
