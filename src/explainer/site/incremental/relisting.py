"""A quick build's lists after articles' countries or minerals were edited (quick_build.py).

Lists that plugins make from articles' metadata once every generator is done (a country's
articles, its co-mentions, each article's related articles, the home page's most-covered
topics) are made again over the saved context by the functions the plugins register here,
and what they changed is found by comparing every content object, every watched object
(counted_when_read) and every context variable with what it held before:

- `relists(*fields, pages=...)`: a function that makes lists from the articles' `fields`
  again, in place (the topics plugin), returning False when it cannot (a topic new to the
  site); `pages(context, settings, writer)` writes the pages of the objects whose lists
  those are, as its generator does, so that the quick build can paginate them again (a
  page more or less included);
- `follows_lists`: a function of the context that the full build runs once every generator
  is done and that makes its values from those lists (related articles, most-covered
  topics); it is run again after them.

Both take Pelican's `all_generators_finalized` argument: a list whose first item has the
`context` and the `settings`; here it also has `remade`, the ids of the articles made again
since the context was saved (a follower may make again only what those can change).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from explainer.site import pelican_seams
from explainer.site.incremental import fingerprint, saved_context, timings
from explainer.site.incremental.saved_context import PageJob, SavedContext

logger = logging.getLogger(__name__)


@dataclass
class _Relister:
    fields: frozenset[str]
    relist: Callable[[list], bool | None]
    pages: Callable[[dict, dict, Any], None]


_RELISTERS: list[_Relister] = []
_FOLLOWERS: list[Callable[[list], None]] = []


def relists(*fields: str, pages: Callable[[dict, dict, Any], None]):
    """Register a function that makes lists from the articles' `fields` again over a saved
    context, in place (False: it cannot, the full build is needed); `pages` writes the
    pages those lists belong to, through the writer it is given."""

    def register(function):
        _RELISTERS.append(_Relister(frozenset(fields), function, pages))
        return function

    return register


def follows_lists(function):
    """Register a function of Pelican's generators (all_generators_finalized) to run again
    once the lists are made again: what it makes follows from them."""
    _FOLLOWERS.append(function)
    return function


def fields() -> frozenset[str]:
    """The metadata fields whose edits the quick build can take by making lists again."""
    return frozenset().union(*(relister.fields for relister in _RELISTERS))


@dataclass
class Relisted:
    """What making the lists again changed."""

    pages: dict[str, PageJob]  # the pages of the objects whose lists changed, made again
    feeds: set[str]  # the paths of the feeds whose articles changed
    gone: set[str] = field(default_factory=set)  # their saved pages no longer written
    keys: set[bytes] = field(default_factory=set)  # changed content and watched objects
    objects: list = field(default_factory=list)  # the changed content objects
    names: set[str] = field(default_factory=set)  # changed context variables


def relisted(
    saved: SavedContext, settings: dict, staging: str, edited: set[str], remade: set[int]
):
    """Relisted, once the lists of every relister of the `edited` fields and everything
    that follows them are made again in the saved context; None when the full build is
    needed (a relister could not, or an object changed in what every page counts).
    `remade`: the ids of the articles made again since the context was saved (the
    generators' `remade`: what follows the lists may make again only what they reach)."""
    context = saved.context
    objects = fingerprint.contents_by_key(context)
    before = {key: _state(value) for key, value in objects.items()}
    variables = {name: _frozen(value) for name, value in context.items()}
    generators = [SimpleNamespace(context=context, settings=settings, remade=remade)]
    chosen = [relister for relister in _RELISTERS if relister.fields & edited]
    for relister in chosen:
        if relister.relist(generators) is False:
            return None
    for follower in _FOLLOWERS:
        follower(generators)
    timings.mark("relisting: lists made again")
    found = Relisted({}, set())
    changed_watched: set[int] = set()
    for key, value in objects.items():
        now = _state(value)
        if before[key] == now:
            continue
        names = _changed_names(before[key], now)
        watched = pelican_seams.WATCHED.get(type(value))
        if watched is not None:
            if not names <= watched:  # what every page holding it counts
                logger.debug("relisting: %r changed in %s", value, ", ".join(sorted(names)))
                return None
            changed_watched.add(id(value))
        else:
            found.objects.append(value)
        found.keys.add(key)
    found.names = {
        name for name in variables.keys() | context.keys()
        if name not in variables or name not in context
        or not _same(variables[name], _frozen(context[name]))
    }  # fmt: skip
    writer = _Collector()
    for relister in chosen:
        relister.pages(context, settings, writer)
    made = _pages(saved, settings, staging, writer, changed_watched)
    if made is None:
        return None
    found.pages, found.gone = made
    found.feeds = _feeds(saved, writer, changed_watched)
    return found


class _Collector:
    """A writer that keeps what it is asked to write."""

    def __init__(self) -> None:
        self.files: list[tuple] = []
        self.feeds: list[tuple] = []

    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):  # fmt: skip
        self.files.append((name, paginated, template_name, url, kwargs))

    def write_feed(self, elements, context, path=None, url=None, feed_type="atom",
                   override_output=False, feed_title=None):  # fmt: skip
        self.feeds.append((list(elements), path))


