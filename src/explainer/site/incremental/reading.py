"""Read content files once, on every core, and keep what was read while the files are unchanged.

`ReadCache` maps a source file to what its reader returned (HTML and metadata), keyed on the
file's (mtime, size). The live-preview worker keeps one for its whole life, so a save re-reads
just the saved file. `prefetch()` fills it for a whole generator at once with a pool of forked
processes; Pelican's generators then read every file through the reader as usual, and the
reader answers from the cache. In a build from the command line the pool reads in the
background (`background=True`): the generator makes each content object as soon as its file
is read, while the pool reads the next ones, instead of waiting for every file first.

What plugins derive from a read alone (`derived.from_reads`: the glossary links in a body) is
made in the reading processes too, and handed to `derived`.

Metadata travels between processes without Pelican's settings: Tag, Category and Author
objects are rebuilt in the parent with the parent's settings.
"""

from __future__ import annotations

import logging
import os
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from explainer.site.incremental import derived

logger = logging.getLogger(__name__)

Stamp = tuple[int, int]


def stamp(path: str) -> Stamp:
    st = os.stat(path)
    return (st.st_mtime_ns, st.st_size)


class ReadCache:
    def __init__(self) -> None:
        self._entries: dict[str, tuple[Stamp, str, list]] = {}
        self._coming: _Coming | None = None  # a prefetch still reading in the background

    def get(self, path: str, settings: dict) -> tuple[str, dict] | None:
        entry = self._entries.get(path)
        if entry is None and self._coming is not None and path in self._coming.paths:
            self._receive(until=path)
            entry = self._entries.get(path)
        if entry is None:
            return None
        try:
            if stamp(path) != entry[0]:
                return None
        except OSError:
            return None
        return entry[1], unpack_metadata(entry[2], settings)

    def paths(self) -> list[str]:
        """The files read so far."""
        self.settle()
        return list(self._entries)

    def peek(self, path: str) -> tuple[Stamp, str, list] | None:
        """What was read from `path` last, however old: (stamp, content, packed metadata)."""
        self.settle()
        return self._entries.get(path)

    def put(self, path: str, file_stamp: Stamp, content: str, packed: list) -> None:
        self._entries[path] = (file_stamp, content, packed)

    def missing(self, paths: Iterable[str]) -> list[str]:
        """The files not read yet, nor coming from a prefetch in the background."""
        coming = self._coming.paths if self._coming is not None else ()
        out = []
        for path in paths:
            if path in coming:
                continue
            entry = self._entries.get(path)
            try:
                if entry is None or stamp(path) != entry[0]:
                    out.append(path)
            except OSError:
                continue
        return out

    def forget_except(self, paths: Iterable[str]) -> None:
        self.settle()
        keep = set(paths)
        for path in list(self._entries):
            if path not in keep:
                del self._entries[path]

    def clear(self) -> None:
        self.settle()
        self._entries.clear()

    def settle(self) -> None:
        """Wait for a prefetch in the background to deliver all it reads."""
        if self._coming is not None:
            self._receive(until=None)

    def abandon(self) -> None:
        """Stop a prefetch in the background (a build that failed or was stopped)."""
        coming, self._coming = self._coming, None
        if coming is not None:
            coming.pool.terminate()
            coming.pool.join()

    def _receive(self, until: str | None) -> None:
        """Store the background prefetch's results, in the order it reads them, until
        `until` is among them (None: all of them); its pool ends with the last one."""
        coming = self._coming
        assert coming is not None
        try:
            for reads, derived_from_reads in coming.results:
                for (path, file_stamp, content, packed), made in zip(
                    reads, derived_from_reads, strict=True
                ):
                    coming.paths.discard(path)
                    if file_stamp is not None:  # else the reader reads it again, says why
                        self._entries[path] = (file_stamp, content, packed)
                        derived.offer(made)
                if until is not None and until not in coming.paths:
                    if coming.paths:
                        return
                    break
        except Exception as error:  # a reading process died: the reader reads the rest
            logger.debug("reading in the background failed: %r", error)
            self.abandon()
            return
        self._coming = None
        coming.pool.close()
        coming.pool.join()

    def save(self, path: str | os.PathLike, key: bytes) -> None:
        """Keep what was read for the next build in a fresh process (entries of files that
        still exist; each is checked against its file's stamp when used). Entries are
        pickled one by one, with an index at the end: a quick build of one edited article
        (quick_build.py) reads its entry alone, not all 120 MB of a 20,000-article site."""
        import pickle

        self.settle()
        entries = {p: e for p, e in self._entries.items() if os.path.exists(p)}
        tmp = f"{path}.tmp"
        os.makedirs(os.path.dirname(tmp), exist_ok=True)
        with open(tmp, "wb") as handle:
            pickle.dump((_FORMAT, key, len(entries)), handle, protocol=pickle.HIGHEST_PROTOCOL)
            index: dict[str, int] = {}
            for file, entry in entries.items():
                index[file] = handle.tell()
                pickle.dump((file, entry), handle, protocol=pickle.HIGHEST_PROTOCOL)
            where = handle.tell()
            pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
            handle.write(where.to_bytes(8, "little"))
        os.replace(tmp, path)

    def load(self, path: str | os.PathLike, key: bytes) -> int:
        """Load a saved cache made by the same code and settings; returns the entry count."""
        import pickle

        found: dict[str, tuple[Stamp, str, list]] = {}
        try:
            with open(path, "rb") as handle:
                if not _same_cache(pickle.load(handle), key):
                    return 0
                while True:
                    item = pickle.load(handle)
                    if not isinstance(item, tuple):
                        break  # the index
                    found[item[0]] = item[1]
        except Exception:  # unreadable, or made by other code (moved classes): no cache
            return 0
        for file, entry in found.items():
            self._entries.setdefault(file, entry)
        return len(found)

    def load_some(self, path: str | os.PathLike, key: bytes, files: Iterable[str]) -> int:
        """Load the saved entries of these files only; returns how many were there."""
        import pickle

        count = 0
        try:
            with open(path, "rb") as handle:
                if not _same_cache(pickle.load(handle), key):
                    return 0
                handle.seek(-8, os.SEEK_END)
                handle.seek(int.from_bytes(handle.read(8), "little"))
                index = pickle.load(handle)
                for file in files:
                    if file in index:
                        handle.seek(index[file])
                        item = pickle.load(handle)
                        self._entries.setdefault(item[0], item[1])
                        count += 1
        except Exception:  # as load(): no cache
            return 0
        return count

    def __len__(self) -> int:
        self.settle()
        return len(self._entries)


