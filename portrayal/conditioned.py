"""Target-dependent sparse features for entity-level sentiment with a linear model.

Language-agnostic (English / French tested by construction: Unicode word regex,
small bilingual negation / clause-cue lists). No external resources.

Usage
-----
    ex = make_example(sentence, target_spans=[(s, e), ...], other_spans=[(s, e), ...])
    model = build_estimator()
    model.fit([ex1, ex2, ...], labels)
    model.predict([ex])

`target_spans`: character spans [start, end) of the target's mention(s); the first
one is the main mention (used for distances when `main_only=True`), further ones
are coreferent mentions. `other_spans`: spans of mentions of OTHER persons in the
same sentence (replaced by a neutral OTHER marker so their context is not read as
the target's). Overlaps are resolved in favour of the target; spans may be given
in any order.

Each example is a plain dict of str / lists (picklable, JSON-able). The estimator
is a scikit-learn Pipeline(FeatureUnion(...), LogisticRegression) made only of
module-level functions, so it pickles.
"""
from __future__ import annotations

import math
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
_QUOTES = {'"', "\u201c", "\u201d", "\u00ab", "\u00bb"}
_NEG_STOP = _BOUNDARY_PUNCT | _BOUNDARY_WORDS


# --------------------------------------------------------------------------- #
# (a) example construction
# --------------------------------------------------------------------------- #
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


def make_example(sentence, target_spans, other_spans=(), main_only=False):
    """Build the feature input for one (sentence, target) pair.

    Returns a dict:
      masked   : sentence with TGT / OTHER markers (str, original case)
      tokens   : lower-cased tokens of `masked`
      dist     : signed token distance to the nearest target marker (0 on it,
                 <0 left, >0 right; None if the target is absent)
      odist    : unsigned distance to the nearest OTHER marker (None if none)
      clause   : True where the token is in the same clause as a target marker
      neg      : True where the token is inside a negation scope
      mention  : lower-cased main target mention text
    If `main_only`, distances are measured from the main (first) span only.
    """
    target_spans = list(target_spans)
    masked = mask_sentence(sentence, target_spans, other_spans)
    toks = [t.lower() for t in _TOKEN_RE.findall(masked)]
    tpos = [i for i, t in enumerate(toks) if t == TGT]
    if main_only and len(tpos) > 1 and target_spans:
        # main mention = k-th TGT marker, k = rank of the main span among target spans
        main = target_spans[0]
        k = sum(1 for s in _clean_spans(target_spans, len(sentence)) if s[0] < main[0])
        tpos = [tpos[min(k, len(tpos) - 1)]]
    opos = [i for i, t in enumerate(toks) if t == OTHER]
    dist = []
    for i in range(len(toks)):
        if tpos:
            d = min((i - p for p in tpos), key=abs)
            dist.append(d)
        else:
            dist.append(None)
    odist = [min(abs(i - p) for p in opos) if opos else None for i in range(len(toks))]
    # clause ids: increment at boundaries
    cid, c = [], 0
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
    mention = ""
    if target_spans:
        s, e = target_spans[0]
        mention = sentence[s:e].lower()
    return {"masked": masked, "tokens": toks, "dist": dist, "odist": odist,
            "clause": clause, "neg": neg, "mention": mention}


def example_from_mentions(sentence, mentions: dict, target_id: str) -> dict:
    """`make_example` for one target of a scored sentence: its mentions are the target, the other targets' are OTHER."""
    def spans(found):
        return [(m.start - sentence.start, m.end - sentence.start) for m in found]
    others = [span for other, found in mentions.items() if other != target_id for span in spans(found)]
    return make_example(sentence.text, spans(mentions[target_id]), others)


# --------------------------------------------------------------------------- #
# feature extractors (module level -> picklable)
# --------------------------------------------------------------------------- #
def select_masked(X):
    return [x["masked"] for x in X]


def select_masked_negated(X):
    """Masked token sequence with NEG_ prefixes inside negation scopes."""
    out = []
    for x in X:
        out.append(" ".join(("neg_" + t if n else t) for t, n in zip(x["tokens"], x["neg"])))
    return out


def _side_text(X, side, window):
    out = []
    for x in X:
        ws = [t for t, d in zip(x["tokens"], x["dist"])
              if d is not None and t != TGT and (d < 0 if side == "L" else d > 0) and abs(d) <= window]
        out.append(" ".join(ws))
    return out


def select_left(X, window=6):
    """Words left of the target within `window` tokens (for char n-grams)."""
    return _side_text(X, "L", window)


def select_right(X, window=6):
    return _side_text(X, "R", window)


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


