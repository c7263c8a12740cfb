"""A build in a fresh process when only articles' text changed (one edit deployed from CI):
their pages are rendered from the last build's saved context (saved_context.py) instead of
making every content object of the site again through Pelican.

It applies when, since the last build run from the command line:
- only files of the content folder changed (none added or removed; theme, settings, code and
  declared data files as they were), at most MAX_FILES of them, and output/ is as that build
  left it (ingestion's manifest does not count: no build step reads it, and ingestion
  rewrites it when a person edits an article it made);
- each changed file is an article whose metadata, as read and enriched, is what it was, and
  which, made again from its new text (article_remake.py: the plugins that work on new
  content objects run), differs from the saved one only in its body: the same fingerprint
  without bodies (fingerprint.py) that decides whether any other page shows it;
- no page of that build read another article's body (a feed-like listing), and the article's
  own pages, rendered again, read none either.
Then its own pages, and the feeds that list it (they carry its text), are all that can
change: they are rendered, compared with output/ and committed, and the state records them.
Anything else, including a file that does not pass validation (the full build says what is
wrong, and where), goes to the full build.
"""

from __future__ import annotations

import gc
import logging
import os
import time
from pathlib import Path

from explainer.ingest.ingestion import MANIFEST_NAME
from explainer.site import output_sync
from explainer.site.incremental import inputs, reading, saved_context, timings
from explainer.site.incremental.session import BuildSession, PageRecord, open_session

logger = logging.getLogger(__name__)

MAX_FILES = 25


def build_edited_articles(build, now: inputs.SourceStamps, now_other: bytes, result):
    """`result` (an empty runner.BuildResult) filled in after committing the edited
    articles' pages, or None when this build needs the full path (see the module's
    docstring). `now`/`now_other`: the sources' stamps and the other inputs' digest, taken
    before anything is read."""
    # The saved context is a million small objects, all alive until the end: collecting
    # garbage while they are made would walk them again and again (3 of 6 s at 20,000).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(build, now, now_other, result)
    finally:
        if enabled:
            gc.enable()


def _build(build, now: inputs.SourceStamps, now_other: bytes, result):
    started = time.perf_counter()
    state = build.state
    changed = _changed_files(state, now, now_other)
    if not changed or not state.output_matches(build.output):
        return None
    if any(_reads_other_bodies(r.signature) for r in state.files.values()):
        return None
    content, _theme = build.paths_from_state()
    sources = [os.path.join(str(content), rel) for rel in changed]
    session = BuildSession(output_dir=build.output, staging_dir=build.staging)
    open_session(session)
    try:
        pages = _pages(build, sources)
    except Exception as error:  # the full build makes the same pages, and says what failed
        logger.debug("quick build: %r; building in full", error)
        pages = None
    finally:
        open_session(None)
    if pages is None:
        return None
    _commit(build, pages, result)
    result.read = len(sources)
    state.inputs = inputs.with_content(now_other, now.content)
    state.content_stamps = now.content
    state.save(build.state_path)
    result.output_files = state.file_stamps()
    result.seconds = time.perf_counter() - started
    timings.mark("quick build: committed")
    return result


def _changed_files(state, now: inputs.SourceStamps, now_other: bytes) -> list[str] | None:
    if not state.build_id or not state.content_stamps or now_other != state.other_inputs:
        return None
    if now.content.keys() != state.content_stamps.keys():
        return None  # a file added or removed: listings change
    changed = [
        rel
        for rel, stamp in now.content.items()
        if state.content_stamps[rel] != stamp and rel != MANIFEST_NAME
    ]
    return changed if 0 < len(changed) <= MAX_FILES else None


def _pages(build, sources: list[str]) -> dict[str, bytes] | None:
    """Every page (and feed) of the edited articles; None when one of them changed more
    than its text. What each file now reads as is checked before the saved context is
    loaded: most edits that need the full build are found without it."""
    from explainer.site.incremental import pelican_run

    settings = pelican_run.IncrementalPelican(pelican_run.load_settings(build)).settings
    if not settings.get("QUICK_BUILD", True) or _problems(settings, sources):
        return None
    edits = _edits(build, settings, sources)
    if edits is None:
        return None
    saved = saved_context.load(build.context_path, build.state.build_id)
    if saved is None:
        return None
    # Its objects refer to each other (article -> context -> articles): only a collection
    # would free them, walking a million objects to do so (1.5 s at 20,000 articles). When
    # the pages are made, they live as long as the process, which ends soon: no collection
    # looks at them again; otherwise they are freed before the full build starts.
    gc.freeze()
    timings.mark("quick build: context loaded")
    pages = None
    try:
        pages = _render(build, settings, saved, edits)
    finally:
        if pages is None:
            del saved
            gc.unfreeze()
            gc.collect()
    return pages


