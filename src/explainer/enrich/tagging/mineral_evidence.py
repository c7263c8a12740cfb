"""Minerals: what an article says about each mineral it names, as a handful of numbers.

Every mention of a mineral word is kept and described, none is thrown away on its own: where
it stands (the headline, the first sentence, the body) and in which sense it is written —

* `cue`: a commodity cue from mineral_context.txt stands within a few words ("gold output"),
  a unit in the same sentence ("... one ounce"), or another mineral is listed next to it
  ("copper, lead and zinc");
* `name`: the word is part of a proper name or ticker ("Weirton Steel", "<Inco Ltd>"): a
  company's name says little, unless the article is about that company's metal business;
* `bare`: neither; `bare-ambiguous` when the word is an everyday one too ("lead", "tin",
  French "argent"): `sense: context` in minerals.csv or mineral_names_intl.csv.

and what the article as a whole is about: words of mining and materials
(mineral_topic_words.txt), words of company finance (business_words.txt: takeovers,
earnings, subsidies), a metals exchange, a body that exists for the mineral (the
International Tin Council). `mineral_model.py` weighs these into one decision.

Idioms ("lead to", "gold standard") never get here: they are blocked in the matcher.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

from explainer.enrich.tagging.gazetteer import (
    COMPOUNDING_LANGUAGES,
    MINERAL,
    ORGANISATION,
    Gazetteer,
    fold,
)
from explainer.enrich.tagging.matcher import Match, fold_case

_WINDOW_WORDS = 5
_LIST_GAP = 40  # characters between two minerals in one list ("copper, lead and zinc")
_WORD = re.compile(r"[\w'’-]+")
_POSSESSIVE = re.compile(r"['’]s$")
_ELISION = re.compile(r"^(?:[dlj]|qu)['’]", re.IGNORECASE)  # French "d'exportation"
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n\s*\n")

TITLE, LEAD, BODY = "title", "lead", "body"
CUE, BARE, BARE_AMBIGUOUS, NAME = "cue", "bare", "bare-ambiguous", "name"


@dataclass
class MineralMention:
    match: Match
    slug: str
    place: str  # TITLE, LEAD or BODY
    sense: str  # CUE, BARE or NAME


@dataclass
class MineralEvidence:
    """Everything the article says about one mineral (a rare-earth element also counts for
    rare earths)."""

    slug: str
    first: int = 0
    places: dict[str, int] = field(default_factory=dict)  # place -> mentions not in names
    senses: dict[str, int] = field(default_factory=dict)  # sense -> mentions
    body_named: bool = False  # a body that exists for the mineral is named

    @property
    def mentions(self) -> int:
        """Mentions of the material itself (not names), a named body counting as one."""
        return sum(n for s, n in self.senses.items() if s != NAME) + self.body_named

    def count(self, sense: str) -> int:
        return self.senses.get(sense, 0)

    def placed(self, place: str) -> bool:
        return self.places.get(place, 0) > 0


@dataclass(frozen=True)
class ArticleSigns:
    """What the article as a whole is about, as far as minerals are concerned."""

    materials_words: int  # mining, metals, tonnes...
    business_words: int  # takeover, earnings, subsidy...
    exchange: bool  # names a metals exchange (the LME, Comex)
    words: int


def mineral_mentions(
    full: str,
    matches: list[Match],
    gazetteer: Gazetteer,
    *,
    body_start: int,
    lead_end: int,
    names: list[Match],
) -> list[MineralMention]:
    """Every mineral match described by place and sense. `names` are the matches that stand
    inside a proper name or a ticker."""
    name_starts = {m.start for m in names}
    mineral_matches = sorted(
        [*[m for m in matches if m.kind == MINERAL], *names], key=lambda m: m.start
    )
    real = [m for m in mineral_matches if m.start not in name_starts]
    mentions = []
    for match in mineral_matches:
        place = TITLE if match.start < body_start else LEAD if match.start < lead_end else BODY
        if match.start in name_starts:
            sense = NAME
        elif (
            _has_cue(full, match, gazetteer.mineral_cues)
            or _has_sentence_cue(full, match, gazetteer.mineral_sentence_cues)
            or _listed_with(match, real)
        ):
            sense = CUE
        elif _is_ambiguous(match, gazetteer):
            sense = BARE_AMBIGUOUS
        else:
            sense = BARE
        mentions.append(MineralMention(match, match.key, place, sense))
    return mentions


def gather_evidence(
    mentions: list[MineralMention], matches: list[Match], gazetteer: Gazetteer
) -> dict[str, MineralEvidence]:
    """Evidence per mineral slug, in order of first mention."""
    found: dict[str, MineralEvidence] = {}

    def entry(slug: str, start: int) -> MineralEvidence:
        if slug not in found:
            found[slug] = MineralEvidence(slug, first=start)
        return found[slug]

    for mention in mentions:
        slugs = [mention.slug]
        group = gazetteer.minerals[mention.slug].group
        if group and group in gazetteer.minerals:
            slugs.append(group)  # a rare-earth element is also a mention of rare earths
        for slug in slugs:
            evidence = entry(slug, mention.match.start)
            evidence.senses[mention.sense] = evidence.senses.get(mention.sense, 0) + 1
            if mention.sense != NAME:
                evidence.places[mention.place] = evidence.places.get(mention.place, 0) + 1
    for match in matches:
        if match.kind == ORGANISATION:
            for slug in gazetteer.organisation_minerals.get(match.key, ()):
                entry(slug, match.start).body_named = True
    return dict(sorted(found.items(), key=lambda item: item[1].first))


def article_signs(full: str, gazetteer: Gazetteer, lang: str | None = None) -> ArticleSigns:
    """`lang`: in a language that writes compounds (German), "Zinkhütten" and
    "Bergbauunternehmen" count for the materials word they start or end with."""
    words = [_plain_word(w) for w in _WORD.findall(full)]
    pairs = [f"{a} {b}" for a, b in pairwise(words)]
    topic, business = gazetteer.mineral_topic_words, gazetteer.business_words
    materials = sum(w in topic for w in words) + sum(p in topic for p in pairs)
    if lang in COMPOUNDING_LANGUAGES:
        parts = _compound_parts(topic)
        materials += sum(
            1
            for w in words
            if w not in topic and len(w) > 6 and (w.startswith(parts) or w.endswith(parts))
        )
    return ArticleSigns(
        materials_words=materials,
        business_words=sum(w in business for w in words) + sum(p in business for p in pairs),
        exchange=_names_an_exchange(full, gazetteer.mineral_article_cues),
        words=len(words),
    )


def features(evidence: MineralEvidence, signs: ArticleSigns) -> dict[str, float]:
    """The model's inputs for one mineral of one article (names as in mineral_model.csv)."""
    return {
        "headline": float(evidence.placed(TITLE)),
        "lead": float(evidence.placed(LEAD)),
        "cue_mentions": math.log1p(evidence.count(CUE)),
        "bare_mentions": math.log1p(evidence.count(BARE)),
        "bare_ambiguous_mentions": math.log1p(evidence.count(BARE_AMBIGUOUS)),
        "name_mentions": math.log1p(evidence.count(NAME)),
        "body_named": float(evidence.body_named),
        "exchange": float(signs.exchange),
        "materials_words": math.log1p(signs.materials_words),
        "business_words": math.log1p(signs.business_words),
    }


