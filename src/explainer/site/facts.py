"""Sourced mineral facts: USGS production and reserves, and the USGS / EU critical-mineral lists.

The one place the site's numbers come from. It reads the CSV files in `explainer/data/facts/`
(or another folder with the same files) as text — Namibia's ISO code `NA` stays a country — and
joins them to the site's topics by ISO 3166-1 code and mineral slug, never by name (USGS writes
"Burma" for Myanmar). Every figure keeps the source it came from; shares and ranks are computed
here from those figures and nothing else.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from explainer.enrich.tagging.gazetteer import load_gazetteer

PRODUCTION_FILE = "minerals-production.csv"
LISTS_FILE = "critical-minerals-lists.csv"
SOURCES_FILE = "sources.csv"
WORLD = "WORLD"

PRODUCTION_COLUMNS = (
    "mineral_slug",
    "mineral_name",
    "country_iso2",
    "country_name",
    "year",
    "mine_production",
    "unit",
    "reserves",
    "reserves_unit",
    "is_estimate",
    "source",
    "notes",
)
LISTS_COLUMNS = ("name", "slug", "usgs_2022", "eu_2023", "source")
SOURCES_COLUMNS = ("id", "title", "publisher", "year", "data_year", "doi", "url")
LIST_SOURCES = {"usgs_2022": "usgs-2022-list", "eu_2023": "eu-2023-list"}


class FactsError(ValueError):
    """A fact file is missing or malformed; the message names the file, the line and the problem."""


def default_data_dir() -> Path:
    return Path(str(resources.files("explainer") / "data" / "facts"))


# --- formatting: one rule for every page -----------------------------------------------------


def format_int(value: int) -> str:
    return f"{value:,}"


def format_share(percent: float) -> str:
    """Whole percent from 10% up, one decimal below, "<0.1%" for the smallest shares."""
    if percent >= 9.95:
        return f"{percent:.0f}%"
    if percent >= 0.05:
        return f"{percent:.1f}%"
    return "<0.1%"


def ordinal(rank: int) -> str:
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"


# --- records ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    year: int
    data_year: int | None
    doi: str
    url: str

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def link(self) -> str:
        return self.doi_url or self.url


@dataclass(frozen=True)
class Quantity:
    value: int
    unit: str
    lower_bound: bool = False  # USGS printed ">": the value is a floor

    @property
    def number_text(self) -> str:
        return ("more than " if self.lower_bound else "") + format_int(self.value)

    @property
    def text(self) -> str:
        return f"{self.number_text} {self.unit}".strip()

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Producer:
    """One country's row for one mineral, with its rank and share of the world total."""

    code: str
    name: str  # the site's name for the country (gazetteer), never USGS's spelling
    usgs_name: str
    production: Quantity | None
    reserves: Quantity | None
    notes: str
    rank: int | None = None  # competition ranking by production; ties share a rank
    tied: bool = False
    share: float | None = None  # percent of the world production total

    @property
    def share_text(self) -> str:
        return format_share(self.share) if self.share is not None else ""

    @property
    def rank_text(self) -> str:
        if self.rank is None:
            return ""
        return ("joint " if self.tied else "") + ordinal(self.rank)


@dataclass(frozen=True)
class Listing:
    """Whether a material is on the USGS 2022 and EU 2023 critical-mineral lists, and how."""

    slug: str
    name: str
    usgs_2022: bool
    eu_2023: bool
    usgs_detail: str
    eu_detail: str
    usgs_source: Source
    eu_source: Source


@dataclass(frozen=True)
class ChartRow:
    producer: Producer
    quantity: Quantity
    share: float  # percent of the world total

    @property
    def share_text(self) -> str:
        return format_share(self.share)


@dataclass(frozen=True)
class Chart:
    """What a mineral's bar chart shows: the top countries' shares of one world total."""

    measure: str  # "mine production", "primary production" or "reserves"
    year: int
    total: Quantity
    rows: tuple[ChartRow, ...]


