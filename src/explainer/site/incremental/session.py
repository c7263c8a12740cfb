"""What one build knows beyond Pelican's settings: where the live output is, what the last
build wrote (page signatures), which extra files plugins said they read.

The build runner (and the live-preview worker) opens a session before running Pelican; the
writer and the plugin read it. Without a session (plain `pelican` on the command line) the
writer renders every page as Pelican does, straight into the output folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from blinker import signal

from explainer.site.incremental.inputs import file_digest

# Sent (with the Pelican object) once every generator has written its output and the static
# files are in the staging folder, before the pages are rendered: a plugin that post-processes
# static files in `finalized` (minifying a stylesheet) does it here too, so the live preview,
# which sends a changed stylesheet to the browser as soon as it is there, sends the final one.
# The preview's worker also sends it before a build, with an object holding `settings` and an
# `output_path` that holds only the theme files saved since the last build (worker.py).
static_ready = signal("explainer.static_ready")


@dataclass
class PageRecord:
    """A file the last successful build left in output/: its page signature and stat."""

    signature: bytes | None  # None: not made by the writer (static copies, plugin files)
    size: int
    mtime_ns: int


@dataclass
class BuildSession:
    output_dir: Path  # the live output folder: compared against, never written during the build
    staging_dir: Path  # Pelican's OUTPUT_PATH for this build: changed files land here
    previous: dict[str, PageRecord] = field(default_factory=dict)
    code_digest: bytes = b""
    defer: bool = False  # collect pages and render them at the end, on every core
    workers: int = 1
    priority: set[str] = field(default_factory=set)  # pages to render first (open in a browser)
    on_priority: object = None  # callable(dict[str, bytes]) once the priority pages are rendered
    extra_inputs: set[str] = field(default_factory=set)
    # each declared file's digest when it was declared (what this build's objects were made from)
    input_digests: dict[str, bytes] = field(default_factory=dict)
    # content objects kept between builds (the live-preview worker): generator name -> store
    objects: dict[str, dict] | None = None
    # where what was read is saved for the next build, and the code+settings it belongs to
    read_cache: Path | None = None
    read_cache_key: bytes = b""
    # the live-preview worker: every article page's render job, kept with this build's
    # context (not emptied at the end) for a quick re-render after a text-only save
    quick_jobs: dict | None = None
    # a build from the command line: where its context is saved for a quick build of edited
    # articles in the next process (saved_context.py), and the id the state will carry
    context_file: Path | None = None
    saved_jobs: dict | None = None  # and every page's render job (output path -> writer.Job)
    feed_jobs: list | None = None  # and the feeds it writes (writer.write_feed)
    build_id: bytes = b""
    # called once every content file is read: what the build makes from then on lives to its
    # end, and the runner holds garbage collections off until then (collection.py)
    after_reading: Callable[[], Any] = lambda: None
    # called with the build's shared context as soon as it is made (the worker lets it go
    # itself once the build is over, finished or not: objects.dismantle)
    started: Callable[[dict], Any] = lambda context: None
    # filled by the writer: output path -> (status, signature); status is "written"
    # (new bytes in staging), "same" (rendered, equal to output/) or "kept" (not rendered)
    pages: dict[str, tuple[str, bytes | None]] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def one_shot(self) -> bool:
        """A build from the command line: no later build in this process reuses what it holds
        (the live-preview worker keeps content objects, and caches, between builds)."""
        return self.objects is None

    def previous_is_intact(self, relative: str) -> PageRecord | None:
        """The record for a page if output/ still holds exactly what the last build wrote."""
        record = self.previous.get(relative)
        if record is None or record.signature is None:
            return None
        try:
            stat = os.stat(self.output_dir / relative)
        except OSError:
            return None
        if stat.st_size != record.size or stat.st_mtime_ns != record.mtime_ns:
            return None
        return record


_current: BuildSession | None = None
_cancel = False


class BuildCancelled(Exception):
    """A newer change arrived: this build stopped early and committed nothing."""


def request_cancel() -> None:
    """Ask the build in progress to stop (the live-preview worker calls this on SIGUSR1)."""
    global _cancel
    _cancel = True


def clear_cancel() -> None:
    global _cancel
    _cancel = False


def check_cancel() -> None:
    if _cancel:
        raise BuildCancelled("a newer change arrived")


def current() -> BuildSession | None:
    return _current


def open_session(session: BuildSession | None) -> None:
    global _current
    _current = session


_KEPT: list = []  # the caches registered with kept_between_builds()


def kept_between_builds(cache):
    """Register a module-level cache (a dict, or anything with `clear()`) that only a later
    build in the same process reuses: the live preview's worker keeps it; a build from the
    command line empties it once the site's context is complete, before its pages render."""
    _KEPT.append(cache)
    return cache


def release_kept() -> None:
    """Empty every cache registered with kept_between_builds() (a one-shot build renders
    without them)."""
    for cache in _KEPT:
        cache.clear()


def depends_on(path: str | os.PathLike) -> None:
    """Declare that this build's pages depend on a file outside content/, theme/ and the code.

    For plugins that read data files of their own (a CSV of production figures, say): the
    file's bytes join every page's signature, the next no-op check stamps it, and the live
    preview rebuilds when it changes. Files inside a plugin's own package are already covered.
    Declare it before reading it (`initialized` is a good place): the live-preview worker
    rebuilds the content objects it keeps when a file declared by the build that made them
    has changed since (a plugin may have used the file while they were made).
    """
    if _current is not None:
        full = os.path.abspath(path)
        _current.extra_inputs.add(full)
        if full not in _current.input_digests:
            _current.input_digests[full] = file_digest(full)
