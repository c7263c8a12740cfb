"""Every place the project reaches into Pelican's or Jinja's internals, in one module.

Pelican's plugin API (signals, generators, readers, `Writer.write_file`) and Jinja's public
API cover most of what the project does. The incremental engine and a few plugins need more:
private attributes, and pieces of Pelican's own code done again with hooks in between. Each
is a small function here whose docstring names what it mirrors or touches, so that upgrading
Pelican or Jinja means checking this one file against the new versions' code, then updating
CHECKED_AGAINST (tests/test_pelican_seams.py fails until the installed versions match it).
"""

from __future__ import annotations

import fnmatch
import functools
import logging
import os
import types
from collections.abc import Callable, Iterator
from itertools import groupby
from operator import attrgetter
from typing import Any

from jinja2.utils import _PassArg
from pelican.contents import Content
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.paginator import Paginator
from pelican.plugins import signals
from pelican.readers import (
    DUPLICATES_DEFINITIONS_ALLOWED,
    _filter_discardable_metadata,
    default_metadata,
    parse_path_metadata,
    path_metadata,
)
from pelican.utils import get_relative_path, path_to_url
from pelican.writers import FileOverwriteFailedError

logger = logging.getLogger(__name__)

# The versions (major.minor) this module was last checked against, line by line.
CHECKED_AGAINST = {"pelican": "4.12", "jinja2": "3.1"}

# --- ArticlesGenerator's taxonomy lists -----------------------------------------------------


class Members(list):
    """A list whose `in` takes constant time, by identity (what `in` means for Pelican's
    content objects, which define no equality). Pelican's ArticlesGenerator.generate_tags,
    generate_categories and generate_authors test every dated article against each list
    (`[a for a in self.dates if a in articles]`): quadratic, 32 s of CPU at 20,000 articles
    with 151 tags. Its lists are not changed once the generator is finalized; one that is
    (its length changes) has its identities taken again."""

    __slots__ = ("_ids", "_size")

    def __init__(self, items=()) -> None:
        super().__init__(items)
        self._ids: set[int] = set()
        self._size = -1

    def __contains__(self, item: object) -> bool:
        if self._size != len(self):
            self._ids, self._size = {id(x) for x in self}, len(self)
        return id(item) in self._ids

    def __reduce__(self):
        return Members, (list(self),)  # identities belong to this process only


def replace_members(items: list, now: list) -> None:
    """Give a tag's (category's, author's) list of articles new contents, in place: every
    page and pair that holds the list holds the new one."""
    items[:] = now
    if isinstance(items, Members):
        items._size = -1


def constant_time_membership(generator) -> None:
    """Make the finalized ArticlesGenerator's tag, category and author lists `Members`, in
    place (its context holds the same dict and lists), and its tag pages' `dates` found
    from each tag's own articles (`generate_tags`)."""
    for tag, articles in list(generator.tags.items()):
        generator.tags[tag] = Members(articles)
    for kind in ("categories", "authors"):
        pairs = getattr(generator, kind)
        pairs[:] = [(name, Members(articles)) for name, articles in pairs]
    generator.generate_tags = types.MethodType(generate_tags, generator)


def generate_tags(self, write) -> None:
    """ArticlesGenerator.generate_tags (Pelican 4.12), but each tag's `dates` (its articles
    in the order of `self.dates`) is sorted from the tag's articles instead of filtered from
    every dated article: 151 tags x 20,000 articles took 3.7 s."""
    tag_template = self.get_template("tag")
    order = {id(article): number for number, article in enumerate(self.dates)}
    for tag, articles in self.tags.items():
        once = {id(a): a for a in articles if id(a) in order}.values()
        dates = sorted(once, key=lambda article: order[id(article)])
        try:
            write(
                tag.save_as,
                tag_template,
                self.context,
                tag=tag,
                url=tag.url,
                articles=articles,
                dates=dates,
                template_name="tag",
                blog=True,
                page_name=tag.page_name,
                all_articles=self.articles,
            )
        except FileOverwriteFailedError:
            if not tag.slug:
                logger.info(
                    'Tag "%s" has an invalid slug; skipping writing tag page...',
                    tag,
                    extra={"limit_msg": "Further tags with invalid slugs."},
                )
                continue
            logger.error('Failed to write Tag page for "%s".', tag)
            raise


