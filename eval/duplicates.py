#!/usr/bin/env python3
"""Same-story detection on labelled seed pairs: pair precision and recall, fold-out.

The pairs come from eval/story_pairs.py (made from the dev corpora, deterministic). Every seed
is read by the project's own seed reader (`explainer.ingest.seed_file.read_seed`, as ingestion
reads it) and fingerprinted (`explainer.ingest.story_fingerprint`); a pair is called one story
when the estimated containment reaches the threshold.

Stories are split into five folds by a fixed hash (a pair goes with the first of its two stories,
so every version of a story is in one fold). For each fold the threshold is tuned on the other
four (the highest F0.5: precision counts twice as much as recall, since a wrong merge hides a
story while a missed one only repeats it) and applied to the held-out fold; the figures pooled
over the held-out folds are the ones to quote. The threshold tuned on all pairs is printed
too: it is the one to ship as story_fingerprint.SAME_STORY.

    .venv/bin/python eval/duplicates.py [--errors] [--sample N] [--json OUT]
    .venv/bin/invoke eval-duplicates
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

FOLDS = 5
THRESHOLDS = [round(0.30 + 0.01 * n, 2) for n in range(66)]


def load_pairs_module():
    spec = importlib.util.spec_from_file_location("story_pairs", ROOT / "eval" / "story_pairs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["story_pairs"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def fingerprint_seeds(folder: Path, names: list[str]) -> dict[str, object]:
    """name -> Fingerprint (None when the reader finds no article in the seed)."""
    from explainer.ingest.seed_file import SeedError, read_seed
    from explainer.ingest.story_fingerprint import fingerprint_body

    found = {}
    for name in names:
        try:
            found[name] = fingerprint_body(read_seed(folder / name).body)
        except SeedError:
            found[name] = None
    return found


def scored_pairs(sample: int = 1) -> tuple[list[dict], float]:
    """Each labelled pair with its containment, and seeds fingerprinted per second. With
    sample > 1 only the stories whose hash falls in 1/sample of the space are kept."""
    from explainer.ingest.story_fingerprint import containment

    pairs_mod = load_pairs_module()
    docs, pairs = pairs_mod.build()
    if sample > 1:
        keep = {d.story for d in docs if pairs_mod.stable_hash(d.story.split("-")[0]) % sample == 0}
        docs = [d for d in docs if d.story in keep]
        names = {d.name for d in docs}
        pairs = [p for p in pairs if p.a in names and p.b in names]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        pairs_mod.write(folder, docs, pairs)
        start = time.perf_counter()
        prints = fingerprint_seeds(folder / "seeds", [pairs_mod.safe_name(d.name) for d in docs])
        rate = len(docs) / (time.perf_counter() - start)
    rows = []
    for pair in pairs:
        a, b = prints[pairs_mod.safe_name(pair.a)], prints[pairs_mod.safe_name(pair.b)]
        score = containment(a, b) if a is not None and b is not None else 0.0
        first = min(pairs_mod.story_of(pair.a), pairs_mod.story_of(pair.b))
        rows.append(
            {
                "a": pair.a,
                "b": pair.b,
                "same": pair.same,
                "category": pair.category,
                "score": score,
                "fold": pairs_mod.stable_hash(first) % FOLDS,
            }
        )
    return rows, rate


def confusion(rows: list[dict], threshold: float) -> tuple[int, int, int]:
    tp = sum(1 for r in rows if r["same"] and r["score"] >= threshold)
    fp = sum(1 for r in rows if not r["same"] and r["score"] >= threshold)
    fn = sum(1 for r in rows if r["same"] and r["score"] < threshold)
    return tp, fp, fn


def precision_recall(tp: int, fp: int, fn: int) -> tuple[float, float]:
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def f_half(rows: list[dict], threshold: float) -> float:
    p, r = precision_recall(*confusion(rows, threshold))
    return 1.25 * p * r / (0.25 * p + r) if p + r else 0.0


def tune(rows: list[dict]) -> float:
    """The threshold with the highest F0.5 (the lowest of equals)."""
    return max(THRESHOLDS, key=lambda t: (f_half(rows, t), -t))


def cross_validate(rows: list[dict]) -> dict:
    out_tp = out_fp = out_fn = 0
    in_scores, chosen = [], []
    for fold in range(FOLDS):
        train = [r for r in rows if r["fold"] != fold]
        test = [r for r in rows if r["fold"] == fold]
        threshold = tune(train)
        chosen.append(threshold)
        tp, fp, fn = confusion(test, threshold)
        out_tp, out_fp, out_fn = out_tp + tp, out_fp + fp, out_fn + fn
        in_scores.append(precision_recall(*confusion(train, threshold)))
        for r in test:
            r["fold_threshold"] = threshold
    fold_out = precision_recall(out_tp, out_fp, out_fn)
    in_fold = (
        sum(p for p, _ in in_scores) / FOLDS,
        sum(r for _, r in in_scores) / FOLDS,
    )
    return {"fold_out": fold_out, "in_fold": in_fold, "fold_thresholds": chosen}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--errors", action="store_true", help="list the misjudged pairs")
    parser.add_argument("--sample", type=int, default=1, help="keep 1/N of the stories")
    parser.add_argument("--json", type=Path, help="write the scored pairs here")
    args = parser.parse_args()
    from explainer.ingest.story_fingerprint import SAME_STORY

    rows, rate = scored_pairs(args.sample)
    same = sum(r["same"] for r in rows)
    result = cross_validate(rows)
    shipped = tune(rows)
    print(f"{len(rows)} pairs ({same} same story, {len(rows) - same} distinct); "
          f"{rate:.0f} seeds read and fingerprinted per second")  # fmt: skip
    p, r = result["fold_out"]
    print(f"fold-out  precision {p:.3f}  recall {r:.3f}  (thresholds per fold: "
          f"{', '.join(f'{t:.2f}' for t in result['fold_thresholds'])})")  # fmt: skip
    p, r = result["in_fold"]
    print(f"in-fold   precision {p:.3f}  recall {r:.3f}  (mean over the five training sets)")
    p, r = precision_recall(*confusion(rows, SAME_STORY))
    print(f"shipped   threshold {SAME_STORY:.2f}: precision {p:.3f}  recall {r:.3f} on all pairs; "
          f"tuned on all pairs: {shipped:.2f}")  # fmt: skip
    errors = Counter()
    for row in rows:
        if (row["score"] >= row["fold_threshold"]) != row["same"]:
            errors[row["category"]] += 1
    print("fold-out errors by kind of pair: " + (", ".join(f"{k} {v}" for k, v in
          errors.most_common()) or "none"))  # fmt: skip
    if args.errors:
        for row in sorted(rows, key=lambda r: r["category"]):
            if (row["score"] >= row["fold_threshold"]) != row["same"]:
                print(f"  {row['category']:<28} {row['score']:.2f}  {row['a']}  {row['b']}")
    if args.json:
        args.json.write_text(json.dumps(rows), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
