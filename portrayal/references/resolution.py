"""Pass three: who each cue refers to, reading the article in order.

Salience says whom the text is about: each target's score grows when it is named (more as the
sentence's subject) or referred to, and halves with every sentence. A pronoun, a bare role ("le
dirigeant") or a description refers to the most salient target; a relation ("son ancien
associé") to the other one; "le premier… le second" to the people last named, in order; a pair
("les deux patrons", "leur querelle") to every target in play. Inside a target's quote (or
interview answer) "je" is the speaker, "vous" the other man, "il" / "ce type" the man spoken
about; in a question, "vous" is the person interviewed.

These are proposals: for every (sentence, target) the pass records the mentions it would make
and the signals behind them (`Evidence`), and the learned decision (`decision.py`) weighs the
signals into P(referred). The state carried from sentence to sentence is a handful of numbers
per target: the pass is linear in the article.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .cues import (BARE_ROLE, CARRIED, CLITIC, COMPANY_ROLE, DESCRIPTION, FEMININE, FIRST_PERSON, FORMER, GROUP, LATTER,
                   LOOSE_PAIR, MASCULINE_THIRD, OBJECT, ORGANISATION, OTHER_PERSON, PLURAL, POSSESSIVE, RELATION, SECOND,
                   SUBJECT,
                   THE_OTHER, SentenceCues)
from .lexicon import lexicon
from .quotes import PRONOUN, TARGET, Quote, Turn
from .registry import TargetRegistry

NAME, ALIAS, TITLE = "name", "alias", "title"
PRONOUN_VIA, SPEAKER_VIA, ADDRESSEE_VIA, GROUP_VIA = "pronoun", "speaker", "addressee", "group"
VIAS = (NAME, ALIAS, TITLE, PRONOUN_VIA, SPEAKER_VIA, ADDRESSEE_VIA, GROUP_VIA)

DECAY = 0.5             # salience kept from one sentence to the next
MAX_GAP = 6             # sentences a pronoun may reach back to the target it refers to
IN_PLAY = 4             # sentences since its last reference during which a target counts as "in play"
SUBJECT_SHARE = 0.35    # an explicit mention this early in the sentence is taken as its subject


class Mention(NamedTuple):
    """One reference to a target: character span in the article, surface text, how it was found."""

    start: int
    end: int
    text: str
    via: str

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "via": self.via}


class Evidence:
    """What pass three found for one target in one sentence: the mentions it proposes and why.

    `signals` holds every feature of the learned decision: the reasons to link the target (also
    listed in `reasons`) and the context they were found in. (A plain slotted class: two are made
    per sentence, and a dataclass with default factories costs several times more.)
    """

    __slots__ = ("mentions", "signals", "reasons")

    def __init__(self):
        self.mentions: list[Mention] = []
        self.signals: dict[str, float] = {}
        self.reasons: list[str] = []

    def add(self, signal: str, mention: Mention | None = None) -> None:
        self.signals[signal] = self.signals.get(signal, 0.0) + 1.0
        self.reasons.append(signal)
        if mention is not None:
            self.mentions.append(mention)


class _State:
    """What the reader remembers between sentences."""

    def __init__(self, target_ids):
        self.salience = {t: 0.0 for t in target_ids}
        self.last_ref: dict[str, tuple[int, int]] = {}       # target -> (sentence, offset) of its last reference
        self.last_explicit: dict[str, int] = {}
        self.last_other: tuple[int, int] | None = None        # last other (not female) person named
        self.last_organisation: tuple[int, int] | None = None # last organisation named
        self.other_salience = 0.0                             # salience of other (not female) persons
        self.subject: tuple[int, str] | None = None           # (sentence, target) of the last subject named
        self.other_subject: int | None = None                 # last sentence opened by another person
        self.last_named: str | None = None                    # the target named last
        self.last_holder: tuple[int, str] | None = None       # (sentence, name) of the last organisation of a target
        self.addressed: tuple[int, str] | None = None          # (sentence, target) a letter is addressed to
        self.people: list[tuple[int, int, str]] = []          # recent (sentence, offset, target or "other")
        self.speakers: dict[int, str | None] = {}             # id(quote) -> resolved pronoun speaker
        self.mentioned: set[str] = set()

    def focus(self, exclude: str | None = None) -> str | None:
        ranked = sorted((s, t) for t, s in self.salience.items() if t != exclude and s > 0)
        return ranked[-1][1] if ranked else None

    def gap(self, target: str, i: int) -> int | None:
        return i - self.last_ref[target][0] if target in self.last_ref else None

    def in_play(self, i: int) -> set[str]:
        return {t for t, (s, _) in self.last_ref.items() if i - s <= IN_PLAY}


class Resolver:
    """Runs pass three over an article, given its sentences' texts, cues, quotes and turns."""

    def __init__(self, registry: TargetRegistry):
        self.target_ids = registry.ids
        self.pronouns = {t.id: {p.lower() for p in t.pronouns} | _clitics(t.pronouns) for t in registry.targets}
        # Organisation name (lower case) -> {target: role kinds held there}, for "le patron de la start-up".
        self.holders: dict[str, dict[str, set[str]]] = {}
        for target in registry.targets:
            for organisation in target.organisations:
                for name in organisation.names:
                    self.holders.setdefault(name.lower(), {}).setdefault(target.id, set()).update(organisation.roles)
        roles = lexicon()["roles"]
        self.role_kinds = sorted(((phrase.lower(), kind) for kind, by_language in roles.items()
                                  for phrases in by_language.values() for phrase in phrases),
                                 key=lambda pair: -len(pair[0]))

    def holder_in(self, text: str) -> str | None:
        """The first organisation of a target that `text` names (lower case), if any."""
        lowered = text.lower()
        found = [(lowered.find(name), name) for name in self.holders if _whole_word_in(name, lowered)]
        return min(found)[1] if found else None

    def resolve(self, texts: list[str], offsets: list[int], cues: list[SentenceCues], quotes: list[Quote],
                turns: list[Turn | None]) -> list[dict[str, Evidence]]:
        regions: list[list[tuple[int, int, Quote]]] = [[] for _ in texts]
        for quote in quotes:
            for i, spans in quote.regions.items():
                regions[i].extend((start, end, quote) for start, end in spans)
        everywhere = set().union(*(c.explicit_targets() for c in cues)) if cues else set()
        state = _State(self.target_ids)
        results = []
        for i, (text, offset, sentence) in enumerate(zip(texts, offsets, cues)):
            reading = _Sentence(self, state, i, text, offset, sentence, regions[i], turns[i], everywhere)
            results.append(reading.read())
            reading.remember()
        return results