def linear_translations() -> None:
    """Pelican's process_translations, group by group: it finds the items that are not
    originals by testing each against a list of all the originals (`x not in index`),
    quadratic: 2.8 s at 20,000 articles. Groups are runs of the sorted list, so the
    answers, their order, the `translations` attributes and the warnings are the same."""
    from pelican import generators

    original = getattr(generators.process_translations, "__wrapped__", None)
    if original is None:
        original = generators.process_translations
        generators.process_translations = functools.wraps(original)(
            functools.partial(_translations_by_group, original)
        )


_SOURCE_PATHS: dict[tuple[str, str], str] = {}
# Entries at which the memo starts again: the live preview's worker would otherwise keep one
# for every file it has seen, renamed and deleted ones too (~150 bytes each).
SOURCE_PATHS_MOST = 200_000


def memoised_source_paths() -> None:
    """Content.get_relative_source_path worked out once per (source file, content folder):
    Pelican works it out again (relpath of two abspaths, 5 µs) for every url and save_as it
    formats, 230,000 times in a cold build of 20,000 articles. With both paths absolute the
    answer depends on them alone."""
    original = Content.get_relative_source_path
    if hasattr(original, "__wrapped__"):
        return

    @functools.wraps(original)
    def get_relative_source_path(self, source_path=None):
        path = source_path or self.source_path
        base = self.settings["PATH"]
        if not (path and os.path.isabs(path) and os.path.isabs(base)):
            return original(self, source_path)
        found = _SOURCE_PATHS.get((path, base))
        if found is None:
            if len(_SOURCE_PATHS) >= SOURCE_PATHS_MOST:
                _SOURCE_PATHS.clear()
            found = _SOURCE_PATHS[(path, base)] = original(self, source_path)
        return found

    Content.get_relative_source_path = get_relative_source_path


def _translations_by_group(original, content_list, translation_id=None):
    if not translation_id:
        return original(content_list, translation_id)
    ids = {translation_id} if isinstance(translation_id, str) else translation_id
    key = attrgetter(*ids)
    try:
        content_list.sort(key=key)
    except (TypeError, AttributeError):
        return original(content_list, translation_id)  # which says what is wrong
    index: list = []
    translations: list = []
    for _values, items in groupby(content_list, key):
        originals, others = original(list(items), translation_id)
        index.extend(originals)
        translations.extend(others)
    return index, translations


# --- Pelican.run ----------------------------------------------------------------------------


def run(
    pelican,
    *,
    before_output: Callable[[list, Any], None],
    before_finalized: Callable[[Any], None],
    mark: Callable[[str], None] = lambda label: None,
    after_reading: Callable[[], None] = lambda: None,
    started: Callable[[dict], None] = lambda context: None,
) -> dict:
    """Pelican.run's steps, with four of ours between them: `started(context)` once the
    shared context is made (before anything is read into it), `after_reading()` once every
    generator has made its context (every content file read), `before_output(generators,
    writer)` once every context is complete (the intersite links refreshed), and
    `before_finalized(writer)` once every generator has handed its pages to the writer.
    Leaves out what Pelican.run does besides (emptying the output folder: ours is a fresh
    staging folder; the summary it prints). Returns the shared context."""
    context = pelican.settings.copy()
    context["generated_content"] = {}
    context["static_links"] = set()
    context["static_content"] = {}
    context["localsiteurl"] = pelican.settings["SITEURL"]
    started(context)

    generators = []
    for cls in pelican._get_generator_classes():
        generators.append(
            cls(
                context=context,
                settings=pelican.settings,
                path=pelican.path,
                theme=pelican.theme,
                output_path=pelican.output_path,
            )
        )
        mark(f"generator ready: {cls.__name__}")  # the caller's mark may stop the build
    for p in generators:
        if hasattr(p, "generate_context"):
            p.generate_context()
        if hasattr(p, "check_disabled_readers"):
            p.check_disabled_readers()
        mark(f"generate_context: {type(p).__name__}")
    after_reading()
    _all_generators_finalized(generators, mark)
    for p in generators:
        if hasattr(p, "refresh_metadata_intersite_links"):
            p.refresh_metadata_intersite_links()
    mark("intersite links")
    writer = pelican._get_writer()
    before_output(generators, writer)
    for p in generators:
        if hasattr(p, "generate_output"):
            p.generate_output(writer)
    before_finalized(writer)
    signals.finalized.send(pelican)
    return context


