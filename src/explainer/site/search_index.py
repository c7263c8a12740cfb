"""Build the site's full-text search index with Pagefind, over a finished output folder.

`index_site(output)` runs the Pagefind binary (shipped by the `pagefind[bin]` PyPI package)
over every HTML page in `output` and puts the search bundle in `output/pagefind/`, which the
search page's script (`theme/static/js/search.js`) loads from the same origin. Pagefind reads
the pages as they were built, so it runs after everything else has written `output/`: as the
last step of `invoke build` and of the publish tasks, and in the live preview after the
browser has been told to reload (`SearchIndexer`, on a background thread).

The new bundle is written beside the old one and swapped in with renames, so a reader who is
searching while the index is rebuilt keeps a complete index. The build never deletes the
bundle (pelicanconf.py lists `OUTPUT_NAMES` in OUTPUT_RETENTION): the old index keeps serving
until the new one replaces it.

Indexing costs about 2 ms and 170 KB of memory per article page (Pagefind holds the whole
index in memory), so the pages are indexed in shards of a few hundred, a few shards at a time
(one per core, at most MAX_INDEX_WORKERS), a shard whose pages did not change is reused
(`stamp_file`), and the live preview runs it one shard at a time at the lowest CPU priority,
so it never slows the next rebuild.

Which parts of a page are indexed is said by the theme: `data-pagefind-body` marks the pages
worth finding (articles, country and mineral pages, the glossary, about), and
`data-pagefind-ignore` the furniture inside them.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from explainer.site.incremental import inputs

BUNDLE_DIR = "pagefind"
# Everything the indexer puts in the output folder: the build keeps these (OUTPUT_RETENTION).
OUTPUT_NAMES = (BUNDLE_DIR, f".{BUNDLE_DIR}-new", f".{BUNDLE_DIR}-old")


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says why."""


@dataclass
class SearchIndexReport:
    bundle: Path
    pages: int
    seconds: float
    skipped: bool = False  # the site had not changed since the index was made
    shards: int = 1
    reindexed: int = 1  # shards whose pages changed, indexed again


def pagefind_binary() -> Path:
    """The Pagefind executable from the `pagefind[bin]` package (or $PAGEFIND_BINARY_PATH)."""
    try:
        from pagefind.service import get_executable
    except ImportError as error:  # pragma: no cover - a broken install
        raise SearchIndexError(
            "the pagefind package is missing: run scripts/setup (pip install 'pagefind[bin]')"
        ) from error
    binary = get_executable()
    if binary is None or not Path(binary).is_file():
        raise SearchIndexError(
            "the Pagefind binary is missing: run scripts/setup (pip install 'pagefind[bin]')"
        )
    return Path(binary)


def index_site(
    output: Path,
    *,
    stamp_file: Path | None = None,
    low_priority: bool = False,
    shard_pages: int | None = None,
    site_files: Mapping[str, tuple[int, int]] | None = None,
    unseen_changes: Mapping[str, tuple[int, int]] | None = None,
) -> SearchIndexReport:
    """Index every page of the built site in `output` into `output/pagefind/`.

    The pages are split into shards of at most `shard_pages` (`_shards`: by top folder, and
    a large folder by a hash of the path, so a page stays in its shard as the site grows),
    each indexed by its own Pagefind run, a few at a time (`_index_shards`): Pagefind holds a
    whole index in memory (~170 KB a page), so memory stays bounded at any site size. Shard 0
    is `pagefind/` itself; the others are merged into it by the search page
    (`pagefind/shards.json` lists them).

    With `stamp_file`, a shard whose pages are unchanged since the index recorded there was
    made is reused as it is, and a site unchanged altogether is not touched.
    `low_priority` runs Pagefind at the lowest CPU priority (`nice 19`). `site_files`: the
    output's files as (size, mtime_ns), when the build just stamped them (the build's
    `output_files`): output/ is then not walked again. `unseen_changes`: pages the build
    changed only where the index does not read (search_view.py), with their stamps before
    it (the build's `search_neutral`): a shard is not indexed again for them."""
    output = Path(output)
    if not (output / "index.html").is_file():
        raise SearchIndexError(f"{output} holds no built site (no index.html)")
    started = time.perf_counter()
    bundle = output / BUNDLE_DIR
    files = _html_files(output, site_files)
    site = _stamp(files.items())
    recorded = _read_stamp(stamp_file) if bundle.joinpath("pagefind.js").is_file() else {}
    if stamp_file is not None and recorded.get("site") == site:
        # no page changed since the index was made: not even read (seconds at 20,000 pages)
        seconds = time.perf_counter() - started
        shard_count = len(recorded.get("shards") or [1])
        pages = recorded.get("pages") or _pages(bundle)
        return SearchIndexReport(bundle, pages, seconds, True, shard_count, 0)
    marked, marks = _indexed_pages(output, files, recorded.get("marks"))
    shards = _shards(marked, shard_pages or _shard_pages())
    stamps = [_stamp((page, files[page]) for page in pages) for pages in shards]
    # each shard's stamp as it was before the unseen changes, to compare with the recorded one
    before = unseen_changes or {}
    seen = [
        _stamp((page, before.get(page, files[page])) for page in pages) if before else stamp
        for pages, stamp in zip(shards, stamps, strict=True)
    ]
    previous = recorded.get("shards") or []
    # pages changed, but none in what is indexed: only the stamp is written again
    unchanged = stamp_file is not None and previous == seen
    reindexed = 0 if unchanged else _write_bundle(output, shards, seen, previous, low_priority)
    pages = _pages(bundle)
    if stamp_file is not None:
        _write_stamp(stamp_file, {"site": site, "shards": stamps, "pages": pages, "marks": marks})
    seconds = time.perf_counter() - started
    return SearchIndexReport(bundle, pages, seconds, unchanged, len(shards), reindexed)


