"""Checks on the reviewed gazetteer data files in src/explainer/data/.

These test the DATA, not the project's tagger: a tiny reference index
(word boundaries, per-file case rules, one leftmost-longest pass over every
family, with the not_* lists consumed as spans) is defined here so that the
files can be checked against the matching semantics in data/README.md.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest

DATA = Path(__file__).parents[1] / "src/explainer/data"
SHARED = Path(__file__).parents[2] / "shared"
CRITICAL = SHARED / "data/critical-minerals-lists.csv"
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus/reuters-minerals-dev.jsonl"

CSV_HEADERS = {
    "country_aliases.csv": ["code", "display_name", "aliases", "demonyms"],
    "historical_countries.csv": [
        "code",
        "display_name",
        "aliases",
        "demonyms",
        "successors",
        "until",
        "territory",
    ],
    "cities.csv": ["name", "code", "population", "aliases"],
    "places.csv": ["name", "code", "kind", "aliases", "abbreviations", "sense"],
    "organisation_minerals.csv": ["slug", "minerals"],
    "minerals.csv": ["slug", "name", "aliases", "group", "sense"],
    "organisations.csv": ["slug", "name", "acronyms", "aliases"],
    "people.csv": ["name", "aliases"],
    "keywords.csv": ["name", "aliases"],
}
LIST_COLUMNS = {
    "aliases",
    "demonyms",
    "successors",
    "acronyms",
    "territory",
    "abbreviations",
    "minerals",
}
TEXT_FILES = [
    "not_countries.txt",
    "not_places.txt",
    "mineral_topic_words.txt",
    "not_minerals.txt",
    "mineral_context.txt",
    "person_titles.txt",
]

# the 15 lanthanides, plus scandium and yttrium
RARE_EARTH_ELEMENTS = set(
    [
        "lanthanum",
        "cerium",
        "praseodymium",
        "neodymium",
        "promethium",
        "samarium",
        "europium",
        "gadolinium",
        "terbium",
        "dysprosium",
        "holmium",
        "erbium",
        "thulium",
        "ytterbium",
        "lutetium",
        "scandium",
        "yttrium",
    ]
)
PGM_ELEMENTS = {"platinum", "palladium", "rhodium", "ruthenium", "iridium", "osmium"}


# --------------------------------------------------------------------------
# loading helpers


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def items(cell: str) -> list[str]:
    return [part for part in cell.split("|")] if cell else []


def read_lines(name: str) -> list[str]:
    out = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        out.append(line)
    return out


def is_case_sensitive(alias: str) -> bool:
    """The rule for case-insensitive files: an alias whose letters, ignoring
    one final lowercase "s", are all upper-case is matched case-sensitively
    (REE, REEs, PGMs, EV, EVs, LFP, U3O8, 3TG)."""
    core = alias[:-1] if alias.endswith("s") else alias
    letters = [ch for ch in core if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def pycountry_runtime_forms(country) -> list[str]:
    """What the runtime already gets from pycountry (inverted forms skipped)."""
    forms = []
    for attr in ("name", "common_name", "official_name"):
        value = getattr(country, attr, None)
        if value and ", " not in value and value not in forms:
            forms.append(value)
    return forms


# --------------------------------------------------------------------------
# reference matcher


BLOCK = "block"


class Index:
    """One leftmost-longest index over every family, as the project's tagger does.

    Entries are ``(form, kind, key, case_sensitive)``. At each position the
    longest form wins; on a tie for the same span a ``block`` phrase (a line of
    a not_* file) wins. A block consumes its span and yields nothing.
    """

    def __init__(self, entries: list[tuple[str, str, str, bool]]):
        self.exact: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.folded: dict[str, list[tuple[str, str]]] = defaultdict(list)
        alternatives = []
        for form, kind, key, case_sensitive in entries:
            table, lookup = (self.exact, form) if case_sensitive else (self.folded, form.casefold())
            if (kind, key) not in table[lookup]:
                table[lookup].append((kind, key))
            pattern = bounded(form) if case_sensitive else "(?i:" + bounded(form) + ")"
            alternatives.append((-len(form), kind != BLOCK, pattern))
        alternatives.sort()
        self.regex = re.compile("|".join(pattern for *_, pattern in alternatives))

    def spans(self, text: str) -> list[tuple[str, str, str]]:
        out = []
        for m in self.regex.finditer(normalise(text)):
            found = m.group(0)
            payloads = self.exact.get(found, []) + self.folded.get(found.casefold(), [])
            kind, key = min(payloads, key=lambda p: p[0] != BLOCK)
            out.append((found, kind, key))
        return out

    def keys(self, text: str, kind: str) -> set[str]:
        return {key for _, k, key in self.spans(text) if k == kind}


def bounded(form: str) -> str:
    """Regex for ``form`` on word boundaries: a form that starts (ends) with a
    word character must not be preceded (followed) by one. A form that ends
    in punctuation ("U.S.", "US$") needs nothing after it."""
    head = r"(?<!\w)" if re.match(r"\w", form) else ""
    tail = r"(?!\w)" if re.match(r"\w", form[-1]) else ""
    return head + re.escape(form) + tail


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def country_forms() -> dict[str, str]:
    forms: dict[str, str] = {}
    for country in pycountry.countries:
        for form in pycountry_runtime_forms(country):
            forms[form] = country.alpha_2
    for name in ("country_aliases.csv", "historical_countries.csv"):
        for row in read_csv(name):
            for form in [row["display_name"], *items(row["aliases"]), *items(row["demonyms"])]:
                if form:
                    forms[form] = row["code"]
    return forms


def mineral_forms() -> dict[str, str]:
    forms: dict[str, str] = {}
    for row in read_csv("minerals.csv"):
        for form in [row["name"], *items(row["aliases"])]:
            forms[form] = row["slug"]
    return forms


def place_forms() -> dict[str, str]:
    """City, region and metonym forms that count in running text -> country code."""
    forms: dict[str, str] = {}
    for row in read_csv("cities.csv"):
        for form in [row["name"], *items(row["aliases"])]:
            forms[form] = row["code"]
    for row in read_csv("places.csv"):
        if row["sense"] == "plain":
            for form in [row["name"], *items(row["aliases"])]:
                forms[form] = row["code"]
    return forms


def all_entries() -> list[tuple[str, str, str, bool]]:
    entries = [(f, "country", key, True) for f, key in country_forms().items()]
    entries += [(p, BLOCK, "", True) for p in read_lines("not_countries.txt")]
    entries += [(f, "place", key, True) for f, key in place_forms().items()]
    entries += [(p, BLOCK, "", True) for p in read_lines("not_places.txt")]
    entries += [(f, "mineral", key, is_case_sensitive(f)) for f, key in mineral_forms().items()]
    entries += [(p, BLOCK, "", is_case_sensitive(p)) for p in read_lines("not_minerals.txt")]
    for row in read_csv("organisations.csv"):
        for form in [row["name"], *items(row["acronyms"]), *items(row["aliases"])]:
            entries.append((form, "organisation", row["slug"], True))
    for row in read_csv("people.csv"):
        for form in [row["name"], *items(row["aliases"])]:
            entries.append((form, "person", row["name"], True))
    for row in read_csv("keywords.csv"):
        for form in [row["name"], *items(row["aliases"])]:
            entries.append((form, "keyword", row["name"], is_case_sensitive(form)))
    return entries


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(all_entries())


# --------------------------------------------------------------------------
# generic file checks


@pytest.mark.parametrize("name", sorted(CSV_HEADERS))
def test_csv_loads_with_expected_header(name):
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == CSV_HEADERS[name]
        rows = list(reader)
    assert rows, name
    for row in rows:
        assert None not in row, f"{name}: too many cells in {row}"
        assert all(v is not None for v in row.values()), f"{name}: too few cells in {row}"
        for column, value in row.items():
            assert value == value.strip(), f"{name}: stray whitespace in {column}: {value!r}"
            if column in LIST_COLUMNS and value:
                parts = items(value)
                assert all(p and p == p.strip() for p in parts), f"{name}: bad list {value!r}"
                assert len(parts) == len(set(parts)), f"{name}: duplicate item in {value!r}"


@pytest.mark.parametrize("name", TEXT_FILES)
def test_text_file_is_clean(name):
    raw = (DATA / name).read_text(encoding="utf-8")
    assert raw.lstrip().startswith("#"), f"{name} must start with a comment"
    lines = read_lines(name)
    assert lines, name
    duplicates = sorted({line for line in lines if lines.count(line) > 1})
    assert not duplicates, f"{name}: duplicates {duplicates}"
    for line in lines:
        assert line == line.strip(), f"{name}: stray whitespace in {line!r}"
        assert "|" not in line, f"{name}: one entry per line, got {line!r}"


def test_readme_documents_every_file():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for path in DATA.iterdir():
        if path.name != "README.md" and path.is_file():
            assert f"`{path.name}`" in readme, f"README.md does not document {path.name}"


# --------------------------------------------------------------------------
# countries


def test_country_codes_cover_pycountry_exactly():
    codes = [row["code"] for row in read_csv("country_aliases.csv")]
    assert len(codes) == len(set(codes)), "duplicate codes"
    for code in codes:
        assert pycountry.countries.get(alpha_2=code) is not None, code
    assert set(codes) == {c.alpha_2 for c in pycountry.countries}
    assert codes == sorted(codes), "keep country_aliases.csv sorted by code"


def test_display_names_are_matchable_surface_forms():
    for row in read_csv("country_aliases.csv"):
        if not row["display_name"]:
            continue
        country = pycountry.countries.get(alpha_2=row["code"])
        known = set(pycountry_runtime_forms(country)) | set(items(row["aliases"]))
        assert row["display_name"] in known, row


def test_demonyms_are_capitalised():
    for name in ("country_aliases.csv", "historical_countries.csv"):
        for row in read_csv(name):
            for demonym in items(row["demonyms"]):
                assert demonym[0].isupper(), (row["code"], demonym)
                assert demonym != "English"


def test_no_country_surface_form_is_ambiguous():
    owner: dict[str, set[str]] = defaultdict(set)
    for country in pycountry.countries:
        for form in pycountry_runtime_forms(country):
            owner[form].add(country.alpha_2)
    for name in ("country_aliases.csv", "historical_countries.csv"):
        for row in read_csv(name):
            for form in [row["display_name"], *items(row["aliases"]), *items(row["demonyms"])]:
                if form:
                    owner[form].add(row["code"])
    ambiguous = {form: codes for form, codes in owner.items() if len(codes) > 1}
    assert not ambiguous


def test_historical_countries():
    rows = read_csv("historical_countries.csv")
    assert {r["code"] for r in rows} == {"SU", "CS", "YU", "DD", "YD", "AN"}
    for row in rows:
        assert pycountry.countries.get(alpha_2=row["code"]) is None, row["code"]
        assert row["display_name"] and row["successors"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["until"]), row
        for code in items(row["successors"]) + items(row["territory"]):
            assert pycountry.countries.get(alpha_2=code) is not None, (row["code"], code)


# --------------------------------------------------------------------------
# places: cities, regions, metonyms


def test_cities_are_sorted_and_coded():
    rows = read_csv("cities.csv")
    assert len(rows) > 500
    assert [(r["code"], r["name"]) for r in rows] == sorted((r["code"], r["name"]) for r in rows)
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names)), "one row per city name"
    for row in rows:
        assert pycountry.countries.get(alpha_2=row["code"]) is not None, row
        assert row["population"].isdigit(), row
    known = country_forms()
    assert not [f for f in place_forms() if f in known], "a place form that is a country form"


def test_places_rows():
    rows = read_csv("places.csv")
    names = [r["name"] for r in rows]
    assert names == sorted(names, key=str.casefold), "keep places.csv sorted by name"
    for row in rows:
        assert pycountry.countries.get(alpha_2=row["code"]) is not None, row
        assert row["kind"] in {"state", "province", "region", "city", "metonym"}, row
        assert row["sense"] in {"plain", "dateline"}, row
        for abbreviation in items(row["abbreviations"]):
            assert abbreviation[0].isupper(), row


def test_not_places_each_contain_a_place_form(index):
    real = set(place_forms())
    pattern = re.compile("|".join(bounded(f) for f in sorted(real, key=len, reverse=True)))
    for phrase in read_lines("not_places.txt"):
        assert pattern.search(phrase), f"not_places.txt: {phrase!r} contains no place form"
        assert index.keys(phrase, "place") == set(), phrase


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Beijing said", {"CN"}),
        ("officials in Lusaka and Kinshasa", {"ZM", "CD"}),
        ("the London Metal Exchange and the Paris Club", set()),
        ("the mine in Nevada, not in Paris, Texas", {"US"}),
        ("the Kremlin and the White House", {"RU", "US"}),
        ("British Columbia", {"CA"}),
    ],
)
def test_place_examples(index, text, expected):
    assert index.keys(text, "place") == expected


def test_organisation_minerals():
    organisations = {row["slug"] for row in read_csv("organisations.csv")}
    minerals = {row["slug"] for row in read_csv("minerals.csv")}
    for row in read_csv("organisation_minerals.csv"):
        assert row["slug"] in organisations, row
        assert set(items(row["minerals"])) <= minerals, row


def test_not_countries_each_contain_a_country_form(index):
    real = set(country_forms())
    pattern = re.compile("|".join(bounded(f) for f in sorted(real, key=len, reverse=True)))
    for phrase in read_lines("not_countries.txt"):
        assert pattern.search(phrase), f"not_countries.txt: {phrase!r} contains no country form"
        assert index.keys(phrase, "country") == set(), phrase


@pytest.mark.parametrize(
    "text, expected",
    [
        ("New Mexico and New Jersey", set()),
        ("priced at 1,200 U.S. dlrs a tonne", set()),
        ("Papua New Guinea", {"PG"}),
        ("the Democratic Republic of Congo and the Republic of the Congo", {"CD", "CG"}),
        ("Congo-Brazzaville", {"CG"}),
        ("South Sudan and Sudan", {"SS", "SD"}),
        ("North Korea and South Korea", {"KP", "KR"}),
        ("the Dominican Republic, not Dominica", {"DO", "DM"}),
        ("American Samoa", {"AS"}),
        ("Anglo American said", set()),
        ("a West German minister", {"DE"}),
        ("East Germany and the Soviet Union", {"DD", "SU"}),
        ("Nigeria and Niger", {"NG", "NE"}),
        ("British Columbia", set()),
        ("the South China Sea", set()),
        ("the Indian Ocean", set()),
        ("Chinese Taipei", {"TW"}),
        ("the U.S. and the UK", {"US", "GB"}),
        ("European leaders", set()),
        ("Burma, Zaire and Ivory Coast", {"MM", "CD", "CI"}),
        ("Türkiye, also called Turkey", {"TR"}),
        ("Latin American producers", set()),
        ("a US$1.2 billion deal with NZ$ bonds", set()),
        ("U.S.-based and U.S.A.", {"US"}),
        ("the Organization of American States", set()),
        ("data from the U.S. Geological Survey on China", {"CN"}),
    ],
)
def test_country_examples(index, text, expected):
    assert index.keys(text, "country") == expected


def test_first_seed_maps_to_expected_countries(index):
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        pytest.skip("no seed articles in shared/seeds")
    text = seeds[0].read_text(encoding="utf-8")
    expected = ["CN", "ZA", "KH", "NG", "MM", "ZW", "DE", "JP", "FR", "GB", "IE", "US"]
    assert index.keys(text, "country") == set(expected)
    # "European leaders" must not map to any country
    assert all("European" not in found for found, _, _ in index.spans(text))


# --------------------------------------------------------------------------
# minerals


def test_minerals_slugs_groups_and_senses():
    rows = read_csv("minerals.csv")
    slugs = [row["slug"] for row in rows]
    assert len(slugs) == len(set(slugs)), "duplicate slugs"
    assert slugs == sorted(slugs), "keep minerals.csv sorted by slug"
    for row in rows:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", row["slug"]), row["slug"]
        assert row["name"], row
        assert row["sense"] in {"plain", "context"}, row
        if row["group"]:
            assert row["group"] in slugs, row
            assert row["group"] != row["slug"], row
    by_slug = {row["slug"]: row for row in rows}
    for slug in RARE_EARTH_ELEMENTS:
        assert by_slug[slug]["group"] == "rare-earths", slug
    for slug in PGM_ELEMENTS:
        assert by_slug[slug]["group"] == "platinum-group-metals", slug
    assert by_slug["rare-earths"]["name"] == "Rare earths"
    assert by_slug["rare-earths"]["group"] == ""
    assert by_slug["platinum-group-metals"]["group"] == ""


def test_every_critical_mineral_slug_is_in_minerals_csv():
    if not CRITICAL.exists():
        pytest.skip(f"{CRITICAL} not found")
    with CRITICAL.open(encoding="utf-8", newline="") as fh:
        critical = {row["slug"]: row["name"] for row in csv.DictReader(fh)}
    minerals = {row["slug"]: row for row in read_csv("minerals.csv")}
    missing = set(critical) - set(minerals)
    assert not missing
    for slug, name in critical.items():
        if slug != "rare-earths":
            assert minerals[slug]["name"] == name, slug


def test_no_mineral_surface_form_is_ambiguous():
    owner: dict[str, set[str]] = defaultdict(set)
    for row in read_csv("minerals.csv"):
        for form in [row["name"], *items(row["aliases"])]:
            key = form if is_case_sensitive(form) else form.casefold()
            owner[key].add(row["slug"])
        for alias in items(row["aliases"]):
            assert alias.casefold() != row["name"].casefold(), (row["slug"], alias)
    assert not {f: s for f, s in owner.items() if len(s) > 1}


def test_not_minerals_each_contain_a_mineral_form(index):
    real = set(mineral_forms())
    pattern = re.compile(
        "|".join(bounded(f) for f in sorted(real, key=len, reverse=True)), re.IGNORECASE
    )
    for phrase in read_lines("not_minerals.txt"):
        assert pattern.search(phrase), f"not_minerals.txt: {phrase!r} contains no mineral form"
        assert index.keys(phrase, "mineral") == set(), phrase


def test_mineral_context_cues_are_lowercase():
    for cue in read_lines("mineral_context.txt"):
        assert cue == cue.lower(), cue


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Copper prices rose on the LME", {"copper"}),
        ("the lead manager of the issue", set()),
        ("lead and zinc exports", {"lead", "zinc"}),
        ("a silver lining for the gold medal winner", set()),
        ("indium tin oxide", {"indium"}),
        # a listed company hides the mineral word in its name (the tagger still weighs it as
        # a name mention: see explainer/tagging/mineral_evidence.py)
        ("Anglo American Platinum", set()),
        ("Western Platinum", {"platinum"}),
        ("rare earth magnets and rare-earths", {"rare-earths"}),
        ("platinum group metals", {"platinum-group-metals"}),
        ("PGMs", {"platinum-group-metals"}),
        ("nickel pig iron and pig iron", {"nickel", "iron"}),
        ("iron ore", {"iron-ore"}),
        ("aluminum and aluminium", {"aluminium"}),
        ("a nickel mine", {"nickel"}),
        ("lithium iron phosphate batteries", {"lithium"}),
        ("Jacob Rees-Mogg", set()),
        ("REEs and REE", {"rare-earths"}),
        ("Silicon Valley", set()),
        ("heavy rare earths such as dysprosium", {"heavy-rare-earth-elements", "dysprosium"}),
    ],
)
def test_mineral_examples(index, text, expected):
    assert index.keys(text, "mineral") == expected


# --------------------------------------------------------------------------
# organisations, people, keywords, titles


def test_organisations():
    rows = read_csv("organisations.csv")
    slugs = [row["slug"] for row in rows]
    assert len(slugs) == len(set(slugs))
    assert slugs == sorted(slugs), "keep organisations.csv sorted by slug"
    owner: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        assert row["name"], row
        for form in [row["name"], *items(row["acronyms"]), *items(row["aliases"])]:
            owner[form].add(row["slug"])
        for acronym in items(row["acronyms"]):
            assert acronym[0].isupper(), (row["slug"], acronym)
    assert not {f: s for f, s in owner.items() if len(s) > 1}
    for slug in ("g20", "g7", "un", "unido", "eu", "european-commission", "usgs", "itc"):
        assert slug in slugs, slug


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "The World Trade Organization and the IMF met the G20 and the EU.",
            {"wto", "imf", "g20", "eu"},
        ),
        ("the EC Commission and the European Community", {"european-commission", "eu"}),
        ("the Southern Common Market and the Common Market", {"mercosur", "eu"}),
        ("the Organization of American States", {"oas"}),
        ("the International Tin Council (ITC)", {"itc"}),
        ("prices in AU$ and A$", set()),
    ],
)
def test_organisation_examples(index, text, expected):
    assert index.keys(text, "organisation") == expected


def test_seed_organisations(index):
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        pytest.skip("no seed articles in shared/seeds")
    found = index.keys(seeds[0].read_text(encoding="utf-8"), "organisation")
    assert found == {"g20", "unido"}


# corpus label -> organisations.csv slug
CORPUS_ORGS = {
    "ec": "eu",
    "itc": "itc",
    "unctad": "unctad",
    "gatt": "gatt",
    "icco": "icco",
    "ico-coffee": "ico-coffee",
    "asean": "asean",
    "adb-africa": "african-development-bank",
    "oecd": "oecd",
    "imf": "imf",
}


# Slow: tags every labelled organisation of the Reuters corpus.
@pytest.mark.slow
def test_corpus_labelled_organisations_are_found(index):
    if not CORPUS.exists():
        pytest.skip(f"{CORPUS} not found")
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        story = json.loads(line)
        if not story["orgs"]:
            continue
        found = index.keys(story["title"] + "\n" + story["body"], "organisation")
        for label in story["orgs"]:
            assert CORPUS_ORGS[label] in found, (story["id"], label)


def test_people():
    rows = read_csv("people.csv")
    names = [row["name"] for row in rows]
    assert len(names) == len(set(names))
    owner: dict[str, set[str]] = defaultdict(set)
    titles = set(read_lines("person_titles.txt"))
    for row in rows:
        for alias in items(row["aliases"]):
            owner[alias].add(row["name"])
            assert alias != row["name"]
            # no bare single-token alias that is an everyday word ("Xi" alone)
            if " " not in alias and "-" not in alias:
                assert alias[0].isupper() or alias.startswith(("von", "de")), alias
                assert len(alias) > 3, alias
            if alias.split(" ")[0] in titles:
                assert row["name"] not in alias, f"redundant titled alias {alias!r}"
    assert not {f: n for f, n in owner.items() if len(n) > 1}
    for name in ("Xi Jinping", "Li Qiang", "Donald Trump"):
        assert name in names


def test_keywords():
    rows = read_csv("keywords.csv")
    names = [row["name"] for row in rows]
    assert len(names) == len(set(names))
    assert names == sorted(names, key=str.casefold), "keep keywords.csv sorted by name"
    owner: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        assert row["aliases"], row
        for alias in items(row["aliases"]):
            owner[alias if is_case_sensitive(alias) else alias.casefold()].add(row["name"])
    assert not {f: n for f, n in owner.items() if len(n) > 1}