@dataclass
class _Coming:
    pool: Any  # multiprocessing.pool.Pool
    # each chunk's reads and what was derived from them, in the order the chunks were given
    results: Iterator[tuple[list[tuple], list]]
    paths: set[str]  # the files not delivered yet


_FORMAT = "explainer read cache 2"


def _same_cache(header: Any, key: bytes) -> bool:
    return isinstance(header, tuple) and header[:2] == (_FORMAT, key)


CACHE = ReadCache()
_ENABLED = False


def enable(on: bool = True) -> None:
    """Turn the cache on for this process (the runner and the worker do; plain Pelican not)."""
    global _ENABLED
    _ENABLED = on


def enabled() -> bool:
    return _ENABLED


def pack_metadata(metadata: dict) -> list:
    # Pelican marks values to drop with a sentinel that would not survive pickling; its
    # reader pipeline drops them right after reading anyway.
    from explainer.site import pelican_seams

    return [(key, _pack(value)) for key, value in pelican_seams.without_discarded(metadata).items()]


def unpack_metadata(packed: list, settings: dict) -> dict:
    return {key: _unpack(value, settings) for key, value in packed}


def _pack(value: Any) -> Any:
    from pelican.urlwrappers import URLWrapper

    if isinstance(value, URLWrapper):
        return ("\0urlwrapper", type(value).__module__, type(value).__qualname__, value.name)
    if isinstance(value, list):
        return [_pack(v) for v in value]
    if isinstance(value, tuple) and not (value and value[0] == "\0urlwrapper"):
        return tuple(_pack(v) for v in value)
    return value


