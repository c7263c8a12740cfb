"""A build in a fresh process when only articles' text, title, summary, tags, countries,
minerals or Focus changed (one edit deployed from CI): the pages that show them are rendered
from the last full build's saved context (saved_context.py) instead of making every content
object of the site again through Pelican.

It applies when, since the last full build run from the command line (the one that saved the
context; each quick build applies every edit made since, so they build on each other):
- only files of the content folder changed (none added or removed; theme, settings, code and
  declared data files as they were), at most MAX_FILES of them, and output/ is as the last
  build left it (ingestion's manifest does not count: no build step reads it, and ingestion
  rewrites it when a person edits an article it made);
- each changed file is an article whose metadata, as read and enriched, is what it was, or
  differs in its title or summary (SHOWN_FIELDS: what pages show of it, not which pages
  show it; not with typogrify, which rewrites those fields) or its tags (TAG_FIELDS) only;
- made again from its new text and fields (article_remake.py: the plugins that work on new
  content objects run), it differs from the saved one in its body, or in those fields, only:
  its slug, address, topics, date and so its place in every list stay;
- for a new text: no page of that build read another article's body (a feed-like listing),
  and no page rendered again reads one either;
- for a new title, summary or tags: the state names what every page read (writer.read_keys;
  redirect pages aside), and no redirect page points to the article (it shows the title);
- for new tags: every tag the site had still lists an article and no tag is new
  (retagging.py); a tag's page more or less is added or deleted, but for a published site
  (its sitemap lists every page);
- for new countries, minerals or Focus (fields a plugin relists): the lists made from them
  are made again without a page more or less, and what changed in them changes no more
  than what the pages that read it count (relisting.py).
Then the article's own pages, the pages that read it (its cards, its neighbours' links...),
the feeds that list it, for new tags every page and feed of the tags it left or joined and
the tags index, for new topics the pages of the topics whose lists changed and the pages
that read what the lists changed, and every file an earlier quick build since that full
build changed for an article edited again since (or put back) are all that can change:
they are rendered, compared with output/ and committed, and the state records what each
one read. Anything else, including a file that does not pass validation (the full build
says what is wrong, and where), goes to the full build.
"""

from __future__ import annotations

import gc
import logging
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from explainer.ingest.ingestion import MANIFEST_NAME
from explainer.site import output_sync, pelican_seams, search_view
from explainer.site.incremental import (
    collection,
    fingerprint,
    inputs,
    reading,
    relisting,
    retagging,
    saved_context,
    timings,
)
from explainer.site.incremental.session import BuildSession, PageRecord, open_session
from explainer.site.plugins.sitemap import writes_sitemap

logger = logging.getLogger(__name__)

MAX_FILES = 25
# An edit of these fields changes what pages show of an article, not which pages show it.
SHOWN_FIELDS = frozenset({"title", "summary"})
# These change which tag pages list it, not its place in any list (retagging.py).
TAG_FIELDS = frozenset({"tags"})
# What remaking an article with new SHOWN_FIELDS may change (Pelican keeps the summary twice).
_SHOWN_ATTRIBUTES = SHOWN_FIELDS | {"metadata", "_summary"}
_MISSING = object()


def build_edited_articles(build, now: inputs.SourceStamps, now_other: bytes, result):
    """`result` (an empty runner.BuildResult) filled in after committing the edited
    articles' pages, or None when this build needs the full path (see the module's
    docstring). `now`/`now_other`: the sources' stamps and the other inputs' digest, taken
    before anything is read."""
    # The saved context is a million small objects, all alive until the end: collecting
    # garbage while they are made would walk them again and again (3 of 6 s at 20,000).
    with collection.paused():
        return _build(build, now, now_other, result)