def _edits(build, settings: dict, sources: list[str]) -> dict[str, tuple[str, str]] | None:
    """source -> (the text it was built from, its text now), for files whose metadata, as
    read now, is what the last build read; None when one of them changed more."""
    from pelican.readers import Readers

    reading.CACHE.load_some(build.read_cache_path, build.state.read_cache_key, sources)
    try:
        readers = Readers(settings).readers
        edits: dict[str, tuple[str, str]] = {}
        for source in sources:
            built = reading.CACHE.peek(source)
            reader = readers.get(os.path.splitext(source)[1][1:])
            if built is None or reader is None:
                return None
            text, metadata = reader.read(source)
            if reading.pack_metadata(metadata) != built[2]:
                return None  # what the article is changed: listings, topics... show it
            edits[source] = (built[1], text)
        return edits
    finally:
        # The full build loads the whole saved cache only into an empty one: left here,
        # these entries would make it read every other file of the site again.
        reading.CACHE.clear()


def _render(build, settings: dict, saved, edits: dict[str, tuple[str, str]]):
    """The edited articles' pages and feeds, rendered from the saved context."""
    from pelican.generators import Generator

    from explainer.site.incremental.article_remake import remade
    from explainer.site.incremental.writer import Job, render_job_noting_bodies

    if any(source not in saved.pages for source in edits):
        return None
    context = saved.context
    generator = Generator(
        context, settings, settings["PATH"], settings["THEME"], settings["OUTPUT_PATH"]
    )
    pages: dict[str, bytes] = {}
    remade_articles: dict[int, object] = {}  # id of the saved article -> the one made afresh
    for source, (old_text, text) in edits.items():
        jobs = saved.pages[source]
        article = jobs[0].extra["article"]
        fresh = remade(article, old_text, text, context)
        if not _same_but_body(article, fresh):
            return None
        remade_articles[id(article)] = fresh
        for page in jobs:
            job = Job(
                -1,
                page.relative,
                str(build.staging / page.relative),
                generator.env.get_template(page.template),
                context,
                page.page_name,
                page.relative_urls,
                {**page.extra, "article": fresh},
                page.localsiteurl,
            )
            data, read_other_bodies = render_job_noting_bodies(job)
            if read_other_bodies:
                return None
            pages[page.relative] = data
    feeds = _feeds(build, saved, settings, remade_articles)
    if feeds is None:
        return None
    timings.mark(f"quick build: {len(pages)} pages and {len(feeds)} feeds rendered")
    return {**pages, **feeds}


def _feeds(build, saved, settings: dict, remade_articles: dict[int, object]):
    """The feeds that list an edited article, written again with it (None if two feeds
    were written to one file: which one Pelican kept is its writer's business)."""
    from pelican.utils import sanitised_join
    from pelican.writers import Writer

    paths = [feed.path for feed in saved.feeds]
    if len(set(paths)) != len(paths):
        return None
    writer = Writer(str(build.staging), settings=settings)
    feeds: dict[str, bytes] = {}
    for feed in saved.feeds:
        if not any(id(item) in remade_articles for item in feed.elements):
            continue
        elements = [remade_articles.get(id(item), item) for item in feed.elements]
        writer.write_feed(elements, feed.context, feed.path, feed.url, feed.feed_type,
                          feed.override_output, feed.feed_title)  # fmt: skip
        written = Path(sanitised_join(str(build.staging), feed.path))
        feeds[written.relative_to(build.staging).as_posix()] = written.read_bytes()
        written.unlink()
    return feeds


def _problems(settings: dict, sources: list[str]) -> bool:
    from explainer.site.plugins import validate

    base = settings["PATH"]
    return bool(validate.problems_in(base, [os.path.relpath(s, base) for s in sources], settings))


def _same_but_body(old, fresh) -> bool:
    from explainer.site.incremental.fingerprint import Fingerprinter

    return Fingerprinter(bodies=False).of(old) == Fingerprinter(bodies=False).of(fresh)


def _reads_other_bodies(signature: bytes | None) -> bool:
    from explainer.site.incremental.writer import reads_other_bodies

    return reads_other_bodies(signature)


def _commit(build, pages: dict[str, bytes], result) -> None:
    state = build.state
    result.rendered, result.quick = len(pages), True
    for relative, data in pages.items():
        target = build.output / relative
        if output_sync.holds(target, data):
            continue
        staged = Path(build.staging / relative)
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(data)
        output_sync.replace(staged, target)
        result.changed += 1
        result.changed_paths.append(relative)
        st = target.stat()
        # No signature: the next full build renders the page again rather than trust one
        # computed without the whole site's context.
        state.files[relative] = PageRecord(None, st.st_size, st.st_mtime_ns)
    state.record_dirs(build.output, result.changed_paths)  # a replaced file changes its folder
    result.unchanged = len(state.files) - result.changed
