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

Indexing costs about 2 ms and 200 KB of memory per article page (Pagefind holds the whole
index in memory), so it is skipped when the site has not changed since the last index
(`stamp_file`), and the live preview runs it at the lowest CPU priority, so it never slows
the next rebuild.

Which parts of a page are indexed is said by the theme: `data-pagefind-body` marks the pages
worth finding (articles, country and mineral pages, the glossary, about), and
`data-pagefind-ignore` the furniture inside them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

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


def site_stamp(output: Path) -> str:
    """A digest of every file of the built site (names, sizes, times), the index aside."""
    from explainer.incremental.inputs import tree_stamps

    h = hashlib.blake2b(digest_size=16)
    for rel, size, mtime in tree_stamps(output, skip_hidden=False, skip_top=OUTPUT_NAMES):
        h.update(f"{rel}\0{size}\0{mtime}\n".encode())
    return h.hexdigest()


def index_site(
    output: Path, *, stamp_file: Path | None = None, low_priority: bool = False
) -> SearchIndexReport:
    """Index every page of the built site in `output` into `output/pagefind/`.

    With `stamp_file`, a site unchanged since the index recorded there was made is not
    indexed again. `low_priority` runs Pagefind at the lowest CPU priority (`nice 19`)."""
    output = Path(output)
    if not (output / "index.html").is_file():
        raise SearchIndexError(f"{output} holds no built site (no index.html)")
    started = time.perf_counter()
    bundle = output / BUNDLE_DIR
    stamp = site_stamp(output) if stamp_file is not None else ""
    if stamp_file is not None and (bundle / "pagefind.js").is_file():
        try:
            if Path(stamp_file).read_text(encoding="utf-8") == stamp:
                return SearchIndexReport(
                    bundle, _pages(bundle), time.perf_counter() - started, skipped=True
                )
        except OSError:
            pass
    fresh = output / OUTPUT_NAMES[1]
    shutil.rmtree(fresh, ignore_errors=True)
    result = subprocess.run(
        [str(pagefind_binary()), "--site", str(output), "--output-path", str(fresh), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=(lambda: os.nice(19)) if low_priority else None,
    )
    if result.returncode != 0 or not (fresh / "pagefind.js").is_file():
        shutil.rmtree(fresh, ignore_errors=True)
        detail = (result.stderr or result.stdout).strip() or f"exit status {result.returncode}"
        raise SearchIndexError(f"Pagefind could not index {output}: {detail}")
    old = output / OUTPUT_NAMES[2]
    shutil.rmtree(old, ignore_errors=True)
    if bundle.exists():
        bundle.rename(old)
    fresh.rename(bundle)
    shutil.rmtree(old, ignore_errors=True)
    if stamp_file is not None:
        Path(stamp_file).parent.mkdir(parents=True, exist_ok=True)
        Path(stamp_file).write_text(stamp, encoding="utf-8")
    return SearchIndexReport(bundle, _pages(bundle), time.perf_counter() - started)


def _pages(bundle: Path) -> int:
    return sum(1 for _ in (bundle / "fragment").glob("*.pf_fragment"))


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
    return f"search index: {report.pages} pages in {report.seconds:.2f}s ({report.bundle})"
