"""Turning sentences into what the model reads.

Every mention of a target is replaced by a placeholder token (`_musk_`, `_altman_`), so
the shared TF-IDF sees "_musk_ a qualifié _altman_ d'escroc" rather than names, and word
n-grams around the placeholders carry who does what to whom. Each stance head also gets
features of the words near its own placeholder, signed by side and distance, which is
what lets two targets in one sentence receive different stances.
"""
from __future__ import annotations

import re

from .targets import Mention

_TOKEN = re.compile(r"\w+", re.UNICODE)
NEAR, FAR = 2, 6  # window sizes in tokens


def placeholder(target_id: str) -> str:
    return f"_{target_id}_"


def mask_mentions(text: str, offset: int, mentions: dict[str, list[Mention]]) -> str:
    """`text` with each mention (article offsets, hence `offset`) replaced by its target's placeholder."""
    spans = sorted(
        ((m.start - offset, m.end - offset, target_id) for target_id, ms in mentions.items() for m in ms),
        reverse=True,
    )
    masked = text
    for start, end, target_id in spans:
        masked = f"{masked[:start]} {placeholder(target_id)} {masked[end:]}"
    return masked


def window_features(masked_text: str, target_id: str) -> list[str]:
    """Words near the target's placeholders, tagged by side and distance; other targets show as placeholders."""
    tokens = _TOKEN.findall(masked_text.lower())
    own = placeholder(target_id)
    positions = [i for i, token in enumerate(tokens) if token == own]
    if not positions:
        return ["no_mention"]
    features = []
    for position in positions:
        if position == 0:
            features.append("starts_sentence")
        for i in range(max(0, position - FAR), min(len(tokens), position + FAR + 1)):
            if i == position or tokens[i] == own:
                continue
            distance = abs(i - position)
            side = "L" if i < position else "R"
            band = "near" if distance <= NEAR else "far"
            features.append(f"{side}{band}:{tokens[i]}")
            features.append(f"win:{tokens[i]}")
        if position + 1 < len(tokens):
            features.append(f"R1:{tokens[position + 1]}")
    return features
