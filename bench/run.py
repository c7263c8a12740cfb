"""The speed benchmark: ours vs vanilla Pelican, side by side, alternating, in one run.

    invoke bench [--sizes 1000,5000] [--reps 3] [--edits 15] [--smoke] [--no-live]

For each corpus size N (explainer_devkit/corpus.py, deterministic):
- full cold build: `invoke build` of our site (ingest + build, no caches, empty output/) and
  vanilla Pelican 4.12 (default theme, no plugins, bench/vanilla_pelicanconf.py) on the same
  Markdown, alternating which goes first, `--reps` times; medians, ratio, peak memory (the
  summed proportional set size (PSS) of the build's whole process tree, sampled every 10 ms
  (less often for a big tree: sampling stays under 5% of the time):
  memory shared between forked workers is counted once);
- rebuild with nothing changed (`invoke build` again), after one article's text is edited,
  after one is retitled (listings show it), after one gets a tag more and one a country more
  (which pages list them changes), and whether unchanged output files kept their mtime;
- live reload: `invoke livereload`, a page open in headless Chromium; each edit is a save of
  one article, timed from the write to the moment the new text is in the page's DOM; edits
  one second apart (`--gap`); then a template edit and a stylesheet edit, timed the same way;
- ingestion of N (at most 2,000) text seeds with `explainer ingest`, seeds per second.
No timing here is asserted anywhere: the test suite runs `--smoke` to prove the benchmark runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from explainer_devkit import corpus

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent

PYTHON = sys.executable
SITE_FILES = ("pelicanconf.py", "publishconf.py", "tasks.py")


# --- measuring a process -------------------------------------------------------------------


SAMPLING_SHARE_INVERSE = 20  # wait 20x as long as a memory sample took


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(x) for x in handle.read().split())
    except OSError:
        pass
    return found


def _pss_kb(pid: int) -> int:
    """Proportional set size: resident memory, with pages shared between processes (forked
    workers, shared libraries) split between them, so a process tree's sum is fair."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Run:
    seconds: float
    peak_mb: float  # the process tree's summed PSS at its largest
    output: str = ""