def _all_generators_finalized(generators: list, mark: Callable[[str], None]) -> None:
    """The signal's handlers one by one, with a mark after each: its time in the timings,
    and a newer save stops the build there (at 20,000 articles they take ~1 s together)."""
    finalized = signals.all_generators_finalized
    for receiver in [] if finalized.is_muted else finalized.receivers_for(generators):
        receiver(generators)
        name = getattr(receiver, "__qualname__", type(receiver).__name__)
        mark(f"all_generators_finalized: {getattr(receiver, '__module__', '')}.{name}")


# --- Writer.write_file ----------------------------------------------------------------------


def pages_to_write(
    settings: dict, name: str, url, template_name, paginated: dict | None, kwargs: dict
) -> list[tuple[str, dict]]:
    """The files one `Writer.write_file` call writes, as (save_as, the variables it adds):
    one file, or one per page of a paginated template, with Writer.write_file's
    `<key>_paginator`, `<key>_page`, `<key>_previous_page` and `<key>_next_page`."""
    if paginated is None:
        paginated = {k: v for k, v in kwargs.items() if k in {"articles", "dates"}}
    if not (paginated and template_name in settings["PAGINATED_TEMPLATES"]):
        return [(name, kwargs)]
    per_page = settings["PAGINATED_TEMPLATES"][template_name] or settings["DEFAULT_PAGINATION"]
    paginators = {
        key: Paginator(name, url, val, settings, per_page) for key, val in paginated.items()
    }
    pages = []
    for page_num in range(next(iter(paginators.values())).num_pages):
        paginated_kwargs = kwargs.copy()
        for key, paginator in paginators.items():
            previous_page = paginator.page(page_num) if page_num > 0 else None
            page = paginator.page(page_num + 1)
            next_page = paginator.page(page_num + 2) if page_num + 1 < paginator.num_pages else None
            paginated_kwargs.update(
                {
                    f"{key}_paginator": paginator,
                    f"{key}_page": page,
                    f"{key}_previous_page": previous_page,
                    f"{key}_next_page": next_page,
                }
            )
        pages.append((page.save_as, paginated_kwargs))
    return pages


def page_siteurl(page_name: str, relative_urls: bool) -> str | None:
    """The SITEURL a page sees with relative URLs ("../.." from "a/b/index.html"), else None
    (Writer.write_file's _get_localcontext)."""
    return path_to_url(get_relative_path(page_name)) if relative_urls else None


def local_context(
    context: dict, page_name: str, relative_urls: bool, localsiteurl, extra: dict
) -> dict:
    """The variables Writer.write_file passes to a page's template (its _get_localcontext);
    `localsiteurl` is the shared context's value when write_file was called."""
    localcontext = context.copy()
    localcontext["localsiteurl"] = localsiteurl
    relative_url = page_siteurl(page_name, relative_urls)
    if relative_url is not None:
        localcontext["SITEURL"] = relative_url
        localcontext["localsiteurl"] = relative_url
    localcontext["output_file"] = page_name
    localcontext.update(extra)
    return localcontext


def render(template, localcontext: dict, context: dict) -> str:
    """Writer.write_file's _write_file up to the file: the shared context's `localsiteurl`
    follows the page (content objects adjust their links to it), then the template renders."""
    if localcontext["localsiteurl"]:
        context["localsiteurl"] = localcontext["localsiteurl"]
    return template.render(localcontext)


def forget_compiled_templates(env) -> None:
    """Drop the environment's compiled templates, so that the next `get_template` reads each
    source as it is now: build environments do not check their sources for changes
    (`auto_reload` off)."""
    if env.cache is not None:
        env.cache.clear()


