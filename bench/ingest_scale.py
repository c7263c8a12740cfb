"""Ingestion at scale: seeds per second, where the time goes and memory for 1,000 and 10,000
seeds (one in five another outlet's version of an earlier story, which ingestion must merge),
each ingested with same-story detection and without it, side by side in one run (alternating),
and one 20 MB seed.

    .venv/bin/python bench/ingest_scale.py [--small 1000] [--large 10000] [--huge-mb 20] [--reps 1]
    .venv/bin/invoke bench-ingest

Each ingestion is a fresh `explainer ingest` process, so its peak resident memory (ru_maxrss) is
its own. Speed is given twice: seeds per second of wall time, and seeds per CPU-second of the
ingesting process (what one idle core does: the fair figure on a machine that other work
shares; the load average is printed). Detection's overhead is the ratio of the CPU times with
and without it. The stage table splits the CPU time of the large run with detection between
reading the seed (the text or HTML reader), enrichment (summary, tags), the fingerprint, the
story-index match, rendering, writing articles and saving the manifest (each stage's own time:
a stage called inside another is taken out of the outer one).

Memory is flat when what the large run adds per extra seed is bookkeeping (its manifest record,
a report entry, its fingerprint in the story index) and not the articles: the script fails when
that growth reaches 2.5 kB a seed, or when a merge is missed or made wrongly.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = next((REPO / "seeds").glob("*.txt"))
TARGET_SEEDS_PER_SECOND = 200
GROWTH_LIMIT = 2_500  # resident bytes a seed
# One seed in DUPLICATE_EVERY is another outlet's version of an earlier story (another headline,
# a byline and furniture, a word changed, sometimes cut short): ingestion merges it.
DUPLICATE_EVERY = 5


def make_seeds(folder: Path, count: int) -> int:
    """Write the seeds; returns how many are versions of an earlier seed's story."""
    folder.mkdir(parents=True)
    rng = random.Random(8)
    words = [w for w in SEED.read_text(encoding="utf-8").split() if ">" not in w]
    stories: list[list[str]] = []
    copies = 0
    for n in range(count):
        title = " ".join(rng.choice(words) for _ in range(7)).replace(".", "")
        if n % DUPLICATE_EVERY == DUPLICATE_EVERY - 1:
            paragraphs = list(rng.choice(stories))
            paragraphs = paragraphs[: rng.choice((3, 4, 5))]
            first = paragraphs[0].split()
            first[rng.randrange(len(first))] = rng.choice(words)
            paragraphs = ["By a staff reporter", " ".join(first), *paragraphs[1:],
                          "Share this article. Subscribe to our newsletter."]  # fmt: skip
            copies += 1
        else:
            paragraphs = [" ".join(rng.choice(words) for _ in range(70)) + "." for _ in range(5)]
            stories.append(paragraphs)
        text = f"Report {n}: {title}\n\nJanuary {1 + n % 28}, 2026\n\n" + "\n\n".join(paragraphs)
        (folder / f"seed-{n:05d}.txt").write_text(text + "\n", encoding="utf-8")
    return copies


def make_huge_seed(folder: Path, megabytes: int) -> None:
    folder.mkdir(parents=True)
    paragraphs = [p.strip() for p in SEED.read_text(encoding="utf-8").split("\n\n")]
    paragraphs = [p for p in paragraphs if len(p) > 200]
    chunks, size, n = ["Huge report on critical minerals\n\nJanuary 5, 2026\n"], 0, 0
    while size < megabytes * 1_000_000:
        chunks.append(f"{paragraphs[n % len(paragraphs)]} (part {n})")
        size += len(chunks[-1]) + 2
        n += 1
    (folder / "huge.txt").write_text("\n\n".join(chunks) + "\n", encoding="utf-8")


_CHILD = """
import gc, json, os, resource, sys, time
from pathlib import Path
from explainer.ingest import extract, ingestion
from explainer.ingest.story_index import StoryIndex

stages, stack = {}, []

def timed(name, function):
    def wrapper(*args, **kwargs):
        stack.append(0.0)
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent = time.process_time() - start
            inner = stack.pop()
            stages[name] = stages.get(name, 0.0) + spent - inner
            if stack:
                stack[-1] += spent
    return wrapper

extract.read_seed = timed("read seed", extract.read_seed)
extract.enrich = timed("enrich", extract.enrich)
ingestion.fingerprint_body = timed("fingerprint", ingestion.fingerprint_body)
StoryIndex.best_match = timed("match", StoryIndex.best_match)
ingestion.render_markdown = timed("render", ingestion.render_markdown)
ingestion.atomic_write = timed("write", ingestion.atomic_write)
ingestion.Manifest.save = timed("manifest save", ingestion.Manifest.save)

def resident():
    gc.collect()
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")

marks = {}
def progress(done, total):
    if done in (max(1, total // 10), total):
        marks[done] = resident()

cpu_start = time.process_time()
start = time.perf_counter()
report = ingestion.ingest(
    [Path(sys.argv[1])], Path(sys.argv[2]), on_progress=progress,
    detect_stories=sys.argv[3] == "on",
)
seconds = time.perf_counter() - start
cpu = time.process_time() - cpu_start
assert report.ok, report.errors
(first, low), (last, high) = sorted(marks.items())[0], sorted(marks.items())[-1]
per_seed = (high - low) / (last - first) if last > first else 0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
stages["other"] = cpu - sum(stages.values())
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak": peak, "per_seed": per_seed,
                  "merged": len(report.merged), "stages": stages}))
"""