def _write_bundle(
    output: Path,
    shards: list[list[str]],
    stamps: list[str],
    previous: list[str],
    low_priority: bool,
) -> int:
    """Index the shards whose pages changed; returns how many. With as many shards as last
    time, each changed shard's folder is swapped for a new one and the others are left
    alone (one edit at 20,000 articles: one shard of 34 indexed and swapped, instead of a
    whole new bundle of 25,000 files linked and the old one deleted)."""
    bundle = output / BUNDLE_DIR
    if len(previous) != len(shards) or not (bundle / "pagefind.js").is_file():
        return _write_whole_bundle(output, shards, stamps, previous, low_priority)
    changed = [number for number in range(len(shards)) if previous[number] != stamps[number]]
    staging = output / OUTPUT_NAMES[1]
    fresh = {number: staging / f"new-{number}" for number in changed}
    _index_shards([(shards[n], fresh[n]) for n in changed], staging, low_priority)
    for number in changed:
        if number == 0:  # the bundle's top folder: the other shards move into the new one
            for name in [*(_shard_dir(n) for n in range(1, len(shards))), SHARDS_FILE]:
                if (bundle / name).exists():
                    (bundle / name).rename(fresh[0] / name)
            _swap(fresh[0], bundle, output / OUTPUT_NAMES[2])
        else:
            _swap(fresh[number], bundle / _shard_dir(number), output / OUTPUT_NAMES[2])
    shutil.rmtree(staging, ignore_errors=True)
    return len(changed)


def _swap(fresh: Path, target: Path, old: Path) -> None:
    """`fresh` in the place of `target`, two renames apart; the old one deleted after."""
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _write_whole_bundle(
    output: Path,
    shards: list[list[str]],
    stamps: list[str],
    previous: list[str],
    low_priority: bool,
) -> int:
    """A new bundle beside the old one, then swapped in; returns the shards indexed anew
    (the others are hard-linked from the old bundle)."""
    bundle = output / BUNDLE_DIR
    fresh = output / OUTPUT_NAMES[1]
    shutil.rmtree(fresh, ignore_errors=True)
    runs = []
    for number in range(len(shards)):
        target = fresh / _shard_dir(number)
        if number < len(previous) and previous[number] == stamps[number]:
            _link_copy(bundle / _shard_dir(number), target, top=number == 0)
        else:
            runs.append((shards[number], target))
    # Shard 0 is written into the bundle's top folder, around the others' folders: Pagefind
    # leaves what it does not write in its output folder alone.
    _index_shards(runs, fresh, low_priority)
    (fresh / SHARDS_FILE).write_text(
        json.dumps({"shards": [f"{_shard_dir(n)}/" for n in range(1, len(shards))]}),
        encoding="utf-8",
    )
    _swap(fresh, bundle, output / OUTPUT_NAMES[2])
    return len(runs)


