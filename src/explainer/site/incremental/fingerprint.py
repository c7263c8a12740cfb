"""Fingerprints of the values a template can see, and of the templates themselves.

A page's signature is a hash of everything its rendering can read: the template and every
template it extends, includes or imports; the settings; and, for each variable those templates
name, the value the writer passes. Values are hashed by what they hold, to a fixed depth:

- scalars (str, numbers, dates, Markup...) by value; lists, tuples, dicts and sets by their items,
  without using up depth; "transparent" wrappers (Pelican's paginator pages) likewise;
- an object named by a template variable (an article, a topic) by all its attributes, and the
  objects those attributes hold (its topics, its related articles) by their own attributes;
  objects one step further (a related article's topics) only count by their type.
  So `article.countries[0].name` and `topic.articles[3].title` are covered, and editing one
  China article does not re-render every other China article's page just because their
  "China" chip object now lists one more article.
- Tags, categories and authors by name and slug (their URLs follow from the settings);
- an object can describe itself with `__fingerprint__()` (its return value is hashed instead).

A template whose included name is computed at render time, or an environment with a
`pass_context` filter/global (which can read any variable), makes every page depend on the
whole context: slower, still correct.
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import re
import types
from collections.abc import Iterable, Mapping
from typing import Any

from jinja2 import meta, nodes

from explainer.site import pelican_seams
from explainer.site.incremental.body_store import StoredBody
from explainer.site.incremental.objects import DIGESTS, PRISTINE, STATIC_LINKS, same

_SCALARS = (str, int, float, bool, bytes, type(None))
_SMALL_OK = (list, tuple, dict, set, frozenset)
_DATES = (_dt.datetime, _dt.date, _dt.time, _dt.timedelta)
# Attributes that are plumbing, not content: the shared context and settings (hashed once).
_CODE = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.ModuleType,
    type,
    functools.partial,
)
_SKIP_ATTRS = frozenset(
    {
        "_context",
        "settings",
        "_output_location_referenced",
        PRISTINE,
        DIGESTS,
        STATIC_LINKS,
        "get_static_links",
        "get_relative_source_path",
    }
)
_SKIP_WITH_BODY = _SKIP_ATTRS | {"_content"}
TRANSPARENT: set[type] = set()
_MAX_LEVEL = 2
# what _compute hashes other than by the object's attributes
_NOT_PLAIN_OBJECTS = (Mapping, list, tuple, set, frozenset, *_CODE)


def transparent(cls: type) -> type:
    """Register a wrapper class whose instances count as containers of their attributes."""
    TRANSPARENT.add(cls)
    return cls


# watched class -> function giving an instance's name among the build's objects
_WATCHED_KEYS: dict[type, Any] = {}


def counted_when_read(*names: str, key):
    """Register a class whose attributes `names` (what a topic lists: its articles) count
    in a page's signature only when the page's last render read one of them, like a
    content object the page read; its other attributes (its name, its address) always
    count. `key(instance)`: a string naming the instance among the build's objects; the
    instances the build knows are found in the context's lists."""

    def register(cls: type) -> type:
        pelican_seams.WATCHED[cls] = frozenset(names)
        _WATCHED_KEYS[cls] = key
        return cls

    return register


