"""`{% memo key, ... %}...{% endmemo %}`: render a template fragment once per distinct key.

An article's card appears on the index, its tag pages and its country and mineral pages; at
5,000 articles that is ~40,000 cards rendered from ~5,000 distinct ones. The theme wraps the
card in a memo keyed on everything the card reads (the article, its heading level), so
each distinct card is rendered once per build.

A fragment is rendered once for pages at every depth: while it renders, the links the theme
makes to the site's pages (`m.url`, plugins/page_links.py) are written with a mark, and
each page that shows the fragment gets it with the mark replaced by its own way to the
site's top (SITEURL, "../.." for relative URLs). So neither SITEURL nor the page's depth is
part of the key (they were: at 20,000 articles, 92% of the cards were rendered again for a
page at another depth or after the cache was emptied; see bench/README.md).

Keys are fingerprinted by value (explainer.site.incremental.fingerprint) together with a digest
of every template the environment can load, so two article objects with the same content
share a card, and neither a changed article nor a changed template ever reuses a stale one;
a build from the command line, in which nothing changes while pages render, keys objects by
identity instead, and keeps its fragments on disk (body_store.Spool): ~1 kB a card, read back
in microseconds, where rendering one again costs ~80 µs.
The cache is kept for the life of the process (the live-preview worker reuses cards from one
build to the next) and emptied when it grows past its limit (8 MB of UTF-8 in memory by
default; the worker allows more).
List every variable the fragment reads in its key: that is the fragment's contract. A value
the fragment only prints may be given after `with` instead (`{% memo 'article_card', article
with heading_level=2 %}`): the fragment renders once with a mark in its place, and each
page gets the value it gives printed there (a card is an h2 on the index and an h3 on a
topic page: without it, two renders of every card).
"""

from __future__ import annotations

import hashlib
import re

from jinja2 import nodes
from jinja2.ext import Extension
from markupsafe import escape

from explainer.site import pelican_seams
from explainer.site.incremental.body_store import Spool, StoredBody
from explainer.site.plugins import page_links


class MemoExtension(Extension):
    tags = frozenset({"memo"})

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        keys = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            keys.append(parser.parse_expression())
        # `with name=value, ...`: values the fragment only prints, placed in it for each page
        names, values = [], []
        if parser.stream.skip_if("name:with"):
            while True:
                names.append(nodes.Name(parser.stream.expect("name").value, "param"))
                parser.stream.expect("assign")
                values.append(parser.parse_expression())
                if not parser.stream.skip_if("comma"):
                    break
            if len(names) > len(_MARKS):
                parser.fail(f"memo: at most {len(_MARKS)} values after 'with'", lineno)
        body = parser.parse_statements(("name:endmemo",), drop_needle=True)
        where = nodes.Const(f"{parser.name}:{lineno}")
        context = nodes.ContextReference()
        call = self.call_method("_render", [where, nodes.List(keys), context, nodes.List(values)])
        return nodes.CallBlock(call, names, [], body).set_lineno(lineno)

    def _render(self, where: str, keys: list, context, placed: list, caller) -> str:
        from explainer.site.incremental import fingerprint

        env = self.environment
        theme = getattr(env, "_explainer_theme_digest", None)
        if theme is None:
            theme = env._explainer_theme_digest = _templates_digest(env)
        global _size
        key = (theme, where, _key(keys))
        hit = _CACHE.get(key)
        build = fingerprint.build_number()
        page = (context.get("SITEURL"), context.get("output_file"))
        if hit is not None and (hit[2] is None or hit[3] == build):
            if hit[1]:  # the fragment shows a body: so does every page that reuses it
                pelican_seams.note_body_read()
            if hit[2]:
                pelican_seams.note_contents_read(hit[2])
            text = hit[0].decode("utf-8") if type(hit[0]) is bytes else str(hit[0])
            return page_links.placed(_filled(text, placed, context), *page)
        with (
            page_links.relocated(),
            pelican_seams.reading_bodies() as reads,
            pelican_seams.reading_contents() as read,
        ):
            text = caller(*_MARKS[: len(placed)])
        # Stored as UTF-8: a card with a flag emoji is a 4-bytes-per-character str.
        stored: bytes | StoredBody = text.encode("utf-8")
        spool = _spool()
        if _size + len(stored) > (_LIMIT_BYTES if spool is None else _SPOOL_LIMIT_BYTES):
            _CACHE.clear()
            _size = 0
            _SPOOLS.clear()
            spool = _spool()
        _size += len(stored)
        if spool is not None:
            stored = spool.put(stored)
        # The ids of the content objects it read hold for this build only: a later build
        # (the live preview's) renders the fragment again if it read any.
        _CACHE[key] = (stored, bool(reads), frozenset(read) or None, build, keys)
        return page_links.placed(_filled(text, placed, context), *page)