@dataclass(frozen=True)
class MineralFacts:
    slug: str
    name: str
    year: int
    source: Source
    basis: str  # "mine production" or "primary production"
    world_production: Quantity | None
    world_reserves: Quantity | None
    world_notes: str
    producers: tuple[Producer, ...]  # countries with a production figure, by rank
    reserve_holders: tuple[Producer, ...]  # countries with a reserves figure, largest first
    estimate: bool
    listing: Listing | None = None

    def top(self, n: int) -> tuple[Producer, ...]:
        return self.producers[:n]

    def chart(self, n: int) -> Chart | None:
        """Top `n` producers' shares; for a mineral with reserves only, the reserve holders'.

        None when there is nothing to chart, or when the world total is only a lower bound
        (shares of it would be overstated)."""
        if self.producers and self.world_production:
            rows = [ChartRow(p, p.production, p.share) for p in self.top(n)]
            return Chart(self.basis, self.year, self.world_production, tuple(rows))
        total = self.world_reserves
        if self.reserve_holders and total and total.value and not total.lower_bound:
            rows = [
                ChartRow(p, p.reserves, 100 * p.reserves.value / total.value)
                for p in self.reserve_holders[:n]
            ]
            return Chart("reserves", self.year, total, tuple(rows))
        return None

    @property
    def producer_count(self) -> int:
        return len(self.producers)

    def producer(self, code: str) -> Producer | None:
        return next((p for p in self.producers if p.code == code), None)


@dataclass(frozen=True)
class CountryRank:
    """A mineral where a country is among the top producers."""

    mineral: MineralFacts
    producer: Producer


@dataclass(frozen=True)
class CountryFacts:
    """A country's place in the production tables: the minerals where it is a top producer."""

    code: str
    ranks: tuple[CountryRank, ...]
    top: int  # "top producer" means a rank of `top` or better
    mineral_count: int  # minerals with production figures
    source: Source
    year: int


@dataclass(frozen=True)
class KeyNumber:
    value: str
    label: str
    source: Source
    year: int
    mineral_slug: str = ""
    country_code: str = ""


@dataclass
class FactBook:
    minerals: dict[str, MineralFacts] = field(default_factory=dict)
    listings: dict[str, Listing] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)

    def mineral(self, slug: str) -> MineralFacts | None:
        return self.minerals.get(slug)

    def listing(self, slug: str) -> Listing | None:
        return self.listings.get(slug)

    def country_ranks(self, code: str, top: int) -> list[CountryRank]:
        """Minerals where the country ranks in the top `top` producers, best rank first."""
        ranks = []
        for mineral in self.minerals.values():
            producer = mineral.producer(code)
            if producer and producer.rank is not None and producer.rank <= top:
                ranks.append(CountryRank(mineral, producer))
        return sorted(ranks, key=lambda r: (r.producer.rank, -(r.producer.share or 0)))

    def country(self, code: str, top: int) -> CountryFacts:
        any_mineral = next(iter(self.minerals.values()))
        return CountryFacts(
            code=code,
            ranks=tuple(self.country_ranks(code, top)),
            top=top,
            mineral_count=sum(1 for m in self.minerals.values() if m.producers),
            source=any_mineral.source,
            year=any_mineral.year,
        )

    def leader_count(self, code: str) -> tuple[int, int]:
        """(minerals where the country is the top producer, minerals with production data)."""
        with_production = [m for m in self.minerals.values() if m.producers]
        led = [m for m in with_production if (p := m.producer(code)) and p.rank == 1]
        return len(led), len(with_production)

    def key_number(self, spec: tuple[str, ...]) -> KeyNumber:
        """A headline number from a spec: ("share", ISO, slug) or ("leader", ISO)."""
        kind, *args = spec
        gazetteer = load_gazetteer()
        if kind == "share":
            code, slug = args
            mineral = self.minerals.get(slug)
            producer = mineral.producer(code) if mineral else None
            if producer is None or producer.share is None:
                raise FactsError(f"key number {spec!r}: no {slug} production figure for {code}")
            country = gazetteer.countries[code].name
            return KeyNumber(
                value=producer.share_text,
                label=f"{country}'s share of world {mineral.basis} of "
                f"{mineral.name.lower()} in {mineral.year}",
                source=mineral.source,
                year=mineral.year,
                mineral_slug=slug,
                country_code=code,
            )
        if kind == "leader":
            (code,) = args
            led, total = self.leader_count(code)
            any_mineral = next(iter(self.minerals.values()))
            country = gazetteer.countries[code].name
            return KeyNumber(
                value=f"{led} of {total}",
                label=f"minerals in the USGS world tables where {country} was the largest "
                f"producer in {any_mineral.year}",
                source=any_mineral.source,
                year=any_mineral.year,
                country_code=code,
            )
        raise FactsError(f"key number {spec!r}: unknown kind {kind!r} (use 'share' or 'leader')")


