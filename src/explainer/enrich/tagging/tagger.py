"""Tag an article's text with the gazetteers: what it mentions, split by kind, and what it is
about (`salient`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from explainer.enrich.language import detect_language
from explainer.enrich.tagging.countries import country_evidence
from explainer.enrich.tagging.dateline import Dateline, find_dateline
from explainer.enrich.tagging.gazetteer import (
    COUNTRY,
    KEYWORD,
    MINERAL,
    ORGANISATION,
    PERSON,
    PLACE,
    load_gazetteer,
)
from explainer.enrich.tagging.matcher import Match, fold_case
from explainer.enrich.tagging.mineral_evidence import (
    NAME,
    MineralEvidence,
    article_signs,
    features,
    gather_evidence,
    mineral_mentions,
)
from explainer.enrich.tagging.mineral_model import load_mineral_model
from explainer.enrich.tagging.names import bracketed_spans, inside, is_proper_name, surname_places
from explainer.enrich.tagging.organisations import find_organisations
from explainer.enrich.tagging.people import find_people
from explainer.enrich.tagging.salience import salient_countries, salient_mineral
from explainer.model import CountryTag, MineralTag, Tags

# Languages that capitalise every noun: a capital there does not make a mineral word a name.
CAPITALISED_NOUNS = frozenset({"de"})
# In an all-caps headline these acronyms are ordinary words ("TELL US", "WHO SAID").
_HEADLINE_WORDS = frozenset({"US", "WHO", "IT", "AM", "AID", "CAN", "MAY", "ITS"})
_SENTENCE = re.compile(r"(?<=[a-zà-öø-ÿ0-9)%])[.!?][\"”’')»]*\s+(?=[\"“‘(«¿¡]?[A-ZÀ-ÖØ-Þ0-9])")


@dataclass
class _Reading:
    """An article's text with every gazetteer match, before any decision."""

    full: str  # title, blank line, body
    body_start: int
    lead_end: int  # end of the first sentence of the body
    matches: list[Match]  # what counts, names and tickers taken out
    names: list[Match]  # mineral words inside a proper name or ticker
    dateline: Dateline | None
    lang: str | None


def _read(title: str, text: str, lang: str | None) -> _Reading:
    """`lang`: the article's primary language subtag; forms of other languages ("Chili",
    "cobre") count only in an article of their language (all of them when it is None)."""
    gazetteer = load_gazetteer()
    dateline = find_dateline(text, gazetteer)
    body_start = len(title) + 2 if title else 0
    full = f"{title}\n\n{text}" if title else text
    brackets = bracketed_spans(full)
    skip = list(brackets)
    if dateline:
        skip.append((body_start + dateline.start, body_start + dateline.end))
    title_is_caps = _is_all_caps(title)
    found = [
        m
        for m in gazetteer.index.find(full)
        if not (title_is_caps and m.start < body_start and m.surface in _HEADLINE_WORDS)
        and _in_language(m, lang, gazetteer)
    ]
    if lang in gazetteer.compounds:
        found = sorted(
            [*found, *_compound_minerals(full, found, gazetteer, *gazetteer.compounds[lang])],
            key=lambda m: m.start,
        )
    capitals_mean_names = lang not in CAPITALISED_NOUNS
    # A mineral word inside a company's name or ticker is kept as evidence of its own kind
    # ("Weirton Steel"); every other match inside a name or ticker is dropped.
    names = [
        m
        for m in found
        if m.kind == MINERAL
        and (
            inside(m, brackets)
            or (capitals_mean_names and is_proper_name(full, m, _names_capitalised(m, gazetteer)))
        )
    ]
    names += _minerals_in_organisations(found, gazetteer)
    name_starts = {m.start for m in names}
    matches = [
        m
        for m in found
        if not (m.kind == MINERAL and m.start in name_starts) and not inside(m, skip)
    ]
    surnames = surname_places(full, [m for m in matches if m.kind == PLACE])
    matches = [m for m in matches if not (m.kind == PLACE and m.surface in surnames)]
    lead_end = body_start + _lead_length(text, dateline.end if dateline else 0)
    return _Reading(full, body_start, lead_end, matches, names, dateline, lang)