def _build(build, now: inputs.SourceStamps, now_other: bytes, result):
    started = time.perf_counter()
    state = build.state
    changed = _changed_files(state, now, now_other)
    if not changed or not state.output_matches(build.output):
        return None
    content, _theme = build.paths_from_state()
    sources = [os.path.join(str(content), rel) for rel in changed]
    session = BuildSession(output_dir=build.output, staging_dir=build.staging)
    open_session(session)
    try:
        pages = _pages(build, sources, _earlier(state, now, changed))
    except Exception as error:  # the full build makes the same pages, and says what failed
        logger.debug("quick build: %r; building in full", error)
        pages = None
    finally:
        open_session(None)
    if pages is None:
        return None
    _commit(build, pages, result)
    for relative in result.changed_paths:
        state.quick_paths[relative] = sorted({*state.quick_paths.get(relative, ()), *changed})
    state.quick_stamps = {rel: now.content[rel] for rel in changed}
    result.read = len(sources)
    # state.content_stamps stay those of the build that saved the context: the next quick
    # build starts from that context again, so it applies this edit too.
    state.inputs = inputs.with_content(now_other, now.content)
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


def _earlier(state, now: inputs.SourceStamps, changed: list[str]) -> list[str]:
    """The files earlier quick builds changed for a content file edited since (or put back
    as the full build read it): made again with every edit, they show what it is now."""
    fresh = {
        rel
        for rel in {*changed, *state.quick_stamps}
        if now.content.get(rel) != state.quick_stamps.get(rel)
    }
    return [path for path, files in state.quick_paths.items() if not fresh.isdisjoint(files)]


def _pages(
    build, sources: list[str], earlier: list[str]
) -> dict[str, tuple[bytes, bytes | None]] | None:
    """Every page (and feed) that shows the edited articles, with its signature; None when
    one of them changed more than _edits and _changed_articles allow. What each file now
    reads as is checked before the saved context is loaded: most edits that need the full
    build are found without it."""
    from explainer.site.incremental import pelican_run

    settings = pelican_run.IncrementalPelican(pelican_run.load_settings(build)).settings
    if not settings.get("QUICK_BUILD", True) or _problems(settings, sources):
        return None
    edits = _edits(build, settings, sources)
    if edits is None:
        return None
    if _new_text(edits) and _a_page_read_other_bodies(build.state):
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
        pages = _render(build, settings, saved, edits, earlier)
    finally:
        if pages is None:
            del saved
            gc.unfreeze()
            gc.collect()
    return pages


@dataclass
class _Edit:
    built_text: str  # the article's text as the last full build read it
    text: str  # and as it reads now
    fields: dict  # the SHOWN_FIELDS that read differently now, with their new values


def _new_text(edits: dict[str, _Edit]) -> bool:
    return any(edit.text != edit.built_text for edit in edits.values())


def _a_page_read_other_bodies(state) -> bool:
    from explainer.site.incremental.writer import reads_other_bodies

    return any(reads_other_bodies(record.signature) for record in state.files.values())


def _edits(build, settings: dict, sources: list[str]) -> dict[str, _Edit] | None:
    """source -> its edit since the last full build; None when one of them changed more
    than its text and its SHOWN_FIELDS."""
    from pelican.readers import Readers

    reading.CACHE.load_some(build.read_cache_path, build.state.read_cache_key, sources)
    try:
        readers = Readers(settings).readers
        edits: dict[str, _Edit] = {}
        for source in sources:
            built = reading.CACHE.peek(source)
            reader = readers.get(os.path.splitext(source)[1][1:])
            if built is None or reader is None:
                return None
            text, metadata = reader.read(source)
            fields = _changed_fields(metadata, built[2])
            if fields is None or (fields and settings["TYPOGRIFY"]):
                return None  # what the article is changed: listings, topics... show it
            edits[source] = _Edit(built[1], text, fields)
        return edits
    finally:
        # The full build loads the whole saved cache only into an empty one: left here,
        # these entries would make it read every other file of the site again.
        reading.CACHE.clear()


