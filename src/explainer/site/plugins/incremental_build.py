"""Pelican plugin: incremental, parallel builds (see explainer/site/incremental/ and its README).

- `get_writer`: the IncrementalWriter, which skips pages whose inputs did not change and
  renders the rest on every core.
- `generator_init`: every reader of every generator answers from a cache keyed on the source
  file's stamp; the article and page generators read all their files in parallel (in a
  build from the command line, in the background while the generator makes its objects).

Plugins need do nothing to be covered: whatever they pass to `writer.write_file` (variables,
objects, lists) and whatever they attach to articles is part of each page's signature. A
plugin that reads data files outside its own package declares them with
`explainer.site.incremental.depends_on(path)`.
"""

from __future__ import annotations

import os

from pelican import signals
from pelican.generators import ArticlesGenerator, CachingGenerator, PagesGenerator

from explainer.site import pelican_seams
from explainer.site.incremental import derived, jinja_modules, reading, timings
from explainer.site.incremental.objects import reuse_objects
from explainer.site.incremental.session import check_cancel, current
from explainer.site.incremental.writer import get_writer


def _cached_read(reader):
    original = reader.read

    def read(source_path):
        if reading.enabled():
            hit = reading.CACHE.get(source_path, reader.settings)
            if hit is not None:
                return hit
            stamp = reading.stamp(source_path)
            content, metadata = original(source_path)
            reading.CACHE.put(source_path, stamp, content, reading.pack_metadata(metadata))
            return content, metadata
        return original(source_path)

    read.__wrapped__ = original
    return read


def wrap_readers(generator) -> None:
    jinja_modules.install(generator.env)
    for reader in generator.readers.readers.values():
        if not hasattr(reader.read, "__wrapped__"):
            reader.read = _cached_read(reader)
    if _reads_in_background():
        # Reading starts now: the checks made at the generator's init (the validate plugin)
        # run while the files are read, not before
        _start_reading(generator)


def keep_objects(generator) -> None:
    """In the live-preview worker, articles and pages of unchanged files are not rebuilt."""
    session = current()
    if (
        session is not None
        and session.objects is not None
        and isinstance(generator, CachingGenerator)
    ):
        reuse_objects(generator, session.objects.setdefault(type(generator).__name__, {}))
    if not _reads_in_background():  # else reading started at generator_init
        _start_reading(generator)


def _reads_in_background() -> bool:
    """A build from the command line makes each content object while the next files are read
    (at 20,000 articles reading took 26 s and making the objects 25 s, one after the other)."""
    session = current()
    return session is not None and session.one_shot


def _start_reading(generator) -> None:
    if isinstance(generator, ArticlesGenerator):
        _prefetch(generator, "ARTICLE_PATHS", "ARTICLE_EXCLUDES")
    elif isinstance(generator, PagesGenerator):
        _prefetch(generator, "PAGE_PATHS", "PAGE_EXCLUDES")


def _prefetch(generator, paths_key: str, excludes_key: str) -> None:
    if not reading.enabled():
        return
    session = current()
    if session is not None and session.objects and session.objects.get(type(generator).__name__):
        # The worker keeps this generator's objects: Pelican checks each file's stamp itself
        # and reads only changed files, through the cached reader.
        return
    settings = generator.settings
    files = generator.get_files(settings[paths_key], exclude=settings[excludes_key])
    by_reader: dict[str, list[str]] = {}
    # In the order the generator will ask for them (Pelican's set of files, made the same
    # way), so that in the background each is read by the time it is asked for.
    for relative in files:
        ext = os.path.splitext(relative)[1][1:]
        if ext in generator.readers.readers:
            by_reader.setdefault(ext, []).append(
                os.path.abspath(os.path.join(generator.path, relative))
            )
    workers = session.workers if session else 1
    background = _reads_in_background()
    for ext, paths in by_reader.items():
        reader = generator.readers.readers[ext]
        read = getattr(reader.read, "__wrapped__", reader.read)
        count = reading.prefetch(paths, read, workers, background=background)
        _count_reads(count)
        timings.mark(f"read {count} of {len(paths)} .{ext} files{' (started)' * background}")


def _count_reads(count: int) -> None:
    """Content files read afresh up front, not answered by the read cache (the build's
    report says how many)."""
    session = current()
    if session is not None:
        session.stats["read"] = session.stats.get("read", 0) + count


def drop_read_cache(generators) -> None:
    """A one-shot build has read everything it needs: save the cache for the next build and
    free it before rendering (the live-preview worker keeps it in memory instead)."""
    session = current()
    if session is None or session.one_shot:
        if session is not None and session.read_cache is not None:
            reading.CACHE.save(session.read_cache, session.read_cache_key)
            derived.save(session.read_cache.with_suffix(".derived"), session.read_cache_key)
            timings.mark("read cache saved")
        reading.CACHE.clear()
    derived.release()  # the content objects hold what they need


def stop_if_asked(generator) -> None:
    """Between the steps of Pelican's article generator that take ~0.1 s each at 20,000
    articles (ordering, taxonomies, the plugins' handlers): a newer save in the live preview
    stops the build there rather than at the end of them all."""
    check_cancel()


def register() -> None:
    reading.enable()
    pelican_seams.linear_translations()
    pelican_seams.memoised_source_paths()
    signals.get_writer.connect(get_writer)
    signals.generator_init.connect(wrap_readers)
    # After CachingGenerator.__init__ has set up its (empty) cache:
    signals.article_generator_init.connect(keep_objects)
    signals.page_generator_init.connect(keep_objects)
    signals.all_generators_finalized.connect(drop_read_cache)
    signals.article_generator_finalized.connect(pelican_seams.constant_time_membership)
    signals.article_generator_pretaxonomy.connect(stop_if_asked)
    signals.article_generator_finalized.connect(stop_if_asked)
