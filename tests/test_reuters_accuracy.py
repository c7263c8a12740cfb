"""Tagging accuracy on the Reuters dev corpus, measured by eval/reuters_tags.py through
`explainer extract --json`. The floors sit clearly below what the tagger reaches on dev (see the
README), so that small, honest changes don't flake the suite; speed is reported by the script
(`invoke eval-tags`), never asserted here."""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest
from support.project import REPO, SHARED

CORPUS = SHARED / "corpus" / "reuters-minerals-dev.jsonl"


def _load_eval():
    spec = importlib.util.spec_from_file_location("reuters_tags", REPO / "eval" / "reuters_tags.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def reuters():
    return _load_eval()


@pytest.fixture(scope="module")
def result(reuters):
    if not CORPUS.exists():
        pytest.skip(f"{CORPUS} not found")
    return reuters.measure(CORPUS)


def test_every_story_came_through_the_cli(result):
    assert result["all"]["stories"] == 256
    assert result["A"]["stories"] + result["B"]["stories"] == 256
    assert result["speed"]["articles"] == 256


@pytest.mark.parametrize("group", ["A", "B", "all"])
def test_mineral_floors(result, group):
    minerals = result[group]["minerals"]
    assert minerals["recall"] >= 0.97, minerals
    assert minerals["false_alarm"] <= 0.02, minerals


@pytest.mark.parametrize("group", ["A", "B", "all"])
def test_country_floors(result, group):
    countries = result[group]["countries"]
    assert countries["salient_precision"] >= 0.86, countries
    assert countries["salient_recall"] >= 0.89, countries
    assert countries["salient_f1"] >= 0.89, countries
    assert countries["mention_recall"] >= 0.97, countries


def test_organisation_floor(result):
    assert result["all"]["organisations"]["recall"] >= 0.95


def test_per_metal_recall_floor(result):
    for topic, metal in result["all"]["minerals"]["per_metal"].items():
        floor = 0.8 if topic == "strategic-metal" else 0.9
        assert metal["recall"] >= floor, (topic, metal)


def test_seed_text_is_title_date_dateline_and_body(reuters):
    story = {
        "id": 1,
        "title": "CHINA'S HEILONGJIANG PROVINCE BOOSTS GOLD OUTPUT",
        "date": "1987-03-02T05:44:39",
        "dateline": "PEKING, March 2",
        "body": "Gold output in the northeast China\nprovince rose.\n REUTER",
    }
    text = reuters.seed_text(story)
    lines = text.splitlines()
    assert lines[0] == story["title"]
    assert lines[1] == "02 March 1987"
    assert lines[3].startswith("PEKING, March 2 - Gold output")


def test_script_prints_the_figures(reuters, capsys, tmp_path):
    if not CORPUS.exists():
        pytest.skip(f"{CORPUS} not found")
    small = tmp_path / "small.jsonl"
    small.write_text("\n".join(CORPUS.read_text(encoding="utf-8").splitlines()[:20]) + "\n")
    assert reuters.main([str(small), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert {"A", "B", "all", "speed"} <= set(figures)
    assert figures["speed"]["articles_per_second"] > 0
    assert reuters.main([str(small)]) == 0
    text = capsys.readouterr().out
    for label in (
        "minerals recall",
        "minerals false alarm",
        "countries salient precision",
        "countries salient f1",
        "countries mention recall",
        "organisations recall",
        "articles/second",
    ):
        assert label in text


# Slow: fits the mineral model 48 times (8 folds x 6 repeats).
@pytest.mark.slow
def test_mineral_decision_holds_out_of_fold():
    """The mineral decision cross-validated by story (eval/mineral_model_fit.py): fold-out
    figures, not the in-sample ones, stay near the targets."""
    if not CORPUS.exists():
        pytest.skip(f"{CORPUS} not found")
    spec = importlib.util.spec_from_file_location(
        "mineral_model_fit", REPO / "eval" / "mineral_model_fit.py"
    )
    fit = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = fit
    spec.loader.exec_module(fit)
    result = fit.report(fit.load_stories(CORPUS))
    for kind in ("model", "rule_score"):
        fold_out = result[kind]["fold_out"]
        assert fold_out["recall"] >= 0.96, (kind, fold_out)
        assert fold_out["false_alarm"] <= 0.03, (kind, fold_out)
    assert result["shipped"]["recall"] >= 0.97