def window_dicts(X, window=6, weighted=True, decay=4.0, bigrams=True, tgt_ngrams=True,
                 clause=True, near_other=True, negation=True, mention=False, stem=0,
                 quote=False, side_bigrams=False, clause_bigrams=False):
    """Per-example {feature: value} dicts of target-relative features.

    - L/R + distance-bucket tagged words inside `window`, and side-only tags
    - distance-weighted bag of words / bigrams  w = 1/(1+|d|/decay)
    - n-grams containing the target marker (TGT w1, TGT w1 w2, w-1 TGT, w-2 w-1 TGT)
    - same-clause words (C_), words closer to an OTHER mention than to the target (O_)
    - negation-scope words near the target (NEG_)
    - optional lower-cased mention words (entity prior)
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
            if t == TGT:
                continue
            if d is None:
                continue
            w = 1.0 / (1.0 + abs(d) / decay)
            side = "L" if d < 0 else "R"
            if abs(d) <= window:
                add("%s%s_%s" % (side, _bucket(d), t))
                add("%s_%s" % (side, t))
                if stem and _is_word(t) and len(t) > stem:
                    add("%sS_%s" % (side, t[:stem]))
                if negation and x["neg"][i]:
                    add("NEG_%s" % t)
            if weighted and _is_word(t):
                add("W_" + t, w)
                if bigrams and i + 1 < n:
                    add("W2_%s_%s" % (t, toks[i + 1]), w)
            if clause and x["clause"][i] and _is_word(t):
                add("C_" + t)
                if clause_bigrams and i + 1 < n and x["clause"][i + 1]:
                    add("C2_%s_%s" % (t, toks[i + 1]))
            if side_bigrams and abs(d) <= window and i + 1 < n and toks[i + 1] != TGT:
                add("%s2_%s_%s" % (side, t, toks[i + 1]))
            if near_other:
                od = x["odist"][i]
                if od is not None and od < abs(d) and _is_word(t):
                    add("O_" + t)
        if tgt_ngrams and has_t:
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
        if mention:
            for t in _TOKEN_RE.findall(x["mention"]):
                add("M_" + t)
        if quote and has_t:
            inq, qstate = False, False
            for t in toks:
                if t in _QUOTES:
                    qstate = not qstate
                elif t == TGT and qstate:
                    inq = True
            nq = sum(1 for t in toks if t in _QUOTES)
            if inq:
                add("TGT_IN_QUOTE")
            elif nq:
                add("QUOTE_ELSEWHERE")
        if not has_t:
            add("NO_TARGET")
        if any(od is not None for od in x["odist"]):
            add("HAS_OTHER")
        out.append(f)
    return out


# --------------------------------------------------------------------------- #
# (b) estimator
# --------------------------------------------------------------------------- #
DEFAULT_PARAMS = dict(
    word_ngram=(1, 3), word_min_df=2, char_ngram=(2, 5), char_min_df=2,
    w_word=1.0, w_char=1.0, w_win=1.0, w_neg=0.0,
    window=6, decay=4.0, weighted=True, bigrams=True, tgt_ngrams=True,
    clause=True, near_other=True, negation=True, mention=False,
    C=2.0, class_weight="balanced", max_iter=2000,
)


def build_estimator(**overrides):
    """Pipeline(FeatureUnion(masked word tf-idf, masked char tf-idf, target-window
    features[, negation-marked tokens]), LogisticRegression)."""
    p = dict(DEFAULT_PARAMS)
    unknown = set(overrides) - set(p)
    if unknown:
        raise ValueError("unknown params: %s" % sorted(unknown))
    p.update(overrides)
    parts, weights = [], {}
    if p["w_word"] > 0:
        parts.append(("word", Pipeline([
            ("sel", FunctionTransformer(select_masked)),
            ("tfidf", TfidfVectorizer(ngram_range=tuple(p["word_ngram"]), min_df=p["word_min_df"],
                                      sublinear_tf=True, lowercase=True,
                                      token_pattern=r"(?u)\b\w+\b")),
        ])))
        weights["word"] = p["w_word"]
    if p["w_char"] > 0:
        parts.append(("char", Pipeline([
            ("sel", FunctionTransformer(select_masked)),
            ("tfidf", TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(p["char_ngram"]),
                                      min_df=p["char_min_df"], sublinear_tf=True, lowercase=True)),
        ])))
        weights["char"] = p["w_char"]
    if p["w_win"] > 0:
        kw = {k: p[k] for k in ("window", "decay", "weighted", "bigrams", "tgt_ngrams",
                                "clause", "near_other", "negation", "mention")}
        parts.append(("win", Pipeline([
            ("dicts", FunctionTransformer(window_dicts, kw_args=kw)),
            ("vec", DictVectorizer()),
            ("tfidf", TfidfTransformer(sublinear_tf=True)),
        ])))
        weights["win"] = p["w_win"]
    if p["w_neg"] > 0:
        parts.append(("neg", Pipeline([
            ("sel", FunctionTransformer(select_masked_negated)),
            ("tfidf", TfidfVectorizer(ngram_range=(1, 1), min_df=2, sublinear_tf=True,
                                      token_pattern=r"\S+")),
        ])))
        weights["neg"] = p["w_neg"]
    union = FeatureUnion(parts, transformer_weights=weights)
    clf = LogisticRegression(C=p["C"], class_weight=p["class_weight"], max_iter=p["max_iter"])
    return Pipeline([("features", union), ("clf", clf)])
