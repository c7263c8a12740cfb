"""Tag an article's text with the gazetteers: what it mentions, split by kind, and what it is
about (`salient`)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime

from explainer.enrich.tagging.countries import country_evidence
from explainer.enrich.tagging.dateline import find_dateline
from explainer.enrich.tagging.gazetteer import (
    COUNTRY,
    KEYWORD,
    MINERAL,
    ORGANISATION,
    PLACE,
    load_gazetteer,
)
from explainer.enrich.tagging.matcher import Match
from explainer.enrich.tagging.minerals import accepted_mineral_matches, deals_with_materials
from explainer.enrich.tagging.names import bracketed_spans, inside, is_proper_name, surname_places
from explainer.enrich.tagging.people import find_people
from explainer.enrich.tagging.salience import salient_countries, salient_minerals
from explainer.model import CountryTag, MineralTag, Tags

# In an all-caps headline these acronyms are ordinary words ("TELL US", "WHO SAID").
_HEADLINE_WORDS = frozenset({"US", "WHO", "IT", "AM", "AID", "CAN", "MAY", "ITS"})
_SENTENCE = re.compile(r"(?<=[a-z0-9)%])[.!?][\"”’')]*\s+(?=[\"“‘(]?[A-Z0-9])")


def tag_text(title: str, text: str, when: date | datetime | None = None) -> Tags:
    """Tags for an article given its title, plain-text body and (optionally) its date."""
    gazetteer = load_gazetteer()
    if isinstance(when, datetime):
        when = when.date()
    dateline = find_dateline(text, gazetteer)
    body_start = len(title) + 2 if title else 0
    full = f"{title}\n\n{text}" if title else text
    skip = bracketed_spans(full)
    if dateline:
        skip.append((body_start + dateline.start, body_start + dateline.end))
    title_is_caps = _is_all_caps(title)
    matches = [
        m
        for m in gazetteer.index.find(full)
        if not inside(m, skip)
        and not (title_is_caps and m.start < body_start and m.surface in _HEADLINE_WORDS)
    ]
    matches = [
        m
        for m in matches
        if m.kind != MINERAL or not is_proper_name(full, m, _names_capitalised(m, gazetteer))
    ]
    surnames = surname_places(full, [m for m in matches if m.kind == PLACE])
    matches = [m for m in matches if not (m.kind == PLACE and m.surface in surnames)]
    lead_end = body_start + _lead_length(text, dateline.end if dateline else 0)

    evidence = country_evidence(
        [m for m in matches if m.kind in (COUNTRY, PLACE)],
        gazetteer,
        body_start=body_start,
        lead_end=lead_end,
        dateline_code=dateline.code if dateline else None,
        when=when,
    )
    salient = salient_countries(evidence)
    countries = []
    for code, found in evidence.items():
        entry = gazetteer.countries.get(code)
        if entry is None:
            continue
        countries.append(
            CountryTag(
                name=entry.name,
                code=code,
                slug=entry.slug,
                mentions=found.mentions,
                salient=code in salient,
            )
        )

    minerals = _minerals(full, matches, gazetteer, body_start, lead_end)
    organisations = _unique(
        gazetteer.organisations[m.key] for m in matches if m.kind == ORGANISATION
    )
    keywords = _unique(gazetteer.keywords[m.key] for m in matches if m.kind == KEYWORD)
    people = find_people(full, matches, gazetteer)
    return Tags(
        countries=countries,
        minerals=minerals,
        organisations=organisations,
        people=people,
        keywords=keywords,
    )


def _minerals(
    full: str, matches: list[Match], gazetteer, body_start: int, lead_end: int
) -> list[MineralTag]:
    counts: Counter[str] = Counter()
    in_title: set[str] = set()
    in_lead: set[str] = set()
    first: dict[str, int] = {}

    def count(slug: str, start: int) -> None:
        counts[slug] += 1
        first.setdefault(slug, start)
        if start < body_start:
            in_title.add(slug)
        elif start < lead_end:
            in_lead.add(slug)

    mentions = accepted_mineral_matches(full, matches, gazetteer)
    bodies = [
        m for m in matches if m.kind == ORGANISATION and m.key in gazetteer.organisation_minerals
    ]
    for match in sorted([*mentions, *bodies], key=lambda m: m.start):
        slugs = (
            [match.key]
            if match.kind == MINERAL
            else list(gazetteer.organisation_minerals[match.key])
        )
        for slug in slugs:
            count(slug, match.start)
            group = gazetteer.minerals[slug].group
            if group and group in gazetteer.minerals:
                count(group, match.start)  # a rare-earth element is also a mention of rare earths
    salient = salient_minerals(counts, in_title, in_lead)
    passing = {slug for slug, n in counts.items() if n == 1 and slug not in salient}
    if passing and not salient and not deals_with_materials(full, gazetteer.mineral_topic_words):
        for slug in passing:  # named once, in passing, in a story about something else
            del counts[slug]
    return [
        MineralTag(
            name=gazetteer.minerals[slug].name,
            slug=slug,
            mentions=counts[slug],
            salient=slug in salient,
        )
        for slug in sorted(counts, key=first.__getitem__)
    ]


def _names_capitalised(match: Match, gazetteer) -> bool:
    """True for mineral forms that are capitalised by nature ("Copperbelt", "NdPr", "REE")."""
    return any(c.isupper() for c in gazetteer.mineral_forms.get(match.surface.casefold(), ""))


def _is_all_caps(title: str) -> bool:
    letters = [c for c in title if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


def _lead_length(text: str, start: int) -> int:
    """End of the first sentence of the body (after the dateline)."""
    paragraph_end = text.find("\n\n", start)
    paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
    sentence = _SENTENCE.search(text, start, paragraph_end)
    return sentence.end() if sentence else paragraph_end


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))
