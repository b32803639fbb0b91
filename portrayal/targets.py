"""Where each target person is referred to: names, aliases, titles, and pronouns carried over.

The registry (`data/targets.json`) is data: adding a target or an alias needs no code.
Mention detection works sentence by sentence but keeps a *focus*, the target the text
was last about, so that "Il a ajouté…" or "« Je ne suis pas à vendre »" after a sentence
about Musk is linked to Musk, as the annotation guideline asks.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import ModelArtifactError
from .segment import Sentence

NAME, ALIAS, TITLE, PRONOUN = "name", "alias", "title", "pronoun"

# A pronoun may reach back this many sentences without a mention in between.
MAX_CARRY_GAP = 2

_APOSTROPHE = "['’]"
_ARTICLE_FORMS = {
    "le ": r"(?:le|du|au)\s+",
    "la ": r"(?:la|de\s+la|à\s+la)\s+",
    "l'": r"(?:l|de\s+l|à\s+l)" + _APOSTROPHE,
    "les ": r"(?:les|des|aux)\s+",
    "the ": r"the\s+",
}
# "il" is impersonal in these constructions and refers to nobody.
_IMPERSONAL_IL = re.compile(
    r"\bil\s+(?:ne\s+|n['’]\s*)?(?:y\b|faut|fallait|faudra|faudrait|s['’]agit|s['’]agissait|semble|semblait|"
    r"suffit|suffirait|reste|restait|paraît|para[iî]trait|se\s+peut|vaut|valait|était\s+une\s+fois|"
    r"est\s+(?:\w+\s+)?(?:de|d['’]|que|qu['’])|serait\s+(?:\w+\s+)?(?:de|d['’]|que|qu['’]))",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"(?<![\w-])(?:je|j['’]|moi|mon|ma|mes|I|me|my|myself)(?![\w])", re.IGNORECASE)
_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"")


@dataclass(frozen=True)
class Mention:
    """One reference to a target: character span in the article, surface text, how it was found."""

    start: int
    end: int
    text: str
    via: str

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "via": self.via}


@dataclass(frozen=True)
class Target:
    id: str
    display_name: str
    names: tuple[str, ...]
    misspellings: tuple[str, ...]
    aliases: tuple[str, ...]
    titles: tuple[str, ...]
    pronouns: tuple[str, ...]


class TargetRegistry:
    """The targets and how they are referred to, read from a JSON document."""

    def __init__(self, document: dict):
        try:
            self.targets = tuple(
                Target(
                    id=entry["id"],
                    display_name=entry["display_name"],
                    names=tuple(entry["names"]),
                    misspellings=tuple(entry.get("misspellings", ())),
                    aliases=tuple(entry.get("aliases", ())),
                    titles=tuple(entry.get("titles", ())),
                    pronouns=tuple(p for forms in entry.get("pronouns", {}).values() for p in forms),
                )
                for entry in document["targets"]
            )
        except (KeyError, TypeError) as error:
            raise ModelArtifactError(f"target registry is malformed: missing {error}") from error
        self.group_references = _flatten(document.get("group_references", {}))
        self.carried_references = _flatten(document.get("carried_references", {}))
        self.document = document

    @classmethod
    def from_file(cls, path: str | Path) -> "TargetRegistry":
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(target.id for target in self.targets)


def _flatten(by_language: dict) -> tuple[str, ...]:
    return tuple(phrase for phrases in by_language.values() for phrase in phrases)


def _phrase_pattern(phrase: str) -> str:
    """Regex for a registry phrase: flexible spaces and apostrophes, contracted articles."""
    prefix = ""
    lowered = phrase.lower()
    for article, forms in _ARTICLE_FORMS.items():
        if lowered.startswith(article) or lowered.startswith(article.replace("'", "’")):
            prefix, phrase = forms, phrase[len(article):]
            break
    body = re.sub(r"['’]", _APOSTROPHE, re.escape(phrase).replace(r"\ ", r"\s+"))
    return prefix + body


def _alternation(phrases, case_sensitive: bool, not_before: str = "") -> re.Pattern | None:
    if not phrases:
        return None
    ordered = sorted(set(phrases), key=len, reverse=True)
    if case_sensitive:
        ordered = ordered + [p.upper() for p in ordered if p.upper() != p]
    body = "|".join(_phrase_pattern(p) for p in ordered)
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(rf"(?<![\w])(?:{body})(?![\w]){not_before}", flags)


class MentionFinder:
    """Finds every target's mentions in a sequence of sentences."""

    def __init__(self, registry: TargetRegistry):
        self.registry = registry
        self._patterns: list[tuple[str, str, re.Pattern]] = []
        for target in registry.targets:
            for via, phrases, case_sensitive in (
                (NAME, target.names + target.misspellings, True),
                (TITLE, target.titles, False),
                (ALIAS, target.aliases, False),
            ):
                pattern = _alternation(phrases, case_sensitive)
                if pattern:
                    self._patterns.append((target.id, via, pattern))
        self._group = _alternation(registry.group_references, case_sensitive=False)
        pronouns = {p for target in registry.targets for p in target.pronouns}
        self._pronoun = _alternation(pronouns, case_sensitive=False)
        # "le patron" refers to the focus; "le patron de Meta" is somebody else.
        self._carried = _alternation(registry.carried_references, case_sensitive=False,
                                     not_before=r"(?!\s+(?:de|du|des|d['’]|of)\b)")

    def explicit_mentions(self, sentence: Sentence) -> dict[str, list[Mention]]:
        """Names, aliases, titles and group references, longest match first, no overlaps."""
        candidates = []
        for target_id, via, pattern in self._patterns:
            for match in pattern.finditer(sentence.text):
                candidates.append((match.start(), match.end(), (target_id,), via))
        if self._group:
            for match in self._group.finditer(sentence.text):
                candidates.append((match.start(), match.end(), self.registry.ids, ALIAS))
        candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
        taken: list[tuple[int, int]] = []
        found: dict[str, list[Mention]] = {}
        for start, end, target_ids, via in candidates:
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            for target_id in target_ids:
                found.setdefault(target_id, []).append(self._mention(sentence, start, end, via))
        for mentions in found.values():
            mentions.sort(key=lambda m: m.start)
        return found

    def _mention(self, sentence: Sentence, start: int, end: int, via: str) -> Mention:
        return Mention(sentence.start + start, sentence.start + end, sentence.text[start:end], via)

    def _pronoun_spans(self, text: str) -> list[tuple[int, int, str]]:
        """Pronouns (impersonal "il" excluded) and carried titles, which refer to the focus."""
        spans = []
        if self._pronoun:
            impersonal = {m.start() for m in _IMPERSONAL_IL.finditer(text)}
            spans += [(m.start(), m.end(), PRONOUN) for m in self._pronoun.finditer(text) if m.start() not in impersonal]
        if self._carried:
            titles = [(m.start(), m.end(), TITLE) for m in self._carried.finditer(text)]
            spans = [s for s in spans if not any(t[0] <= s[0] < t[1] for t in titles)] + titles
        return spans

    def _speaker_spans(self, text: str) -> list[tuple[int, int]]:
        """First-person words inside quotes: the quote's speaker refers to himself."""
        spans = []
        for quote in _QUOTED.finditer(text):
            for match in _FIRST_PERSON.finditer(quote.group()):
                spans.append((quote.start() + match.start(), quote.start() + match.end(), PRONOUN))
        return spans

    def find(self, sentences: list[Sentence]) -> list[dict[str, list[Mention]]]:
        """Mentions per sentence, as {target_id: [Mention, ...]} (targets not referred to are absent)."""
        results = []
        focus, gap = None, 0
        for sentence in sentences:
            mentions = self.explicit_mentions(sentence)
            carried = focus if focus is not None and gap <= MAX_CARRY_GAP else None
            linked_subject = False
            if carried is not None and carried not in mentions:
                spans = self._pronoun_spans(sentence.text)
                if mentions:
                    # Another target is named here: only a sentence-initial subject pronoun
                    # ("Il a qualifié Altman d'escroc") still refers to the focus.
                    spans = [s for s in spans if s[0] == 0]
                    linked_subject = bool(spans)
                else:
                    spans += self._speaker_spans(sentence.text)
                if spans:
                    mentions[carried] = [self._mention(sentence, s, e, via) for s, e, via in sorted(spans)]
            if mentions and not linked_subject:
                focus = min(mentions, key=lambda t: mentions[t][0].start)
            gap = 0 if mentions else gap + 1
            results.append(mentions)
        return results