def theme_static_files(settings: dict) -> dict[str, str]:
    """The theme's static files as StaticGenerator copies them: output path (relative, with
    '/') -> source path. THEME_STATIC_PATHS under THEME go to THEME_STATIC_DIR (a folder's
    contents, a file by its name), less the names IGNORE_FILES matches."""
    theme, target = settings["THEME"], settings.get("THEME_STATIC_DIR", "theme")
    ignored = settings.get("IGNORE_FILES") or []

    def kept(name: str) -> bool:
        return not any(fnmatch.fnmatch(name, pattern) for pattern in ignored)

    found: dict[str, str] = {}
    for path in settings.get("THEME_STATIC_PATHS") or []:
        source = os.path.join(theme, path)
        if os.path.isfile(source):
            found[f"{target}/{os.path.basename(path)}"] = source
            continue
        for folder, dirs, files in os.walk(source):
            dirs[:] = [d for d in dirs if kept(d)]
            for name in filter(kept, files):
                relative = os.path.relpath(os.path.join(folder, name), source)
                found[f"{target}/{relative.replace(os.sep, '/')}"] = os.path.join(folder, name)
    return found


def claim_output(writer, filename: str, override: bool) -> bool:
    """Writer._open_w's rules for a file written twice, on the writer's own records
    (`_written_files`, `_overridden_files`): False when this write must be skipped; raises
    FileOverwriteFailedError where Pelican does."""
    if filename in writer._overridden_files:
        if override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{filename}" a second time (was previously overwritten)'
            )
        logger.info('Skipping "%s", not overwriting', filename)
        return False
    if filename in writer._written_files:
        if override:
            logger.info('Overwriting "%s"', filename)
        else:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{filename}" as Pelican has already '
                "written to it previously (set `override=True` if intended)"
            )
    if override:
        writer._overridden_files.add(filename)
    writer._written_files.add(filename)
    return True


# --- generators -----------------------------------------------------------------------------


def content_pages(generator) -> Iterator[tuple[Any, dict]]:
    """The article and page files a generator's generate_output writes, as (item, the
    variables it passes besides the context): ArticlesGenerator.generate_articles and
    PagesGenerator.generate_pages, drafts and hidden ones included."""
    if isinstance(generator, ArticlesGenerator):
        for item in (
            *generator.translations,
            *generator.articles,
            *generator.hidden_translations,
            *generator.hidden_articles,
        ):
            yield (
                item,
                {
                    "article": item,
                    "category": getattr(item, "category", None),
                    "blog": True,
                },
            )
    elif isinstance(generator, PagesGenerator):
        for item in (
            *generator.translations,
            *generator.pages,
            *generator.hidden_translations,
            *generator.hidden_pages,
            *generator.draft_translations,
            *generator.draft_pages,
        ):
            yield item, {"page": item}


def replace_content_cache(generator, cache: dict) -> None:
    """Make a CachingGenerator use `cache` (entries: (stamp, object)) as its content cache,
    in memory only: CachingGenerator's `_cache` and `_cache_data_policy`, and a save_cache
    that never pickles to CACHE_PATH."""
    generator._cache = cache
    generator._cache_data_policy = True
    generator.save_cache = lambda: None


def forget_memoised_content() -> None:
    """Pelican memoises Content.get_content and get_summary process-wide (utils.memoized):
    drop what the last build left there."""
    for name in ("get_content", "get_summary"):
        memo = Content.__dict__.get(name)
        if memo is not None and hasattr(memo, "cache"):
            memo.cache.clear()


# --- whose body a page reads ----------------------------------------------------------------


class _NotingReads:
    """`with ... as reads:` a set of object ids noted inside (`stack[-1]` is the innermost
    one in progress); nested ones count for the outer ones too."""

    stack: list[set[int]]

    def __enter__(self) -> set[int]:
        self.reads: set[int] = set()
        self.stack.append(self.reads)
        return self.reads

    def __exit__(self, *exc) -> None:
        self.stack.pop()
        if self.stack:
            self.stack[-1].update(self.reads)


_BODY_READS: list[set[int]] = []  # one set per render in progress (innermost last)
BODY_READ_ELSEWHERE = -1  # stands for a body read by a fragment rendered on another page


class _BodyRead:
    """Content.get_content (behind `content`) and Content.get_summary (a summary made from
    the body when the metadata has none), both utils.memoized descriptors, wrapped so that
    a render in progress notes which objects' bodies it read."""

    def __init__(self, inner, name: str) -> None:
        self.inner, self.name = inner, name
        self.cache = getattr(inner, "cache", None)  # forget_memoised_content empties it

    def __get__(self, obj, objtype=None):
        if (
            obj is not None
            and _BODY_READS
            and (self.name != "get_summary" or "summary" not in obj.metadata)
        ):
            _BODY_READS[-1].add(id(obj))
        return self.inner.__get__(obj, objtype)


