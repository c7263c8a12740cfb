#!/usr/bin/env python3
"""Score `explainer extract --json` on an Article Extraction Benchmark folder.

The folder is laid out like ../shared/corpus/aeb-dev/: html/<id>.html.gz and ground-truth.json
({id: {"articleBody": ..., "url": ...}}). `explainer` reads the .html.gz files as they are (no
unzipping), in one process, and its `body` Markdown is turned into plain text with the
project's markdown_to_text. The metric is the benchmark's own (scrapinghub/article-extraction-
benchmark, evaluate.py): tokens are \\w+, true and predicted text are multisets of 4-token
shingles, TP/FP/FN are normalised per page, precision and recall are averaged over pages and F1
is computed from the two averages.

The dev pages are split in two by a fixed hash ("tune" and "check") so that rules tuned on one
half can be checked on the other; scores are printed for both halves and for all pages. With
--baseline, trafilatura alone (as the benchmark runs it: trafilatura.extract(html,
include_comments=False)) is scored on the same pages in the same run.

    .venv/bin/python eval/aeb.py [FOLDER] [--baseline] [--per-page] [--json OUT]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from explainer.text.markdown_text import markdown_to_text  # noqa: E402

DEFAULT_CORPUS = next(
    (p / "corpus" / "aeb-dev" for p in (ROOT.parent / "shared", ROOT.parents[1] / "shared")
     if (p / "corpus").is_dir()),
    ROOT.parent / "shared" / "corpus" / "aeb-dev",
)  # fmt: skip
SPLIT_KEY = "explainer-aeb-tune"

# -- the benchmark's metric (evaluate.py), unchanged in substance -------------------------------
_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)
TpFpFn = tuple[float, float, float]


def _ngrams(text: str, n: int = 4) -> list[tuple[str, ...]]:
    tokens = _TOKEN_RE.findall(text or "")
    result = []
    for i in range(0, max(1, len(tokens) - n + 1)):
        shingle = tuple(tokens[i : i + n])
        if shingle:
            result.append(shingle)
    return result


def string_shingle_matching(true: str, pred: str, ngram_n: int = 4) -> TpFpFn:
    true_shingles = Counter(_ngrams(true, ngram_n))
    pred_shingles = Counter(_ngrams(pred, ngram_n))
    tp = fp = fn = 0.0
    for key in set(true_shingles) | set(pred_shingles):
        true_count = true_shingles.get(key, 0)
        pred_count = pred_shingles.get(key, 0)
        tp += min(true_count, pred_count)
        fp += max(0, pred_count - true_count)
        fn += max(0, true_count - pred_count)
    total = tp + fp + fn
    if total > 0:
        return (tp / total, fp / total, fn / total)
    return (tp, fp, fn)


def precision_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def metrics(rows: list[TpFpFn]) -> dict[str, float]:
    precision = statistics.mean([precision_score(*r) for r in rows if r[0] + r[1] > 0] or [0.0])
    recall = statistics.mean([recall_score(*r) for r in rows if r[0] + r[2] > 0] or [0.0])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "precision": precision, "recall": recall}


# -- the corpus -----------------------------------------------------------------------------------
def load_corpus(folder: Path) -> tuple[dict[str, dict], dict[str, Path]]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {}
    for page_id in truth:
        path = folder / "html" / f"{page_id}.html.gz"
        if not path.exists():
            raise SystemExit(f"aeb: {path} is missing")
        pages[page_id] = path
    return truth, pages


def split(ids: list[str]) -> dict[str, list[str]]:
    """A fixed half/half split: "tune" (rules were tuned looking at these) and "check"."""
    ranked = sorted(ids, key=lambda i: hashlib.sha256(f"{SPLIT_KEY}|{i}".encode()).hexdigest())
    half = len(ranked) // 2
    return {"tune": sorted(ranked[:half]), "check": sorted(ranked[half:]), "all": sorted(ids)}


# -- runs -----------------------------------------------------------------------------------------
def run_explainer(pages: dict[str, Path], command: list[str]) -> tuple[dict[str, str], float]:
    """Texts predicted by `explainer extract --json` (one process for every page) and seconds."""
    ids = sorted(pages)
    started = time.perf_counter()
    result = subprocess.run(
        [*command, "extract", "--json", *(str(pages[i]) for i in ids)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    elapsed = time.perf_counter() - started
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    if len(records) != len(ids):
        sys.stderr.write(result.stderr)
        raise SystemExit(f"aeb: expected {len(ids)} records, got {len(records)}")
    predicted = {}
    for page_id, record in zip(ids, records, strict=True):
        if record.get("path") != str(pages[page_id]):
            raise SystemExit(f"aeb: records out of order at {page_id}")
        if "error" in record:
            print(f"aeb: {page_id}: error: {record['error']}", file=sys.stderr)
        predicted[page_id] = markdown_to_text(record.get("body") or "")
    return predicted, elapsed


def run_trafilatura(pages: dict[str, Path]) -> tuple[dict[str, str], float]:
    """trafilatura alone, as the benchmark's extractors/run_trafilatura.py calls it."""
    import trafilatura

    predicted = {}
    started = time.perf_counter()
    for page_id, path in sorted(pages.items()):
        with gzip.open(path, "rt", encoding="utf8") as handle:
            page = handle.read()
        predicted[page_id] = trafilatura.extract(page, include_comments=False) or ""
    return predicted, time.perf_counter() - started


