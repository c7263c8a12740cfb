"""Content objects kept between builds in the live-preview worker.

This is Pelican's generator-level content cache (CONTENT_CACHING_LAYER = "generator"), kept
in memory instead of a pickle: an article whose file did not change is not read or built
again. As with Pelican's cache, what is kept is the object as the generator made it, before
plugins touched it in `all_generators_finalized` and later signals; every build gets a copy
whose lists and dicts are its own, so a plugin that changes an article changes only this
build's copy. The copy remembers its original, so fingerprints of unchanged attributes are
reused instead of recomputed (fingerprint.py).
"""

from __future__ import annotations

import functools
from typing import Any

from explainer.site import pelican_seams
from explainer.site.incremental.session import check_cancel

PRISTINE = "_explainer_pristine"
DIGESTS = "_explainer_digests"
STATIC_LINKS = "_explainer_static_links"
_METHODS = ("get_static_links", "get_relative_source_path")
_SHARED = frozenset({"settings", "_context", STATIC_LINKS})  # not copied
_PRIVATE = frozenset({DIGESTS, PRISTINE, *_METHODS})  # the original's own bookkeeping


def clone(obj: Any, context: dict, *, keep: bool = True) -> Any:
    """A copy of a content object for one build: its own lists and dicts (shared ones stay
    shared, as `article.tags` and `article.metadata["tags"]` are), this build's context.
    Like Pelican's generator-level cache, which unpickles a fresh object every build, it
    keeps what a plugin changes in one build out of the next.
    With keep=False it is an original to store (no link to a build's context)."""
    copy = object.__new__(type(obj))
    memo: dict[int, Any] = {}
    state: dict[str, Any] = {}
    later = []
    for key, value in obj.__dict__.items():
        if key in _PRIVATE:
            continue
        kind = type(value)
        if key in _SHARED or (kind is not list and kind is not dict and kind is not set):
            state[key] = value
        elif kind is dict:
            later.append(key)  # after the lists, so its values can alias their copies
        else:
            state[key] = _copy(value, memo)
    for key in later:
        state[key] = _copy(obj.__dict__[key], memo)
    state["_context"] = context
    if keep:
        state[PRISTINE] = obj
        if hasattr(obj, "get_static_links"):
            # Pelican scans every body for {static} links on every build, and works out the
            # source's relative path (for every URL) again and again; neither has changed.
            state["get_static_links"] = functools.partial(_static_links, obj)
            state["get_relative_source_path"] = functools.partial(_relative_source_path, obj)
    copy.__dict__.update(state)
    return copy


def _copy(value: Any, memo: dict[int, Any]) -> Any:
    """One level: the object's own lists, dicts and sets are new; a dict's values that are
    the object's own lists (article.metadata["tags"] is article.tags) stay aliased to the
    copies. What plugins change in place is the object's attributes, its lists and its
    metadata; deeper structures are shared with the original."""
    done = memo.get(id(value))
    if done is not None:
        return done
    kind = type(value)
    if kind is list:
        result: Any = list(value)
    elif kind is dict:
        result = {k: memo.get(id(v), v) for k, v in value.items()}
    else:
        result = set(value)
    memo[id(value)] = result
    return result


def _relative_source_path(original: Any, source_path: str | None = None) -> str | None:
    if source_path is None or source_path == original.source_path:
        cached = original.__dict__.get("relative_source_path")
        if cached is not None:
            return cached
    return type(original).get_relative_source_path(original, source_path)


def _static_links(original: Any) -> set[str]:
    links = original.__dict__.get(STATIC_LINKS)
    if links is None:
        links = type(original).get_static_links(original)
        original.__dict__[STATIC_LINKS] = links
    return set(links)


def same(a: Any, b: Any) -> bool:
    """Whether a copy's value still holds what the original's did (containers by content,
    everything else by identity or, for plain scalars, by value)."""
    if a is b:
        return True
    kind = type(a)
    if kind is not type(b):
        return False
    if kind in (str, int, float, bool, bytes):
        return a == b
    if kind is list or kind is tuple:
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if kind is dict:
        return a.keys() == b.keys() and all(same(v, b[k]) for k, v in a.items())
    if kind is set:
        return a == b
    return False


class ReusingCache(dict):
    """Stands in for a CachingGenerator's `_cache`: entries are (stamp, object); lookups hand
    out copies bound to this build's context, stores keep the untouched original."""

    def __init__(self, store: dict, context: dict) -> None:
        super().__init__()
        self._store = store
        self._context = context

    def get(self, key, default=None):
        check_cancel()
        entry = self._store.get(key)
        if entry is None:
            return default
        stamp, obj = entry
        return stamp, clone(obj, self._context)

    def __setitem__(self, key, value) -> None:
        stamp, obj = value
        if obj is None or not hasattr(obj, "__dict__"):
            return
        self._store[key] = (stamp, clone(obj, {}, keep=False))

    def __contains__(self, key) -> bool:
        return key in self._store


# Classes whose instances live for one build and refer to each other (content objects: an
# article's newer and older article, its related articles; a topic's articles and the topics
# it co-mentions). Plugins add theirs with `made_per_build`.
_PER_BUILD: list[type] = []


def made_per_build(cls: type) -> type:
    """Register cls: its instances in a build's context live for that build only."""
    if cls not in _PER_BUILD:
        _PER_BUILD.append(cls)
    return cls


def dismantle(context: dict) -> None:
    """Let a build's context go so that reference counting frees it: the per-build objects
    in its lists (articles, pages, topics) are emptied, which breaks their cycles, then the
    context is. Without this only a full garbage collection finds them, and in the live
    preview's worker one takes 2-3.5 s at 20,000 articles: a save arriving then waits for it.
    Their attribute values are not emptied: some are shared with the objects kept between
    builds (an article's tags and category) or with another build."""
    from pelican.contents import Content

    kinds = (Content, *_PER_BUILD)
    emptied: set[int] = set()
    for value in context.values():
        if type(value) is not list and type(value) is not tuple:
            continue
        for item in value:
            if isinstance(item, kinds) and id(item) not in emptied:
                emptied.add(id(item))
                for other in item.__dict__.get("translations") or ():
                    if isinstance(other, Content) and id(other) not in emptied:
                        emptied.add(id(other))
                        other.__dict__.clear()
                item.__dict__.clear()
    context.clear()


def reuse_objects(generator, store: dict) -> None:
    """Make a CachingGenerator (articles, pages) reuse objects from `store` between builds."""
    pelican_seams.replace_content_cache(generator, ReusingCache(store, generator.context))
