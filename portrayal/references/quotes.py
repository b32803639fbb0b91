"""Pass two: quotes and who speaks them, across sentences; turns of dialogue in interviews.

A quote opened with « “ or " runs until its closing mark, over as many sentences as it takes
(at most `MAX_QUOTE_SENTENCES`, so that a stray mark cannot swallow an article). Its speaker is
looked for where French and English news put it: after the closing mark (`», a ajouté le
dirigeant`, `” Musk said`), before the opening one (`Altman a répondu : «`, `Selon Musk, «`), in
the sentence that introduces it (`Interrogé mardi, Altman a souri.`) or the one that follows
(`C'est en ces termes que le patron de xAI a conclu.`). A speaker is a target, another person,
a pronoun (resolved later, to whoever the text is about), or unknown.

Interviews are turns: a dash (`— `) or a label (`Q:`, `ALTMAN:`) opens one; the answers are
spoken by the interviewee, and the questions are addressed to him.

Each step reads each quote mark and each sentence a bounded number of times: linear.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cues import BARE_ROLE, CARRIED, EXPLICIT, FEMININE, OTHER_PERSON, POSSESSIVE, SUBJECT, Cue, SentenceCues
from .lexicon import alternation, last_words, lexicon, words_of

MAX_QUOTE_SENTENCES = 8   # a quote still open after this many sentences was a stray mark
MAX_TURN_SENTENCES = 10   # sentences an interview turn may run without a new dash or label
ATTRIBUTION_CHARS = 90    # how far after a closing mark (or before an opening one) the speaker is looked for
_CLOSING = {"«": "»", "“": "”", '"': '"'}
_OPENINGS = "«“"

TARGET, OTHER, PRONOUN, UNKNOWN = "target", "other", "pronoun", "unknown"


@dataclass(frozen=True)
class Speaker:
    """Who speaks a quote: a target (`target` set), another person, a pronoun, or unknown."""

    kind: str
    target: str | None = None
    where: str = ""   # where the attribution was found: after, before, previous, next, label


NOBODY = Speaker(UNKNOWN)


@dataclass
class Quote:
    first: int                    # index of the sentence where it opens
    last: int                     # index of the sentence where it closes (or is cut)
    regions: dict = field(default_factory=dict)   # sentence index -> [(start, end)] of quoted text
    speaker: Speaker = NOBODY
    opens_sentence: bool = False  # the opening mark begins its sentence
    open_at: int = 0
    close_at: int | None = None   # offset of the closing mark in sentence `last` (None when cut)

    @property
    def spans_sentences(self) -> bool:
        return self.last > self.first


@dataclass(frozen=True)
class Turn:
    """A sentence's place in an interview: part of a question or of an answer, and by or to whom."""

    role: str                   # "question" or "answer"
    speaker: Speaker            # the answer's speaker; for a question, the person asked
    start: int                  # index of the turn's first sentence


