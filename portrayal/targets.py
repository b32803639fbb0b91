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
_WORD = re.compile(r"\w+")
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
        self.plural_pronouns = _flatten(document.get("plural_pronouns", {}))
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


def _alternation_body(phrases, case_sensitive: bool) -> str:
    """Longest phrase first; case-sensitive phrases also match in capitals (headlines)."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    if case_sensitive:
        ordered = ordered + [p.upper() for p in ordered if p.upper() != p]
        return "|".join(_phrase_pattern(p) for p in ordered)
    return "(?i:" + "|".join(_phrase_pattern(p) for p in ordered) + ")"


def _alternation(phrases, case_sensitive: bool, not_before: str = "") -> re.Pattern | None:
    if not phrases:
        return None
    body = _alternation_body(phrases, case_sensitive)
    return re.compile(rf"(?<![\w]){_first_word_gate(phrases)}(?:{body})(?![\w]){not_before}")


def lower_words(text: str) -> list[str]:
    """The words of `text`, lower-cased: what tells whether a mention scan can find anything."""
    return _WORD.findall(text.lower())


def _last_words(phrases) -> set[str]:
    return {lower_words(phrase)[-1] for phrase in phrases}


def _first_word_gate(phrases) -> str:
    """A lookahead for the words a phrase can begin with (articles in all their forms).

    Python's regex engine tries every alternative at every word; this quick test of a few
    short words first makes the scan of a sentence several times faster.
    """
    if any(not _WORD.match(phrase) for phrase in phrases):
        return ""  # "@elonmusk" begins with no word: no gate
    words = set()
    for phrase in phrases:
        lowered = phrase.lower().replace("’", "'")
        article = next((a for a in _ARTICLE_FORMS if lowered.startswith(a)), None)
        words |= set(_WORD.findall(_ARTICLE_FORMS[article])) - {"s"} if article else {_WORD.findall(lowered)[0]}
    ordered = sorted(words, key=len, reverse=True)
    return rf"(?=(?i:{'|'.join(map(re.escape, ordered))})(?![\w]))"


class MentionFinder:
    """Finds every target's mentions in a sequence of sentences."""

    def __init__(self, registry: TargetRegistry):
        self.registry = registry
        # One regex for every explicit reference, one named group per (target, way), so a sentence
        # is scanned once. Longer kinds come first: at one position the first group that matches wins.
        groups: list[tuple[str, tuple[str, ...], str, str]] = []
        for via, case_sensitive in ((TITLE, False), (ALIAS, False), (NAME, True)):
            for target in registry.targets:
                phrases = {TITLE: target.titles, ALIAS: target.aliases, NAME: target.names + target.misspellings}[via]
                if phrases:
                    groups.append((f"g{len(groups)}", (target.id,), via, _alternation_body(phrases, case_sensitive)))
            if via == ALIAS and registry.group_references:
                groups.append((f"g{len(groups)}", registry.ids, ALIAS,
                               _alternation_body(registry.group_references, case_sensitive=False)))
        every_phrase = [p for t in registry.targets for p in t.names + t.misspellings + t.titles + t.aliases]
        every_phrase += registry.group_references
        alternatives = "|".join(rf"(?P<{name}>(?:{body})(?![\w]))" for name, _, _, body in groups)
        self._explicit = re.compile(rf"(?<![\w]){_first_word_gate(every_phrase)}(?:{alternatives})")
        self._groups = {name: (target_ids, via) for name, target_ids, via, _ in groups}
        # A sentence without the word a phrase ends with needs no scan for it.
        self._explicit_last_words = _last_words(every_phrase)
        pronouns = {p for target in registry.targets for p in target.pronouns}
        self._pronoun = _alternation(pronouns, case_sensitive=False)
        self._pronoun_last_words = _last_words(pronouns)
        self._plural = _alternation(registry.plural_pronouns, case_sensitive=False)
        # "le patron" refers to the focus; "le patron de Meta" is somebody else.
        self._carried = _alternation(registry.carried_references, case_sensitive=False,
                                     not_before=r"(?!\s+(?:de|du|des|d['’]|of)\b)")
        self._carried_last_words = _last_words(registry.carried_references)

    def explicit_mentions(self, sentence: Sentence, words: set[str]) -> dict[str, list[Mention]]:
        """Names, aliases, titles and group references, leftmost first, without overlaps.

        `words`: the sentence's lower-cased words, which tell whether a scan can find anything.
        """
        found: dict[str, list[Mention]] = {}
        if self._explicit_last_words.isdisjoint(words):
            return found
        for match in self._explicit.finditer(sentence.text):
            target_ids, via = self._groups[match.lastgroup]
            for target_id in target_ids:
                found.setdefault(target_id, []).append(self._mention(sentence, match.start(), match.end(), via))
        return found

    def _mention(self, sentence: Sentence, start: int, end: int, via: str) -> Mention:
        return Mention(sentence.start + start, sentence.start + end, sentence.text[start:end], via)

    def _pronoun_spans(self, text: str, words: set[str]) -> list[tuple[int, int, str]]:
        """Pronouns (impersonal "il" excluded) and carried titles, which refer to the focus."""
        spans = []
        if self._pronoun and not self._pronoun_last_words.isdisjoint(words):
            impersonal = {m.start() for m in _IMPERSONAL_IL.finditer(text)}
            spans += [(m.start(), m.end(), PRONOUN) for m in self._pronoun.finditer(text) if m.start() not in impersonal]
        if self._carried and not self._carried_last_words.isdisjoint(words):
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

    def find(self, sentences: list[Sentence], words: list[list[str]] | None = None) -> list[dict[str, list[Mention]]]:
        """Mentions per sentence, as {target_id: [Mention, ...]} (targets not referred to are absent).

        `words`: each sentence's `lower_words`, when the caller has them already.
        """
        if words is None:
            words = [lower_words(sentence.text) for sentence in sentences]
        results = []
        focus, gap = None, 0
        last_seen: dict[str, int] = {}
        for i, (sentence, sentence_words) in enumerate(zip(sentences, words)):
            present = set(sentence_words)
            mentions = self.explicit_mentions(sentence, present)
            self._link_plural(sentence, mentions, {t for t, seen in last_seen.items() if i - seen <= MAX_CARRY_GAP + 1})
            carried = focus if focus is not None and gap <= MAX_CARRY_GAP else None
            linked_subject = False
            if carried is not None and carried not in mentions:
                spans = self._pronoun_spans(sentence.text, present)
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
            last_seen.update((target_id, i) for target_id in mentions)
            results.append(mentions)
        return results

    def _link_plural(self, sentence: Sentence, mentions: dict, recent: set[str]) -> None:
        """"Ils se sont associés" after sentences about both targets refers to both of them."""
        if len(recent) < 2 or recent <= set(mentions) or self._plural is None:
            return
        spans = [(m.start(), m.end()) for m in self._plural.finditer(sentence.text)]
        for target_id in sorted(recent - set(mentions)):
            if spans:
                mentions[target_id] = [self._mention(sentence, s, e, PRONOUN) for s, e in spans]
