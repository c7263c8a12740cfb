"""Tag an article's text with the gazetteers: what it mentions, split by kind."""

from __future__ import annotations

from collections import Counter

from explainer.model import CountryTag, MineralTag, Tags
from explainer.tagging.gazetteer import COUNTRY, KEYWORD, ORGANISATION, load_gazetteer
from explainer.tagging.minerals import accepted_mineral_matches
from explainer.tagging.people import find_people


def tag_text(title: str, text: str) -> Tags:
    """Tags for an article given its title and plain-text body."""
    gazetteer = load_gazetteer()
    full = f"{title}\n\n{text}" if title else text
    matches = gazetteer.index.find(full)

    country_counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for match in matches:
        if match.kind == COUNTRY:
            country_counts[match.key] += 1
            first_seen.setdefault(match.key, match.start)
    countries = [
        CountryTag(
            name=gazetteer.countries[code].name,
            code=code,
            slug=gazetteer.countries[code].slug,
            mentions=country_counts[code],
        )
        for code in sorted(country_counts, key=first_seen.__getitem__)
    ]

    mineral_counts: Counter[str] = Counter()
    for match in accepted_mineral_matches(full, matches, gazetteer):
        mineral_counts[match.key] += 1
        group = gazetteer.minerals[match.key].group
        if group and group in gazetteer.minerals:
            mineral_counts[group] += 1  # a rare-earth element is also a mention of rare earths
    minerals = [
        MineralTag(name=gazetteer.minerals[slug].name, slug=slug, mentions=count)
        for slug, count in mineral_counts.items()
    ]

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


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))