def track_body_reads() -> None:
    """Install the wrappers (once): reads are noted only inside `reading_bodies()`."""
    for name in ("get_content", "get_summary"):
        current = Content.__dict__[name]
        if not isinstance(current, _BodyRead):
            setattr(Content, name, _BodyRead(current, name))


class reading_bodies(_NotingReads):
    """`with reading_bodies() as reads:` the ids of the content objects whose body (or a
    summary made from it) was read inside; nested ones count for the outer ones too."""

    stack = _BODY_READS


def note_body_read(object_id: int = BODY_READ_ELSEWHERE) -> None:
    """Count a body read for the render in progress (a fragment reused from another page
    that read one when it was rendered)."""
    if _BODY_READS:
        _BODY_READS[-1].add(object_id)


# --- content addresses while pages render --------------------------------------------------

_ADDRESSES_KEPT: list[bool] = []


class _AddressWhileRendering:
    """Content.url and Content.save_as, Pelican properties that fill in the URL pattern from
    the metadata on every read, kept per object while pages render (inside
    `keeping_addresses()`): a page asks for the same article's address from its card, its
    neighbours' links, its JSON-LD... (a tenth of a cold build's rendering at 5,000
    articles). Nothing that renders changes what an address is made from."""

    def __init__(self, inner: property) -> None:
        self.inner = inner
        self.cache: dict[int, tuple[Any, Any]] = {}

    def __get__(self, obj, objtype=None):
        if obj is None or not _ADDRESSES_KEPT:
            return self.inner.__get__(obj, objtype)
        hit = self.cache.get(id(obj))
        if hit is None or hit[0] is not obj:
            hit = self.cache[id(obj)] = (obj, self.inner.__get__(obj, objtype))
        return hit[1]

    def __set__(self, obj, value) -> None:
        self.inner.__set__(obj, value)


def _address_properties() -> list[_AddressWhileRendering]:
    found = []
    for name in ("url", "save_as"):
        current = Content.__dict__[name]
        if not isinstance(current, _AddressWhileRendering):
            current = _AddressWhileRendering(current)
            setattr(Content, name, current)
        found.append(current)
    return found


class keeping_addresses:
    """`with keeping_addresses():` each content object's `url` and `save_as` are worked out
    once inside (pages render), and afresh after."""

    def __enter__(self) -> None:
        self.properties = _address_properties()
        _ADDRESSES_KEPT.append(True)

    def __exit__(self, *exc) -> None:
        _ADDRESSES_KEPT.pop()
        if not _ADDRESSES_KEPT:
            for prop in self.properties:
                prop.cache.clear()


# --- which content objects a page reads ----------------------------------------------------

_CONTENT_READS: list[set[int]] = []  # one set per render in progress (innermost last)
# Classes whose instances count as read when one of these attributes is read (not any):
# what a topic lists, as against its name and address (fingerprint.counted_when_read).
WATCHED: dict[type, frozenset[str]] = {}


def _noting_getattribute(self, name: str):
    _CONTENT_READS[-1].add(id(self))
    return object.__getattribute__(self, name)


def _noting_watched(self, name: str):
    if name in WATCHED.get(type(self), ()):  # a subclass is not watched: counted in full
        _CONTENT_READS[-1].add(id(self))
    return object.__getattribute__(self, name)


class reading_contents(_NotingReads):
    """`with reading_contents() as reads:` the ids of the content objects (articles, pages,
    static files) any of whose attributes was read inside, by a template, a filter or any
    other code, and of the WATCHED objects whose watched attributes were. Their
    __getattribute__ is replaced only while a render is in progress: installed for good, it
    would slow every attribute read of the whole build."""

    stack = _CONTENT_READS

    def __enter__(self) -> set[int]:
        if not _CONTENT_READS:
            _note_reads(True)
        return super().__enter__()

    def __exit__(self, *exc) -> None:
        super().__exit__(*exc)
        if not _CONTENT_READS:
            _note_reads(False)


def _note_reads(on: bool) -> None:
    """Install (or remove) the __getattribute__ that notes reads, on Content and on every
    WATCHED class."""
    if on:
        Content.__getattribute__ = _noting_getattribute
        for cls in WATCHED:
            cls.__getattribute__ = _noting_watched
    else:
        del Content.__getattribute__
        for cls in WATCHED:
            del cls.__getattribute__