# --- loading ----------------------------------------------------------------------------------


def _read(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows as text (no value is ever read as missing), with their line numbers."""
    if not path.exists():
        raise FactsError(f"{path}: file not found")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise FactsError(f"{path}: missing column(s) {', '.join(missing)}")
        return [
            (reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader
        ]


def _int(path: Path, line: int, column: str, text: str) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise FactsError(f"{path}:{line}: {column} is not a whole number: {text!r}") from None


def _load_sources(folder: Path) -> dict[str, Source]:
    path = folder / SOURCES_FILE
    sources = {}
    for line, row in _read(path, SOURCES_COLUMNS):
        year = _int(path, line, "year", row["year"])
        if year is None:
            raise FactsError(f"{path}:{line}: every source needs a year")
        sources[row["id"]] = Source(
            id=row["id"],
            title=row["title"],
            publisher=row["publisher"],
            year=year,
            data_year=_int(path, line, "data_year", row["data_year"]),
            doi=row["doi"],
            url=row["url"],
        )
    return sources


def _source_for(cell: str, sources: dict[str, Source], where: str) -> Source:
    """The registered source whose DOI the data row cites."""
    match = re.search(r"doi\.org/(\S+)", cell)
    doi = match.group(1).rstrip(".;,") if match else ""
    for source in sources.values():
        if doi and source.doi.lower() == doi.lower():
            return source
    raise FactsError(f"{where}: source {cell!r} cites no DOI listed in {SOURCES_FILE}")


def _load_listings(folder: Path, sources: dict[str, Source]) -> dict[str, Listing]:
    path = folder / LISTS_FILE
    listings = {}
    for line, row in _read(path, LISTS_COLUMNS):
        flags = {}
        for column in ("usgs_2022", "eu_2023"):
            if row[column] not in ("yes", "no"):
                raise FactsError(f"{path}:{line}: {column} must be yes or no, not {row[column]!r}")
            flags[column] = row[column] == "yes"
        usgs_part, _, eu_part = row["source"].partition("; EU ")
        listings[row["slug"]] = Listing(
            slug=row["slug"],
            name=row["name"],
            usgs_2022=flags["usgs_2022"],
            eu_2023=flags["eu_2023"],
            usgs_detail=_detail(usgs_part),
            eu_detail=_detail(eu_part),
            usgs_source=sources[LIST_SOURCES["usgs_2022"]],
            eu_source=sources[LIST_SOURCES["eu_2023"]],
        )
    return listings


def _detail(part: str) -> str:
    """ "USGS 2022 final list (87 FR 10381): listed as 'Aluminum'" -> "listed as 'Aluminum'" """
    return part.split("):", 1)[1].strip() if "):" in part else part.strip()


def _basis(world_unit: str, world_notes: str) -> str:
    text = f"{world_unit} {world_notes}".lower()
    return "primary production" if "primary" in text else "mine production"


def _load_minerals(
    folder: Path, sources: dict[str, Source], listings: dict[str, Listing]
) -> dict[str, MineralFacts]:
    path = folder / PRODUCTION_FILE
    countries = load_gazetteer().countries
    grouped: dict[str, dict] = {}
    for line, row in _read(path, PRODUCTION_COLUMNS):
        where = f"{path}:{line}"
        code = row["country_iso2"]
        if code != WORLD and code not in countries:
            raise FactsError(f"{where}: unknown ISO 3166-1 code {code!r} ({row['country_name']})")
        year = _int(path, line, "year", row["year"])
        if year is None:
            raise FactsError(f"{where}: year is empty")
        production = _int(path, line, "mine_production", row["mine_production"])
        reserves = _int(path, line, "reserves", row["reserves"])
        if production is not None and not row["unit"]:
            raise FactsError(f"{where}: a production figure needs a unit")
        if reserves is not None and not row["reserves_unit"]:
            raise FactsError(f"{where}: a reserves figure needs reserves_unit")
        notes = row["notes"]
        entry = grouped.setdefault(
            row["mineral_slug"],
            {"name": row["mineral_name"], "year": year, "world": None, "rows": []},
        )
        record = {
            "code": code,
            "usgs_name": row["country_name"],
            "production": Quantity(production, row["unit"]) if production is not None else None,
            "reserves": Quantity(reserves, row["reserves_unit"], "lower bound" in notes.lower())
            if reserves is not None
            else None,
            "estimate": row["is_estimate"] == "yes",
            "notes": notes,
            "source": _source_for(row["source"], sources, where),
            "unit": row["unit"],
        }
        if code == WORLD:
            if entry["world"] is not None:
                raise FactsError(f"{where}: a second WORLD row for {row['mineral_slug']}")
            entry["world"] = record
        else:
            entry["rows"].append(record)

    minerals = {}
    for slug, entry in grouped.items():
        world = entry["world"]
        if world is None:
            raise FactsError(f"{path}: {slug} has no WORLD row")
        minerals[slug] = _mineral(slug, entry, world, countries, listings.get(slug))
    return minerals


def _mineral(slug, entry, world, countries, listing) -> MineralFacts:
    world_production = world["production"]
    producers: list[Producer] = []
    with_production = sorted(
        (r for r in entry["rows"] if r["production"] is not None),
        key=lambda r: -r["production"].value,
    )
    values = [r["production"].value for r in with_production]
    for row in with_production:
        value = row["production"].value
        rank = values.index(value) + 1
        share = None
        if world_production and world_production.value:
            share = 100 * value / world_production.value
        producers.append(
            _producer(row, countries, rank=rank, tied=values.count(value) > 1, share=share)
        )
    holders = sorted(
        (r for r in entry["rows"] if r["reserves"] is not None),
        key=lambda r: -r["reserves"].value,
    )
    return MineralFacts(
        slug=slug,
        name=entry["name"],
        year=entry["year"],
        source=world["source"],
        basis=_basis(world["unit"], world["notes"]),
        world_production=world_production,
        world_reserves=world["reserves"],
        world_notes=world["notes"],
        producers=tuple(producers),
        reserve_holders=tuple(_producer(r, countries) for r in holders),
        estimate=world["estimate"],
        listing=listing,
    )


def _producer(row, countries, **ranking) -> Producer:
    return Producer(
        code=row["code"],
        name=countries[row["code"]].name,
        usgs_name=row["usgs_name"],
        production=row["production"],
        reserves=row["reserves"],
        notes=row["notes"],
        **ranking,
    )


def data_files(folder: Path | str | None = None) -> list[Path]:
    """The files a factbook is read from (for builds that track what they read)."""
    folder = Path(folder) if folder else default_data_dir()
    return [folder / name for name in (PRODUCTION_FILE, LISTS_FILE, SOURCES_FILE)]


def load_factbook(folder: Path | str | None = None) -> FactBook:
    folder = Path(folder) if folder else default_data_dir()
    return _load_factbook(folder.resolve(), _stamp(folder))


def _stamp(folder: Path) -> tuple:
    """Changes when a data file changes, so a long-running preview reloads the facts."""
    names = (PRODUCTION_FILE, LISTS_FILE, SOURCES_FILE)
    return tuple((folder / n).stat().st_mtime_ns if (folder / n).exists() else 0 for n in names)


@cache
def _load_factbook(folder: Path, stamp: tuple) -> FactBook:
    sources = _load_sources(folder)
    listings = _load_listings(folder, sources)
    minerals = _load_minerals(folder, sources, listings)
    return FactBook(minerals=minerals, listings=listings, sources=sources)
