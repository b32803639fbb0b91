"""Pass one: what each sentence holds that can refer to a person, read without context.

`CueScanner.scan` reads one sentence and returns its cues, each a span with a kind: explicit
references to a target (name, alias, title, a role composed from a role word and one of the
target's organisations), pronouns by person, gender and number, descriptions ("ce type", "the
guy"), "le premier" / "the latter", relations ("son ancien associé"), pairs and groups ("les deux
patrons", "leur querelle"), other persons (named, or by another organisation's role) and
organisations. Who they refer to is decided later, with the article's context (`resolution`).

The sentence is cut into words once. Single words (pronouns) are looked up in a dict; every
longer cue has an anchor word (the role, the noun, the name) and its pattern is only tried in a
few words' window around an anchor, so a sentence costs about one pass over its words whatever
the lexicon's size, and the scan stays linear in the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from .lexicon import (APOSTROPHE, alternation, anchors_of, given_names, lexicon, literal, lower_words, phrase_pattern,
                      plain, words_of)
from .registry import TargetRegistry

NAME, ALIAS, TITLE, GROUP_VIA = "name", "alias", "title", "group"
EXPLICIT = "explicit"
# Cue kinds besides explicit references.
SUBJECT, OBJECT, POSSESSIVE, CLITIC = "subject", "object", "possessive", "clitic"
FEMININE, PLURAL = "feminine", "plural"
FIRST_SINGULAR, FIRST_PLURAL, SECOND = "first_singular", "first_plural", "second"
DESCRIPTION, FORMER, LATTER, RELATION, THE_OTHER = "description", "former", "latter", "relation", "the_other"
BARE_ROLE, CARRIED, GROUP, LOOSE_PAIR, COMPANY_ROLE = "bare_role", "carried", "group", "loose_pair", "company_role"
OTHER_PERSON, ORGANISATION = "other_person", "organisation"
MASCULINE_THIRD = (SUBJECT, OBJECT, POSSESSIVE, CLITIC)
FIRST_PERSON = (FIRST_SINGULAR, FIRST_PLURAL)

# Cues, explicit references and quote marks read per sentence, at most: a sentence of prose holds a few
# dozen; text made of thousands ("il il il ...") is cut there, so that every later step stays linear.
MAX_CUES = 200
_CONNECT_FR = rf"(?:de\s+la\s+|de\s+l{APOSTROPHE}\s*|du\s+|des\s+|de\s+|d{APOSTROPHE}\s*)"
# "un cofondateur de xAI", "a Tesla engineer": one of several, not the target.
_NOT_INDEFINITE = r"(?<!\bun\s)(?<!\bune\s)(?<!\ba\s)(?<!\ban\s)(?<!\bdes\s)"
# "OpenAI's head of research", "Tesla's chief financial officer": another role.
_ROLE_CONTINUATIONS = ("financial", "technology", "technical", "operating", "scientist", "scientific", "information",
                       "marketing", "product", "research", "legal", "communications", "people", "revenue", "strategy",
                       "design", "counsel", "of", "de", "d", "du", "des", "adjoint", "financier", "technique",
                       "juridique", "scientifique", "commercial", "opérationnel")
# Capitalised words that are given names in some country but begin no person's name in news text.
_NOT_GIVEN_NAMES = frozenset("""le la les l un une des du de the a an san los las van von der den del da di saint
santa mont grand new wall silicon open judge juge premier prix mars may june august april will bill""".split())
_FAMILY = ("frère", "sœur", "mère", "brother", "sister", "mother", "épouse", "wife", "husband", "fils", "fille",
           "daughter")
_HONORIFICS = ("M.", "Mme", "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Me", "Maître", "Judge", "Sir", "Lord")
# Words, with the apostrophe of an elided French word ("j'", "qu'") but not the English "'s".
_TOKEN = re.compile(r"\w+(?:['’](?=\w)(?![sS]\b))?")
_WORDS = re.compile(r"\w+")
_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ")  # [A-ZÀ-ÖØ-Þ]
_CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’-]*")
_APPOSED_NAME = re.compile(r"\s+([A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]+)\s+[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]")
_FEMININE_PERSON = re.compile(r"(?i)^(?:mme|ms|mrs|la\s|sa\s|her\s|une\s)|avocate|présidente|sénatrice|chercheuse|"
                              r"députée|procureure|sœur|mère|épouse|wife|sister|mother|daughter|fille|spokeswoman|"
                              r"ingénieure|salariée|employée|experte|magistrate|directrice|animatrice|autrice")
_CAPITALISED_PAIR = re.compile(r"(?<![\w'’])([A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]+)(?:\s+(?:de\s+|van\s+|von\s+|da\s+|del\s+|di\s+|"
                               r"le\s+)?[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]+)+")
_CLITIC = re.compile(rf"(?<!\w)(?:on|il|elle|ils|elles|je|nous|vous|ne|qui|tu|pas|j{APOSTROPHE}|n{APOSTROPHE})"
                     rf"\s*(?:(?P<clitic>l{APOSTROPHE}|le\b)|(?P<plural>les\b))(?=\s*[^\W\d])|"
                     rf"(?<!\w)(?P<auxiliary>l{APOSTROPHE})(?=(?:a|avait|aurait|ont|avaient|auraient|aura)\b)",
                     re.IGNORECASE)
_POSSESSIVE_START = re.compile(r"(?i)(?:son|sa|ses|his)(?=\s)")
_QUOTE_MARK = re.compile("[«»“”\"]")
_QUOTE_WORDS = frozenset()
_VOCATIVE = re.compile(r"^\s*(?:Monsieur|Messieurs|Cher|Chère|Chers|Dear|Mister)\b|^\s*(?:M\.|Mr\.?)\s+\w+\s*,|"
                       r"\b(?:lettre\s+ouverte|open\s+letter)\s+(?:à|au|to)\b", re.IGNORECASE)
_DIALOGUE = re.compile(r"\s*(?:(?P<dash>[—–-])\s+|(?P<label>[^\W\d][\w.'’ -]{0,30}?)\s?:\s+\S)")
# "on l'adore", "il le déteste", "ne les faire": object pronouns after these words.
_CLITIC_TRIGGERS = frozenset("on il elle ils elles je j nous vous ne n qui tu pas".split())
_AUXILIARIES = frozenset("a avait aurait ont avaient auraient aura".split())
_CLITIC_WORDS = frozenset(("l", "le", "les"))
_PAIR_VERBS = ("ont|sont|se|s['’]|n['’]|ne|avaient|étaient|auront|seront|font|vont|veulent|doivent|peuvent|"
               "partagent|affirment|disent|assurent|revendiquent|jurent|nient|refusent|restent|incarnent|"
               "représentent|se\\s+détestent")
# "l'un ... l'autre" in one sentence: the pair, one at a time ("l'un a relancé l'espace, l'autre l'IA").
_ONE_THEN_THE_OTHER = re.compile(rf"(?i)(?<!\w)(?:l{APOSTROPHE}un|the\s+one)(?!\w)(?!\s+(?:des|d{APOSTROPHE}|de\s+ses|"
                                 rf"de\s+leurs|of)\b)(?=.{{1,160}}?(?<!\w)(?:l{APOSTROPHE}autre|the\s+other)(?!\w))",
                                 re.DOTALL)
# Cues a target's name right after stands in apposition to: "son directeur général Sam Altman".
_APPOSABLE = frozenset((DESCRIPTION, RELATION, BARE_ROLE, CARRIED, COMPANY_ROLE))
_APPOSITION_GAP = frozenset(" ,\u00a0")
_VOCATIVE_WORDS = frozenset("monsieur messieurs cher chère chers dear mister m mr lettre letter".split())


class Cue(NamedTuple):
    """A span of a sentence (offsets within the sentence) that may refer to a person.

    A named tuple rather than a dataclass: a sentence makes dozens, and this is the cheapest to build."""

    start: int
    end: int
    kind: str
    targets: tuple = ()  # explicit references and composed roles: whom they name
    via: str = ""        # explicit: name / alias / title / group; other persons: "f" for a woman


@dataclass(slots=True)
class SentenceCues:
    """Everything pass one read in a sentence."""

    explicit: list[Cue] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    quote_marks: list[tuple[int, str]] = field(default_factory=list)  # (offset, character)
    dialogue: str = ""             # "dash", "question_label", "answer_label", a target id (its label), "other", ""
    impersonal_il: list[int] = field(default_factory=list)  # offsets of impersonal "il"
    vocative: bool = False         # "Monsieur Musk,", "Dear Sam,", "Lettre ouverte à ...": a letter's addressee
    boilerplate: bool = False      # "Lire aussi : ...", "Vous lisez un article réservé...": page furniture
    ends_with_question: bool = False
    words: frozenset = frozenset()
    word_list: list = field(default_factory=list)  # its words, lower-cased, in order (for language detection)
    _targets: set | None = field(default=None, repr=False)

    def explicit_targets(self) -> set[str]:
        if self._targets is None:
            self._targets = {t for c in self.explicit for t in c.targets}
        return self._targets


@dataclass(frozen=True)
class _Scan:
    """A cue pattern tried only around its anchor words: {word: (words back, words on)} of the window."""

    kind: str
    pattern: re.Pattern
    anchors: dict
    starts: frozenset | None = None  # the first words a match can begin with (None: any position)
    capitals: bool = False  # or any capitalised word


class CueScanner:
    """Compiled once per registry."""

    def __init__(self, registry: TargetRegistry):
        self.registry = registry
        words = lexicon()
        self._surnames = {s: t.given_names for t in registry.targets for s in t.surnames}
        self._given_names = {g for t in registry.targets for g in t.given_names}
        self._relatives = {r for t in registry.targets for r in t.relatives}
        self._names = given_names()
        self._dialogue_labels = {label.lower() for label in words_of(words["dialogue_labels"])}
        self._impersonal = re.compile(words["impersonal_il"], re.IGNORECASE)
        self._boilerplate = tuple(words["boilerplate"])
        self._role_kinds = {_key(p): kind for kind, by_language in words["roles"].items() for p in words_of(by_language)}
        self._holders: dict[str, dict[str, set[str]]] = {}  # organisation name -> {target: role kinds}
        for target in registry.targets:
            for organisation in target.organisations:
                for name in organisation.names:
                    self._holders.setdefault(name, {}).setdefault(target.id, set()).update(organisation.roles)
        self._named = self._named_scan(registry)
        self._composed = self._composed_scan(registry, words)
        self._organisation_words = frozenset(w for name in self._holders for w in lower_words(name))
        self._scans = self._cue_scans(registry, words)
        # For each anchor word, the scans it opens a window for (the named and composed scans are 0 and 1).
        self._anchored: dict[str, list[int]] = {}
        self._all_scans = [self._named, self._composed] + self._scans
        for index, scan in enumerate(self._all_scans):
            for word in scan.anchors:
                self._anchored.setdefault(word, []).append(index)
        self._anchor_words = frozenset(self._anchored)
        self._name_words = frozenset(self._name_endings)
        self._anchor_patterns = {w: re.compile(rf"(?<!\w){re.escape(w)}(?!\w)", re.IGNORECASE) for w in set(self._anchored) | set(self._name_endings)}
        # Single-word pronouns, each with its own small pattern: a sentence holds only a few of them.
        self._pronoun_kinds: dict[str, str] = {}
        self._pronoun_patterns: dict[str, re.Pattern] = {}
        for kind in (FEMININE, SUBJECT, OBJECT, POSSESSIVE, SECOND, FIRST_PLURAL, FIRST_SINGULAR, PLURAL):
            for form in words_of(words["pronouns"][kind]):
                key = form.lower().replace("’", "'")
                if not re.fullmatch(r"\w+'?", key):
                    continue
                word = key.rstrip("'")
                if word not in self._pronoun_kinds:
                    self._pronoun_kinds[word] = kind
                    ending = APOSTROPHE if key.endswith("'") else r"(?!\w)"
                    self._pronoun_patterns[word] = re.compile(rf"(?<!\w){re.escape(word)}{ending}", re.IGNORECASE)
        self._pronoun_words = frozenset(self._pronoun_kinds)
        self._given_name_keys = frozenset(self._names) - _NOT_GIVEN_NAMES - {g.lower() for g in self._given_names}

    # -- building -------------------------------------------------------------------------------

    def _named_scan(self, registry: TargetRegistry) -> _Scan:
        """Names (case-sensitive, or in capitals), aliases, listed titles and group references."""
        groups: list[tuple[tuple[str, ...], str, str]] = []  # (targets, via, pattern), longest kinds first
        for target in registry.targets:
            if target.titles:
                groups.append(((target.id,), TITLE, "(?i:" + alternation(target.titles, phrase_pattern) + ")"))
        for target in registry.targets:
            if target.aliases:
                groups.append(((target.id,), ALIAS, "(?i:" + alternation(target.aliases, phrase_pattern) + ")"))
        if registry.group_references:
            groups.append((registry.ids, GROUP_VIA, "(?i:" + alternation(registry.group_references, phrase_pattern) + ")"))
        # Names are found word by word (`_names`), not by this scan: they are the commonest references.
        self._name_endings: dict[str, list[tuple[str, str, str]]] = {}  # last word -> [(form, prefix, target)]
        for target in registry.targets:
            for name in set(target.names + target.misspellings):
                for form in {name, name.upper()}:
                    prefix, _, last = form.rpartition(" ")
                    self._name_endings.setdefault(last.lower(), []).append((last, prefix + " " if prefix else "",
                                                                            target.id))
        for endings in self._name_endings.values():
            endings.sort(key=lambda e: -len(e[1]))  # the longest name first: "Elon Musk" before "Musk"
        self._named_meaning = {f"g{i}": (targets, via) for i, (targets, via, _) in enumerate(groups)}
        alternatives = "|".join(rf"(?P<g{i}>(?:{pattern})(?!\w))" for i, (_, _, pattern) in enumerate(groups))
        phrases = [p for t in registry.targets for p in t.aliases + t.titles] + list(registry.group_references)
        return _Scan(EXPLICIT, re.compile(rf"(?<!\w)(?:{alternatives or '(?!)'})"), anchors_of(phrases))

    def _composed_scan(self, registry: TargetRegistry, words: dict) -> _Scan:
        """A role word with one of the targets' organisations or products, in French or English:
        "le patron de SpaceX", "du cofondateur d'OpenAI", "the Tesla CEO", "OpenAI's boss", "the Grok
        maker's owner", "the chief executive of OpenAI". Who holds the role is looked up afterwards."""
        companies = [n for n, _ in sorted(self._holders.items()) if not self._is_product(registry, n)]
        products = [n for n in sorted(self._holders) if self._is_product(registry, n)]
        organisations = f"(?-i:{alternation(companies)})"
        product = f"(?-i:{alternation(products)})" if products else "(?!)"
        roles_fr, roles_en = alternation(words_of(words["roles"])), alternation(words_of(words["roles"]))
        makers_fr, makers_en = alternation(words["makers"]["fr"]), alternation(words["makers"]["en"])
        qual_fr = rf"(?:(?:{alternation(words['role_qualifiers']['fr'])})\s*)*"
        qual_en = rf"(?:(?:{alternation(words['role_qualifiers']['en'])})\s+)*"
        company_fr = rf"(?:(?:{alternation(words['company_nouns']['fr'])})\s+)?"
        continuation = rf"(?!\s+(?:{'|'.join(_ROLE_CONTINUATIONS)})\b)"
        french = (rf"{_NOT_INDEFINITE}(?:(?:le|l{APOSTROPHE}|du|au|son|ce|cet|notre|leur)\s*)?{qual_fr}"
                  rf"(?P<role_fr>{roles_fr})(?:\s+(?:emblématique|historique|actuel|fantasque|milliardaire))?\s*"
                  rf"{_CONNECT_FR}(?:(?:{makers_fr})\s+(?:de\s+|d{APOSTROPHE}\s*)(?P<product_fr>{product})|"
                  rf"{company_fr}(?:{_CONNECT_FR})?(?P<org_fr>{organisations}|{product}))")
        english_before = (rf"{_NOT_INDEFINITE}(?:the\s+)?{qual_en}(?:(?P<org_en>{organisations})|"
                          rf"(?P<product_en>{product})(?:\s+(?:{makers_en}))?)(?:{APOSTROPHE}s)?\s+"
                          rf"(?:co-?founder\s+and\s+|founder\s+and\s+)?{qual_en}(?P<role_en>{roles_en}){continuation}")
        english_of = (rf"{_NOT_INDEFINITE}(?:the\s+)?{qual_en}(?P<role_of>{roles_en})\s+of\s+(?:the\s+)?"
                      rf"(?:(?P<org_of>{organisations})|(?:{makers_en})\s+(?:of|behind)\s+(?P<product_of>{product})|"
                      rf"(?P<product_of_bare>{product}))")
        starts = (["le", "l", "du", "au", "son", "ce", "cet", "notre", "leur", "the"] + words_of(words["role_qualifiers"])
                  + _first_words(words_of(words["roles"])) + _first_words(self._holders))
        pattern = re.compile(rf"(?<!\w)(?i:{french}|{english_before}|{english_of})(?!\w)")
        return _Scan(TITLE, pattern, _around(anchors_of(words_of(words["roles"])), 9, 9), _start_words(starts))

    @staticmethod
    def _is_product(registry: TargetRegistry, name: str) -> bool:
        return any(o.product and name in o.names for t in registry.targets for o in t.organisations)

    def _cue_scans(self, registry: TargetRegistry, words: dict) -> list[_Scan]:
        """The other multi-word cues, in priority order: an earlier kind wins where two overlap."""
        scans: list[_Scan] = []

        def add(kind: str, pattern: str, anchors, before: int = 4, after: int = 0, starts=None,
                capitals: bool = False) -> None:
            """`anchors`: words with the same window, or {word: (before, after)} from `anchors_of`;
            `starts`: the words a match can begin with, when a gate pays (long patterns)."""
            if not isinstance(anchors, dict):
                anchors = _around(anchors, before, after)
            scans.append(_Scan(kind, re.compile(rf"(?<!\w)(?:{pattern})", re.IGNORECASE), anchors,
                               _start_words(starts) if starts else None, capitals))

        relation_quals = rf"(?:(?:{alternation(words_of(words['relation_qualifiers']))})\s*)*"
        add(RELATION, rf"(?:son|sa|ses|mon|ma|mes|notre|leur|his|my|our|their|l{APOSTROPHE}|le|la|the|"
                      rf"{APOSTROPHE}s)\s*{relation_quals}(?:{alternation(words_of(words['relations']))})(?!\w)",
            {word: (max(before, 5), after) for word, (before, after) in anchors_of(words_of(words["relations"])).items()})
        group_nouns = alternation(words_of(words["group_nouns"]))
        group_quals = alternation(words_of(words["group_qualifiers"]))
        quarrels = alternation(words_of(words["quarrel_nouns"]))
        add(GROUP, rf"{_bounded(words_of(words['pairs']))}|"
                   rf"(?:{alternation(words_of(words['pair_determiners']))})\s+(?:(?:{group_quals})\s*)*(?:[\w-]+\s+)?"
                   rf"(?:{group_nouns})(?!\w)|"
                   rf"(?:les|the|ces|these|those)\s+(?:(?:{group_quals})\s*)+(?:{group_nouns})(?!\w)|"
                   rf"(?:leur|leurs|their)\s+(?:(?:longue|vieille|ancienne|interminable|fameuse|célèbre|long-running|"
                   rf"bitter|public|old|famous|years-long|long)\s+)?(?:{quarrels})(?!\w)|"
                   rf"(?:{quarrels})\s+(?:de|des|entre|between|of)\s+(?:(?:les|the|deux|two)\s+)?(?:(?:{group_quals})\s*)*"
                   rf"(?:milliardaires|billionaires|titans|tycoons|hommes|men|patrons|moguls|egos|ego)(?!\w)",
            {word: (max(before, 6), after) for word, (before, after) in anchors_of(
                words_of(words["pairs"]) + words_of(words["group_nouns"]) + words_of(words["quarrel_nouns"])
                + ["milliardaires", "billionaires", "titans", "tycoons", "hommes", "men", "patrons", "moguls", "egos",
                   "ego"]).items()},
            starts=_first_words(words_of(words["pairs"]) + words_of(words["pair_determiners"])
                                          + words_of(words["quarrel_nouns"]))
            + ["les", "the", "ces", "these", "those", "leur", "leurs", "their"])
        non_person = alternation(words_of(words["non_person_plurals"]))
        add(LOOSE_PAIR, rf"(?:les|ces|nos)\s+deux\s+(?!(?:{non_person})\b)[a-zà-ÿ-]+s(?!\w)|"
                        # "Les deux ont raison", "ces deux se détestent": the pair as a pronoun
                        rf"(?:les|ces)\s+deux(?=\s+(?:{_PAIR_VERBS})(?!\w)|\s*[,.;:!?»”])|"
                        rf"(?:the|these|those)\s+two\s+(?!(?:{non_person})\b)[a-z-]+s(?!\w)", {"deux", "two"}, 2, 2)
        for kind, key in ((THE_OTHER, "the_other"), (FORMER, "former"), (LATTER, "latter"),
                          (DESCRIPTION, "descriptions")):
            add(kind, _bounded(words_of(words[key])), anchors_of(words_of(words[key])))
        roles = words_of(words["roles"])
        any_role = alternation(roles)
        role_anchors = set(anchors_of(roles))
        company_fr = alternation(["société", "entreprise", "start-up", "startup", "jeune pousse", "firme", "laboratoire",
                                  "labo", "groupe", "compagnie", "plateforme", "réseau social", "réseau", "constructeur",
                                  "organisation", "maison mère", "concepteur", "créateur", "fabricant", "développeur"])
        company_en = alternation(["company", "startup", "start-up", "firm", "lab", "group", "platform", "network",
                                  "organization", "organisation", "automaker", "carmaker", "chatbot maker", "maker",
                                  "rocket company", "social network", "developer", "creator"])
        add(COMPANY_ROLE, rf"(?:le|l{APOSTROPHE}|du|au)\s*(?:(?:ancien|ex-|actuel|nouveau)\s*)?(?:{any_role})\s*"
                          rf"{_CONNECT_FR}(?:la\s+|le\s+|l{APOSTROPHE}\s*)?(?:{company_fr})(?!\w)|"
                          rf"(?:son|sa|leur)\s+(?:(?:ancien|ex-|actuel|nouveau|jeune|richissime|fantasque)\s*)?"
                          rf"(?:{any_role})(?!\w)(?!\s*{_CONNECT_FR})|"
                          rf"(?:the|this|that)\s+(?:{company_en}){APOSTROPHE}s\s+(?:(?:former|current|new)\s+)?"
                          rf"(?:{any_role})(?!\w)|its\s+(?:(?:former|current|new)\s+)?(?:{any_role})(?!\w)",
            role_anchors, before=6, after=4, starts=["le", "l", "du", "au", "son", "sa", "leur", "the", "this", "that",
                                                     "its"])
        # Another organisation's role: a capitalised word that is not a determiner, "Meta" in "the Meta CEO".
        capital = r"(?!(?:the|le|la|les|l|un|une|a|an|ce|cette|its|his|her|their|son|sa|ses|leur|this|that)\b)" \
                  r"(?-i:[A-ZÀ-ÖØ-Þ])[\w.&-]*"
        add(OTHER_PERSON, rf"(?:le|la|l{APOSTROPHE}|du|au)\s*(?:{any_role})\s*{_CONNECT_FR}{capital}(?!\w)|"
                          rf"(?:the\s+)?{capital}(?:{APOSTROPHE}s)?\s+(?:{any_role})(?!\w)(?!\s+\w+\s+officer)|"
                          rf"(?:the\s+)?(?:{any_role})\s+of\s+(?:the\s+)?{capital}(?!\w)", role_anchors, 4, 4,
            starts=["le", "la", "l", "du", "au", "the"] + _first_words(roles), capitals=True)
        add(OTHER_PERSON, rf"(?-i:(?:{'|'.join(map(re.escape, _HONORIFICS))})\s+[A-ZÀ-ÖØ-Þ][\w'’-]+)",
            {h.lower().rstrip(".") for h in _HONORIFICS}, 0, 2)
        person_nouns = alternation(words_of(words["person_nouns"]) + list(_FAMILY))
        # "Le directeur général" is a role, not "le directeur", another person.
        nouns = {w.lower() for w in words_of(words["person_nouns"])}
        role_rests = [rest for role in roles for first, rest in [_first_word_and_rest(role)]
                      if rest and first.lower() in nouns]
        add(OTHER_PERSON, rf"(?:(?:un|une|l{APOSTROPHE}un|l{APOSTROPHE}une)\s+(?:des|de\s+ses|de\s+leurs)|"
                          rf"one\s+of\s+(?:the|his|their)|un|une|la|le|the|son|sa|his|her|l{APOSTROPHE}|a|an|"
                          rf"another|un\s+autre|une\s+autre)\s*(?:(?:ancien|ancienne|former|jeune|senior|haut|haute|"
                          rf"early|longtime)\s+)?(?:{person_nouns})s?(?!\w)(?!{alternation(role_rests)})",
            {w + s for w in anchors_of(words_of(words["person_nouns"]) + list(_FAMILY)) for s in ("", "s")}, 5, 2,
            starts=["un", "une", "l", "one", "la", "le", "the", "son", "sa", "his", "her", "a", "an", "another"])
        add(BARE_ROLE, rf"(?:le|l{APOSTROPHE}|du|au|de\s+l{APOSTROPHE}|the)\s*(?:(?:ancien|ex-|former|actuel)\s*)?"
                       rf"(?:{alternation(words_of(words['roles']))})"
                       rf"(?!\w)(?!\s*(?:{_CONNECT_FR}|of\b|,?\s+(?-i:[A-Z])))", role_anchors, 4, 3)
        if registry.carried_references:
            add(CARRIED, "(?:" + alternation(registry.carried_references, phrase_pattern)
                + rf")(?!\w)(?!\s+(?:de|du|des|d{APOSTROPHE}|of)\b)", anchors_of(registry.carried_references))
        names = words["organisations"] + list(self._holders)
        add(ORGANISATION, rf"(?-i:{alternation(names)})(?!\w)", anchors_of(names, extra=0))
        companies = words_of(words["company_nouns"])
        add(ORGANISATION, rf"(?:la|le|l{APOSTROPHE}|cette|ce|the|this|that|its)\s*(?:{alternation(companies)})(?!\w)",
            anchors_of(companies, extra=1))
        return scans

    # -- scanning -------------------------------------------------------------------------------

    def scan(self, text: str) -> SentenceCues:
        """Every cue of one sentence (the first `MAX_CUES` of them: no sentence of prose holds more)."""
        lowered = text.lower()
        words = _WORDS.findall(lowered)
        present = frozenset(words)
        found = SentenceCues(words=present, word_list=words)
        taken = _Spans(len(text))
        anchors = present & self._anchor_words
        windows = self._windows(text, lowered, anchors) if anchors else {}
        explicit: list[Cue] = []
        names = present & self._name_words
        if names:
            explicit += self._target_names(text, lowered, names)
        if 0 in windows:
            explicit += self._explicit(text, _matches(self._named, text, windows[0]), self._named_meaning)
        if 1 in windows and not self._organisation_words.isdisjoint(present):
            explicit += self._composed_roles(text, _matches(self._composed, text, windows[1]))
        for cue in sorted(explicit, key=lambda c: (c.start, -c.end)):
            taken.offer(cue)
        found.explicit = [c for c in taken.cues if c.targets]
        for index in sorted(windows.keys() - {0, 1}):
            scan = self._all_scans[index]
            for match in _matches(scan, text, windows[index]):
                taken.offer(Cue(match.start(), match.end(), scan.kind, via=_person_gender(scan.kind, match.group())))
        if "autre" in present and "un" in present or "other" in present and "one" in present:
            for match in _ONE_THEN_THE_OTHER.finditer(text):
                taken.offer(Cue(match.start(), match.end(), GROUP))
        pronouns = present & self._pronoun_words
        if pronouns:
            self._pronouns(text, pronouns, present, taken)
        if not present.isdisjoint(self._given_name_keys):
            for cue in self._named_persons(text):
                taken.offer(cue)
        cues = taken.cues
        # "Son avocat, Marc Toberoff": the lawyer is another person, and "son" still refers to his client.
        cues += [Cue(c.start, c.start + len(owner.group()), POSSESSIVE) for c in cues if c.kind == OTHER_PERSON
                 for owner in [_POSSESSIVE_START.match(text, c.start)] if owner]
        if "il" in present:
            found.impersonal_il = [m.start() for m in self._impersonal.finditer(text)]
            impersonal = set(found.impersonal_il)
            cues = [c for c in cues if not (c.kind == SUBJECT and c.start in impersonal)]
        if found.explicit:
            named_at = {c.start for c in found.explicit}
            cues = [c for c in cues if c.kind not in _APPOSABLE or not _apposed(text, c.end, named_at)]
        found.explicit = found.explicit[:MAX_CUES]
        found.cues = sorted((c for c in cues if not c.targets), key=_start)[:MAX_CUES]
        if '"' in text or "«" in text or "“" in text or "»" in text or "”" in text:
            found.quote_marks = [(m.start(), m.group()) for m in _QUOTE_MARK.finditer(text)][:MAX_CUES]
        head = text[:48]
        if ":" in head or head.lstrip()[:1] in "—–-":
            found.dialogue = self._dialogue(text, found.explicit, found.cues)
        found.vocative = not _VOCATIVE_WORDS.isdisjoint(present) and bool(_VOCATIVE.search(text))
        found.boilerplate = lowered.lstrip(" -–—•*|>").startswith(self._boilerplate)
        found.ends_with_question = text.rstrip(" »”\"'’)").endswith("?")
        return found

    def _windows(self, text: str, lowered: str, anchors: frozenset) -> dict[int, list[list[int]]]:
        """For each scan with an anchor word in the sentence, the text windows around its anchors, merged.

        A window reaches `_WORD_CHARS` characters per word the scan's phrases may hold before and after
        the anchor, and `_LOOKAHEAD_WORDS` more after (a pattern may look ahead past its phrase: "le
        directeur" is not a person when "général" follows); it ends at a word's end.
        """
        scans = self._all_scans
        spans: dict[int, list[tuple[int, int]]] = {}
        for word in anchors:
            for start, end in _occurrences(text, lowered, word, self._anchor_patterns[word]):
                for index in self._anchored[word]:
                    before, after = scans[index].anchors[word]
                    spans.setdefault(index, []).append(
                        (max(0, start - before * _WORD_CHARS), _word_end(text, end + (after + _LOOKAHEAD_WORDS) * _WORD_CHARS)))
        windows: dict[int, list[list[int]]] = {}
        for index, found in spans.items():
            if len(found) == 1:
                windows[index] = [list(found[0])]
                continue
            merged: list[list[int]] = []
            for start, end in sorted(found):
                if merged and start <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], end)
                else:
                    merged.append([start, end])
            windows[index] = merged
        return windows

    def _pronouns(self, text: str, pronouns: frozenset, present: frozenset, taken: "_Spans") -> None:
        """Single-word pronouns outside longer cues ("son" in "son ancien associé" is the relation's), and
        object clitics ("on l'adore", "il le déteste", "ne les faire", "l'a écarté")."""
        for word in pronouns:
            kind = self._pronoun_kinds[word]
            for match in self._pronoun_patterns[word].finditer(text):
                if word != "i" or match.group() == "I":
                    taken.offer(Cue(match.start(), match.end(), kind))
        if not present.isdisjoint(_CLITIC_WORDS) and not present.isdisjoint(_CLITIC_TRIGGERS):
            for match in _CLITIC.finditer(text):
                group = match.lastgroup
                taken.offer(Cue(match.start(group), match.end(group), PLURAL if group == "plural" else CLITIC, via=group))

    def _named_persons(self, text: str) -> list[Cue]:
        """"Mark Zuckerberg", "Yvonne Gonzalez Rogers": capitalised words opened by a given name not a target's."""
        found = []
        for match in _CAPITALISED_PAIR.finditer(text):
            first = match.group(1)
            gender = self._gender(first)
            if gender is not None and first not in self._given_names:
                found.append(Cue(match.start(), match.end(), OTHER_PERSON, via=gender))
        return found

    def _target_names(self, text: str, lowered: str, words: frozenset) -> list[Cue]:
        """Names, case-sensitive or in capitals: "Musk", "Elon Musk", "SAM ALTMAN", "Atlman"."""
        cues = []
        for word in words:
            for start, end in _occurrences(text, lowered, word, self._anchor_patterns[word]):
                found = text[start:end]
                for form, prefix, target in self._name_endings[word]:
                    if found == form and text.endswith(prefix, 0, start):
                        begin = start - len(prefix)
                        if not prefix and self._another_family_member(text, begin, end):
                            cues.append(Cue(begin, end, OTHER_PERSON))
                        else:
                            cues.append(Cue(begin, end, EXPLICIT, (target,), NAME))
                        break
        return cues

    def _explicit(self, text: str, matches, meaning) -> list[Cue]:
        cues = []
        for match in matches:
            targets, via = meaning[match.lastgroup]
            cues.append(Cue(match.start(), match.end(), EXPLICIT, targets, via))
        return cues

    def _composed_roles(self, text: str, matches) -> list[Cue]:
        cues = []
        for match in matches:
            groups = {k: v for k, v in match.groupdict().items() if v}
            role = next(v for k, v in groups.items() if k.startswith("role"))
            holder = next(v for k, v in groups.items() if k.startswith(("org", "product")))
            kind = self._role_kinds.get(_key(role))
            targets = tuple(sorted(t for t, kinds in self._holders.get(holder, {}).items() if kind in kinds))
            if not targets:
                continue  # a role the targets do not hold there ("the Tesla chair")
            if self._apposed_to_a_name(text, match.start(), match.end()):
                cues.append(Cue(match.start(), match.end(), OTHER_PERSON))  # "X CEO Linda Yaccarino"
            else:
                cues.append(Cue(match.start(), match.end(), EXPLICIT, targets, TITLE))
        return cues

    def _another_family_member(self, text: str, start: int, end: int) -> bool:
        """"Kimbal Musk", "Annie Altman": a surname after another given name, or a relative the registry lists."""
        surname = text[start:end]
        given = self._surnames.get(surname)
        if given is None:
            return False
        before = text[max(0, start - 30):start].rstrip()
        words = before.rsplit(None, 1)
        if not words or not _CAPITALISED.fullmatch(words[-1]):
            return False
        word = words[-1]
        if word in given or word in self._given_names:
            return False
        return self._gender(word) is not None or f"{word} {surname}" in self._relatives

    def _apposed_to_a_name(self, text: str, start: int, end: int) -> bool:
        """A bare title right before another person's name is that person's: "X CEO Linda Yaccarino"."""
        if re.match(r"(?i)(?:the|le|la|l['’]|du|au|des|de)\b", text[start:end]):
            return False
        match = _APPOSED_NAME.match(text, end, min(len(text), end + 40))
        return match is not None and match.group(1) not in self._given_names and self._gender(match.group(1)) is not None

    def _gender(self, word: str) -> str | None:
        """m, f or x for a common given name, None for any other word."""
        key = plain(word)
        return None if key in _NOT_GIVEN_NAMES else self._names.get(key)

    def _dialogue(self, text: str, explicit: list[Cue], cues: list[Cue]) -> str:
        """How a sentence opens a turn of dialogue: a dash, "Q:", "ALTMAN:" (its target), another name."""
        match = _DIALOGUE.match(text)
        if match is None:
            return ""
        if match.group("dash"):
            return "dash"
        label = match.group("label").strip()
        if label.lower().rstrip(".") in self._dialogue_labels:
            return "question_label" if label[:1] in "QJI" or label.lower().startswith(("interv", "host")) else "answer_label"
        end = match.start("label") + len(match.group("label").rstrip())
        for cue in explicit:
            if cue.start <= match.start("label") + 4 and cue.end >= end - 1 and len(cue.targets) == 1:
                return cue.targets[0]
        if any(c.kind == OTHER_PERSON and c.start <= match.start("label") + 4 and c.end >= end - 1 for c in cues):
            return "other"
        return ""