def _changed_fields(metadata: dict, built: list) -> dict | None:
    """The fields of `metadata` (as read now) whose values differ from `built` (as the last
    full build read them, packed), if they are all SHOWN_FIELDS; else None."""
    now, then = dict(reading.pack_metadata(metadata)), dict(built)
    if now.keys() != then.keys():
        return None
    changed = {name for name, value in now.items() if value != then[name]}
    if not changed <= SHOWN_FIELDS | TAG_FIELDS | relisting.fields():
        logger.debug("quick build: %s changed; building in full", ", ".join(sorted(changed)))
        return None
    return {name: metadata[name] for name in changed}


def _render(build, settings: dict, saved, edits: dict[str, _Edit], earlier: list[str]):
    """The pages and feeds that show the edited articles, and the files `earlier` (quick
    builds before changed them), rendered from the saved context once the articles in it
    are remade."""
    from pelican.generators import Generator

    context = saved.context
    keys = {id(content): key for key, content in fingerprint.contents_by_key(context).items()}
    found = _changed_articles(build, settings, saved, edits, keys)
    if found is None:
        return None
    wanted, edited = found
    # What earlier quick builds changed for a file edited since, made again with every edit
    # (so an undone edit is undone); what this one finds comes on top.
    wanted = {rel: saved.pages[rel] for rel in earlier if rel in saved.pages} | wanted
    feed_paths = {feed.path for feed in saved.feeds} & set(earlier)
    # pages an earlier quick build added (a tag's list grew past a page): gone unless made again
    gone = {rel for rel in earlier if rel not in saved.pages} - feed_paths
    generator = Generator(
        context, settings, settings["PATH"], settings["THEME"], settings["OUTPUT_PATH"]
    )
    if any(edit.fields.keys() & TAG_FIELDS for edit in edits.values()):
        retagged = retagging.retagged_pages(saved, settings, generator.env, str(build.staging))
        if retagged is None:
            logger.debug("quick build: the tags' pages change; building in full")
            return None
        wanted.update(retagged[0])
        feed_paths |= retagged[1]
        gone |= retagged[2]
    edited_fields = {name for edit in edits.values() for name in edit.fields}
    if edited_fields & relisting.fields():
        relisted = _relisted(build, settings, saved, generator.env, edited_fields, edited)
        if relisted is None:
            logger.debug("quick build: the lists made again change pages; building in full")
            return None
        wanted.update(relisted[0])
        feed_paths |= relisted[1]
        gone |= relisted[2]
    gone -= wanted.keys()
    for relative in gone:
        wanted.pop(relative, None)
    if (gone or any(rel not in saved.pages for rel in wanted)) and writes_sitemap(settings):
        return None  # the sitemap lists every page: the full build writes it
    timings.mark(f"quick build: {len(wanted)} pages to render")
    pages = _rendered(build, generator, wanted, keys, _new_text(edits))
    if pages is None:
        return None
    feeds = _feeds(build, saved, settings, edited, feed_paths)
    if feeds is None:
        return None
    timings.mark(f"quick build: {len(pages)} pages and {len(feeds)} feeds rendered")
    removed = {relative: (None, None) for relative in gone}
    return {**pages, **{path: (data, None) for path, data in feeds.items()}, **removed}


