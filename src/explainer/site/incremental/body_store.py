"""Article bodies kept on disk while a build from the command line renders its pages.

A body is the largest thing a content object holds (~5 kB of HTML an article), and the page
that shows it is the only one that needs it. Held in memory through rendering, each body
is counted in the parent and again in its forked render process: writing a reference count
to read an object copies the memory page it sits on. `stash()` writes the bodies to one
unlinked file and leaves in each object a `StoredBody`, which reads its body back whenever
it is asked for it (Pelican's `Content.get_content`, `pelican_seams.raw_content`,
fingerprints). Pickled, a `StoredBody` becomes the text again, so the saved context holds
plain bodies, as before.

`Spool` keeps other texts of a build on disk the same way, one at a time: the theme's
article cards (explainer/site/jinja_memo.py).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from typing import Any

from explainer.site import pelican_seams

# Shorter bodies save less than the stored reference costs in reads
MIN_SIZE = 512


class StoredBody:
    """A body on disk: str() reads it back."""

    __slots__ = ("_offset", "_size", "_store")

    def __init__(self, store: _Store, offset: int, size: int) -> None:
        self._store, self._offset, self._size = store, offset, size

    def __str__(self) -> str:
        data = os.pread(self._store.fd, self._size, self._offset)
        return data.decode("utf-8", "surrogatepass")

    def encode(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        """What str.encode gives for the text (fingerprints hash a body as its text)."""
        if encoding == "utf-8" and errors == "surrogatepass":
            return os.pread(self._store.fd, self._size, self._offset)
        return str(self).encode(encoding, errors)

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (str, (str(self),))


class _Store:
    """The unlinked file; closed when its last StoredBody is freed."""

    def __init__(self, folder: str | os.PathLike | None) -> None:
        # open as long as a StoredBody refers to it (no `with`)
        self.file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115
        self.fd = self.file.fileno()


class Spool:
    """Texts appended to an unlinked file of this process, each read back by the
    `StoredBody` that `put` returns. A forked process appends to a file of its own (those
    put before the fork stay readable in both)."""

    def __init__(self, folder: str | os.PathLike | None = None) -> None:
        self._folder = folder
        self._store: _Store | None = None
        self._pid = 0
        self._offset = 0

    def put(self, data: bytes) -> StoredBody:
        if self._store is None or self._pid != os.getpid():
            self._store, self._pid, self._offset = _Store(self._folder), os.getpid(), 0
        os.pwrite(self._store.fd, data, self._offset)
        stored = StoredBody(self._store, self._offset, len(data))
        self._offset += len(data)
        return stored


def stash(objects: Iterable[Any], folder: str | os.PathLike | None = None) -> int:
    """Move the bodies of `objects` (content objects) to disk; the number moved."""
    store: _Store | None = None
    offset = moved = 0
    chunks: list[bytes] = []
    for obj in objects:
        body = pelican_seams.raw_content(obj)
        if type(body) is not str or len(body) < MIN_SIZE:
            continue
        if store is None:
            store = _Store(folder)
        data = body.encode("utf-8", "surrogatepass")
        chunks.append(data)
        pelican_seams.set_raw_content(obj, StoredBody(store, offset, len(data)))
        offset += len(data)
        moved += 1
        if len(chunks) >= 256:
            store.file.write(b"".join(chunks))
            chunks.clear()
    if store is not None:
        store.file.write(b"".join(chunks))
        store.file.flush()
    return moved