# key -> (UTF-8, in memory or on disk; whether it read a body; ids of the content objects it
# read; build number; the key's values: alive as long as the entry, so no other object
# takes their ids)
_CACHE: dict[tuple, tuple[bytes | StoredBody, bool, frozenset[int] | None, int, list]] = {}
_PLAIN = (str, int, float, bool, type(None))
# What a fragment is given for its `with` values while it renders (_filled replaces them)
_MARKS = tuple(f"\x00{chr(0xE100 + n)}" for n in range(16))
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")

_LIMIT_BYTES = 8 * 1024 * 1024  # in memory
_SPOOL_LIMIT_BYTES = 512 * 1024 * 1024  # on disk (a build from the command line)
_size = 0
_SPOOLS: list[Spool] = []  # this one-shot build's, once it stored a fragment


def _filled(text: str, placed: list, context) -> str:
    """The fragment's `with` values in their marks' places, as `{{ value }}` prints them."""
    for mark, value in zip(_MARKS, placed, strict=False):
        shown = escape(value) if context.eval_ctx.autoescape else value
        text = text.replace(mark, f"{shown}")
    return text


def _spool() -> Spool | None:
    """Where a build from the command line keeps its fragments (None: in memory)."""
    from explainer.site.incremental.session import current

    session = current()
    if session is None or not session.one_shot:
        return None
    if not _SPOOLS:
        _SPOOLS.append(Spool(session.staging_dir))
    return _SPOOLS[0]


def _key(keys: list):
    """The fragment's key: by value, so that the live preview's next build reuses the cards
    of articles it made again the same; in a build from the command line, objects by
    identity (nothing changes while its pages render, and hashing an article with its
    related articles cost a fifth of a cold build's rendering at 5,000 articles)."""
    from explainer.site.incremental import fingerprint
    from explainer.site.incremental.session import current

    session = current()
    if session is not None and session.one_shot:
        return tuple(k if isinstance(k, _PLAIN) else ("id", id(k)) for k in keys)
    # Hashing the key reads more than the fragment does (the related articles of an
    # article); a page depends on what the fragment read, noted when it is rendered.
    with pelican_seams.not_reading_contents():
        return fingerprint.shared().of(keys)


def set_limit(limit_bytes: int) -> None:
    """How many bytes of cards to keep (the live-preview worker keeps more, across builds)."""
    global _LIMIT_BYTES
    _LIMIT_BYTES = limit_bytes


def remember_theme(env) -> None:
    """Take the digest of the templates `env` renders with now, unless it has one."""
    if getattr(env, "_explainer_theme_digest", None) is None:
        env._explainer_theme_digest = _templates_digest(env)


def theme_changed(env) -> bool:
    """Whether a template `env` can load changed since its digest was taken. The digest is
    then taken again, so that no card rendered with the old templates is reused."""
    then = getattr(env, "_explainer_theme_digest", None)
    now = env._explainer_theme_digest = _templates_digest(env)
    return then is not None and then != now


def _templates_digest(env) -> bytes:
    """Every template the environment can load, and the options it compiles them with."""
    h = hashlib.blake2b(digest_size=16)
    # Pelican gives each generator's environment filters of its own, alike but for their
    # addresses (strftime): without them, the index and the topic pages share their cards.
    filters = sorted((k, _ADDRESS.sub("", repr(v))) for k, v in env.filters.items())
    h.update(repr(filters).encode())
    h.update(repr((env.trim_blocks, env.lstrip_blocks, sorted(env.extensions))).encode())
    for name in sorted(env.list_templates()):
        h.update(name.encode() + b"\0" + env.loader.get_source(env, name)[0].encode() + b"\0")
    return h.digest()
