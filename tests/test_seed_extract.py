"""The first seed through `explainer extract --json`: every field the foundation promises."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from support.project import SEED

from explainer.cli import main

SEED_COUNTRIES = {
    "China": "CN",
    "South Africa": "ZA",
    "Cambodia": "KH",
    "Nigeria": "NG",
    "Myanmar": "MM",
    "Zimbabwe": "ZW",
    "Germany": "DE",
    "Japan": "JP",
    "France": "FR",
    "United Kingdom": "GB",
    "Ireland": "IE",
    "United States": "US",
}


@pytest.fixture(scope="module")
def record() -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "explainer.cli", "extract", "--json", str(SEED)],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


def test_contract_keys(record):
    assert set(record) >= {
        "path",
        "title",
        "date",
        "summary",
        "countries",
        "minerals",
        "organisations",
        "people",
        "tags",
        "body",
    }
    assert record["path"] == str(SEED)


def test_title_and_date(record):
    assert record["title"] == "China's New Mining Initiative at G20: What You Need to Know"
    assert record["date"] == "2026-01-13"


def test_countries_are_exactly_the_twelve_named(record):
    assert {c["name"]: c["code"] for c in record["countries"]} == SEED_COUNTRIES
    assert all(set(c) >= {"name", "code"} for c in record["countries"])


def test_countries_and_minerals_carry_mentions_and_salience(record):
    for item in record["countries"]:
        assert set(item) == {"name", "code", "mentions", "salient"}
        assert isinstance(item["mentions"], int) and item["mentions"] >= 1
        assert isinstance(item["salient"], bool)
    for item in record["minerals"]:
        assert set(item) == {"name", "slug", "mentions", "salient"}
        assert isinstance(item["mentions"], int) and item["mentions"] >= 1
    salient = {c["code"] for c in record["countries"] if c["salient"]}
    assert salient == {"CN"}, "the seed is about China; the other eleven are mentioned"
    china = next(c for c in record["countries"] if c["code"] == "CN")
    assert china["mentions"] > max(c["mentions"] for c in record["countries"] if c["code"] != "CN")
    assert {m["slug"] for m in record["minerals"] if m["salient"]} >= {"rare-earths"}


def test_minerals_include_rare_earths(record):
    assert {"name": "Rare earths", "slug": "rare-earths"} in [
        {"name": m["name"], "slug": m["slug"]} for m in record["minerals"]
    ]


def test_organisations_and_people(record):
    assert {"G20", "UNIDO"} <= set(record["organisations"])
    assert {"Li Qiang", "Xi Jinping", "Donald Trump"} <= set(record["people"])
    assert set(record["people"]) <= set(record["tags"])


def test_body_keeps_the_article_and_drops_the_furniture(record):
    body = record["body"]
    assert "Home" not in body.split("\n")[0]
    assert ">>" not in body
    assert "13 Jan, 2026" not in body
    assert "Latest News" not in body
    assert not body.startswith("China's New Mining Initiative")
    paragraphs = body.split("\n\n")
    assert len(paragraphs) == 7
    assert paragraphs[0].startswith("China is making significant moves")
    assert paragraphs[-1].endswith("access to essential resources in the future.")


def test_summary_is_one_or_two_whole_sentences_from_the_body(record):
    summary = record["summary"]
    assert 0 < len(summary) <= 300
    assert summary.endswith((".", "”", '"'))
    assert summary.startswith("China is making significant moves in the mineral export sector")
    assert summary.replace("\\", "") in record["body"].replace("\\", "")


def test_unreadable_input_gives_an_error_record_and_others_still_come_out(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    missing = tmp_path / "missing.txt"
    status = main(["extract", "--json", str(empty), str(SEED), str(missing)])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status != 0
    assert [line["path"] for line in lines] == [str(empty), str(SEED), str(missing)]
    assert set(lines[0]) == {"path", "error"} and "empty" in lines[0]["error"]
    assert lines[1]["title"].startswith("China's New Mining Initiative")
    assert set(lines[2]) == {"path", "error"}


def test_extract_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["extract", "--json", str(SEED)]) == 0
    assert list(tmp_path.iterdir()) == []
