"""Who each sentence of an article refers to: the three passes, then the learned decision."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..segment import Sentence
from .cues import CueScanner
from .decision import ReferenceDecision
from .lexicon import alternation, lexicon, words_of
from .quotes import TARGET, UNKNOWN, QuoteReader, Speaker
from .registry import TargetRegistry
from .resolution import Evidence, Mention, Resolver


@dataclass(frozen=True)
class Reference:
    """One target in one sentence: the mentions found, P(referred), and the decision."""

    mentions: tuple[Mention, ...]
    p_referred: float
    referred: bool


@dataclass
class ArticleReferences:
    """Per sentence, a Reference for every target; and each sentence's lower-cased words, read on the way."""

    references: list[dict[str, Reference]]
    words: list[list[str]]


class ReferenceFinder:
    """Finds, for every sentence of an article, which targets it refers to and where."""

    def __init__(self, registry: TargetRegistry, decision: ReferenceDecision | None = None):
        self.registry = registry
        self.decision = decision
        self.scanner = CueScanner(registry)
        self.quotes = QuoteReader()
        self.resolver = Resolver(registry)

    def evidence(self, sentences: list[Sentence]) -> tuple[list[dict[str, Evidence]], list[list[str]]]:
        """Passes one to three: per sentence, each target's proposed mentions and signals; and its words."""
        texts = [s.text for s in sentences]
        cues = [self.scanner.scan(text) for text in texts]
        quotes = self.quotes.quotes(texts, cues)
        turns = self.quotes.turns(texts, cues, lambda: _interviewee(texts, cues))
        evidence = self.resolver.resolve(texts, [s.start for s in sentences], cues, quotes, turns)
        return evidence, [c.word_list for c in cues]

    def find(self, sentences: list[Sentence]) -> ArticleReferences:
        """Per sentence, a Reference for every target of the registry (and the sentences' words)."""
        evidence, words = self.evidence(sentences)
        return ArticleReferences([{t: self._decide(e) for t, e in found.items()} for found in evidence], words)

    def _decide(self, evidence: Evidence) -> Reference:
        mentions = tuple(sorted(set(evidence.mentions), key=lambda m: (m.start, m.end)))
        if self.decision is None:  # before the decision is fitted: the rules alone
            return Reference(mentions, 1.0 if mentions else 0.0, bool(mentions))
        p = self.decision.probability(evidence.signals)
        referred = p >= self.decision.threshold_
        return Reference(mentions if referred else (), round(p, 4), referred)


def _interviewee(texts: list[str], cues) -> Speaker:
    """The person an interview is with: the target named most often before the first turn, a name in a
    sentence that speaks of an interview ("Sam Altman a donné une interview", "Monsieur Altman, ...")
    counting three times."""
    first_turn = next((i for i, c in enumerate(cues) if c.dialogue), len(cues))
    counts: dict[str, int] = {}
    for i, sentence in enumerate(cues[:first_turn + 1]):
        weight = 3 if _INTERVIEW.search(texts[i]) or (i == first_turn and sentence.vocative) else 1
        if i == first_turn and weight == 1:
            continue
        for cue in sentence.explicit:
            if len(cue.targets) == 1:
                counts[cue.targets[0]] = counts.get(cue.targets[0], 0) + weight
    if not counts:
        return Speaker(UNKNOWN)
    return Speaker(TARGET, max(counts, key=counts.get), where="interview")


_INTERVIEW = re.compile(rf"(?<!\w)(?:{alternation(words_of(lexicon()['interview_words']))})(?!\w)|"
                        r"\b(?:Monsieur|Mr\.?|M\.)\s+\w+\s*,", re.IGNORECASE)