SHARDS_FILE = "shards.json"
SHARD_PAGES = 600  # ~100 MB of Pagefind memory
_BODY_MARK = b"data-pagefind-body"


def _shard_pages() -> int:
    return max(1, int(os.environ.get("EXPLAINER_SEARCH_SHARD_PAGES", SHARD_PAGES)))


def _shard_dir(number: int) -> str:
    return "." if number == 0 else f"shard-{number}"


def _html_files(
    output: Path, site_files: Mapping[str, tuple[int, int]] | None = None
) -> dict[str, tuple[int, int]]:
    """Every page of the site (not the search bundle's), relative to output, in sorted
    order: (size, mtime in ns), from `site_files` or the walk the build's no-op check uses."""
    if site_files is None:
        stamps = inputs.tree_stamps(output, skip_hidden=False, skip_top=OUTPUT_NAMES)
        return {rel: (size, mtime) for rel, size, mtime in stamps if rel.endswith(".html")}
    bundle = tuple(f"{name}/" for name in OUTPUT_NAMES)
    return {
        rel: site_files[rel]
        for rel in sorted(site_files)
        if rel.endswith(".html") and not rel.startswith(bundle)
    }


def _indexed_pages(
    output: Path, files: dict[str, tuple[int, int]], known: dict | None = None
) -> tuple[list[str], dict[str, list[int]]]:
    """The pages the theme marks worth finding (`data-pagefind-body`), relative to output,
    and what was found of every page: {page: [size, mtime_ns, marked]}. A page whose size
    and mtime are those in `known` (the last run's) is not read again: one edit at 20,000
    articles would otherwise read 600 MB of pages to find the one that changed.

    Pagefind indexes a page without the mark whole when no page of its run has one: each
    run is given marked pages only."""
    known = known if isinstance(known, dict) else {}
    pages: list[str] = []
    found: dict[str, list[int]] = {}
    for relative, (size, mtime) in files.items():
        record = known.get(relative)
        if isinstance(record, list) and record[:2] == [size, mtime]:
            mark = record[2]
        else:
            with open(output / relative, "rb") as handle:
                mark = int(_BODY_MARK in handle.read())
        found[relative] = [size, mtime, mark]
        if mark:
            pages.append(relative)
    return pages, found


