"""The last build's context on disk: what a build in a fresh process renders an edited
article's page from (quick_build.py) instead of making 20,000 content objects again.

Saved by a build run from the command line once its pages are rendered, next to the build
state, and made current only when the build commits (the state then names it). The context
is pickled as it is: content objects refer to their neighbours (next and previous article,
related articles, topics and back), so the pickler goes as deep as the chain is long; it runs
on a thread with a stack to match.
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

_STACK = 1 << 30  # reserved, not committed: only the pages a deep chain touches are used
_DEPTH = 2_000_000


@dataclass
class PageJob:
    """How the writer was asked to write one page (writer.Job without the compiled
    template). Its context is usually the shared one, pickled once."""

    relative: str
    template: str
    context: dict
    page_name: str
    relative_urls: bool
    extra: dict
    localsiteurl: Any


@dataclass
class FeedJob:
    """A feed the writer was asked to write (the arguments of Writer.write_feed)."""

    elements: list
    context: dict
    path: str
    url: str | None
    feed_type: str
    override_output: bool
    feed_title: str | None


@dataclass
class SavedContext:
    build_id: bytes  # the build (BuildState.build_id) this context belongs to
    context: dict
    pages: dict[str, PageJob]  # every page the writer wrote, by output path
    feeds: list[FeedJob]

    def article_pages(self) -> dict[str, list[PageJob]]:
        """An article's source path -> its own pages."""
        pages: dict[str, list[PageJob]] = {}
        for job in self.pages.values():
            source = getattr(job.extra.get("article"), "source_path", None)
            if source is not None:
                pages.setdefault(source, []).append(job)
        return pages


def pages_naming(saved: SavedContext, env, names: set[str]) -> dict[str, PageJob] | None:
    """The saved pages whose templates name one of the shared context's variables `names`
    (the tags index names `tags`) without being given their own; None if a template's names
    are not known."""
    from explainer.site.incremental import fingerprint

    names_of: dict[str, frozenset | None] = {}
    cache: dict = {}
    pages = {}
    for relative, job in saved.pages.items():
        if job.template not in names_of:
            info = fingerprint.template_info(env, env.get_template(job.template), cache)
            names_of[job.template] = None if info.names is None else frozenset(info.names)
        named = names_of[job.template]
        if named is None:
            return None
        if any(name in named and name not in job.extra for name in names):
            pages[relative] = job
    return pages


def page_path(staging: str, page_name: str) -> str:
    """The output path (relative, with /) Pelican's writer gives `page_name`."""
    from pelican.utils import sanitised_join

    path = os.path.relpath(sanitised_join(staging, page_name), staging)
    return path.replace(os.sep, "/")


def jobs_of(jobs: dict) -> dict[str, PageJob]:
    """The writer's jobs (output path -> writer.Job) as they are saved."""
    return {
        relative: PageJob(
            job.relative,
            job.template.name,
            job.context,
            job.page_name,
            job.relative_urls,
            job.extra,
            job.localsiteurl,
        )
        for relative, job in jobs.items()
    }


def save(path: Path, saved: SavedContext) -> bool:
    """Write `saved` to `path`; False (and nothing written) if something in the context
    cannot be pickled: the next build then makes its context through Pelican."""
    tmp = path.with_name(path.name + ".part")
    failure: list[BaseException] = []

    def dump() -> None:
        try:
            with tmp.open("wb") as handle:
                pickle.dump(saved, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException as error:  # reported below, on the caller's thread
            failure.append(error)

    path.parent.mkdir(parents=True, exist_ok=True)
    _deep(dump)
    if failure:
        tmp.unlink(missing_ok=True)
        path.unlink(missing_ok=True)
        logger.debug("the build's context was not saved: %r", failure[0])
        return False
    return True


def load(path: Path, build_id: bytes) -> SavedContext | None:
    """The context saved by build `build_id`, or None."""
    found: list[Any] = []

    def read() -> None:
        try:
            with path.open("rb") as handle:
                found.append(pickle.load(handle))
        except Exception as error:  # missing, or made by other code: no quick build
            logger.debug("no saved context: %r", error)

    _deep(read)
    saved = found[0] if found else None
    if not isinstance(saved, SavedContext) or saved.build_id != build_id:
        return None
    return saved


def _deep(work) -> None:
    """Run `work` on a thread whose stack and recursion limit fit a long chain of objects."""
    limit, size = sys.getrecursionlimit(), threading.stack_size()
    sys.setrecursionlimit(max(limit, _DEPTH))
    try:
        threading.stack_size(_STACK)
        thread = threading.Thread(target=work, name="saved-context")
        thread.start()
        thread.join()
    finally:
        threading.stack_size(size)
        sys.setrecursionlimit(limit)