def timed(command: list[str], cwd: Path, env: dict | None = None) -> Run:
    """Run a command, timing it and sampling the memory of its whole process tree."""
    peak = [0]
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            began = time.perf_counter()
            pids, total = [process.pid], 0
            while pids:
                pid = pids.pop()
                total += _pss_kb(pid)
                pids.extend(_children(pid))
            peak[0] = max(peak[0], total)
            # Reading smaps_rollup walks the page tables under the process's memory lock: 29 ms
            # for a 1.2 GB build, which sampled every 10 ms spent a core and stalled the build's
            # allocations, the more the bigger it was. Sampling stays under 5% of the time.
            done.wait(max(0.01, SAMPLING_SHARE_INVERSE * (time.perf_counter() - began)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed in {cwd}:\n{output[-3000:]}")
    return Run(seconds, peak[0] / 1024, output)


# --- the two sites -------------------------------------------------------------------------


@dataclass
class Sites:
    n: int
    root: Path

    @property
    def ours(self) -> Path:
        return self.root / "ours"

    @property
    def vanilla_output(self) -> Path:
        return self.root / "vanilla-output"

    def create(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        self.ours.mkdir(parents=True)
        for name in SITE_FILES:
            shutil.copy2(REPO / name, self.ours / name)
        shutil.copytree(REPO / "theme", self.ours / "theme")
        (self.ours / "seeds").mkdir()
        # The whole site but its articles: pages, the home page's story, topic intros, the
        # glossary (linked from every article).
        shutil.copytree(
            REPO / "content",
            self.ours / "content",
            ignore=lambda folder, names: [
                n
                for n in names
                if (n == "articles" and Path(folder) == REPO / "content") or n.startswith(".")
            ],
        )
        corpus.write_articles(self.ours / "content", self.n)

    def clean(self) -> None:
        for path in (
            self.ours / "output",
            self.ours / ".build",
            self.ours / "cache",
            self.vanilla_output,
            self.root / "vanilla-cache",
        ):
            shutil.rmtree(path, ignore_errors=True)

    def build_ours(self) -> Run:
        return timed([PYTHON, "-m", "invoke", "build"], self.ours)

    def build_vanilla(self) -> Run:
        return timed(
            [
                PYTHON,
                "-m",
                "pelican",
                str(self.ours / "content"),
                "-o",
                str(self.vanilla_output),
                "-s",
                str(BENCH / "vanilla_pelicanconf.py"),
                "--cache-path",
                str(self.root / "vanilla-cache"),
                "--log-handler",
                "plain",
            ],
            self.root,
        )


def article(sites: Sites, number: int = 1) -> Path:
    return sites.ours / "content" / "articles" / f"bench-{number:05d}.md"


def edit_article(path: Path, marker: str) -> None:
    """Save the article with `marker` as its second paragraph (a body edit)."""
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    paragraphs = body.split("\n\n")
    if paragraphs and paragraphs[0].startswith("Benchmark edit "):
        paragraphs = paragraphs[1:]
    path.write_text(
        head + "\n\n" + "\n\n".join([f"Benchmark edit {marker}.", *paragraphs]), encoding="utf-8"
    )


def retitle_article(path: Path, marker: str) -> None:
    """Save the article with `marker` at the start of its title (listings show it)."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Title: ", f"Title: {marker} ", 1), encoding="utf-8")


def _listed(text: str, field: str) -> list[str]:
    match = re.search(rf"^{field}: *(.*)$", text, re.M)
    return [name.strip() for name in match.group(1).split(",") if name.strip()] if match else []


def add_listed(path: Path, field: str, others: list[Path]) -> None:
    """Save the article with one more name in `field` (Tags, Countries), one the first of
    `others` that has one it lacks has: which tag or topic pages list it changes."""
    text = path.read_text(encoding="utf-8")
    own = _listed(text, field)
    for other in others:
        new = [n for n in _listed(other.read_text(encoding="utf-8"), field) if n not in own]
        if new:
            line = f"{field}: " + ", ".join([*own, new[0]])
            path.write_text(re.sub(rf"^{field}: *.*$", line, text, count=1, flags=re.M))
            return
    raise ValueError(f"no article has a {field} value {path.name} lacks")


def mtimes(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()
    }


# --- builds --------------------------------------------------------------------------------


def search_seconds(output: str) -> float:
    """The search-index step's time, as `invoke build` reports it ("search index: ... in 2.1s")."""
    match = re.search(r"search index: .* in ([0-9.]+)s", output)
    return float(match.group(1)) if match else 0.0


def bench_builds(sites: Sites, reps: int, log) -> dict:
    ours, vanilla = [], []
    for rep in range(reps):
        # alternating, ending with ours, whose output/ the no-op and one-edit builds start from
        order = ("vanilla", "ours") if (reps - rep) % 2 == 1 else ("ours", "vanilla")
        for which in order:
            sites.clean()
            run = sites.build_ours() if which == "ours" else sites.build_vanilla()
            (ours if which == "ours" else vanilla).append(run)
            log(f"  cold {which:7s} {run.seconds:7.2f} s  {run.peak_mb:6.0f} MB")
    if not (sites.ours / "output").exists():
        sites.clean()
        sites.build_ours()
    before = mtimes(sites.ours / "output")
    noop = []
    for _ in range(max(3, reps)):
        run = sites.build_ours()
        noop.append(run)
        log(f"  no-op   ours    {run.seconds:7.2f} s")
    kept = mtimes(sites.ours / "output") == before
    one_edit = []
    for rep in range(max(1, reps)):
        edit_article(article(sites, 1 + rep), f"one-edit-{rep}")
        run = sites.build_ours()
        one_edit.append(run)
        log(f"  1 edit  ours    {run.seconds:7.2f} s")
    retitles = []
    for rep in range(max(1, reps)):
        retitle_article(article(sites, 2 + reps + rep), f"Retitled {rep}:")
        run = sites.build_ours()
        retitles.append(run)
        log(f"  retitle ours    {run.seconds:7.2f} s")
    # A tag or a country more: which pages list the article changes. Both are taken from the
    # saved context: a tag's pages paginated again; a country's lists, co-mentions, related
    # articles and the pages that show them made again (incremental/relisting.py).
    everyone = sorted((sites.ours / "content" / "articles").glob("bench-*.md"))
    listed: dict[str, list] = {"Tags": [], "Countries": []}
    for field, runs in listed.items():
        for rep in range(max(1, reps)):
            number = (3 + 2 * reps + rep + (7 if field == "Countries" else 0)) % len(everyone)
            add_listed(everyone[number], field, everyone[number + 1 :] + everyone[:number])
            run = sites.build_ours()
            runs.append(run)
            log(f"  {field.lower():9s} ours {run.seconds:7.2f} s")
    return {
        "ours_cold": [r.seconds for r in ours],
        "ours_cold_search": [search_seconds(r.output) for r in ours],
        "vanilla_cold": [r.seconds for r in vanilla],
        "ours_peak_mb": max(r.peak_mb for r in ours),
        "vanilla_peak_mb": max(r.peak_mb for r in vanilla),
        "ours_noop": [r.seconds for r in noop],
        "ours_one_edit": [r.seconds for r in one_edit],
        "ours_retitle": [r.seconds for r in retitles],
        "ours_retag": [r.seconds for r in listed["Tags"]],
        "ours_new_country": [r.seconds for r in listed["Countries"]],
        "noop_kept_mtimes": kept,
    }


# --- live reload ---------------------------------------------------------------------------


def bench_live(sites: Sites, edits: int, log, gap: float = 1.0) -> dict:
    from playwright.sync_api import sync_playwright

    from explainer_devkit.chromium import launch
    from explainer_devkit.live_preview import running_livereload

    target = article(sites, max(1, sites.n // 2))
    slug = target.stem
    log_path = sites.root / "livereload.log"
    latencies: list[float] = []
    special: dict[str, float] = {}
    with running_livereload(
        sites.ours, log_path, f"/articles/{slug}/", timeout=600,
        env={"EXPLAINER_LOG": "debug"},
    ) as port:  # fmt: skip
        url = f"http://127.0.0.1:{port}/articles/{slug}/"
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page()
            page.goto(url)
            page.wait_for_function("() => document.documentElement.dataset.livereload === 'on'")

            def until(js: str, arg, started: float) -> float:
                page.wait_for_function(js, arg=arg, timeout=120_000, polling="raf")
                return time.perf_counter() - started

            for index in range(edits):
                marker = f"live-{index}-{time.time_ns()}"
                started = time.perf_counter()
                edit_article(target, marker)
                took = until("(m) => document.body.innerText.includes(m)", marker, started)
                latencies.append(took)
                log(f"  live edit {index + 1:2d}: {took:.3f} s (saved at {time.time() - took:.3f})")
                page.wait_for_function("() => document.documentElement.dataset.livereload === 'on'")
                time.sleep(max(0.0, gap - (time.perf_counter() - started)))
            # A template edit (the footer) and a stylesheet edit also reload.
            footer = sites.ours / "theme" / "templates" / "partials" / "site_footer.html"
            marker = f"template-{time.time_ns()}"
            started = time.perf_counter()
            footer.write_text(
                footer.read_text().replace(
                    '<p class="site-footer__credit">', f'<p class="site-footer__credit">{marker} '
                )
            )
            special["template"] = until(
                "(m) => document.body.innerText.includes(m)", marker, started
            )
            log(f"  template edit: {special['template']:.3f} s")
            page.wait_for_function("() => document.documentElement.dataset.livereload === 'on'")
            css = sites.ours / "theme" / "static" / "css" / "style.css"
            marker = f"bench-marker-{time.time_ns()}"
            started = time.perf_counter()
            with css.open("a") as out:
                out.write(f"\n.{marker} {{ color: inherit; }}\n")
            special["stylesheet"] = until(
                "(m) => Array.from(document.styleSheets).some(s => Array.from(s.cssRules)"
                ".some(r => r.selectorText === '.' + m))",
                marker,
                started,
            )
            log(f"  stylesheet edit: {special['stylesheet']:.3f} s")
            browser.close()
    return {"latencies": latencies, **special}


# --- ingestion -----------------------------------------------------------------------------


def bench_ingest(sites: Sites, count: int, log) -> dict:
    seeds = sites.root / "ingest-seeds"
    content = sites.root / "ingest-content"
    shutil.rmtree(seeds, ignore_errors=True)
    shutil.rmtree(content, ignore_errors=True)
    corpus.write_seeds(seeds, count, seed=7)
    run = timed(
        [PYTHON, "-m", "explainer.cli", "ingest", "-q", "--content", str(content), str(seeds)],
        sites.root,
    )
    written = len(list((content / "articles").glob("*.md")))
    log(f"  ingest {count} seeds: {run.seconds:.2f} s ({written / run.seconds:.0f}/s)")
    return {"seeds": count, "written": written, "seconds": run.seconds}


# --- report --------------------------------------------------------------------------------


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def table(results: dict[int, dict]) -> str:
    rows = [
        "| articles | ours cold (s) | vanilla cold (s) | ratio | of which search index (s)"
        " | ratio without it | ours peak MB | vanilla peak MB"
        " | no-op (s) | no-op / cold | 1 edit (s) | 1 retitle (s) | 1 tag more (s)"
        " | 1 country more (s) | mtimes kept |",
        "|" + " ---: |" * 14 + " :---: |",
    ]
    for n, r in results.items():
        b = r.get("builds")
        if not b:
            continue
        ours, vanilla = _median(b["ours_cold"]), _median(b["vanilla_cold"])
        noop = _median(b["ours_noop"])
        search = _median(b.get("ours_cold_search") or [0.0])
        rows.append(
            f"| {n:,} | {ours:.2f} | {vanilla:.2f} | {ours / vanilla:.2f}x | {search:.2f} | "
            f"{(ours - search) / vanilla:.2f}x | "
            f"{b['ours_peak_mb']:.0f} | {b['vanilla_peak_mb']:.0f} | {noop:.2f} | "
            f"{noop / ours:.3f}x | {_median(b['ours_one_edit']):.2f} | "
            f"{_median(b.get('ours_retitle') or [float('nan')]):.2f} | "
            f"{_median(b.get('ours_retag') or [float('nan')]):.2f} | "
            f"{_median(b.get('ours_new_country') or [float('nan')]):.2f} | "
            f"{'yes' if b['noop_kept_mtimes'] else 'NO'} |"
        )
    live = [(n, r["live"]) for n, r in results.items() if r.get("live")]
    if live:
        rows += [
            "",
            "| articles | live reload median (s) | p90 | max | saves | template edit (s)"
            " | stylesheet edit (s) |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for n, r in live:
            lat = r["latencies"]
            rows.append(
                f"| {n:,} | {_median(lat):.3f} | {_pct(lat, 0.9):.3f} | {max(lat):.3f} | "
                f"{len(lat)} | {r.get('template', float('nan')):.3f} | "
                f"{r.get('stylesheet', float('nan')):.3f} |"
            )
    ingest = [(n, r["ingest"]) for n, r in results.items() if r.get("ingest")]
    if ingest:
        rows += ["", "| seeds | ingest (s) | seeds per second |", "| ---: | ---: | ---: |"]
        for _n, r in ingest:
            rows.append(
                f"| {r['seeds']:,} | {r['seconds']:.2f} | {r['written'] / r['seconds']:.0f} |"
            )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,5000", help="comma-separated article counts")
    parser.add_argument("--reps", type=int, default=3, help="cold builds of each, alternating")
    parser.add_argument("--edits", type=int, default=15, help="live-reload saves")
    parser.add_argument(
        "--gap", type=float, default=1.0, help="seconds from one save to the next (default 1)"
    )
    parser.add_argument("--smoke", action="store_true", help="tiny and quick: proves it runs")
    parser.add_argument("--no-live", action="store_true", help="skip the browser measurement")
    parser.add_argument("--no-ingest", action="store_true", help="skip the ingestion measure")
    parser.add_argument("--no-builds", action="store_true", help="skip the build measures")
    parser.add_argument("--workdir", type=Path, default=REPO / ".build" / "bench")
    parser.add_argument(
        "--reuse", action="store_true", help="keep a site already in --workdir (with --no-builds)"
    )
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args(argv)
    if args.smoke:
        sizes, reps, edits = [30], 1, 2
    else:
        sizes, reps, edits = [int(s) for s in args.sizes.split(",")], args.reps, args.edits

    def log(message: str) -> None:
        print(message, flush=True)

    results: dict[int, dict] = {}
    for n in sizes:
        log(f"== {n} articles")
        sites = Sites(n, args.workdir / str(n))
        if not (args.reuse and (sites.ours / "content").is_dir()):
            sites.create()
        results[n] = {} if args.no_builds else {"builds": bench_builds(sites, reps, log)}
        if not args.no_live:
            results[n]["live"] = bench_live(sites, edits, log, args.gap)
        if not args.no_ingest:
            results[n]["ingest"] = bench_ingest(sites, min(n, 2000), log)
    print()
    print(table(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
