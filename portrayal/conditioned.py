r"""The target-conditioned stance learner: what it reads depends on which person is the target.

The sentence is read with the target's mentions replaced by one marker and the other persons'
mentions by another, plus features of the words around the target (side and distance, same
clause, closer to another person, inside a negation). The same sentence thus gives different
features for each person it names, so one model serves any target: it scores the registry's
targets that have no labelled sentences (the generic head) and runs the NewsMTSC benchmark.

    example = make_example(sentence, target_spans=[(start, end)], other_spans=[(start, end)])
    model = build_estimator().fit(examples, labels)

Words are Unicode `\w+` tokens and the cue lists are French and English; nothing is downloaded.
"""
from __future__ import annotations

import re

from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

TGT = "__tgt__"      # marker tokens (lower case, \w-only: survive lower-casing and tokenisation)
OTHER = "__oth__"

_TOKEN_RE = re.compile(r"\w+|[^\w\s]", re.UNICODE)

# clause-boundary punctuation and conjunction cues (EN + FR)
_BOUNDARY_PUNCT = {",", ";", ":", "(", ")", "[", "]", "\u2014", "\u2013", "-", '"',
                   "\u201c", "\u201d", "\u00ab", "\u00bb", "?", "!", "."}
_BOUNDARY_WORDS = {"but", "while", "although", "though", "whereas", "however", "yet",
                   "because", "since", "unless", "despite", "mais", "cependant",
                   "pourtant", "tandis", "alors", "bien", "quoique", "car", "malgré"}
# negation cues (EN + FR); "t" covers the "n't" split as n ' t
_NEGATION = {"not", "no", "never", "none", "nobody", "nothing", "neither", "nor",
             "without", "cannot", "hardly", "barely", "t", "ne", "n", "pas", "jamais",
             "aucun", "aucune", "sans", "ni", "rien", "personne", "guère"}
_NEG_STOP = _BOUNDARY_PUNCT | _BOUNDARY_WORDS
WINDOW = 6    # tokens on each side of the target that get side-and-distance features
DECAY = 4.0   # distance at which a word's weight in the closeness-weighted bag halves


def _clean_spans(spans, n):
    out = []
    for s, e in spans or ():
        s, e = max(0, int(s)), min(n, int(e))
        if e > s:
            out.append((s, e))
    return out


def mask_sentence(sentence, target_spans, other_spans=()):
    """Return the sentence with target spans replaced by TGT and other-person spans by
    OTHER (target wins on overlap; overlapping spans of one kind are merged)."""
    n = len(sentence)
    tgt = _clean_spans(target_spans, n)
    oth = _clean_spans(other_spans, n)
    label = [None] * n
    for s, e in oth:
        for i in range(s, e):
            label[i] = OTHER
    for s, e in tgt:
        for i in range(s, e):
            label[i] = TGT
    pieces, i = [], 0
    while i < n:
        lab = label[i]
        if lab is None:
            j = i
            while j < n and label[j] is None:
                j += 1
            pieces.append(sentence[i:j])
        else:
            j = i
            while j < n and label[j] == lab:
                j += 1
            # a marker glued to letters ("Trump's" -> "__tgt__ 's") stays one token
            pieces.append(" " + lab + " ")
        i = j
    return re.sub(r"\s+", " ", "".join(pieces)).strip()


def make_example(sentence: str, target_spans, other_spans=()) -> dict:
    """The learner's input for one (sentence, target) pair.

    masked: the sentence with TGT / OTHER markers; tokens: its lower-cased tokens; dist: signed
    token distance to the nearest target marker (None without one); odist: distance to the
    nearest OTHER marker (None without one); clause: whether the token shares a clause with a
    target marker; neg: whether the token lies in a negation's scope; mention: the target's first
    mention as written, lower-cased.
    """
    target_spans = list(target_spans)
    masked = mask_sentence(sentence, target_spans, other_spans)
    toks = [t.lower() for t in _TOKEN_RE.findall(masked)]
    tpos = [i for i, t in enumerate(toks) if t == TGT]
    opos = [i for i, t in enumerate(toks) if t == OTHER]
    dist = [min((i - p for p in tpos), key=abs) if tpos else None for i in range(len(toks))]
    odist = [min(abs(i - p) for p in opos) if opos else None for i in range(len(toks))]
    cid, c = [], 0  # clause ids: a new clause at each boundary
    for t in toks:
        if t in _BOUNDARY_PUNCT or t in _BOUNDARY_WORDS:
            c += 1
        cid.append(c)
    tclauses = {cid[p] for p in tpos}
    clause = [cid[i] in tclauses for i in range(len(toks))]
    neg, in_scope = [], False
    for t in toks:
        if t in _NEG_STOP:
            in_scope = False
        neg.append(in_scope)
        if t in _NEGATION:
            in_scope = True
    mention = sentence[target_spans[0][0]:target_spans[0][1]].lower() if target_spans else ""
    return {"masked": masked, "tokens": toks, "dist": dist, "odist": odist, "clause": clause, "neg": neg,
            "mention": mention}


