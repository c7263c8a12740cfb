"""Incremental, parallel Pelican builds: skip what did not change, use every core.

The pieces (one job each):
- `runner`: one build — the no-op check, Pelican into a staging folder, commit to output/.
- `pelican_run`: Pelican.run with the writer flushed before `finalized`.
- `writer`: IncrementalWriter — page signatures, render-and-compare, parallel rendering.
- `fingerprint`: what a page's signature is made of.
- `reading`: the read cache and the parallel prefetch of content files.
- `inputs`: cheap stamps of everything a build reads.
- `worker`: the persistent build process behind the live preview.
- `collection`: garbage collection held off between reading and the end of a build.

For plugin authors, the API is small (see README.md in this folder):
- `depends_on(path)`: this build reads a data file outside content/, theme/ and the code.
- `kept_between_builds(cache)`: a module-level cache only a later build in the same process
  (the live preview's worker) reuses; a one-shot build empties it before rendering.
- `transparent(cls)`: instances of cls are wrappers; fingerprint through them.
- `counted_when_read(*names, key=...)`: attributes of cls that count only for the pages that
  read them (what a topic lists, not its name).
- `relists(*fields, pages=...)` and `follows_lists`: what a plugin makes from articles'
  metadata once every generator is done, made again by a quick build after an edit of
  those fields (see relisting.py).
- `made_per_build(cls)`: instances of cls, in the context's lists, live for one build and
  may refer to each other; the live preview's worker empties them when it lets the build go.
- an object's `__fingerprint__()` method, when defined, stands for its state.
- `static_ready`: a signal sent once static files are in place, before pages are rendered.
"""

from explainer.site.incremental.session import depends_on, kept_between_builds, static_ready


def transparent(cls: type) -> type:
    """Fingerprint instances of cls as containers of their attributes (e.g. paginator pages)."""
    from explainer.site.incremental.fingerprint import transparent as register

    return register(cls)


def counted_when_read(*names: str, key):
    """Attributes `names` of the class count only in the signatures of the pages that read
    them (see fingerprint.counted_when_read)."""
    from explainer.site.incremental.fingerprint import counted_when_read as register

    return register(*names, key=key)


def made_per_build(cls: type) -> type:
    """Instances of cls in a build's context live for that build and may refer to each other
    (see objects.dismantle)."""
    from explainer.site.incremental.objects import made_per_build as register

    return register(cls)


def relists(*fields: str, pages):
    """Register a function that makes lists from articles' `fields` again over a saved
    context (see relisting.relists)."""
    from explainer.site.incremental.relisting import relists as register

    return register(*fields, pages=pages)


def follows_lists(function):
    """Register a function of the generators to run again after the lists are made again
    (see relisting.follows_lists)."""
    from explainer.site.incremental.relisting import follows_lists as register

    return register(function)


__all__ = [
    "counted_when_read",
    "depends_on",
    "follows_lists",
    "kept_between_builds",
    "relists",
    "static_ready",
    "transparent",
]
