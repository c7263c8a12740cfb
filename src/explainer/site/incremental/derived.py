"""Values derived from a build's inputs, kept on disk for the next build in a fresh process.

For per-article work that plugins do while content objects are made and that costs more
than reading the saved result (the glossary links in every article's body: a third of a
one-edit build in a fresh process at 1,000 articles). A value is keyed on everything it is
derived from (the caller's key parts); the file as a whole belongs to the code and settings
that made it (like the read cache, `reading.py`). Only the entries a build used are saved.

    html = derived.get_or_make(derived.key("glossary", glossary_digest, body), lambda: ...)

A value made from what a reader returned alone can be made in the reading processes
(reading.py), while the build's own process makes the content objects: the plugin registers
a maker with `from_reads`, which says, for one read, each value's entry and how to make it;
`get_or_make` then finds the value made.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from typing import Any

_store: dict[bytes, Any] = {}
_used: set[bytes] = set()
_loaded: tuple[str, bytes] | None = None
_MISSING = object()
# name -> maker(path, content, metadata): the (entry, make) pairs of the values derived from
# one read (reading.py calls them in its reading processes)
_FROM_READS: dict[str, Callable[[str, str, dict], Iterable[tuple[bytes, Callable[[], Any]]]]] = {}


def key(*parts: str | bytes) -> bytes:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(b"%d:" % len(data) + data)
    return h.digest()


def get_or_make(entry: bytes, make: Callable[[], Any]) -> Any:
    _used.add(entry)
    value = _store.get(entry, _MISSING)
    if value is _MISSING:
        value = _store[entry] = make()
    return value


def from_reads(
    name: str,
    maker: Callable[[str, str, dict], Iterable[tuple[bytes, Callable[[], Any]]]] | None,
) -> None:
    """Have the reading processes make, right after reading a file, the values `maker`
    names for what was read (path, HTML, metadata): pairs of the value's entry and a
    function that makes it. Registered again under the same name, it replaces the last;
    None takes it away."""
    if maker is None:
        _FROM_READS.pop(name, None)
    else:
        _FROM_READS[name] = maker


def made_from_read(path: str, content: str, metadata: dict) -> list[tuple[bytes, Any]]:
    """In a reading process: the values the makers derive from one read, except those the
    build has already (the last build's). One that fails is left for the build's own
    process, which makes it again and reports what is wrong."""
    made = []
    for maker in list(_FROM_READS.values()):
        try:
            for entry, make in maker(path, content, metadata):
                if entry not in _store:
                    made.append((entry, make()))
        except Exception:
            continue
    return made


def offer(made: Iterable[tuple[bytes, Any]]) -> None:
    """Values made in a reading process, for `get_or_make` to find (saved only if used)."""
    for entry, value in made:
        _store.setdefault(entry, value)


def load(path: str | os.PathLike, owner: bytes) -> None:
    """The values saved by the last build, if the same code and settings made them."""
    global _loaded
    if _loaded == (str(path), owner):
        return  # a process that builds again (the live-preview worker) has them already
    _loaded = (str(path), owner)
    _store.clear()
    try:
        with open(path, "rb") as handle:
            saved_owner, entries = pickle.load(handle)
    except (OSError, EOFError, pickle.PickleError, AttributeError, ValueError, TypeError):
        return
    if saved_owner == owner:
        _store.update(entries)


def release() -> None:
    """Free the values in memory once the content objects are made (they hold them now);
    a process that builds again does not load the file again."""
    _store.clear()
    _used.clear()


def save(path: str | os.PathLike, owner: bytes) -> None:
    """Keep the values this build used (and forget the others)."""
    entries = {k: _store[k] for k in _used if k in _store}
    release()
    tmp = f"{path}.tmp"
    os.makedirs(os.path.dirname(tmp), exist_ok=True)
    with open(tmp, "wb") as handle:
        pickle.dump((owner, entries), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