def example_from_mentions(sentence, mentions: dict, target_id: str) -> dict:
    """`make_example` for one target of a scored sentence: its mentions are the target, the other targets' are OTHER."""
    def spans(found):
        return [(m.start - sentence.start, m.end - sentence.start) for m in found]
    others = [span for other, found in mentions.items() if other != target_id for span in spans(found)]
    return make_example(sentence.text, spans(mentions[target_id]), others)


def select_masked(X):
    return [x["masked"] for x in X]


def _bucket(d):
    a = abs(d)
    if a <= 3:
        return str(a)
    if a <= 5:
        return "4-5"
    if a <= 10:
        return "6-10"
    return "11+"


def _is_word(t):
    return t[:1].isalnum() or t[:1] == "_"


def window_dicts(X) -> list[dict]:
    """Per-example {feature: value} dicts of target-relative features.

    - words within WINDOW tokens of the target, tagged by side and by side and distance bucket
    - a bag of words and bigrams weighted by closeness, w = 1 / (1 + |d| / DECAY)
    - n-grams around the target marker (TGT w1, TGT w1 w2, w-1 TGT, w-2 w-1 TGT, w-1 TGT w1)
    - words in the target's clause (C_), words closer to another person than to the target (O_)
    - words in a negation's scope near the target (NEG_)
    """
    out = []
    for x in X:
        toks, dist = x["tokens"], x["dist"]
        f = {}

        def add(k, v=1.0):
            f[k] = f.get(k, 0.0) + v

        n = len(toks)
        has_t = any(d == 0 for d in dist if d is not None)
        for i, t in enumerate(toks):
            d = dist[i]
            if t == TGT or d is None:
                continue
            side = "L" if d < 0 else "R"
            if abs(d) <= WINDOW:
                add("%s%s_%s" % (side, _bucket(d), t))
                add("%s_%s" % (side, t))
                if x["neg"][i]:
                    add("NEG_%s" % t)
            if _is_word(t):
                w = 1.0 / (1.0 + abs(d) / DECAY)
                add("W_" + t, w)
                if i + 1 < n:
                    add("W2_%s_%s" % (t, toks[i + 1]), w)
                if x["clause"][i]:
                    add("C_" + t)
                od = x["odist"][i]
                if od is not None and od < abs(d):
                    add("O_" + t)
        for i, t in enumerate(toks):
            if t != TGT:
                continue
            nxt = toks[i + 1] if i + 1 < n else "</s>"
            nxt2 = toks[i + 2] if i + 2 < n else "</s>"
            prv = toks[i - 1] if i >= 1 else "<s>"
            prv2 = toks[i - 2] if i >= 2 else "<s>"
            add("T+_%s" % nxt)
            add("T+_%s_%s" % (nxt, nxt2))
            add("-T_%s" % prv)
            add("-T_%s_%s" % (prv2, prv))
            add("-T+_%s_%s" % (prv, nxt))
        if not has_t:
            add("NO_TARGET")
        if any(od is not None for od in x["odist"]):
            add("HAS_OTHER")
        out.append(f)
    return out


def build_estimator() -> Pipeline:
    """Masked word 1-3-gram and char_wb 2-5-gram TF-IDF plus the target-window features, then a
    balanced logistic regression. Made of module-level functions only, so it pickles."""
    def masked_tfidf(**vectorizer):
        return Pipeline([("select", FunctionTransformer(select_masked)),
                         ("tfidf", TfidfVectorizer(min_df=2, sublinear_tf=True, **vectorizer))])
    union = FeatureUnion([
        ("word", masked_tfidf(ngram_range=(1, 3), token_pattern=r"(?u)\b\w+\b")),
        ("char", masked_tfidf(analyzer="char_wb", ngram_range=(2, 5))),
        ("win", Pipeline([("dicts", FunctionTransformer(window_dicts)), ("vec", DictVectorizer()),
                          ("tfidf", TfidfTransformer(sublinear_tf=True))])),
    ])
    return Pipeline([("features", union),
                     ("clf", LogisticRegression(C=2.0, class_weight="balanced", max_iter=2000))])
