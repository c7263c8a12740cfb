"""Countries: count every real mention, then decide which countries the article is about.

A mention is a country form (name, alias, demonym, possessive), a place that stands for its
country (a capital or major city, a state or province, a metonym such as "the Kremlin"), or
the dateline city. Places are dated: a Moscow dateline in 1987 is the Soviet Union.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from explainer.enrich.tagging.country_senses import resolve_ambiguous
from explainer.enrich.tagging.gazetteer import COUNTRY, PLACE, Gazetteer, historical_code
from explainer.enrich.tagging.matcher import Match


@dataclass
class CountryEvidence:
    """What the text says about one country; `salient` is decided from it."""

    code: str
    mentions: int = 0
    first: int = 0  # offset of the first mention in the body (the title counts as 0)
    in_title: bool = False
    dateline: bool = False
    in_lead: bool = False  # named in the first sentence of the body
    by_name: int = 0  # mentions by the country's own name or alias (not a demonym or place)
    forms: set[str] = field(default_factory=set)


def country_evidence(
    matches: list[Match],
    gazetteer: Gazetteer,
    *,
    body_start: int,
    lead_end: int,
    dateline_code: str | None,
    when: date | None,
    text: str = "",
) -> dict[str, CountryEvidence]:
    """Evidence per country code, in order of first mention (the dateline first). `text` is
    what the matches were found in: ambiguous forms ("Congo") are read by what it says."""
    found: dict[str, CountryEvidence] = {}
    if dateline_code:
        code = historical_code(dateline_code, when)
        found[code] = CountryEvidence(code, mentions=1, first=0, dateline=True)
    shared = _resolve_shared(matches, gazetteer)
    shared.update(resolve_ambiguous(text, matches, gazetteer, dateline_code))
    for match in matches:
        if match.kind not in (COUNTRY, PLACE):
            continue
        code = shared.get(match.start, match.key)
        if code is None:
            continue  # not the country here: a person, a bird
        if match.kind == PLACE or code != match.key:
            code = historical_code(code, when)
        evidence = found.get(code)
        if evidence is None:
            evidence = found[code] = CountryEvidence(code, first=max(0, match.start - body_start))
        evidence.mentions += 1
        evidence.forms.add(match.surface)
        if match.start < body_start:
            evidence.in_title = True
        elif match.start < lead_end:
            evidence.in_lead = True
        if match.kind == COUNTRY and not _is_demonym(match.surface, gazetteer):
            evidence.by_name += 1
    return found


def _is_demonym(surface: str, gazetteer: Gazetteer) -> bool:
    return surface in gazetteer.demonyms or surface.title() in gazetteer.demonyms


def _resolve_shared(matches: list[Match], gazetteer: Gazetteer) -> dict[int, str]:
    """A country form that is also a place elsewhere ("Georgia", the US state): it is the
    place when the text gives no other sign of the country and does name the place's
    country ("Atlanta", "U.S."). Returns {match start: code} for the forms reassigned."""
    reassigned: dict[int, str] = {}
    for match in matches:
        other = gazetteer.shared_forms.get(match.surface) or gazetteer.shared_forms.get(
            match.surface.title()
        )
        if match.kind != COUNTRY or other is None:
            continue
        own_signs = any(
            m.key == match.key and m.surface not in (match.surface, match.surface.upper())
            for m in matches
            if m.kind in (COUNTRY, PLACE)
        )
        other_signs = any(m.key == other for m in matches if m.kind in (COUNTRY, PLACE))
        if other_signs and not own_signs:
            reassigned[match.start] = other
    return reassigned