class Fingerprinter:
    """Hashes values for one build; memoises by object identity (values must not change)."""

    def __init__(
        self, link_state: Any = None, *, bodies: bool = True, identities: bool = False
    ) -> None:
        self._memo: dict[tuple[int, int], tuple[Any, bytes]] = {}
        # bodies=False: content objects count without their body (Content._content), for
        # pages whose last render read no body but their own (writer.py)
        self.bodies = bodies
        # identities=True: content objects count by their source file only, for pages whose
        # last render's reads of content objects are counted apart (writer.py)
        self.identities = identities
        self._keys: dict[int, tuple[Any, bytes | None]] = {}  # id -> (object, content_key)
        self._link_state = link_state  # callable -> bytes: where intrasite links point
        self._link_digest: bytes | None = None
        self._urlwrapper = _urlwrapper_class()
        self._content = _content_class()
        self._link_regex: re.Pattern | None = None

    def of(self, value: Any, level: int = 0) -> bytes:
        """A digest of `value` (16 bytes for objects; raw tagged bytes for scalars)."""
        cls = type(value)
        kind = _KINDS.get(cls)
        if kind is None:
            kind = _KINDS[cls] = _kind(cls, self._content)
        if kind == _STR:  # the common case first (Markup is a str)
            data = value.encode("utf-8", "surrogatepass")
            return b"s%d:" % len(data) + data
        if kind == _SCALAR:
            return b"v" + cls.__name__.encode() + repr(value).encode() + b";"
        if kind == _SMALL and len(value) < 16:
            return self._compute(value, level)  # cheap again; memoising would pin it in memory
        if kind == _CONTENT and self.identities:
            hit = self._keys.get(id(value))
            if hit is None or hit[0] is not value:
                hit = self._keys[id(value)] = (value, content_key(value))
            if hit[1] is not None:
                return b"i" + hit[1]
        if self._cheap(value, level, kind):
            # as cheap as a memo lookup, and one per article per level: memoised, these were
            # two thirds of the memo (and of its memory) at 1,000 articles
            return self._compute(value, level)
        key = (id(value), level)
        hit = self._memo.get(key)
        if hit is not None and hit[0] is value:
            return hit[1]
        result = self._compute(value, level)
        self._memo[key] = (value, result)
        return result

    def _cheap(self, value: Any, level: int, kind: int) -> bool:
        """Dates, wrappers (their contents are memoised), and objects past the depth limit
        (their type's name only). Memoised, the wrappers were most of the memo's entries,
        one set per article, each looked up once. Tags and an article's country and mineral
        records are memoised: the read cache gives one object per distinct value."""
        if kind == _DATE_VALUE or type(value) in TRANSPARENT:
            return True
        return (
            level >= _MAX_LEVEL
            and hasattr(value, "__dict__")
            and not isinstance(value, _NOT_PLAIN_OBJECTS)
            and not hasattr(value, "__fingerprint__")
        )

    def of_read(self, content: Any) -> bytes:
        """A content object by its attributes, for a fingerprinter that counts content
        objects by identity: the ones it holds (its related articles) still count by theirs."""
        key = (id(content), -1)
        hit = self._memo.get(key)
        if hit is not None and hit[0] is content:
            return hit[1]
        result = self._compute(content, 0, full=True)
        self._memo[key] = (content, result)
        return result

    def of_own(self, value: Any) -> bytes:
        """A content page's own article or page: with its body even when this fingerprinter
        counts content objects without theirs (the objects it holds still go without)."""
        if self.identities and self._content is not None and isinstance(value, self._content):
            if self.bodies:
                return self.of_read(value)
            return combine(
                [self.of_read(value), self.of(pelican_seams.raw_content(value)), self._links(value)]
            )
        if self.bodies or self._content is None or not isinstance(value, self._content):
            return self.of(value)
        # what a listing sees of it (computed once, shared with the listings), plus its body
        return combine(
            [self.of(value), self.of(pelican_seams.raw_content(value)), self._links(value)]
        )

    def _compute(self, value: Any, level: int, full: bool = False) -> bytes:
        h = hashlib.blake2b(digest_size=16)
        update = h.update
        cls = type(value)
        shape = _SHAPES.get(cls)
        if shape is None:
            shape = _SHAPES[cls] = _shape(cls, self._urlwrapper)
        update(shape[1])
        if shape[0] == _DATE:
            update(value.isoformat().encode() + str(getattr(value, "tzinfo", "")).encode())
        elif shape[0] == _ITEMS:
            self._items(h, value, level)
        elif shape[0] == _URL:
            update(f"{value.name}\0{value.slug}".encode())
        elif shape[0] == _CODE_SHAPE:
            update(_callable_name(value).encode())
        elif hasattr(value, "__fingerprint__"):
            update(self.of(value.__fingerprint__(), level))
        elif hasattr(value, "__dict__"):
            self._object(h, value, level, full)
        elif callable(value):
            update(_callable_name(value).encode())
        else:
            text = repr(value)
            update((text if " at 0x" not in text else "").encode())
        return h.digest()

    def _items(self, h, value: Any, level: int) -> None:
        """A container's items (a dict's by key, a set's in a fixed order), at the same level."""
        of, update = self.of, h.update
        cls = type(value)
        if cls is not list and cls is not tuple and isinstance(value, dict | Mapping):
            for k, v in sorted(((repr(k), v) for k, v in value.items()), key=lambda kv: kv[0]):
                update(k.encode())
                update(of(v, level))
        elif isinstance(value, list | tuple):
            for item in value:
                update(of(item, level))
        else:
            for item in sorted(of(item, level) for item in value):
                update(item)

    def _object(self, h, value: Any, level: int, full: bool = False) -> None:
        """An object by its attributes (a wrapper without using up depth; a content object
        without its body for a bodiless fingerprinter, else with where its links point; a
        watched object without its watched attributes where reads are counted apart, unless
        `full`: it was read)."""
        if type(value) in TRANSPARENT:
            self._attributes(h, value, level)
        elif level < _MAX_LEVEL:
            content = self._content is not None and isinstance(value, self._content)
            skip = _SKIP_WITH_BODY if content and not self.bodies else _SKIP_ATTRS
            watched = pelican_seams.WATCHED.get(type(value))
            if watched and self.identities and not full:
                skip = skip | watched
            self._attributes(h, value, level + 1, skip)
            if content and self.bodies:
                h.update(self._links(value))

    def _attributes(self, h, value: Any, level: int, skip: frozenset = _SKIP_ATTRS) -> None:
        of, update = self.of, h.update
        state = vars(value)
        pristine = state.get(PRISTINE)
        if pristine is not None:
            return self._reused_attributes(h, state, pristine, level, skip)
        for name, attr in sorted(state.items()):
            if name in skip:
                continue
            update(name.encode())
            update(of(attr, level))

    def _reused_attributes(self, h, state: dict, pristine: Any, level: int, skip) -> None:
        """A copy of an object kept between builds (objects.py): attributes that still hold
        what the original held reuse the digest computed for the original."""
        original = pristine.__dict__
        digests = original.get(DIGESTS)
        if digests is None:
            digests = original[DIGESTS] = {}
        of, update = self.of, h.update
        for name, attr in sorted(state.items()):
            if name in skip:
                continue
            update(name.encode())
            if name in original and same(attr, original[name]):
                key = (name, level, self.bodies, self.identities)
                digest = digests.get(key)
                if digest is None:
                    digest = digests[key] = of(attr, level)
                update(digest)
            else:
                update(of(attr, level))

    def _links(self, content: Any) -> bytes:
        """A content body with {filename} links depends on where the linked files land."""
        raw = pelican_seams.raw_content(content)
        if not raw or self._link_state is None:
            return b""
        if self._link_regex is None:
            self._link_regex = pelican_seams.intrasite_link_regex(content)
        if not self._link_regex.search(raw):
            return b""
        if self._link_digest is None:
            self._link_digest = self._link_state()
        return self._link_digest