def _has_cue(text: str, match: Match, cues: frozenset[str]) -> bool:
    before = _WORD.findall(text[max(0, match.start - 80) : match.start])[-_WINDOW_WORDS:]
    after = _WORD.findall(text[match.end : match.end + 80])[:_WINDOW_WORDS]
    words = [_plain_word(w) for w in [*before, *after]]
    if any(w in cues for w in words):
        return True
    return any(f"{a} {b}" in cues for a, b in pairwise(words))


@cache
def _compound_parts(topic: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(w for w in topic if len(w) >= 5 and " " not in w))


def _is_ambiguous(match: Match, gazetteer: Gazetteer) -> bool:
    form = fold_case(match.surface)
    if form in gazetteer.ambiguous_forms:
        return True
    if form in gazetteer.foreign_forms:
        return False  # a form of another language takes its own sense ("estaño": plain)
    return gazetteer.minerals[match.key].needs_context


def _plain_word(word: str) -> str:
    """Folded, without a possessive ("copper's") or a French elision ("d'exportation")."""
    return _ELISION.sub("", _POSSESSIVE.sub("", fold(word)).strip("'’"))


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
        other is not match
        and other.key != match.key
        and (0 <= match.start - other.end <= _LIST_GAP or 0 <= other.start - match.end <= _LIST_GAP)
        for other in others
    )
