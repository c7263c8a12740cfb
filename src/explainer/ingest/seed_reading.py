"""Reading seeds for ingestion: each seed extracted (decoded, read, enriched) and fingerprinted,
in seed order, on every core when there are many.

Reading and enrichment are four fifths of a seed's ingestion time and need nothing but the
seed, so a large batch is read by a pool of forked processes while the parent matches stories
and writes articles in order; the output is the same as reading one seed after another."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

from explainer.ingest.extract import extract_article
from explainer.ingest.seed_file import SeedError
from explainer.ingest.story_fingerprint import Fingerprint, fingerprint_body
from explainer.model import Article

# Below this many seeds, starting the processes costs more than it saves.
PARALLEL_FROM = 200
# Seeds handed to a process at a time: enough to keep the pipe's cost small, few enough that
# the parent, which writes in seed order, does not wait long for the first ones.
CHUNK = 8


@dataclass
class SeedRead:
    path: Path
    article: Article | None = None
    fingerprint: Fingerprint | None = None
    error: str = ""  # why the seed could not be read (article is None)


def read_seeds(paths: list[Path], fingerprints: bool) -> Iterator[SeedRead]:
    """Each seed read, in the order given. `EXPLAINER_INGEST_WORKERS=1` reads them one by one."""
    workers = _workers(len(paths))
    if workers < 2:
        yield from (read_seed_for_ingest(path, fingerprints) for path in paths)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(read_seed_for_ingest, paths, repeat(fingerprints), chunksize=CHUNK)


def describe_error(error: Exception) -> str:
    """The message for a seed that cannot be read, without Python's decoration."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def read_seed_for_ingest(path: Path, fingerprints: bool) -> SeedRead:
    try:
        article = extract_article(path)
    except (SeedError, OSError, UnicodeError) as error:
        return SeedRead(path, error=describe_error(error))
    except Exception as error:  # a bug, but one seed must not stop the others
        return SeedRead(
            path, error=f"could not be read: {type(error).__name__}: {error} (a bug in explainer)"
        )
    found = fingerprint_body(article.seed.body) if fingerprints else None
    return SeedRead(path, article, found)


def _workers(seeds: int) -> int:
    wanted = os.environ.get("EXPLAINER_INGEST_WORKERS")
    if wanted:
        count = max(1, int(wanted))
    elif seeds < PARALLEL_FROM:
        return 1
    else:
        count = os.cpu_count() or 1
    # A fork copies only the calling thread: with other threads running (the live preview's
    # server), a child could inherit a lock one of them held. Read in this process then.
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return 1
    return count