def _holds(extra: dict, ids: set[int]) -> bool:
    return any(id(value) in ids for value in extra.values())


def _pages(saved: SavedContext, settings: dict, staging: str, writer: _Collector, changed: set):
    """(the pages written for the changed watched objects, as jobs like the saved ones; the
    saved pages of those objects no longer written: a topic's last page when its list got
    shorter), or None when an object has no saved page to take the rest from."""
    pages: dict[str, PageJob] = {}
    for name, paginated, template_name, url, kwargs in writer.files:
        if not _holds(kwargs, changed):
            continue
        made = pelican_seams.pages_to_write(settings, name, url, template_name, paginated, kwargs)
        relatives = [saved_context.page_path(staging, page_name) for page_name, _extra in made]
        model = next((saved.pages[r] for r in relatives if r in saved.pages), None)
        if model is None:
            return None
        for relative, (page_name, extra) in zip(relatives, made, strict=True):
            # a page more (the list grew past a page): made like the object's other pages
            model = saved.pages.get(relative, model)
            pages[relative] = PageJob(
                relative, model.template, model.context, page_name, model.relative_urls,
                extra, model.localsiteurl,
            )  # fmt: skip
    gone = {
        relative
        for relative, job in saved.pages.items()
        if relative not in pages and _holds(job.extra, changed)
    }
    return pages, gone


def _feeds(saved: SavedContext, writer: _Collector, changed: set) -> set[str]:
    """The paths of the saved feeds whose articles changed, given their new articles."""
    saved_feeds = {feed.path: feed for feed in saved.feeds}
    paths = set()
    for elements, path in writer.feeds:
        feed = saved_feeds.get(path)
        if feed is not None and not _same(tuple(feed.elements), tuple(elements)):
            feed.elements = elements
            paths.add(path)
    return paths


def _frozen(value: Any) -> Any:
    """`value` as it is now: a list's items are copied (lists are changed in place)."""
    return tuple(value) if isinstance(value, list) else value


def _state(value: Any) -> dict[str, Any]:
    """An object's attributes as they are now. A content object's are copied as they are
    (relisters and what follows them give articles new values, 20,000 articles' attributes
    one by one would cost a second); a watched object's lists are copied too."""
    if type(value) not in pelican_seams.WATCHED:
        return dict(vars(value))
    return {name: _frozen(item) for name, item in vars(value).items()}


def _changed_names(before: dict[str, Any], now: dict[str, Any]) -> set[str]:
    return {
        name
        for name in before.keys() | now.keys()
        if name not in before or name not in now or not _same(before[name], now[name])
    }


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    try:
        return bool(a == b)
    except Exception:  # a value that cannot be compared counts as changed
        return False
