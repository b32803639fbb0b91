"""Turning sentences into what the model reads.

Every mention of a target is replaced by a placeholder token (`_musk_`, `_altman_`), so
the shared TF-IDF sees "_musk_ a qualifié _altman_ d'escroc" rather than names: word
n-grams around the placeholders carry who does what to whom, and the way a target is
named (full name, title, typo, pronoun) does not change what the model reads.
"""
from __future__ import annotations

import re



def placeholder(target_id: str) -> str:
    return f"_{target_id}_"


def mask_mentions(text: str, offset: int, mentions: dict) -> str:
    """`text` with each mention (article offsets, hence `offset`) replaced by its target's placeholder.

    A span several targets share ("les deux hommes") gets all their placeholders; of two spans that
    overlap, the first is kept. Built in one pass, so a sentence of many mentions stays linear.
    """
    by_span: dict[tuple[int, int], list[str]] = {}
    for target_id, target_mentions in mentions.items():
        for m in target_mentions:
            by_span.setdefault((m.start - offset, m.end - offset), []).append(placeholder(target_id))
    pieces, position = [], 0
    for (start, end), tokens in sorted(by_span.items()):
        if start < position:
            continue
        pieces += [text[position:start], " ", " ".join(tokens), " "]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)



# A negation's scope runs from the negation word to the next punctuation mark. The text is
# lower-cased first; the lookahead lets the scan skip every position that cannot start a
# negation word (three times faster than trying each alternative everywhere).
_NEGATION = re.compile(
    r"(?=[npjasc])(?:\b(?:ne|pas|not|never|no|nor|cannot|jamais|aucun|aucune|sans|ni)\b|\bn['’]|n['’]t\b)")
_SCOPE_END = re.compile(r"[.,;:!?»”\"()\[\]—–]")
_WORD = re.compile(r"\w+")


def mark_negation(text: str) -> str:
    """Lower-cased text whose words inside a negation's scope carry a `neg_` prefix.

    "Altman n'a jamais été un escroc" becomes "altman n' neg_a neg_jamais neg_été neg_un neg_escroc",
    so the word n-grams of a denial differ from those of the accusation.
    """
    out, position = [], 0
    lowered = text.lower()
    for negation in _NEGATION.finditer(lowered):
        if negation.start() < position:
            continue
        end = _SCOPE_END.search(lowered, negation.end())
        scope_end = end.start() if end else len(lowered)
        out.append(lowered[position:negation.end()])
        out.append(_WORD.sub(lambda w: "neg_" + w.group(), lowered[negation.end():scope_end]))
        position = scope_end
    out.append(lowered[position:])
    return "".join(out)