class not_reading_contents:
    """`with not_reading_contents():` reads inside are not noted (and cost nothing extra):
    for code that looks at content objects on behalf of the build, not of the page."""

    def __enter__(self) -> None:
        self.paused = "__getattribute__" in Content.__dict__
        if self.paused:
            _note_reads(False)

    def __exit__(self, *exc) -> None:
        if self.paused:
            _note_reads(True)


def note_contents_read(object_ids) -> None:
    """Count reads of these content objects for the render in progress (a fragment reused
    from another page of this build, which read them when it was rendered)."""
    if _CONTENT_READS:
        _CONTENT_READS[-1].update(object_ids)


# --- content objects ------------------------------------------------------------------------


def raw_content(content) -> str | None:
    """A content object's HTML as its reader made it, before links are resolved
    (Content._content; read back from disk if it was stored there while pages render,
    incremental/body_store.py)."""
    body = getattr(content, "_content", None)
    return body if body is None or isinstance(body, str) else str(body)


def set_raw_content(content, html) -> None:
    """Replace a content object's HTML as its reader made it (Content._content): done in
    content_object_init, the page renders it with its links resolved as usual. `html` is a
    str, or an object whose str() is the HTML (a body kept on disk)."""
    content._content = html
    if not isinstance(html, str) and "_get_content" not in Content.__dict__:
        # Content.get_content reads a body through _get_content when the class has one
        Content._get_content = raw_content


def intrasite_link_regex(content):
    """The regex Pelican finds {filename}, {static}... links with
    (Content._get_intrasite_link_regex)."""
    return content._get_intrasite_link_regex()


# --- readers --------------------------------------------------------------------------------


def without_discarded(metadata: dict) -> dict:
    """Metadata without the values Pelican marks to drop (readers._DISCARD, which does not
    survive pickling), as Readers.read_file does (_filter_discardable_metadata)."""
    return _filter_discardable_metadata(metadata)


def file_metadata_defaults(settings: dict, full_path: str, relative: str, process) -> dict:
    """What Readers.read_file gives a file before its reader runs and before its file name
    is parsed: the defaults (DEFAULT_METADATA, DEFAULT_CATEGORY...) and PATH_METADATA."""
    metadata = without_discarded(default_metadata(settings=settings, process=process))
    metadata.update(path_metadata(full_path=full_path, source_path=relative, settings=settings))
    return metadata


def file_name_metadata(relative: str, settings: dict, process) -> dict:
    """What Readers.read_file reads from a file's name (FILENAME_METADATA); raises what
    Pelican raises (a date that does not exist, say)."""
    return without_discarded(
        parse_path_metadata(source_path=relative, settings=settings, process=process)
    )


def start_reading(reader, source_path: str) -> None:
    """What MarkdownReader.read records before parsing (its warnings name the file)."""
    reader._source_path = source_path


def python_markdown_metadata(reader, md) -> dict:
    """MarkdownReader._parse_metadata on a Markdown instance's `Meta` (it renders formatted
    fields, such as Summary, with that same instance)."""
    reader._md = md
    return reader._parse_metadata(md.Meta) if hasattr(md, "Meta") else {}


def header_metadata(reader, meta: dict[str, list[str]], render_formatted) -> dict:
    """MarkdownReader._parse_metadata over a parsed header, with formatted fields (Summary)
    rendered by `render_formatted` instead of Python-Markdown."""
    output = {}
    for name, value in meta.items():
        if name in reader.settings["FORMATTED_FIELDS"]:
            output[name] = reader.process_metadata(name, render_formatted("\n".join(value)))
        elif not DUPLICATES_DEFINITIONS_ALLOWED.get(name, True):
            if len(value) > 1:
                logger.warning(
                    "Duplicate definition of `%s` for %s. Using first one.",
                    name,
                    reader._source_path,
                )
            output[name] = reader.process_metadata(name, value[0])
        elif len(value) > 1:
            output[name] = reader.process_metadata(name, value)
        else:
            output[name] = reader.process_metadata(name, value[0])
    return output


# --- Jinja ----------------------------------------------------------------------------------


def passes_context(function) -> bool:
    """Whether a filter, global or test receives the whole template context
    (@pass_context; jinja2.utils._PassArg)."""
    return _PassArg.from_obj(function) is _PassArg.context