def _clitics(pronouns) -> set[str]:
    """A target referred to by "lui" or "him" may also be the object clitic "le" / "l'"."""
    return {"le", "l'", "l’"} if any(p.lower() in ("lui", "il") for p in pronouns) else set()


class _Sentence:
    """The reading of one sentence: evidence per target, then what the state keeps of it."""

    def __init__(self, resolver: Resolver, state: _State, i: int, text: str, offset: int, cues: SentenceCues,
                 regions, turn: Turn | None, everywhere: set[str]):
        self.r, self.state, self.i, self.text, self.offset, self.cues = resolver, state, i, text, offset, cues
        self.regions, self.turn, self.everywhere = regions, turn, everywhere
        self.evidence = {t: Evidence() for t in resolver.target_ids}
        self.explicit = cues.explicit_targets()
        self.focus = state.focus()
        self.links: list[tuple[int, str]] = []  # (offset, target) of every reference made here

    # -- helpers ---------------------------------------------------------------------------------

    def mention(self, start: int, end: int, via: str) -> Mention:
        return Mention(self.offset + start, self.offset + end, self.text[start:end], via)

    def quote_at(self, position: int) -> Quote | None:
        for start, end, quote in self.regions:
            if start <= position < end:
                return quote
        return None

    def speaker_of(self, quote: Quote) -> str | None:
        """The target who speaks `quote`, if any (a pronoun speaker is whom the text was about when it began)."""
        speaker = quote.speaker
        if speaker.kind == TARGET:
            return speaker.target
        if speaker.kind == PRONOUN:
            key = id(quote)
            if key not in self.state.speakers:
                self.state.speakers[key] = self.focus if self.focus and self.state.gap(self.focus, self.i) is not None \
                    and self.state.gap(self.focus, self.i) <= MAX_GAP else None
            return self.state.speakers[key]
        return None

    def turn_speaker(self) -> str | None:
        if self.turn is None or self.turn.speaker.kind != TARGET:
            return None
        return self.turn.speaker.target

    def other_than(self, target: str | None, in_play_only: bool = True) -> str | None:
        """The other target in play (or named here), the most salient if several. A relation ("son
        ancien associé") needs no other target in play: with two targets, it is the other one."""
        if target is None:
            return None
        candidates = (self.state.in_play(self.i) | self.explicit | {self.focus} - {None}) - {target}
        candidates &= set(self.r.target_ids)
        if not candidates and not in_play_only:
            candidates = set(self.r.target_ids) - {target}
            if len(candidates) > 1:
                candidates = {t for t in candidates if self.state.salience.get(t, 0) > 0}
        if len(candidates) == 1:
            return candidates.pop()
        if candidates:
            return max(candidates, key=lambda t: self.state.salience.get(t, 0))
        return None

    def link(self, target: str | None, signal: str, start: int | None = None, end: int | None = None,
             via: str = PRONOUN_VIA) -> None:
        if target is None or target not in self.evidence:
            return
        mention = self.mention(start, end, via) if start is not None else None
        self.evidence[target].add(signal, mention)
        self.links.append((start if start is not None else 0, target))

    def antecedent(self, position: int, kind: str = SUBJECT) -> tuple[str | None, str]:
        """Whom a third-person form at `position` of the narration refers to, and the signal saying why.

        A possessive belongs to the nearest person before it in the sentence, or to an organisation
        that opens the sentence ("Marc Toberoff a choisi ... sa vie privée", "OpenAI a revu ses
        prévisions"). "il" refers to a target named before it (the subject, most often). An object
        ("lui", "le") is not the subject of its own clause: after a named target it is the other one.
        Otherwise, and for roles and descriptions, whoever the text is about.
        """
        before = [c for c in self.cues.explicit if c.start < position and len(c.targets) == 1]
        if kind == POSSESSIVE:
            opening = max(len(self.text) // 4, 1)
            owners = [(c.start, c.targets[0]) for c in before]
            owners += [(c.start, None) for c in self.cues.cues if c.end <= position and (
                c.kind in (OTHER_PERSON, FEMININE) or (c.kind == ORGANISATION and c.start < opening))]
            if owners:
                nearest = max(owners)[1]
                return (nearest, "pronoun_after_explicit") if nearest else (None, "pronoun_after_other")
        elif kind in (OBJECT, CLITIC):
            if before:
                return self.other_than(before[0].targets[0]), "object_after_explicit"
        elif kind == SUBJECT and before and position > 0:
            return before[0].targets[0], "pronoun_after_explicit"
        if self.focus is None:
            return None, ""
        gap = self.state.gap(self.focus, self.i)
        if gap is None or gap > MAX_GAP:
            return None, ""
        return self.focus, "pronoun_focus"

    # -- reading -----------------------------------------------------------------------------------

    def read(self) -> dict[str, Evidence]:
        for cue in self.cues.explicit:
            self._explicit(cue)
        for cue in self.cues.cues:
            self._cue(cue)
        self._speech()
        self._signals()
        return self.evidence

    def _explicit(self, cue) -> None:
        if cue.via == GROUP_VIA:
            for target in cue.targets:
                self.link(target, "group_phrase", cue.start, cue.end, GROUP_VIA)
            return
        if len(cue.targets) == 1:
            self.link(cue.targets[0], f"explicit_{cue.via}", cue.start, cue.end, cue.via)
            return
        # A role several targets hold ("le cofondateur d'OpenAI"): the one the text is about.
        ranked = sorted(cue.targets, key=lambda t: self.state.salience.get(t, 0.0))
        self.link(ranked[-1], "ambiguous_role", cue.start, cue.end, TITLE)

    def _cue(self, cue) -> None:
        kind = cue.kind
        quote = self.quote_at(cue.start)
        speaker = self.speaker_of(quote) if quote else None
        in_answer = quote is None and self.turn is not None and self.turn.role == "answer"
        if in_answer:
            speaker = self.turn_speaker()
        in_question = quote is None and self.turn is not None and self.turn.role == "question"
        if kind in MASCULINE_THIRD or kind == DESCRIPTION:
            form = self.text[cue.start:cue.end].lower()
            if kind != DESCRIPTION and not any(form in self.r.pronouns[t] for t in self.r.target_ids):
                return
            if quote is not None or in_answer:
                if speaker is not None:
                    # "ce type", "ce monsieur" say more than "il", and "son" most often belongs to a thing.
                    how = {DESCRIPTION: "_description", POSSESSIVE: "_possessive"}.get(kind, "")
                    self.link(self.other_than(speaker), "about_in_speech" + how, cue.start, cue.end)
                elif quote is not None:
                    target, signal = self.antecedent(cue.start)
                    self.link(target, "pronoun_in_unattributed_quote", cue.start, cue.end)
                return
            if in_question:
                self.link(self.other_than(self.turn_speaker()), "about_in_question", cue.start, cue.end)
                return
            if self.cues.boilerplate:
                return
            target, signal = self.antecedent(cue.start, kind)
            if target is None and signal:
                self.evidence_signal_all(signal)
            if target is not None and any(c.kind == OTHER_PERSON and c.via != "f" and c.end <= cue.start
                                          for c in self.cues.cues):
                self.evidence[target].signals["other_person_before"] = 1.0
            if target is not None:
                if kind == DESCRIPTION:
                    signal = "description_focus"
                elif kind == CLITIC:
                    signal += "_clitic" if cue.via != "auxiliary" else "_clitic_auxiliary"
                elif kind == SUBJECT and cue.start == 0:
                    signal += "_initial"
                self.link(target, signal, cue.start, cue.end)
                if signal.startswith("pronoun_focus"):
                    # The other man in play is a candidate too: the decision weighs both (which was the
                    # previous sentence's subject, which was named last) rather than trusting salience alone.
                    salience = self.state.salience
                    runner_up = max((t for t in self.r.target_ids if t != target), key=salience.get, default=None)
                    if runner_up is not None and salience[runner_up] > 0 and (self.state.gap(runner_up, self.i) or 0) <= 3:
                        self.link(runner_up, "pronoun_second", cue.start, cue.end)
        elif kind in FIRST_PERSON:
            if speaker is not None:
                self.link(speaker, "first_person_of_speaker", cue.start, cue.end, SPEAKER_VIA)
        elif kind == SECOND:
            if speaker is not None:
                if quote is not None:
                    self.link(self.other_than(speaker), "addressee_in_quote", cue.start, cue.end, ADDRESSEE_VIA)
            elif quote is not None:  # a lawyer's « contrôlée par vous ? » to the witness
                target, _ = self.antecedent(cue.start)
                self.link(target, "addressee_in_other_quote", cue.start, cue.end, ADDRESSEE_VIA)
            elif in_question:
                self.link(self.turn_speaker(), "addressee_in_question", cue.start, cue.end, ADDRESSEE_VIA)
            elif quote is None and self.addressee() is not None:
                self.link(self.addressee(), "addressee_letter", cue.start, cue.end, ADDRESSEE_VIA)
            elif quote is None and self.focus is not None and self.text[cue.start:cue.end].lower() in _PLAIN_SECOND:
                self.link(self.focus, "second_person_narration", cue.start, cue.end, ADDRESSEE_VIA)
        elif kind == COMPANY_ROLE:
            self.link(self._company_role(cue), "company_role", cue.start, cue.end, TITLE)
        elif kind in (FORMER, LATTER):
            self.link(self._former_or_latter(kind, cue.start), kind, cue.start, cue.end)
        elif kind == RELATION:
            owner = self._owner(cue, speaker)
            if owner is not None:
                self.link(self.other_than(owner, in_play_only=False), "relation", cue.start, cue.end, TITLE)
            elif self._owned_by_organisation(cue.start):  # "xAI et son cofondateur"
                self.link(self._company_role(cue), "company_role", cue.start, cue.end, TITLE)
        elif kind in (BARE_ROLE, CARRIED):
            if quote is None or speaker is None:
                target, _ = self.antecedent(cue.start, kind)
                self.link(target, "bare_role", cue.start, cue.end, TITLE)
            else:
                self.link(self.other_than(speaker), "about_in_speech", cue.start, cue.end, TITLE)
        elif kind in (GROUP, LOOSE_PAIR):
            # A pair ("les deux anciens associés") means both once both were named in the article; a looser
            # "les deux hommes" or "these two" only while both are in play.
            known = self.state.mentioned if kind == GROUP else self.state.in_play(self.i)
            play = (known | self.explicit) & set(self.r.target_ids)
            if len(play) >= 2:
                inside = "_in_quote" if quote is not None or in_answer else ""
                for target in sorted(play):
                    self.link(target, ("group_phrase" if kind == GROUP else "loose_pair") + inside, cue.start, cue.end,
                              GROUP_VIA)
            elif kind == GROUP:
                self.evidence_signal_all("group_without_pair")
        elif kind == THE_OTHER:
            last = self._former_or_latter(LATTER, cue.start)
            self.link(self.other_than(last, in_play_only=False) if last else None, "the_other", cue.start, cue.end)
        elif kind == PLURAL:
            # "ils" / "they" for both men only right after both were referred to, outside quotes, and not
            # as "Les marchés, eux, ..." (a pronoun repeating the noun just before it).
            recent = self._referred_within(1)
            signal = "plural_pronoun"
            if len(recent) < 2:
                # Both named a little earlier ("Musk contre Altman : ..." as the title, then "Ils ont tout
                # essayé"): weaker, and weighed as such.
                recent, signal = self._referred_within(3), "plural_pronoun_far"
                if len(recent) < 2:
                    return
            if quote is not None or in_answer:
                self.evidence_signal_all("plural_in_speech")
                return
            if _repeats_a_noun(self.text, cue.start):
                self.evidence_signal_all("plural_after_noun")
                return
            for target in sorted(recent):
                self.link(target, signal, cue.start, cue.end, GROUP_VIA)

    def _referred_within(self, sentences: int) -> set[str]:
        """The targets named here or referred to at most `sentences` sentences before."""
        return {t for t in self.r.target_ids
                if t in self.explicit or (self.state.gap(t, self.i) is not None and self.state.gap(t, self.i) <= sentences)}

    def addressee(self) -> str | None:
        """The target a letter is addressed to, while the letter lasts."""
        if self.state.addressed is not None and self.i - self.state.addressed[0] <= 8:
            return self.state.addressed[1]
        return None

    def _company_role(self, cue) -> str | None:
        """"le patron de la start-up", "the company's CEO", "son fondateur" after "xAI": the holder of that role
        at the organisation named next in the sentence, or else last (this sentence or the two before)."""
        text = self.text[cue.start:cue.end].lower()
        kind = next((k for phrase, k in self.r.role_kinds if phrase in text), None)
        candidates = [c for c in self.cues.cues if c.kind == ORGANISATION and cue.end <= c.start <= cue.end + 50]
        candidates += sorted((c for c in self.cues.cues if c.kind == ORGANISATION and c.end <= cue.start),
                             key=lambda c: -c.start)
        names = [self.text[c.start:c.end].lower() for c in candidates]
        if self.state.last_holder is not None and self.i - self.state.last_holder[0] <= 2:
            names.append(self.state.last_holder[1])
        for name in names:
            holders = self.r.holders.get(name)
            if holders:
                matching = [t for t, kinds in holders.items() if kind is None or kind in kinds]
                return matching[0] if len(matching) == 1 else None
        return None

    def evidence_signal_all(self, signal: str) -> None:
        for evidence in self.evidence.values():
            evidence.signals[signal] = evidence.signals.get(signal, 0.0) + 1.0

    def _owned_by_organisation(self, position: int) -> bool:
        """"OpenAI a revu ses prévisions": an organisation before the possessive, and no target in between."""
        last_org = max((c.end for c in self.cues.cues if c.kind == ORGANISATION and c.end <= position), default=-1)
        if last_org < 0:
            return False
        return not any(last_org <= c.start < position for c in self.cues.explicit)

    def _owner(self, cue, speaker: str | None) -> str | None:
        """Whose relation "son ancien associé" / "l'ancien associé de Musk" / "Musk's former partner" is."""
        determiner = self.text[cue.start:cue.end].split(None, 1)[0].lower().strip("'’")
        if determiner in ("mon", "ma", "mes", "my", "notre", "our"):
            return speaker
        if determiner in ("son", "sa", "ses", "his", "leur", "their"):
            quote = self.quote_at(cue.start)
            if (quote is not None or (self.turn and self.turn.role == "answer")) and speaker is not None:
                return self.other_than(speaker)  # in Altman's mouth, "son rival" is Musk's rival: Altman himself
            if self._owned_by_organisation(cue.start):
                return None
            return self.antecedent(cue.start)[0]
        if determiner.endswith("s") and self.text[cue.start:cue.start + 1] in "'’":
            before = [c for c in self.cues.explicit if c.end == cue.start and len(c.targets) == 1]
            return before[0].targets[0] if before else None
        after = [c for c in self.cues.explicit if cue.end <= c.start <= cue.end + 6 and len(c.targets) == 1]
        return after[0].targets[0] if after else None

    def _former_or_latter(self, kind: str, position: int) -> str | None:
        people = [p for p in self.state.people] + [(self.i, c.start, c.targets[0]) for c in self.cues.explicit
                                                   if c.start < position and len(c.targets) == 1]
        distinct: list[str] = []
        for _, _, person in reversed(people):
            if not distinct or distinct[-1] != person:
                distinct.append(person)
            if len(distinct) == 2:
                break
        recent = {p for s, _, p in people if self.i - s <= 2}
        if not distinct or (kind == FORMER and len(recent) < 2):
            return None
        chosen = distinct[0] if kind == LATTER else (distinct[1] if len(distinct) == 2 else None)
        return chosen if chosen in self.evidence else None

    def _speech(self) -> None:
        """The speaker of the quotes and answers this sentence belongs to."""
        seen = set()
        for start, end, quote in self.regions:
            speaker = self.speaker_of(quote)
            if speaker is None or speaker in seen:
                continue
            seen.add(speaker)
            whole = start == 0 or not self.text[:start].strip(" —–-*")
            if (not quote.spans_sentences and not whole and len(self.text[start:end].split()) <= 3
                    and self.text[:start].rstrip().endswith(":")):
                # "He replied with a single word: « Swindler. »": a verdict on the other man in play.
                self.link(self.other_than(speaker), "verdict_quote")
            if speaker in self.explicit:
                continue
            inline = not quote.spans_sentences and quote.speaker.where in ("after", "before")
            signal = "speaker_inline" if inline else f"speaker_{quote.speaker.where}"
            self.link(speaker, signal + ("" if whole else "_part"))
        if self.addressee() is not None and _IMPERATIVE.match(self.text):
            self.link(self.addressee(), "addressee_imperative")  # "Revenez aux étoiles." in a letter to him
        if self.turn is not None:
            speaker = self.turn_speaker()
            if self.turn.role == "answer":
                self.link(speaker, "speaker_turn_label" if self.turn.speaker.where == "label" else "speaker_turn")
            else:
                self.evidence_signal_all("question_turn")
                if speaker is not None:
                    self.evidence[speaker].signals["interviewee_asked"] = 1.0

    def _signals(self) -> None:
        """The context of each target's reasons: how recently and how prominently it was referred to,
        who else is here, what kind of sentence this is."""
        state, i, cues = self.state, self.i, self.cues
        kinds = {c.kind for c in cues.cues}
        common = {"bias": 1.0, _POSITIONS[min(i, 4)]: 1.0}
        for present, name in ((OTHER_PERSON in kinds, "other_person_here"), (FEMININE in kinds, "feminine_here"),
                              (cues.boilerplate, "boilerplate"), (bool(cues.impersonal_il), "impersonal_here"),
                              (bool(self.regions), "quote_here"), (len(cues.words) <= 6, "short"),
                              (not self.explicit and _NOUN_SUBJECT.match(self.text) is not None, "noun_subject")):
            if present:
                common[name] = 1.0
        if self.turn is not None:
            common["turn_" + self.turn.role] = 1.0
        for target, evidence in self.evidence.items():
            s = evidence.signals
            s.update(common)
            last = state.last_ref.get(target)
            gap = _bucket(i - last[0] if last else None)
            s["gap_" + gap] = 1.0
            explicit = state.last_explicit.get(target)
            s["explicit_gap_" + _bucket(i - explicit if explicit is not None else None)] = 1.0
            focus = self.focus == target
            if focus:
                s["focus"] = 1.0
                runner_up = max((v for t, v in state.salience.items() if t != target), default=0.0)
                s["focus_clear" if runner_up < 0.5 * state.salience[target] else "focus_close"] = 1.0
            elif self.focus is not None:
                s["other_focus"] = 1.0
            salience = state.salience.get(target, 0.0)
            s["salience_" + _bucket_salience(salience)] = 1.0
            if target in self.everywhere:
                s["named_in_article"] = 1.0
            if state.subject is not None and state.subject[1] == target and i - state.subject[0] <= 2:
                s["recent_subject"] = 1.0
            if state.other_subject is not None and i - state.other_subject == 1 and \
                    (state.subject is None or state.subject[0] < state.other_subject):
                s["other_subject_last"] = 1.0  # "L'avocat de M. Musk, Marc Toberoff, a estimé..." then "Selon lui"
            if state.last_named == target:
                s["named_last"] = 1.0
            if target in state.mentioned:
                s["named_before"] = 1.0
            if len(self.explicit) > (target in self.explicit):
                s["other_target_named_here"] = 1.0
            if state.last_other is not None and (last is None or state.last_other > last):
                s["other_person_since"] = 1.0
            if state.other_salience > salience:
                s["other_more_salient"] = 1.0
            if state.last_organisation is not None and (last is None or state.last_organisation > last):
                s["organisation_since"] = 1.0
            if evidence.reasons:
                s["linked"] = 1.0
                side = "&focus" if focus else "&not_focus"
                for signal in set(evidence.reasons) & _PAIRED_WITH_FOCUS:
                    s[signal + side] = 1.0
                    s[signal + "&gap_" + gap] = 1.0
                    if "recent_subject" in s:
                        s[signal + "&recent_subject"] = 1.0
                    if "named_last" in s:
                        s[signal + "&named_last"] = 1.0

    def remember(self) -> None:
        """Carry this sentence's references into the state for the next one."""
        state = self.state
        for target in state.salience:
            state.salience[target] *= DECAY
        state.other_salience *= DECAY
        length = max(len(self.text), 1)
        quoted = [(start, end) for start, end, _ in self.regions]
        # "L'avocat de M. Musk, Marc Toberoff, a estimé ...": another man is the subject, not the target.
        first_explicit = self.cues.explicit[0].start if self.cues.explicit else length
        other_opens = any(c.kind == OTHER_PERSON and c.via != "f" and c.start < min(first_explicit, SUBJECT_SHARE * length)
                          and not any(s <= c.start < e for s, e in quoted) for c in self.cues.cues)
        if other_opens:
            state.other_subject = self.i
        subject_found = other_opens
        for cue in self.cues.explicit:
            if len(cue.targets) == 1:
                target = cue.targets[0]
                if _oblique(self.text, cue.start):
                    weight = 0.6  # "au milliardaire", "to Musk": an object, not what the text is about
                else:
                    weight = 1.0 + (0.5 if not subject_found or cue.start < SUBJECT_SHARE * length else 0.0)
                    if not subject_found and not any(s <= cue.start < e for s, e in quoted):
                        state.subject = (self.i, target)
                    subject_found = True
                state.last_named = target
                if any(start <= cue.start < end for start, end in quoted):
                    weight *= 0.3  # named inside somebody's quote: talked about, not the subject of the text
                state.salience[target] += weight
                state.last_explicit[target] = self.i
                state.mentioned.add(target)
                state.people.append((self.i, cue.start, target))
        for position, target in self.links:
            if target not in self.explicit:
                state.salience[target] += 0.5
            previous = state.last_ref.get(target)
            if previous is None or (self.i, position) > previous:
                state.last_ref[target] = (self.i, position)
        for start, end, quote in self.regions:
            speaker = self.speaker_of(quote)
            if speaker is not None:
                state.salience[speaker] += 1.0 / max(len(self.regions), 1)
        for cue in self.cues.cues:
            if cue.kind == OTHER_PERSON:
                if cue.via != "f":  # a woman does not compete with the targets for "il" / "he"
                    state.last_other = (self.i, cue.start)
                    state.other_salience += 1.0 + (0.5 if cue.start < SUBJECT_SHARE * length else 0.0)
                state.people.append((self.i, cue.start, "other"))
            elif cue.kind == ORGANISATION:
                state.last_organisation = (self.i, cue.start)
        # The organisation of a target named last, for "la start-up" next: named alone, or in a title
        # ("l'ancien coprésident du conseil d'OpenAI").
        holders = [(c.start, self.text[c.start:c.end].lower()) for c in self.cues.cues if c.kind == ORGANISATION]
        holders += [(c.start, self.r.holder_in(self.text[c.start:c.end])) for c in self.cues.explicit if c.via == TITLE]
        holders = [(position, name) for position, name in holders if name in self.r.holders]
        if holders:
            state.last_holder = (self.i, max(holders)[1])
        if self.cues.vocative:
            named = [c.targets[0] for c in self.cues.explicit if len(c.targets) == 1]
            addressed = named[0] if named else self.focus
            if addressed is not None:
                state.addressed = (self.i, addressed)
        state.people.sort()
        del state.people[:-8]


_PAIRED_WITH_FOCUS = frozenset({"pronoun_second", "pronoun_focus", "pronoun_focus_initial", "pronoun_focus_clitic", "bare_role",
                                "description_focus", "about_in_speech", "about_in_speech_description",
                                "about_in_speech_possessive", "speaker_before", "speaker_after",
                                "speaker_previous", "speaker_previous_subject", "speaker_next", "speaker_turn",
                                "plural_pronoun", "addressee_letter", "company_role"})


# A sentence opening on a definite noun phrase ("L'or reste proche de ses records"): its possessives
# and pronouns are more likely that noun's than a person's.
_NOUN_SUBJECT = re.compile(r"(?:le|la|les|l['’]|the|ce|cette|ces)\s*[a-zà-ÿ]", re.IGNORECASE)
# A French imperative to "vous" opening a sentence ("Rendez-nous l'ingénieur", "Mais revenez aux étoiles").
_IMPERATIVE = re.compile(r"(?:(?:mais|alors|et|donc|s'il vous plaît,?)\s+)?[^\W\d]{2,}ez\b(?!-vous\s+que)", re.IGNORECASE)
_NOUN_BEFORE = re.compile(r"[^\W\d]{3,},\s*$")


# Words that make the noun after them an object or a complement rather than the sentence's subject.
# Outside quotes and letters, only these are taken as someone addressed ("ton" is more often a tone).
_PLAIN_SECOND = frozenset({"vous", "votre", "vos", "you", "your"})
_OBLIQUE = frozenset("""à au aux de du des d par avec contre pour sur chez vers entre selon envers to of by with against
for at from about on toward towards between""".split())
_LAST_WORD = re.compile(r"(\w+)['’]?\s*$")


def _whole_word_in(name: str, text: str) -> bool:
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        if (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
            return True
        at = text.find(name, end)
    return False


def _oblique(text: str, position: int) -> bool:
    """A reference right after a preposition, or opening with a contracted one ("au milliardaire", "du patron")."""
    head = text[position:position + 4].lower()
    if head.startswith(("au ", "aux ", "du ", "des ", "à ", "d'", "d’")):
        return True
    match = _LAST_WORD.search(text, max(0, position - 20), position)
    return match is not None and match.group(1).lower() in _OBLIQUE


def _repeats_a_noun(text: str, position: int) -> bool:
    """"Les marchés, eux, ont tranché": a plural pronoun right after a noun and a comma."""
    return bool(_NOUN_BEFORE.search(text[max(0, position - 40):position]))


_POSITIONS = tuple(f"position_{i}" for i in range(5))


def _bucket(gap: int | None) -> str:
    if gap is None:
        return "never"
    if gap <= 3:
        return str(gap)
    return "4-6" if gap <= 6 else "7+"


def _bucket_salience(value: float) -> str:
    if value <= 0.01:
        return "0"
    if value < 0.2:
        return "low"
    if value < 0.6:
        return "mid"
    return "high" if value < 1.5 else "top"