_WORD_CHARS = 14  # characters a window allows per word, spaces and punctuation included
_LOOKAHEAD_WORDS = 2  # words a window reaches past a phrase's end, for what the pattern looks ahead at
_NOT_WORD = re.compile(r"\W|$")


def _start(cue: Cue) -> int:
    return cue.start


def _occurrences(text: str, lowered: str, word: str, pattern: re.Pattern) -> list[tuple[int, int]]:
    """(start, end) of each occurrence of a lower-case word: by `str.find` in the lower-cased text,
    whose offsets are the text's unless lower-casing changed its length (then by pattern)."""
    if len(lowered) != len(text):
        return [m.span() for m in pattern.finditer(text)]
    found, size, limit = [], len(word), len(lowered)
    start = lowered.find(word)
    while start >= 0:
        end = start + size
        before = lowered[start - 1] if start else " "
        after = lowered[end] if end < limit else " "
        if not (before.isalnum() or before == "_" or after.isalnum() or after == "_"):
            found.append((start, end))
        start = lowered.find(word, end)
    return found


def _word_end(text: str, position: int) -> int:
    """`position`, moved on to the end of the word it falls in."""
    if position >= len(text):
        return len(text)
    return _NOT_WORD.search(text, position).start()


def _start_words(starts) -> frozenset:
    """The lower-cased first word of each way a match can begin ("l" for "l'", "ex" for "ex-")."""
    words = {w for w in (_WORDS.match(s.lower()) for s in starts if s) if w}
    assert len(words) == len([s for s in starts if s]), "every start must begin with a word character"
    return frozenset(w.group() for w in words)


