"""Ingestion at scale: seeds per second and peak memory for 1,000 vs 10,000 seeds (one in five
another outlet's version of an earlier story, which ingestion must merge), and one 20 MB seed,
measured side by side in one run.

    .venv/bin/python bench/ingest_scale.py [--small 1000] [--large 10000] [--huge-mb 20]
    .venv/bin/invoke bench-ingest

Each run is a fresh `explainer ingest` process, so its peak resident memory (ru_maxrss) is its
own. Memory is flat when what the large run adds per extra seed is bookkeeping (a manifest
record and a report entry, about 2 kB) and not the articles: the script fails when the growth
per seed reaches the size of an article.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = next((REPO / "seeds").glob("*.txt"))


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
import gc, os, resource, sys, time
from pathlib import Path
from explainer.ingest.ingestion import ingest

def resident():
    gc.collect()
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")

marks = {}
def progress(done, total):
    if done in (max(1, total // 10), total):
        marks[done] = resident()

start = time.perf_counter()
report = ingest([Path(sys.argv[1])], Path(sys.argv[2]), on_progress=progress)
seconds = time.perf_counter() - start
assert report.ok, report.errors
(first, low), (last, high) = sorted(marks.items())[0], sorted(marks.items())[-1]
per_seed = (high - low) / (last - first) if last > first else 0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(seconds, peak, per_seed, len(report.merged))
"""


def run_ingest(seeds: Path, content: Path) -> tuple[float, int, float, int]:
    """(seconds, peak resident kB, resident bytes added per seed from the first tenth of the
    seeds to the last, seeds merged into another's article) for one ingestion in a process of
    its own."""
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(seeds), str(content)],
        check=True,
        capture_output=True,
        text=True,
    )
    seconds, peak, per_seed, merged = out.stdout.split()[-4:]
    return float(seconds), int(peak), float(per_seed), int(merged)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--huge-mb", type=int, default=20)
    args = parser.parse_args()
    rows, copies = [], {}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for count in (args.small, args.large):
            copies[count] = make_seeds(root / str(count), count)
            rows.append(
                (f"{count} seeds", count, *run_ingest(root / str(count), root / f"c{count}"))
            )
        make_huge_seed(root / "huge", args.huge_mb)
        rows.append((f"one {args.huge_mb} MB seed", 1, *run_ingest(root / "huge", root / "chuge")))
        sizes = [p.stat().st_size for p in (root / f"c{args.small}" / "articles").iterdir()]
    article = sum(sizes) / len(sizes)
    print(
        f"{'run':<18} {'seconds':>8} {'seeds/s':>9} {'peak RSS MB':>12} {'bytes/seed':>11} "
        f"{'merged':>13}"
    )
    for name, count, seconds, peak, per_seed, merged in rows:
        growth = f"{per_seed:,.0f}" if count > 1 else "-"
        made = f"{merged}/{copies[count]}" if count in copies else "-"
        print(
            f"{name:<18} {seconds:>8.1f} {count / seconds:>9.1f} {peak / 1024:>12.0f} "
            f"{growth:>11} {made:>13}"
        )
    large = rows[1]
    print(
        f"{args.large} seeds: resident memory grows {large[4]:,.0f} bytes a seed (a manifest "
        f"record with its fingerprint, a report entry and the story index; an article here is "
        f"{article:,.0f} bytes of Markdown). "
        f"Peak: {large[3] / rows[0][3]:.2f}x the {args.small}-seed run."
    )
    # Flat: what grows is bookkeeping, under 2.5 kB a seed (a manifest record with its story
    # fingerprint, and the fingerprint in the story index); keeping articles would cost more.
    # Every other outlet's version is merged, and nothing else.
    merges_right = all(row[5] == copies[row[1]] for row in rows[:2])
    if not merges_right:
        print("merged seeds differ from the versions made (see the table)")
    return 0 if large[4] < 2_500 and merges_right else 1


if __name__ == "__main__":
    sys.exit(main())