def _rendered(build, generator, wanted: dict, keys: dict, new_text: bool):
    """Each wanted page's bytes and signature, on every core (build.workers) when there are
    enough of them (a country's 300 pages); None if one read another article's body while
    an article's text is new."""
    from explainer.site.incremental.writer import (
        Chunks,
        Job,
        child_report,
        fork_worker,
        stop_workers,
    )

    jobs = [
        Job(-1, page.relative, str(build.staging / page.relative),
            generator.env.get_template(page.template), page.context, page.page_name,
            page.relative_urls, page.extra, page.localsiteurl)
        for page in wanted.values()
    ]  # fmt: skip
    workers = max(1, min(build.workers, len(jobs) // MIN_SHARE))
    chunks = Chunks(jobs)
    children = [
        fork_worker(lambda: _render_share(chunks.taken(), keys)) for _ in range(workers - 1)
    ]
    try:
        results = _render_share(chunks.taken(), keys)
    except BaseException:
        stop_workers(children)
        raise
    for child in children:
        kind, value = child_report(*child)
        if kind != "ok":
            raise RuntimeError(value)  # the full build renders it again, and says what failed
        results.update(value)
    if new_text and any(read_other for _data, read_other, _sig in results.values()):
        return None
    return {relative: (data, sig) for relative, (data, _read, sig) in results.items()}


MIN_SHARE = 40  # pages for each render process, at least (forking costs ~0.1 s at 20,000)


def _render_share(jobs: Iterable, keys: dict) -> dict[str, tuple[bytes, bool, bytes | None]]:
    from explainer.site.incremental.writer import render_job_noting_reads, unchecked_signature

    results = {}
    with pelican_seams.keeping_addresses():  # an article's address is worked out once
        for job in jobs:
            data, read_other_bodies, read = render_job_noting_reads(job)
            signature = unchecked_signature(read_other_bodies, read, keys)
            results[job.relative] = (data, read_other_bodies, signature)
    return results


def _changed_articles(build, settings: dict, saved, edits: dict[str, _Edit], keys: dict):
    """(output path -> saved job of every page that shows an edited article, ids of the
    edited articles) once each edited article in the saved context is remade in place (so
    every list and page that holds it holds the new one); None if one cannot be."""
    own_pages = saved.article_pages()
    wanted: dict[str, saved_context.PageJob] = {}
    edited: set[int] = set()
    shown: set[bytes | None] = set()  # the articles whose title or summary changed
    for source, edit in edits.items():
        jobs = own_pages.get(source)
        if not jobs:
            return None
        article = jobs[0].extra["article"]
        if not _remake_in_place(article, edit, settings, saved.context):
            return None
        edited.add(id(article))
        wanted.update((job.relative, job) for job in jobs)
        if edit.fields:
            shown.add(keys.get(id(article)))
    pelican_seams.forget_memoised_content()  # made while the articles were checked
    if shown:
        showing = None if None in shown else _pages_reading(build.state, shown, settings)
        if showing is None or any(relative not in saved.pages for relative in showing):
            return None
        wanted.update((relative, saved.pages[relative]) for relative in showing)
    return wanted, edited


def _relisted(build, settings: dict, saved, env, fields: set[str], edited: set[int]):
    """(output path -> saved job of every page that shows a list made again from the edited
    `fields`, the paths of the feeds to write again) once the lists are made again in the
    saved context (relisting.py): the pages of the objects whose lists changed, the pages
    that read a changed object (a topic's list, an article's related articles) and the own
    pages of changed articles, and the pages whose templates name a changed variable of the
    context; None when the full build is needed."""
    found = relisting.relisted(saved, settings, str(build.staging), fields, edited)
    if found is None:
        return None
    showing = _pages_reading(build.state, found.keys, settings) if found.keys else []
    naming = saved_context.pages_naming(saved, env, found.names) if found.names else {}
    if showing is None or naming is None:
        return None  # a page's reads or a template's names are not known
    if any(r not in saved.pages and r not in found.pages for r in showing):
        return None  # a page an earlier quick build added, that this one does not make
    pages = {r: saved.pages[r] for r in showing if r in saved.pages}
    own_pages = saved.article_pages()
    for content in found.objects:
        jobs = own_pages.get(getattr(content, "source_path", None))
        if not jobs:
            return None  # a changed object whose own pages are not known
        pages.update((job.relative, job) for job in jobs)
    pages.update(naming)
    pages.update(found.pages)
    return pages, found.feeds, found.gone


def _remake_in_place(article, edit: _Edit, settings: dict, context: dict) -> bool:
    from explainer.site.incremental.article_remake import remade
    from explainer.site.plugins import redirects

    if edit.fields and redirects.is_redirect_target(settings["PATH"], article):
        return False
    fresh = article
    if edit.text != edit.built_text:
        fresh = remade(article, edit.built_text, edit.text, context)
        if not _same_but_body(article, fresh):
            return False
    if edit.fields:
        before = fresh
        fresh = remade(before, edit.text, edit.text, context, {**before.metadata, **edit.fields})
        if not _differs_only_in(before, fresh, _SHOWN_ATTRIBUTES | TAG_FIELDS | relisting.fields()):
            return False
    if fresh is not article:
        article.__dict__.clear()
        article.__dict__.update(fresh.__dict__)
    return True


def _pages_reading(state, keys: set, settings: dict) -> list[str] | None:
    """The pages whose last render read one of the content objects `keys`; None if a page's
    reads are not known (a redirect page reads none)."""
    from explainer.site.incremental.writer import read_keys
    from explainer.site.plugins import redirects

    redirect_pages = set(redirects.moves(settings["PATH"]))
    showing = []
    for relative, record in state.files.items():
        reads = read_keys(record.signature)
        if reads is None:
            if relative.endswith(".html") and relative not in redirect_pages:
                return None
        elif not reads.isdisjoint(keys):
            showing.append(relative)
    return showing


def _feeds(
    build, saved, settings: dict, edited: set[int], also: set[str]
) -> dict[str, bytes] | None:
    """The feeds that list an edited article, and the feeds at the paths `also`, written
    again (None if two feeds were written to one file: which one Pelican kept is its
    writer's business)."""
    from pelican.utils import sanitised_join
    from pelican.writers import Writer

    paths = [feed.path for feed in saved.feeds]
    if len(set(paths)) != len(paths):
        return None
    writer = Writer(str(build.staging), settings=settings)
    feeds: dict[str, bytes] = {}
    for feed in saved.feeds:
        if feed.path not in also and not any(id(item) in edited for item in feed.elements):
            continue
        writer.write_feed(feed.elements, feed.context, feed.path, feed.url, feed.feed_type,
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


def _differs_only_in(old, fresh, names: frozenset[str]) -> bool:
    """Whether `fresh` (a copy of `old` with some attributes replaced) replaced only `names`."""
    mine, theirs = old.__dict__, fresh.__dict__
    return all(
        name in names
        for name in mine.keys() | theirs.keys()
        if mine.get(name, _MISSING) is not theirs.get(name, _MISSING)
    )


def _commit(build, pages: dict[str, tuple[bytes | None, bytes | None]], result) -> None:
    """Each page written to output/ if its bytes changed (or deleted, when its bytes are
    None), and recorded in the state."""
    state = build.state
    result.quick = True
    result.rendered = sum(data is not None for data, _signature in pages.values())
    for relative, (data, signature) in pages.items():
        target = build.output / relative
        try:
            old = target.read_bytes()
        except OSError:
            old = None  # a page the last build did not write
        if old == data:
            continue
        result.changed_paths.append(relative)
        if data is None:  # a page no longer made (a topic's list got shorter)
            target.unlink()
            output_sync.remove_emptied_folders(target.parent, build.output)
            state.files.pop(relative, None)
            result.removed += 1
            continue
        unseen = old is not None and search_view.unseen_change(target, data, old)
        if unseen:
            result.search_neutral[relative] = unseen
        staged = Path(build.staging / relative)
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(data)
        output_sync.replace(staged, target)
        if old is None:
            result.added += 1
        else:
            result.changed += 1
        st = target.stat()
        # The next full build renders the page again rather than trust a signature computed
        # without the whole site's context; a quick build still knows what it read.
        state.files[relative] = PageRecord(signature, st.st_size, st.st_mtime_ns)
    state.record_dirs(build.output, result.changed_paths)  # a replaced file changes its folder
    result.unchanged = len(state.files) - result.changed - result.added
