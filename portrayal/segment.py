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

from .errors import InputError

_OPENING_QUOTES = {"«": "»", "“": "”"}
_LINE = re.compile(r"[^\n\r]+")
_QUOTE_MARK = re.compile("[«»“”]")
# Punkt only ends a sentence in a word holding one of its end characters, before white space and more text.
_END_CHARACTER = re.compile(r"[.?!…]")
_SPACE_THEN_TEXT = re.compile(r"\s\S")
# A span ending in one of these, spaces aside, may go on in a lower-case clause (« Non merci ! » a-t-il écrit).
_QUOTE_OR_EXCLAMATION_ENDS = "»”\"!?…"
# Punkt decides each candidate boundary from a short context (the word before, the end
# characters, the word after). The decision depends on that text alone, so it is cached:
# text made of one context repeated thousands of times ("a… a… a…") costs one decision.
_CACHED_CONTEXT_CHARS = 200


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


class _NewsPunkt(PunktSentenceTokenizer):
    """Punkt's span_tokenize in one loop, with its decision per candidate boundary remembered.

    nltk chains three generators (candidate contexts, slices, realignment) and copies every
    sentence to realign it; text dense with candidates ("a… a… a…", ". . .") pays that overhead
    per candidate. The loop below does what those three do, in the same order, reading the text
    in place; `tests/test_segment.py` holds it equal to nltk's on random and real text.
    """

    def __init__(self, params: PunktParameters):
        super().__init__(params, lang_vars=_NewsLanguageVars(), token_cls=_NewsToken)
        self._decided = lru_cache(maxsize=4096)(super().text_contains_sentbreak)

    def text_contains_sentbreak(self, text: str) -> bool:
        if len(text) > _CACHED_CONTEXT_CHARS:
            return super().text_contains_sentbreak(text)
        return self._decided(text)

    def span_tokenize(self, text: str, realign_boundaries: bool = True):
        realign = self._lang_vars.re_boundary_realignment
        pending, shift = None, 0  # the previous sentence, waiting to see whether the next one realigns
        for start, stop in self._unaligned_spans(text):
            if pending is not None:
                begin = pending[0] + shift
                moved = realign.match(text, start, stop) if realign_boundaries else None
                if moved:
                    yield begin, start + len(moved.group(0).rstrip())
                    shift = moved.end() - start
                else:
                    shift = 0
                    if pending[1] > begin:
                        yield begin, pending[1]
            pending = (start, stop)
        if pending is not None and pending[1] > pending[0] + shift:
            yield pending[0] + shift, pending[1]

    def _unaligned_spans(self, text: str):
        """nltk's `_match_potential_end_contexts` and `_slices_from_text`, fused."""
        last_break = 0
        for match, context in self._candidates(text):
            if self.text_contains_sentbreak(context):
                yield last_break, match.end()
                last_break = match.start("next_tok") if match.group("next_tok") else match.end()
        yield last_break, len(text.rstrip())

    def _candidates(self, text: str):
        previous_start = previous_stop = 0
        previous_match = None
        spaces = [c for c in _ASCII_WHITESPACE if c in text]  # usually just " "
        for match in self._lang_vars.period_context_re().finditer(text):
            # The word before the candidate starts after the last white space since the previous
            # candidate (nltk reads string.whitespace, and a space right at that point as none).
            space = max([text.rfind(c, previous_stop + 1, match.start()) for c in spaces], default=-1)
            word_start = space + 1 if space >= 0 else previous_start
            if previous_match is not None and previous_stop <= word_start:
                yield previous_match, _context(text, previous_start, previous_match)
            previous_match, previous_start, previous_stop = match, word_start, match.start()
        if previous_match is not None:
            yield previous_match, _context(text, previous_start, previous_match)


_ASCII_WHITESPACE = " \t\n\r\x0b\x0c"


def _context(text: str, word_start: int, match) -> str:
    return text[word_start:match.start()] + match.group() + match.group("after_tok")


@lru_cache(maxsize=1)
def _tokenizer() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = _word_list("abbreviations_fr.txt") | _word_list("abbreviations_en.txt")
    params.sent_starters = _word_list("sentence_starters.txt")
    return _NewsPunkt(params)


def _may_hold_a_boundary(line: str) -> bool:
    """An end character followed, later, by white space and more text (two scans, linear)."""
    end = _END_CHARACTER.search(line)
    return end is not None and _SPACE_THEN_TEXT.search(line, end.end()) is not None


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


def _realign_opening_quotes(line: str, spans):
    """Punkt leaves the next sentence's opening « or “ at the end of the previous one."""
    pending = None
    for start, end in spans:
        if pending is not None:
            body_end = _end_before_spaces(line, *pending)
            if body_end > pending[0] and line[body_end - 1] in _OPENING_QUOTES:
                pending, start = (pending[0], body_end - 1), body_end - 1
            yield pending
        pending = (start, end)
    if pending is not None:
        yield pending


def _end_before_spaces(line: str, start: int, end: int) -> int:
    while end > start and line[end - 1].isspace():
        end -= 1
    return end


def _line_spans(line: str):
    """The sentence spans of one line, in order (a generator, so that a caller may stop early)."""
    if not _may_hold_a_boundary(line):  # a headline, a caption, a one-sentence paragraph
        yield 0, len(line)
        return
    quotes = _QuoteDepth(line)
    merged = None
    for start, end in _realign_opening_quotes(line, _tokenizer().span_tokenize(line)):
        if merged is not None and (quotes.inside_closed_quote(start) or _continues_reported_speech(line, merged, start)):
            merged = (merged[0], end)
            continue
        if merged is not None:
            yield merged
        merged = (start, end)
    if merged is not None:
        yield merged


def _continues_reported_speech(line: str, previous: tuple[int, int], start: int) -> bool:
    """« Non merci ! » a-t-il écrit: a quote or ?/! followed by a lower-case clause.

    Reads the end of the previous span in place: a merged span can grow to the whole line, and
    copying or searching it again for each following span would be quadratic.
    """
    if not line[start:start + 1].islower():
        return False
    end = _end_before_spaces(line, *previous)
    return end > previous[0] and line[end - 1] in _QUOTE_OR_EXCLAMATION_ENDS


def split_sentences(text: str, max_sentences: int | None = None) -> list[Sentence]:
    """Split an article into sentences with their offsets in `text`.

    With `max_sentences`, raises InputError as soon as the text holds more, without reading the rest.
    """
    sentences: list[Sentence] = []
    for line in _LINE.finditer(text):
        line_text = line.group()  # group() copies: once per line, not once per sentence
        for start, end in _line_spans(line_text):
            piece = line_text[start:end]
            stripped = piece.strip()
            if not stripped:
                continue
            if max_sentences is not None and len(sentences) == max_sentences:
                raise InputError(f"text holds more than {max_sentences} sentences; the limit is {max_sentences} "
                                 "per article (split it into several articles)", "text")
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