def _shards(pages: list[str], size: int) -> list[list[str]]:
    """The pages in shards of at most `size`, by their top folder, so that pages that change
    together are indexed again together. A folder of more pages than a shard holds (the
    articles) is split by a hash of the path: a page stays in its shard as the site grows.
    The smaller folders share shards, whole, in the order of their names: the topic pages,
    which a tag or a country more on any article changes, are then in one shard, not one
    in each of the articles' shards (a country more at 20,000 articles: 3-5 shards of 34
    indexed again before, 2 of 35 now)."""
    folders: dict[str, list[str]] = {}
    for page in pages:
        folders.setdefault(page.split("/", 1)[0] if "/" in page else "", []).append(page)
    shards: list[list[str]] = []
    pooled: list[str] = []
    for name in sorted(folders):
        members = folders[name]
        if len(members) > size:
            count = -(-len(members) // size)
            split: list[list[str]] = [[] for _ in range(count)]
            for page in members:
                split[zlib.crc32(page.encode()) % count].append(page)
            shards.extend(shard for shard in split if shard)
            continue
        if len(pooled) + len(members) > size:
            shards.append(pooled)
            pooled = []
        pooled.extend(members)
    if pooled:
        shards.append(pooled)
    return shards or [[]]


def _stamp(files) -> str:
    """What a set of pages looked like: (path, (size, mtime)) pairs, hashed."""
    h = hashlib.blake2b(digest_size=16)
    for page, (size, mtime_ns) in files:
        h.update(f"{page}\0{size}\0{mtime_ns}\n".encode())
    return h.hexdigest()


def _read_stamp(stamp_file: Path | None) -> dict:
    """The site, shards, page count and page marks the index was made from ({} if
    unknown)."""
    if stamp_file is None:
        return {}
    try:
        stamp = json.loads(Path(stamp_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if isinstance(stamp, list):  # an older stamp: the shards only
        return {"shards": stamp}
    return stamp if isinstance(stamp, dict) else {}


def _write_stamp(stamp_file: Path, stamp: dict) -> None:
    """The site, shards, page count and page marks the index was made from."""
    Path(stamp_file).parent.mkdir(parents=True, exist_ok=True)
    Path(stamp_file).write_text(json.dumps(stamp, separators=(",", ":")), encoding="utf-8")


def _index_shards(runs: list[tuple[list[str], Path]], staging: Path, low_priority: bool) -> None:
    """Pagefind over each (pages, target) of `runs`, several at a time: one run keeps about
    one core busy (a shard of 600 pages: 0.9 s, 80% of a core), and its memory is bounded by
    the shard's size. The live preview's runs (`low_priority`) go one at a time. On a
    failure `staging`, where the targets are, is removed."""
    output = staging.parent
    workers = 1 if low_priority else _index_workers()
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            done = [
                pool.submit(_run_pagefind, output, pages, target, low_priority)
                for pages, target in runs
            ]
            for run in done:
                run.result()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


MAX_INDEX_WORKERS = 4  # each holds its shard's index in memory (~100 MB at SHARD_PAGES)


def _index_workers() -> int:
    wanted = os.environ.get("EXPLAINER_SEARCH_WORKERS")
    if wanted:
        return max(1, int(wanted))
    return max(1, min(os.cpu_count() or 1, MAX_INDEX_WORKERS))


def _run_pagefind(output: Path, pages: list[str], target: Path, low_priority: bool) -> None:
    """Index `pages` into `target`: Pagefind reads a folder holding just them (hard links)."""
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".pagefind-site-") as site:
        for page in pages:
            link = Path(site) / page
            link.parent.mkdir(parents=True, exist_ok=True)
            os.link(output / page, link)
        # No page marked (a theme without the marks): Pagefind indexes every page whole.
        folder = site if pages else str(output)
        result = subprocess.run(
            [str(pagefind_binary()), "--site", folder, "--output-path", str(target), "--quiet"],
            capture_output=True,
            text=True,
            check=False,
            preexec_fn=(lambda: os.nice(19)) if low_priority else None,
        )
    if result.returncode != 0 or not (target / "pagefind.js").is_file():
        detail = (result.stderr or result.stdout).strip() or f"exit status {result.returncode}"
        raise SearchIndexError(f"Pagefind could not index {output}: {detail}")


def _link_copy(source: Path, target: Path, *, top: bool) -> None:
    """A shard's bundle from the current index, hard-linked (shard 0 without the others)."""

    def ignore(folder: str, names: list[str]) -> list[str]:
        if top and Path(folder) == source:
            return [n for n in names if n.startswith("shard-") or n == SHARDS_FILE]
        return []

    shutil.copytree(source, target, ignore=ignore, copy_function=os.link, dirs_exist_ok=True)


def _pages(bundle: Path) -> int:
    return sum(1 for _ in bundle.rglob("*.pf_fragment"))


class SearchIndexer:
    """Re-indexes a site on a background thread, one run at a time.

    `request()` returns at once. A request that comes while a run is going makes one more run
    after it (never several), so the index always ends up matching the latest build.
    """

    def __init__(self, output: Path, *, log=print, stamp_file: Path | None = None) -> None:
        self.output = Path(output)
        self.log = log
        self.stamp_file = stamp_file
        self._lock = threading.Lock()
        self._pending = False
        self._running = False
        self.idle = threading.Event()
        self.idle.set()

    def request(self) -> None:
        with self._lock:
            self._pending = True
            if self._running:
                return
            self._running = True
            self.idle.clear()
        threading.Thread(target=self._run, name="search-index", daemon=True).start()

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    self._running = False
                    self.idle.set()
                    return
                self._pending = False
            try:
                report = index_site(self.output, stamp_file=self.stamp_file, low_priority=True)
            except (SearchIndexError, OSError) as error:
                print(f"search index: {error}", file=sys.stderr, flush=True)
            else:
                self.log(describe(report))


def describe(report: SearchIndexReport) -> str:
    if report.skipped:
        return f"search index: up to date ({report.pages} pages, {report.bundle})"
    shards = ""
    if report.shards > 1:
        shards = f", {report.reindexed} of {report.shards} shards indexed anew"
    return f"search index: {report.pages} pages in {report.seconds:.2f}s ({report.bundle}{shards})"