class QuoteReader:
    """Finds quotes and turns in an article's sentences, given their cues."""

    def __init__(self):
        words = lexicon()
        self._speech = re.compile(rf"(?<!\w)(?:{alternation(words_of(words['speech_verbs']))})(?!\w)|-t-(?:il|elle)\b|"
                                  r"\b(?:dit|estime|ajoute|poursuit|explique|lance|assure|conclut|résume|insiste|"
                                  r"tranche|répond|souligne|précise|glisse|confie|affirme)-(?:il|elle)\b",
                                  re.IGNORECASE)
        self._speech_words = frozenset({"t"} | last_words(words_of(words["speech_verbs"]))
                                       | last_words(words_of(words["speech_introducers"])))
        self._introducer = re.compile(rf"(?<!\w)(?:{alternation(words_of(words['speech_introducers']))})(?!\w)",
                                      re.IGNORECASE)

    def quotes(self, texts: list[str], cues: list[SentenceCues]) -> list[Quote]:
        """Every quote of the article, in order, with its speaker."""
        found: list[Quote] = []
        current: Quote | None = None
        closing = ""
        for i, (text, sentence) in enumerate(zip(texts, cues)):
            region_start = 0 if current is not None else None
            for position, mark in sentence.quote_marks:
                if current is None:
                    if mark in _OPENINGS or mark == '"':
                        current = Quote(first=i, last=i, open_at=position,
                                        opens_sentence=not text[:position].strip(" —–-*"))
                        closing, region_start = _CLOSING[mark], position
                elif mark == closing:
                    current.regions.setdefault(i, []).append((region_start, position + 1))
                    current.last, current.close_at = i, position
                    found.append(current)
                    current = None
            if current is not None:
                current.regions.setdefault(i, []).append((region_start, len(text)))
                current.last = i
                if i - current.first + 1 >= MAX_QUOTE_SENTENCES:
                    found.append(current)
                    current = None
        if current is not None:
            found.append(current)
        previous = None
        for quote in found:
            quote.speaker = self._speaker(quote, texts, cues)
            if (quote.speaker.kind == UNKNOWN and quote.opens_sentence and previous is not None
                    and previous.last == quote.first - 1 and previous.opens_sentence and previous.speaker.kind != UNKNOWN):
                # “We are not for sale.” / “We're focused on the mission.”: the same speaker goes on.
                quote.speaker = Speaker(previous.speaker.kind, previous.speaker.target, where="chain")
            previous = quote
        return found

    def _speaker(self, quote: Quote, texts: list[str], cues: list[SentenceCues]) -> Speaker:
        # The speech patterns are long: they are tried only in sentences that hold a speech word.
        def speech_in(j: int) -> bool:
            return 0 <= j < len(cues) and not self._speech_words.isdisjoint(cues[j].words)

        if quote.close_at is not None and speech_in(quote.last):
            text = texts[quote.last]
            window = (quote.close_at + 1, min(len(text), quote.close_at + 1 + ATTRIBUTION_CHARS))
            after = text[window[0]:window[1]]
            if self._speech.search(after) or after.lstrip(" ,").startswith(("-", "—")):
                speaker = _first_person(cues[quote.last], *window)
                if speaker:
                    return Speaker(*speaker, where="after")
        text = texts[quote.first]
        window = (max(0, quote.open_at - ATTRIBUTION_CHARS), quote.open_at)
        before = text[window[0]:window[1]]
        verbs = list(self._speech.finditer(before)) if speech_in(quote.first) else []
        if before.rstrip().endswith((":", ",")) or verbs:
            speaker = _speaker_around_verb(cues[quote.first], window, verbs[-1].start() + window[0] if verbs else None)
            if speaker:
                return Speaker(*speaker, where="before")
        if not quote.opens_sentence:
            return NOBODY
        following = quote.last + 1
        if quote.close_at is not None and speech_in(following):
            head = texts[following][:ATTRIBUTION_CHARS]
            if self._speech.search(head):
                speaker = _first_person(cues[following], 0, len(head))
                if speaker:
                    return Speaker(*speaker, where="next")
        previous = quote.first - 1
        if previous >= 0:
            text = texts[previous].rstrip()
            speaker = _first_person(cues[previous], 0, len(text))
            if speaker:
                introduced = text.endswith(":") or (speech_in(previous) and (
                    self._introducer.search(text) is not None or self._speech.search(text) is not None))
                # Otherwise a quote standing alone after a sentence about someone is most often his.
                return Speaker(*speaker, where="previous" if introduced else "previous_subject")
        return NOBODY

    def turns(self, texts: list[str], cues: list[SentenceCues], interviewee) -> list[Turn | None]:
        """Each sentence's interview turn, or None.

        Dashes open turns only in an article that reads as an interview: two dashed turns at least,
        one of them a question. Answers are the interviewee's (a target's own label says who),
        questions are put to him; a turn labelled with another person's name is a question when it
        ends with one, that person's answer otherwise.
        """
        spans = []  # (first sentence, end, opening)
        i = 0
        while i < len(texts):
            opening = cues[i].dialogue
            if not opening:
                i += 1
                continue
            end = i + 1
            while (end < len(texts) and not cues[end].dialogue and not cues[end].boilerplate
                   and end - i < MAX_TURN_SENTENCES):
                end += 1
            spans.append((i, end, opening))
            i = end
        if not spans:
            return [None] * len(texts)
        interviewee = interviewee()  # who the interview is with: looked for only in an article with turns
        dashed = [(s, e) for s, e, o in spans if o == "dash"]
        interview = len(dashed) >= 2 and any(cues[e - 1].ends_with_question for s, e in dashed)
        labelled = [o for _, _, o in spans if o not in ("dash", "other", "question_label", "answer_label")]
        if labelled:
            interviewee = Speaker(TARGET, max(set(labelled), key=labelled.count), where="label")
        elif interviewee.kind == TARGET and any(
                interviewee.target in cues[j].explicit_targets()
                for s, e, o in spans if o in ("dash", "answer_label") and not cues[e - 1].ends_with_question
                for j in range(s, e)):
            interviewee = Speaker(OTHER)  # the answers name him: somebody else is talking about him
        result: list[Turn | None] = [None] * len(texts)
        for start, end, opening in spans:
            question = cues[end - 1].ends_with_question
            if opening == "dash" and not interview:
                continue
            if opening == "question_label" or (opening in ("dash", "other") and question):
                turn = Turn("question", interviewee, start)
            elif opening in ("answer_label", "dash"):
                turn = Turn("answer", interviewee, start)
            elif opening == "other":
                turn = Turn("answer", Speaker(OTHER), start)
            else:  # a target's label: "ALTMAN: ..."
                turn = Turn("answer", Speaker(TARGET, opening, where="label"), start)
            for j in range(start, end):
                result[j] = turn
        return result


def _person(cue: Cue):
    if cue.kind == EXPLICIT and len(cue.targets) == 1:
        return TARGET, cue.targets[0]
    if cue.kind in (OTHER_PERSON, FEMININE):
        return OTHER, None
    if cue.kind in (SUBJECT, BARE_ROLE, CARRIED, POSSESSIVE):
        # "a-t-il dit", "the plaintiff told jurors", "his post": whom the text is about
        return PRONOUN, None
    return None


def _first_person(sentence: SentenceCues, start: int, end: int):
    """The first person referred to between `start` and `end`: the speaker of an attribution."""
    candidates = [c for c in sentence.explicit + sentence.cues if start <= c.start < end]
    for cue in sorted(candidates, key=lambda c: c.start):
        person = _person(cue)
        if person:
            return person
    return None


def _speaker_around_verb(sentence: SentenceCues, window: tuple[int, int], verb: int | None):
    """Before an opening mark: the subject of the speech verb ("Altman a répondu à Musk : «" is Altman),
    or the person after it ("Selon Musk, «"); without a verb, the person nearest the mark."""
    start, end = window
    candidates = sorted((c for c in sentence.explicit + sentence.cues if start <= c.start < end), key=lambda c: c.start)
    people = [(cue, person) for cue in candidates if (person := _person(cue))]
    if verb is None:
        return people[-1][1] if people else None
    before = [person for cue, person in people if cue.start < verb]
    if before:
        return before[-1]
    return people[0][1] if people else None