def _apposed(text: str, end: int, named_at: set) -> bool:
    """Whether a target's name follows `end` with at most two spaces or a comma between."""
    for position in range(end, min(end + 3, len(text) + 1)):
        if position in named_at:
            return True
        if position < len(text) and text[position] not in _APPOSITION_GAP:
            return False
    return False


def _first_word_and_rest(phrase: str) -> tuple[str, str]:
    """"directeur général" -> ("directeur", " général"); "président-directeur général" -> ("président", "-directeur général")."""
    first = _WORDS.match(phrase)
    return (first.group(), phrase[first.end():]) if first else ("", phrase)


def _first_words(phrases) -> list[str]:
    return [lower_words(p)[0] for p in phrases if lower_words(p)]


def _around(words, before: int, after: int) -> dict[str, tuple[int, int]]:
    return {w.lower(): (before, after) for w in words}


def _matches(scan: _Scan, text: str, windows: list[list[int]]) -> list[re.Match]:
    """The scan's matches in the windows, left to right and not overlapping, as `finditer` finds them.

    A scan that knows the words its matches begin with is tried only where such a word begins: Python's
    regex engine tries every alternative at every position, and a set lookup per word is far cheaper.
    """
    if scan.starts is None:
        return [m for start, end in windows for m in scan.pattern.finditer(text, start, end)]
    found, starts, capitals, match = [], scan.starts, scan.capitals, scan.pattern.match
    for start, end in windows:
        resume = start
        for word in _WORDS.finditer(text, start, end):
            position = word.start()
            if position < resume:
                continue
            token = word.group()
            if token.lower() in starts or (capitals and token[0] in _CAPITALS):
                matched = match(text, position, end)
                if matched is not None:
                    found.append(matched)
                    resume = max(matched.end(), position + 1)
    return found


def _key(phrase: str) -> str:
    return " ".join(phrase.lower().replace("’", "'").split())


def _person_gender(kind: str, text: str) -> str:
    """"f" for another person described as a woman ("Mme", "la juge", "his wife"), else ""."""
    if kind != OTHER_PERSON:
        return ""
    return "f" if _FEMININE_PERSON.search(text) else ""


def _bounded(phrases, pattern=literal) -> str:
    """Alternation of whole phrases: each ends at a word's end, unless it ends in an apostrophe (j', l')."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(pattern(p) + ("" if p.endswith(("'", "’")) else r"(?!\w)") for p in ordered)


class _Spans:
    """The cues kept so far and the characters they cover: whether a new cue overlaps one is read off
    the characters it would cover, so that a sentence of thousands of cues stays linear."""

    def __init__(self, size: int):
        self.cues: list[Cue] = []
        self._covered = bytearray(size)

    def offer(self, cue: Cue) -> bool:
        """Keep `cue` unless it overlaps a cue kept before."""
        if self._covered.find(1, cue.start, cue.end) >= 0:
            return False
        self.cues.append(cue)
        self._covered[cue.start:cue.end] = b"\x01" * (cue.end - cue.start)
        return True
