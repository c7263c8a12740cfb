"""Minerals: keep a match of an everyday word ("lead", "iron") only in commodity context.

A `plain` mineral word always counts (unless it is part of a name: see names.py). A `context`
one ("gold", "lead", "tin", "mercury"...) counts when

* a cue from mineral_context.txt stands within a few words of it ("gold output"), a unit
  stands in the same sentence ("... gold warrant ... one ounce"), or it is listed next to an
  accepted mineral ("copper, lead and zinc"); or
* the article names a metals exchange (the LME, Comex); or
* the same mineral is accepted elsewhere in the article: one sense per article, so once
  "tin" means the metal, "the tin crisis" does too; or
* the article names a body that exists for that mineral (the International Tin Council).

Idioms ("lead to", "gold standard") never get here: they are blocked in the matcher.
"""

from __future__ import annotations

import re
from itertools import pairwise

from explainer.enrich.tagging.gazetteer import MINERAL, ORGANISATION, Gazetteer, fold
from explainer.enrich.tagging.matcher import Match

_WINDOW_WORDS = 5
_LIST_GAP = 40  # characters between two minerals in one list ("copper, lead and zinc")
_WORD = re.compile(r"[\w'’-]+")
_POSSESSIVE = re.compile(r"['’]s$")
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n\s*\n")


def accepted_mineral_matches(text: str, matches: list[Match], gazetteer: Gazetteer) -> list[Match]:
    mineral_matches = [m for m in matches if m.kind == MINERAL]
    accepted = [m for m in mineral_matches if not gazetteer.minerals[m.key].needs_context]
    pending = [m for m in mineral_matches if gazetteer.minerals[m.key].needs_context]
    vouched = {
        slug
        for m in matches
        if m.kind == ORGANISATION
        for slug in gazetteer.organisation_minerals.get(m.key, ())
    }
    if pending and _names_an_exchange(text, gazetteer.mineral_article_cues):
        vouched.update(m.key for m in pending)
    changed = True
    while changed and pending:
        changed = False
        for match in list(pending):
            if (
                match.key in vouched
                or _has_cue(text, match, gazetteer.mineral_cues)
                or _has_sentence_cue(text, match, gazetteer.mineral_sentence_cues)
                or _listed_with(match, accepted)
            ):
                accepted.append(match)
                pending.remove(match)
                vouched.add(match.key)  # one sense per article
                changed = True
    accepted.sort(key=lambda m: m.start)
    return accepted


def _has_cue(text: str, match: Match, cues: frozenset[str]) -> bool:
    before = _WORD.findall(text[max(0, match.start - 80) : match.start])[-_WINDOW_WORDS:]
    after = _WORD.findall(text[match.end : match.end + 80])[:_WINDOW_WORDS]
    words = [_POSSESSIVE.sub("", fold(w)).strip("'’") for w in [*before, *after]]
    if any(w in cues for w in words):
        return True
    pairs = [f"{a} {b}" for a, b in pairwise(words)]
    return any(p in cues for p in pairs)


def _has_sentence_cue(text: str, match: Match, cues: frozenset[str]) -> bool:
    start = max(_SENTENCE_END.finditer(text, 0, match.start), default=None, key=lambda m: m.end())
    begin = start.end() if start else 0
    end_match = _SENTENCE_END.search(text, match.end)
    end = end_match.start() if end_match else len(text)
    return any(fold(w) in cues for w in _WORD.findall(text[begin:end]))


def _names_an_exchange(text: str, cues: tuple[str, ...]) -> bool:
    folded = fold(text)
    return any(re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", folded) for cue in cues)


def _listed_with(match: Match, others: list[Match]) -> bool:
    return any(
        0 <= match.start - other.end <= _LIST_GAP or 0 <= other.start - match.end <= _LIST_GAP
        for other in others
    )


def deals_with_materials(text: str, topic_words: frozenset[str]) -> bool:
    """Whether the article has any word of mineral_topic_words.txt (mining, metals, tonnes)."""
    words = [_POSSESSIVE.sub("", fold(w)).strip("'’") for w in _WORD.findall(text)]
    if any(w in topic_words for w in words):
        return True
    return any(f"{a} {b}" in topic_words for a, b in pairwise(words))
