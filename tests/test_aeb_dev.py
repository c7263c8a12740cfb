"""The Article Extraction Benchmark's dev pages through `explainer extract --json` (eval/aeb.py)."""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest
from support.project import REPO, SHARED

from explainer.text.markdown_text import markdown_to_text

CORPUS = SHARED / "corpus" / "aeb-dev"
# Measured 0.993 (trafilatura alone: 0.970) on these 36 pages; the floor sits well below so that
# a small change in a library cannot flake it, and well above trafilatura's published 0.958.
F1_FLOOR = 0.96


def load_aeb():
    spec = importlib.util.spec_from_file_location("aeb", REPO / "eval" / "aeb.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def run():
    assert (CORPUS / "ground-truth.json").exists(), (
        f"the benchmark's dev pages are missing: {CORPUS}"
    )
    aeb = load_aeb()
    truth, pages = aeb.load_corpus(CORPUS)
    predicted, _seconds = aeb.run_explainer(pages, [sys.executable, "-m", "explainer.cli"])
    return aeb, truth, predicted


def test_dev_set_f1_floor(run):
    aeb, truth, predicted = run
    result, _rows = aeb.score(truth, predicted, sorted(truth))
    assert result["f1"] >= F1_FLOOR, result
    assert result["precision"] >= F1_FLOOR and result["recall"] >= F1_FLOOR, result


def test_metric_is_the_benchmarks():
    aeb = load_aeb()
    assert aeb.string_shingle_matching("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    tp, fp, fn = aeb.string_shingle_matching("one two three four five", "one two three four six")
    assert (tp, fp, fn) == (1 / 3, 1 / 3, 1 / 3)
    assert aeb.metrics([(1.0, 0.0, 0.0), (0.5, 0.5, 0.0)]) == pytest.approx(
        {"f1": 2 * 0.75 / 1.75, "precision": 0.75, "recall": 1.0}
    )
    halves = aeb.split([str(n) for n in range(36)])
    assert len(halves["tune"]) == len(halves["check"]) == 18
    assert not set(halves["tune"]) & set(halves["check"])


# Pages in other scripts: the benchmark's Russian and Korean dev pages (its Japanese ones are in
# the held-out part, so a Shift_JIS page is made below).
@pytest.mark.parametrize(
    ("prefix", "script"),
    [("c82b3d1d54", r"[а-яё]"), ("9da36ae471", r"[가-힣]")],
)
def test_pages_in_other_scripts_come_through_unmangled(run, prefix, script):
    import re

    _aeb, truth, predicted = run
    page_id = next(i for i in truth if i.startswith(prefix))
    text = predicted[page_id]
    letters = [ch for ch in text if ch.isalpha()]
    assert len(letters) > 300
    native = sum(bool(re.match(script, ch, re.IGNORECASE)) for ch in letters)
    assert native / len(letters) > 0.8
    assert "\ufffd" not in text and "Ã" not in text
    # The first sentence of the real article is there, as written.
    first = truth[page_id]["articleBody"].split("\n")[0][:40]
    assert " ".join(first.split()) in " ".join(text.split())


def test_japanese_page_in_shift_jis(tmp_path):
    from explainer.cli import main

    sentence = (
        "日本政府は月曜日、レアアースの新たな供給網を構築するため、"
        "オーストラリアと協力すると発表した。"
    )
    paragraphs = "".join(f"<p>{sentence}第{n}段落は鉱山の詳細を伝えている。</p>" for n in range(5))
    page = (
        '<html lang="ja"><head>'
        '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
        "<title>レアアース供給網 | 鉱業ニュース</title></head>"
        "<body><article><h1>レアアース供給網</h1>"
        f"{paragraphs}</article></body></html>"
    )
    path = tmp_path / "ja.html"
    path.write_bytes(page.encode("shift_jis"))
    records = []
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["extract", "--json", str(path)]) == 0
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert records[0]["title"] == "レアアース供給網"
    assert sentence in markdown_to_text(records[0]["body"])