def content_key(content: Any) -> bytes | None:
    """A content object's identity between builds: a digest of its source file's path
    (8 bytes; None for an object made from no file)."""
    path = getattr(content, "source_path", None)
    if not isinstance(path, str) or not path:
        return None
    return hashlib.blake2b(path.encode("utf-8", "surrogatepass"), digest_size=8).digest()


def contents_by_key(context: dict) -> dict[bytes, Any]:
    """The context's content objects made from files, by content_key (the first one made
    from a file, generated content before static), and the watched objects in its lists
    (counted_when_read), by their key."""
    found: dict[bytes, Any] = {}
    for table in ("generated_content", "static_content"):
        for content in (context.get(table) or {}).values():
            key = content_key(content)
            if key is not None and key not in found:
                found[key] = content
    if _WATCHED_KEYS:
        for value in context.values():
            if type(value) is list:
                for item in value:
                    name = _WATCHED_KEYS.get(type(item))
                    if name is not None:
                        found.setdefault(watched_key(item, name(item)), item)
    return found


def watched_key(item: Any, name: str) -> bytes:
    """A watched object's key: 8 bytes, like a content object's, from another namespace."""
    text = f"{type(item).__qualname__}\0{name}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(text, digest_size=8, person=b"watched").digest()


# What `of` and `_compute` do with a value, by its exact type: found once per type with the
# isinstance tests they stand for (an isinstance test against an ABC such as Mapping costs
# more than the rest of a small value's digest).
_STR, _SCALAR, _SMALL, _CONTENT, _DATE_VALUE, _OTHER = range(6)
_KINDS: dict[type, int] = {}
_DATE, _ITEMS, _URL, _CODE_SHAPE, _PLAIN = range(5)
_SHAPES: dict[type, tuple[int, bytes]] = {}


def _kind(cls: type, content: type | None) -> int:
    if issubclass(cls, str | StoredBody):  # a body kept on disk counts as its text
        return _STR
    if issubclass(cls, _SCALARS):
        return _SCALAR
    if cls in _SMALL_OK:
        return _SMALL
    if content is not None and issubclass(cls, content):
        return _CONTENT
    return _DATE_VALUE if issubclass(cls, _DATES) else _OTHER


