"""Minerals: keep a match of an everyday word ("lead", "iron") only in commodity context."""

from __future__ import annotations

import re
from itertools import pairwise

from explainer.tagging.gazetteer import MINERAL, Gazetteer, fold
from explainer.tagging.matcher import Match

_WINDOW_WORDS = 5
_LIST_GAP = 40  # characters between two minerals in one list ("copper, lead and zinc")
_WORD = re.compile(r"[\w'’-]+")


def accepted_mineral_matches(text: str, matches: list[Match], gazetteer: Gazetteer) -> list[Match]:
    mineral_matches = [m for m in matches if m.kind == MINERAL]
    plain = [m for m in mineral_matches if not gazetteer.minerals[m.key].needs_context]
    accepted = list(plain)
    for match in mineral_matches:
        if match in plain:
            continue
        if _has_cue(text, match, gazetteer.mineral_cues) or _listed_with(match, plain):
            accepted.append(match)
    accepted.sort(key=lambda m: m.start)
    return accepted


def _has_cue(text: str, match: Match, cues: frozenset[str]) -> bool:
    before = _WORD.findall(text[max(0, match.start - 80) : match.start])[-_WINDOW_WORDS:]
    after = _WORD.findall(text[match.end : match.end + 80])[:_WINDOW_WORDS]
    words = [fold(w).strip("'’") for w in [*before, *after]]
    if any(w in cues for w in words):
        return True
    pairs = [f"{a} {b}" for a, b in pairwise(words)]
    return any(p in cues for p in pairs)


def _listed_with(match: Match, others: list[Match]) -> bool:
    return any(
        0 <= match.start - other.end <= _LIST_GAP or 0 <= other.start - match.end <= _LIST_GAP
        for other in others
    )