def score(
    truth: dict[str, dict], predicted: dict[str, str], ids: list[str]
) -> tuple[dict[str, float], dict[str, TpFpFn]]:
    rows = {i: string_shingle_matching(truth[i].get("articleBody", ""), predicted[i]) for i in ids}
    return metrics(list(rows.values())), rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--baseline", action="store_true", help="also score trafilatura alone")
    parser.add_argument("--per-page", action="store_true", help="print P/R for every page")
    parser.add_argument("--json", type=Path, help="write the scores to this file")
    parser.add_argument(
        "--explainer",
        default=None,
        help="command to run explainer (default: this Python with -m explainer.cli)",
    )
    args = parser.parse_args(argv)

    truth, pages = load_corpus(args.folder)
    command = args.explainer.split() if args.explainer else [sys.executable, "-m", "explainer.cli"]
    runs: dict[str, tuple[dict[str, str], float]] = {"explainer": run_explainer(pages, command)}
    if args.baseline:
        runs["trafilatura"] = run_trafilatura(pages)

    halves = split(list(truth))
    report: dict[str, dict] = {}
    print(f"{'system':<12} {'pages':<11} {'F1':>6} {'P':>6} {'R':>6} {'pages/s':>8}")
    for name, (predicted, seconds) in runs.items():
        report[name] = {"seconds": seconds, "pages_per_second": len(pages) / seconds}
        for half, ids in halves.items():
            result, rows = score(truth, predicted, ids)
            report[name][half] = result
            speed = f"{len(pages) / seconds:8.1f}" if half == "all" else ""
            print(
                f"{name:<12} {half + f' ({len(ids)})':<11} {result['f1']:6.3f} "
                f"{result['precision']:6.3f} {result['recall']:6.3f} {speed}"
            )
            if args.per_page and half == "all":
                _print_pages(rows, halves, truth)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    return 0


def _print_pages(rows: dict[str, TpFpFn], halves: dict[str, list[str]], truth: dict) -> None:
    tune = set(halves["tune"])
    for page_id, row in sorted(rows.items(), key=lambda item: precision_score(*item[1])):
        half = "tune" if page_id in tune else "check"
        print(
            f"    {page_id[:10]} {half:<5} P={precision_score(*row):.3f} "
            f"R={recall_score(*row):.3f}  {truth[page_id].get('url', '')[:70]}"
        )


if __name__ == "__main__":
    sys.exit(main())