def _shape(cls: type, urlwrapper: type | None) -> tuple[int, bytes]:
    if issubclass(cls, _DATES):
        shape = _DATE
    elif issubclass(cls, dict | Mapping | list | tuple | set | frozenset):
        shape = _ITEMS
    elif urlwrapper is not None and issubclass(cls, urlwrapper):
        shape = _URL
    elif issubclass(cls, _CODE):
        shape = _CODE_SHAPE
    else:
        shape = _PLAIN
    return shape, cls.__qualname__.encode()


def _callable_name(value: Any) -> str:
    module = getattr(value, "__module__", "") or ""
    name = getattr(value, "__qualname__", None) or type(value).__qualname__
    return f"{module}.{name}"


def _urlwrapper_class():
    try:
        from pelican.urlwrappers import URLWrapper
    except ImportError:  # pragma: no cover - Pelican is a dependency
        return None
    return URLWrapper


def _content_class():
    try:
        from pelican.contents import Content
    except ImportError:  # pragma: no cover
        return None
    return Content


_shared: Fingerprinter | None = None


def shared() -> Fingerprinter:
    """The fingerprinter of the build in progress (the writer sets it; memo fragments use it)."""
    global _shared
    if _shared is None:
        _shared = Fingerprinter()
    return _shared


def set_shared(fingerprinter: Fingerprinter | None) -> None:
    global _shared, _build_number
    _shared = fingerprinter
    _build_number += 1


_build_number = 0


def build_number() -> int:
    """Which build the shared fingerprinter belongs to (set_shared counts them)."""
    return _build_number


# --- templates ---------------------------------------------------------------------------

ALL_NAMES = None  # "this template may read any variable"


class TemplateInfo:
    """The closure of a template (itself + what it extends/includes/imports): sources, names."""

    def __init__(self, digest_: bytes, names: frozenset[str] | None) -> None:
        self.digest = digest_
        self.names = names  # None: every context variable


def template_info(env, template, cache: dict) -> TemplateInfo:
    name = template.name
    key = (id(env), name)
    hit = cache.get(key)
    if hit is not None and hit[0] is env:
        return hit[1]
    names: set[str] = set()
    dynamic = _env_reads_whole_context(env)
    seen: dict[str, str] = {}
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        source, filename, _ = env.loader.get_source(env, current)
        seen[current] = source
        used, referenced, is_dynamic = _parsed(env, current, source, filename)
        names |= used
        todo.extend(referenced)
        dynamic = dynamic or is_dynamic
    if dynamic:
        # Any template could be reached: depend on all of them and on every variable.
        for other in env.list_templates():
            if other not in seen:
                seen[other] = env.loader.get_source(env, other)[0]
    h = hashlib.blake2b(digest_size=16)
    for template_name in sorted(seen):
        h.update(template_name.encode() + b"\0" + seen[template_name].encode() + b"\0")
    info = TemplateInfo(h.digest(), None if dynamic else frozenset(names))
    cache[key] = (env, info)
    return info


_PARSED: dict[tuple, tuple[frozenset[str], tuple[str, ...], bool]] = {}


def _parsed(env, name: str, source: str, filename) -> tuple[frozenset[str], tuple[str, ...], bool]:
    """(variables the template reads, templates it names, whether it names one at run time)."""
    key = (name, source, tuple(sorted(env.extensions)))
    hit = _PARSED.get(key)
    if hit is not None:
        return hit
    ast = env.parse(source, name, filename)
    referenced: list[str] = []
    dynamic = False
    for node in ast.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        target = node.template
        if isinstance(target, nodes.Const) and isinstance(target.value, str):
            referenced.append(target.value)
        elif isinstance(target, nodes.List | nodes.Tuple) and all(
            isinstance(item, nodes.Const) for item in target.items
        ):
            referenced.extend(item.value for item in target.items)
        else:
            dynamic = True
    result = (frozenset(meta.find_undeclared_variables(ast)), tuple(referenced), dynamic)
    _PARSED[key] = result
    return result


def _env_reads_whole_context(env) -> bool:
    builtin = _builtin_callables()
    for table in (env.filters, env.globals, env.tests):
        for value in table.values():
            if id(value) in builtin:
                continue
            if pelican_seams.passes_context(value):
                return True
    return False


_BUILTINS: set[int] | None = None


def _builtin_callables() -> set[int]:
    global _BUILTINS
    if _BUILTINS is None:
        from jinja2 import Environment

        env = Environment()
        _BUILTINS = {id(v) for t in (env.filters, env.globals, env.tests) for v in t.values()}
    return _BUILTINS


# --- files -----------------------------------------------------------------------------------


def combine(parts: Iterable[bytes]) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part)
    return h.digest()