# One object per distinct value, for the values of metadata that many articles share (their
# tags, countries and minerals): made once per article, they were 160,000 objects at 20,000
# articles. Weakly held: an entry lives as long as some article holds its object.
_SHARED: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def _unpack(value: Any, settings: dict) -> Any:
    if isinstance(value, tuple) and len(value) == 4 and value[0] == "\0urlwrapper":
        # Tags compare by slug, which the settings make: one object per name and settings
        key = ("urlwrapper", *value[1:], id(settings))
        found = _SHARED.get(key)
        if found is None:
            import importlib

            cls = getattr(importlib.import_module(value[1]), value[2])
            found = _SHARED[key] = cls(value[3], settings)
        return found
    if isinstance(value, list):
        return [_unpack(v, settings) for v in value]
    if isinstance(value, tuple):
        return tuple(_unpack(v, settings) for v in value)
    return _shared_value(value)


def _shared_value(value: Any) -> Any:
    """A frozen dataclass of plain values (a country or mineral tag): the one object with
    these values."""
    params = getattr(type(value), "__dataclass_params__", None)
    if params is None or not params.frozen or not hasattr(value, "__dict__"):
        return value
    fields = tuple(value.__dict__.values())
    if not all(type(v) in _PLAIN for v in fields):
        return value
    key = (type(value), *fields, *(type(v) for v in fields))  # 1 and True are equal
    found = _SHARED.get(key)
    if found is None:
        _SHARED[key] = found = value
    return found


_PLAIN = frozenset({str, int, float, bool, type(None)})


# --- parallel prefetch --------------------------------------------------------------------

_READ: Callable[[str], tuple[str, dict]] | None = None


def _read_chunk(paths: list[str]) -> tuple[list[tuple], list]:
    """The reads, then what was derived from them: unpickled in that order, the bodies the
    read cache holds lie together in memory, apart from the derived ones the content
    objects keep, and are handed back to the system whole when the cache is dropped (mixed,
    a cold build's peak grew by 6% at 5,000 articles)."""
    reads = [_read_one(path, _READ) for path in paths]
    return [read[:4] for read in reads], [read[4] for read in reads]


def prefetch(
    paths: list[str],
    read: Callable[[str], tuple[str, dict]],
    workers: int,
    background: bool = False,
) -> int:
    """Read `paths` not yet cached with `read`, on `workers` forked processes; returns count.
    With `background`, return at once: the cache answers for each file once it is read, so
    ask for them in the order of `paths`."""
    global _READ
    todo = CACHE.missing(paths)
    if not todo:
        return 0
    if workers <= 1 or len(todo) < 24:
        for path, file_stamp, content, packed, made in (_read_one(path, read) for path in todo):
            if file_stamp is not None:
                CACHE.put(path, file_stamp, content, packed)
                derived.offer(made)
        return len(todo)
    import multiprocessing

    CACHE.settle()  # one pool at a time
    _READ = read  # the pool's processes are forked now, with it
    size = max(8, min(64, len(todo) // (workers * 8) or 1))
    chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
    pool = multiprocessing.get_context("fork").Pool(workers)
    _READ = None
    CACHE._coming = _Coming(pool, pool.imap(_read_chunk, chunks), set(todo))
    if not background:
        CACHE.settle()
    return len(todo)


def _read_one(path: str, read) -> tuple:
    """(path, stamp, HTML, packed metadata, values derived from them)."""
    try:
        file_stamp = stamp(path)
        content, metadata = read(path)
        made = derived.made_from_read(path, content, metadata)
        return (path, file_stamp, content, pack_metadata(metadata), made)
    except Exception:  # the parent reads it again and reports the error properly
        return (path, None, None, None, ())
