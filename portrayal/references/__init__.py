"""Reference resolution: which targets each sentence refers to, where, and how surely.

    finder = ReferenceFinder(TargetRegistry.from_file("data/targets.json"), decision)
    found = finder.find(sentences)   # found.references: per sentence {target: Reference(mentions, p_referred, referred)}

Modules, in the order an article goes through them:
- `registry`: the targets (names, aliases, organisations and the roles held there);
- `lexicon`: the generic words (roles, pronouns, speech verbs...) and how phrases become patterns;
- `cues`: pass one, each sentence alone: names, composed roles, pronouns, descriptions, pairs, quote marks;
- `quotes`: pass two, quotes across sentences and their speakers, interview turns;
- `resolution`: pass three, in reading order: salience, pronouns, speakers, addressees, groups;
- `decision`: the logistic regression that weighs pass three's signals into P(referred);
- `finder`: the three passes and the decision, for callers.
"""
from .decision import ReferenceDecision
from .finder import ArticleReferences, Reference, ReferenceFinder
from .lexicon import lower_words
from .registry import Target, TargetRegistry
from .resolution import VIAS, Evidence, Mention

__all__ = ["ArticleReferences", "Evidence", "Mention", "Reference", "ReferenceDecision", "ReferenceFinder", "Target", "TargetRegistry",
           "VIAS", "lower_words"]
