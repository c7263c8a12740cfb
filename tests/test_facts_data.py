"""The sourced fact data: read as text, joined by ISO code and slug, shares computed from it."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from support.project import SHARED

from explainer.site.facts import FactsError, default_data_dir, format_share, load_factbook

DATA = default_data_dir()


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def world(slug: str) -> dict[str, str]:
    return next(
        r for r in rows("minerals-production.csv")
        if r["mineral_slug"] == slug and r["country_iso2"] == "WORLD"
    )


@pytest.mark.parametrize("name", ["minerals-production.csv", "critical-minerals-lists.csv"])
def test_data_files_are_unchanged_copies_of_the_shared_data(name):
    shared = SHARED / "data" / name
    if not shared.exists():
        pytest.skip("../shared/data is not beside this checkout")
    assert (DATA / name).read_bytes() == shared.read_bytes()


def test_namibia_stays_a_country_with_its_lithium():
    book = load_factbook()
    namibia = book.mineral("lithium").producer("NA")
    assert namibia is not None and namibia.name == "Namibia"
    raw = next(r for r in rows("minerals-production.csv") if r["country_name"] == "Namibia")
    assert namibia.production.value == int(raw["mine_production"])


def test_rows_join_by_iso_code_not_by_the_usgs_name():
    book = load_factbook()
    myanmar = book.mineral("rare-earths").producer("MM")
    assert myanmar.usgs_name == "Burma"
    assert myanmar.name == "Myanmar"  # the site's name for MM, not USGS's
    congo = book.mineral("cobalt").producer("CD")
    assert (congo.usgs_name, congo.name) == ("Congo (Kinshasa)", "DR Congo")


def test_every_production_figure_is_in_the_data_and_shares_are_computed_from_it():
    book = load_factbook()
    data = rows("minerals-production.csv")
    for mineral in book.minerals.values():
        total = world(mineral.slug)
        for producer in mineral.producers:
            raw = next(
                r for r in data
                if r["mineral_slug"] == mineral.slug and r["country_iso2"] == producer.code
            )
            assert producer.production.value == int(raw["mine_production"])
            assert producer.production.unit == raw["unit"]
            expected = 100 * int(raw["mine_production"]) / int(total["mine_production"])
            assert producer.share == pytest.approx(expected)
        assert mineral.year == 2024
        assert mineral.source.doi == "10.5066/P13XCP3R"


def test_china_rare_earths_share_and_ties():
    mineral = load_factbook().mineral("rare-earths")
    china = mineral.producers[0]
    assert (china.code, china.rank, china.share_text) == ("CN", 1, "69%")
    tied = [p for p in mineral.producers if p.tied]
    assert {p.code for p in tied} == {"AU", "TH", "NG"}
    assert {p.rank_text for p in tied} == {"joint 4th"}


def test_lower_bound_reserves_say_more_than():
    mineral = load_factbook().mineral("rare-earths")
    assert mineral.world_reserves.lower_bound
    assert mineral.world_reserves.text.startswith("more than 90,000,000 metric tons")
    assert mineral.chart(6).measure == "mine production"


def test_reserves_only_group_charts_reserves():
    chart = load_factbook().mineral("platinum-group-metals").chart(6)
    assert chart.measure == "reserves"
    assert chart.rows[0].producer.code == "ZA"


def test_critical_list_status():
    book = load_factbook()
    assert (book.listing("bauxite").usgs_2022, book.listing("bauxite").eu_2023) == (False, True)
    assert book.listing("aluminium").usgs_detail == "listed as 'Aluminum'"
    assert book.mineral("rare-earths").listing.eu_2023


def test_country_ranks_and_key_numbers():
    book = load_factbook()
    china = book.country("CN", 5)
    assert china.ranks[0].producer.rank == 1
    assert all(r.producer.rank <= 5 for r in china.ranks)
    assert book.country("NA", 5).ranks == ()
    number = book.key_number(("share", "CN", "rare-earths"))
    assert number.value == "69%" and "China" in number.label and "2024" in number.label
    assert book.key_number(("leader", "CN")).value == "7 of 15"
    with pytest.raises(FactsError, match="unknown kind"):
        book.key_number(("average", "CN"))


@pytest.mark.parametrize(
    ("percent", "text"), [(69.23, "69%"), (9.96, "10%"), (7.94, "7.9%"), (0.04, "<0.1%")]
)
def test_share_format(percent, text):
    assert format_share(percent) == text


def test_a_bad_row_names_the_file_and_line(tmp_path: Path):
    folder = tmp_path / "facts"
    shutil.copytree(DATA, folder)
    path = folder / "minerals-production.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, start=1) if ",MM,Burma," in line)
    lines[number - 1] = lines[number - 1].replace(",MM,", ",XX,", 1)
    path.write_text("".join(lines), encoding="utf-8")
    expected = rf"production\.csv:{number}: unknown ISO 3166-1 code 'XX'"
    with pytest.raises(FactsError, match=expected):
        load_factbook(folder)
