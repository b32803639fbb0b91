"""Sentence splitting with nltk's Punkt, configured from our own abbreviation files.

No nltk data is downloaded: Punkt runs with parameters built from the word lists in
`portrayal/resources`. A line break always ends a sentence (headlines, captions and
teasers carry no final period), and a boundary Punkt finds inside « » or “ ” quotes is
undone so that a quote stays with the sentence that reports it.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer, PunktToken

_OPENING_QUOTES = {"«": "»", "“": "”"}
_LINE = re.compile(r"[^\n\r]+")
_QUOTE_MARK = re.compile("[«»“”]")
# Punkt only ends a sentence in a word holding one of its end characters, before white space and more text.
_POSSIBLE_BOUNDARY = re.compile(r"[.?!…]\S*\s+\S")
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
    # Closing quotes and brackets after a period belong to the sentence that ends there (an
    # opening « or “ taken along too is handed back by `_realign_opening_quotes`).
    re_boundary_realignment = re.compile(PunktLanguageVars.re_boundary_realignment.pattern, re.MULTILINE)

    def _word_tokenizer_re(self):
        if "_plain_word_tokenizer" not in vars(self):
            self._plain_word_tokenizer = _PlainPatterns.plain(super()._word_tokenizer_re())
        return self._plain_word_tokenizer

    def period_context_re(self):
        if "_plain_period_context" not in vars(self):
            self._plain_period_context = _PlainPatterns.plain(super().period_context_re())
        return self._plain_period_context


class _PlainPatterns:
    """nltk sends every regular expression through a ReDoS guard (the `regex` engine and a timeout),
    meant for patterns a caller supplies. Punkt's own fixed patterns need no guard; compiled by `re`
    they make splitting about a third faster. The patterns are nltk's, unchanged."""

    @staticmethod
    def plain(guarded) -> re.Pattern:
        return re.compile(guarded.pattern, re.UNICODE | (guarded.flags & re.VERBOSE))


class _NewsToken(PunktToken):
    __slots__ = ()
    _RE_ELLIPSIS = _PlainPatterns.plain(PunktToken._RE_ELLIPSIS)
    _RE_NUMERIC = _PlainPatterns.plain(PunktToken._RE_NUMERIC)
    _RE_INITIAL = _PlainPatterns.plain(PunktToken._RE_INITIAL)
    _RE_ALPHA = _PlainPatterns.plain(PunktToken._RE_ALPHA)
    _RE_NON_PUNCT = re.compile(r"[^\W\d]")

    @property
    def is_non_punct(self):
        return self._RE_NON_PUNCT.search(self.type)


def _word_list(name: str) -> set[str]:
    text = resources.files("portrayal.resources").joinpath(name).read_text(encoding="utf-8")
    return {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}


@lru_cache(maxsize=1)
def _tokenizer() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = _word_list("abbreviations_fr.txt") | _word_list("abbreviations_en.txt")
    params.sent_starters = _word_list("sentence_starters.txt")
    return PunktSentenceTokenizer(params, lang_vars=_NewsLanguageVars(), token_cls=_NewsToken)


class _QuoteDepth:
    """Nesting depth of « » and “ ” quotes at any position of a line, from one scan."""

    def __init__(self, line: str):
        self.positions, self.depths = [], []
        depth = 0
        for match in _QUOTE_MARK.finditer(line):
            if match.group() in _OPENING_QUOTES:
                depth += 1
            elif depth:
                depth -= 1
            self.positions.append(match.start())
            self.depths.append(depth)
        closings = [line.rfind(closing) for closing in _OPENING_QUOTES.values()]
        self.last_closing = max(closings)

    def inside_closed_quote(self, position: int) -> bool:
        """True when `position` lies inside a quote that is closed later on the same line."""
        i = bisect_right(self.positions, position - 1) - 1
        return i >= 0 and self.depths[i] > 0 and self.last_closing >= position


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
    if not _POSSIBLE_BOUNDARY.search(line):  # a headline, a caption, a one-sentence paragraph
        return [(0, len(line))]
    spans = _realign_opening_quotes(line, _tokenizer().span_tokenize(line))
    quotes = _QuoteDepth(line)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and (
            quotes.inside_closed_quote(start)
            or _continues_reported_speech(line[merged[-1][0]:merged[-1][1]], line[start:end])
        ):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _continues_reported_speech(previous: str, following: str) -> bool:
    """« Non merci ! » a-t-il écrit: a quote or ?/! followed by a lower-case clause."""
    return bool(_QUOTE_OR_EXCLAMATION_END.search(previous)) and following[:1].islower()


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