def _minerals_in_organisations(found: list[Match], gazetteer) -> list[Match]:
    """The mineral word inside a listed company's name ("Korea Zinc", "Barrick Gold"): the
    organisation match hides it, but it is still evidence of the company's metal."""
    inner = []
    for org in found:
        if org.kind == ORGANISATION:
            for m in gazetteer.index.find(org.surface, kinds=[MINERAL]):
                inner.append(
                    Match(org.start + m.start, org.start + m.end, MINERAL, m.key, m.surface)
                )
    return inner


def _in_language(match: Match, lang: str | None, gazetteer) -> bool:
    """A form of another language counts in an article of that language; in one whose
    language is unknown (too short to tell), all do but other languages' adjectives
    (Spanish "china" in "china plates")."""
    if match.kind not in (COUNTRY, MINERAL):
        return True
    key = match.surface if match.kind == COUNTRY else fold_case(match.surface)
    langs = gazetteer.foreign_forms.get(key)
    if langs is None:
        return True
    if lang is None:
        return not (match.kind == COUNTRY and match.surface in gazetteer.demonyms)
    return lang in langs


def _compound_minerals(full: str, found: list[Match], gazetteer, pattern, forms: dict[str, str]):
    """German compounds that start with a mineral ("Kupferpreis", "Lithiumvorkommen"): a
    mention of the mineral, unless the word is already a known form ("Kupferkathoden"). An
    everyday word counts only before a commodity cue ("Goldpreis", not "Goldman", "bleiben")."""
    taken = [(m.start, m.end) for m in found]
    for hit in pattern.finditer(full):
        if any(s <= hit.start() < e for s, e in taken):
            continue
        head, tail = hit.group(1), hit.group(2).casefold()
        if head.casefold() in gazetteer.ambiguous_forms and tail not in gazetteer.mineral_cues:
            continue
        yield Match(hit.start(), hit.start() + len(head), MINERAL, forms[head.casefold()], head)


def mineral_features(title: str, text: str, lang: str | None = None) -> dict[str, dict[str, float]]:
    """The mineral model's inputs for every mineral the text names (for fitting the model)."""
    gazetteer = load_gazetteer()
    reading = _read(title, text, lang)
    evidence = _mineral_evidence(reading, gazetteer)
    signs = article_signs(reading.full, gazetteer, reading.lang)
    return {slug: features(found, signs) for slug, found in evidence.items()}


def tag_text(
    title: str, text: str, when: date | datetime | None = None, lang: str | None = None
) -> Tags:
    """Tags for an article given its title, plain-text body and (optionally) its date and its
    language (a primary subtag, "fr"; detected from the text when not given)."""
    gazetteer = load_gazetteer()
    if isinstance(when, datetime):
        when = when.date()
    if lang is None:
        lang = detect_language(f"{title}\n\n{text}")
    reading = _read(title, text, lang)
    full, matches, dateline = reading.full, reading.matches, reading.dateline
    body_start, lead_end = reading.body_start, reading.lead_end

    evidence = country_evidence(
        [m for m in matches if m.kind in (COUNTRY, PLACE)],
        gazetteer,
        body_start=body_start,
        lead_end=lead_end,
        dateline_code=dateline.code if dateline else None,
        when=when,
        text=full,
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

    minerals = _minerals(reading, gazetteer)
    known = [m for m in matches if m.kind == ORGANISATION]
    organisations = _unique(
        [
            *(gazetteer.organisations[m.key] for m in known),
            *find_organisations(
                full,
                known,
                [m for m in matches if m.kind in (COUNTRY, PLACE, PERSON, MINERAL)],
            ),
        ]
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


def _mineral_evidence(reading: _Reading, gazetteer) -> dict[str, MineralEvidence]:
    mentions = mineral_mentions(
        reading.full,
        reading.matches,
        gazetteer,
        body_start=reading.body_start,
        lead_end=reading.lead_end,
        names=reading.names,
    )
    return gather_evidence(mentions, reading.matches, gazetteer)


def _minerals(reading: _Reading, gazetteer) -> list[MineralTag]:
    evidence = _mineral_evidence(reading, gazetteer)
    if not evidence:
        return []
    signs = article_signs(reading.full, gazetteer, reading.lang)
    model = load_mineral_model()
    tags = []
    for slug, found in evidence.items():
        if not model.accepts(features(found, signs)):
            continue
        mentions_count = found.mentions or found.count(NAME)
        tags.append(
            MineralTag(
                name=gazetteer.minerals[slug].name,
                slug=slug,
                mentions=mentions_count,
                salient=salient_mineral(found),
            )
        )
    return tags


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