@dataclass
class Run:
    name: str
    count: int
    detect: bool
    seconds: float  # wall
    cpu: float  # CPU seconds of the ingesting process
    peak: int  # peak resident kB
    per_seed: float  # resident bytes added a seed, from the first tenth of the seeds to the last
    merged: int  # seeds merged into another's article
    stages: dict[str, float]  # CPU seconds by stage


def run_ingest(name: str, count: int, seeds: Path, content: Path, detect: bool) -> Run:
    """One ingestion in a process of its own, into a fresh content folder."""
    shutil.rmtree(content, ignore_errors=True)
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(seeds), str(content), "on" if detect else "off"],
        check=True,
        capture_output=True,
        text=True,
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    return Run(name, count, detect, got["seconds"], got["cpu"], got["peak"], got["per_seed"],
               got["merged"], got["stages"])  # fmt: skip


def total(runs: list[Run], count: int, detect: bool, attribute: str) -> float:
    return sum(getattr(r, attribute) for r in runs if r.count == count and r.detect is detect)


def print_stages(runs: list[Run], count: int) -> None:
    stages: dict[str, float] = {}
    for run in runs:
        for name, spent in run.stages.items():
            stages[name] = stages.get(name, 0.0) + spent
    cpu = sum(stages.values())
    print(f"\nwhere the CPU time goes, {count} seeds with detection (ms a seed, share):")
    for name, spent in sorted(stages.items(), key=lambda item: -item[1]):
        per_seed = spent * 1000 / (count * len(runs))
        print(f"  {name:<14} {per_seed:7.2f}  {spent / cpu:6.1%}")


def print_overhead(runs: list[Run], count: int, reps: int) -> None:
    on_cpu, off_cpu = total(runs, count, True, "cpu"), total(runs, count, False, "cpu")
    on_wall, off_wall = total(runs, count, True, "seconds"), total(runs, count, False, "seconds")
    seeds = count * reps
    print(
        f"{count} seeds: detection costs {on_cpu / off_cpu - 1:+.1%} CPU time "
        f"({on_wall / off_wall - 1:+.1%} wall); with it {seeds / on_cpu:.0f} seeds/CPU-s "
        f"({seeds / on_wall:.0f} seeds/s wall), without {seeds / off_cpu:.0f} "
        f"({seeds / off_wall:.0f})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--huge-mb", type=int, default=20, help="0: no huge seed")
    parser.add_argument("--reps", type=int, default=1, help="runs of each, alternating")
    args = parser.parse_args()
    runs: list[Run] = []
    copies: dict[int, int] = {}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for count in (args.small, args.large):
            copies[count] = make_seeds(root / str(count), count)
            for _ in range(args.reps):
                for detect in (True, False):
                    runs.append(run_ingest(f"{count} seeds", count, root / str(count),
                                           root / f"c{count}", detect))  # fmt: skip
        sizes = [p.stat().st_size for p in (root / f"c{args.large}" / "articles").iterdir()]
        article = sum(sizes) / len(sizes)
        if args.huge_mb:
            make_huge_seed(root / "huge", args.huge_mb)
            runs.append(run_ingest(f"one {args.huge_mb} MB seed", 1, root / "huge",
                                   root / "chuge", True))  # fmt: skip
    load_after = os.getloadavg()
    print(
        f"{'run':<18} {'detection':>9} {'seconds':>8} {'CPU s':>7} {'seeds/s':>8} "
        f"{'seeds/CPU-s':>11} {'peak RSS MB':>11} {'bytes/seed':>10} {'merged':>10}"
    )
    for run in runs:
        growth = f"{run.per_seed:,.0f}" if run.count > 1 else "-"
        made = f"{run.merged}/{copies[run.count]}" if run.count in copies else "-"
        print(
            f"{run.name:<18} {'on' if run.detect else 'off':>9} {run.seconds:>8.1f} "
            f"{run.cpu:>7.1f} {run.count / run.seconds:>8.1f} {run.count / run.cpu:>11.1f} "
            f"{run.peak / 1024:>11.0f} {growth:>10} {made:>10}"
        )
    print(f"load average (1 min): {load_before[0]:.1f} before, {load_after[0]:.1f} after, "
          f"on {os.cpu_count()} cores")  # fmt: skip

    large_on = [r for r in runs if r.count == args.large and r.detect]
    print_stages(large_on, args.large)
    print()
    for count in (args.small, args.large):
        print_overhead(runs, count, args.reps)
    rate = args.large * args.reps / total(runs, args.large, True, "cpu")
    growth = max(r.per_seed for r in large_on)
    met = "met" if rate >= TARGET_SEEDS_PER_SECOND else "NOT met"
    print(
        f"speed: {rate:.0f} seeds per CPU-second, {args.large} seeds with detection (target "
        f"{TARGET_SEEDS_PER_SECOND}): {met}"
    )
    flat = "flat" if growth < GROWTH_LIMIT else "NOT flat"
    print(
        f"memory: resident memory grows {growth:,.0f} bytes a seed with detection (limit "
        f"{GROWTH_LIMIT:,}; an article here is {article:,.0f} bytes of Markdown): {flat}"
    )
    # Every other outlet's version is merged, and nothing else; without detection, nothing.
    merges_right = all(
        r.merged == (copies[r.count] if r.detect else 0) for r in runs if r.count in copies
    )
    if not merges_right:
        print("merged seeds differ from the versions made (see the table)")
    return 0 if growth < GROWTH_LIMIT and merges_right else 1


if __name__ == "__main__":
    sys.exit(main())
