"""What the search index reads of a page, to tell a change it would not see.

A retitled article changes its neighbours' "newer/older" links, the related lists that name
it and the cards on its topic pages; the theme marks those parts `data-pagefind-ignore`, so
Pagefind indexes those pages as before. A build notes such pages (`search_neutral`) as it
commits them, with the stamp each had before, and the search index (search_index.py) does
not index their shards again for them: at 20,000 articles a retitle changed pages in 12 of
34 shards (12 s of Pagefind), of which one held a change the index could see.

`search_view(html)` is the page without its ignored parts and the content of its scripts and
styles: everything else counts, markup included, so two views that are equal index the same.
An ignored part that holds what Pagefind reads even there (meta, filters, sort keys) or may
take as a default (the first `<h1>` is the title, the first `<img>` the image) stays in.
Markup this reading cannot be sure of (an ignored element that HTML may close without its
end tag, one never closed) gives no view: the page counts as changed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_IGNORE = b"data-pagefind-ignore"
_BODY = b"data-pagefind-body"  # the pages the index reads (search_index.py)
# In an ignored part, what Pagefind still reads or takes as a default: the part stays in.
_STILL_READ = (b"data-pagefind-meta", b"data-pagefind-filter", b"data-pagefind-sort", b"<h1",
               b"<img")  # fmt: skip
# A comment, or a start or end tag (attribute values may hold ">").
_TAG = re.compile(
    rb"""<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>""", re.S
)
# Elements whose content is text up to their end tag, never markup.
_RAW_TEXT = {b"script", b"style", b"textarea", b"title"}
# Of those, the ones whose content Pagefind never indexes (JSON-LD that lists a topic's
# articles, say); their tags stay in the view.
_NOT_INDEXED = {b"script", b"style"}
# Elements HTML may end without an end tag: where an ignored one ends is not certain.
_IMPLIED_END = {b"p", b"li", b"dt", b"dd", b"option", b"optgroup", b"tr", b"td", b"th",
                b"thead", b"tbody", b"tfoot", b"colgroup", b"caption", b"rb", b"rt", b"rtc",
                b"rp"}  # fmt: skip
_VOID = {b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
         b"source", b"track", b"wbr"}  # fmt: skip
# Pages changed at once above which a build does not look (a theme edit changes them all,
# and every shard is indexed again anyway).
MOST_PAGES = 400


def search_view(html: bytes) -> bytes | None:
    """The page without the parts marked `data-pagefind-ignore` that hold nothing Pagefind
    reads, and without what its scripts and styles hold; None when where such a part ends
    is not certain."""
    parts = _left_out(html)
    if parts is None:
        return None
    out, kept = [], 0
    for start, end in parts:
        out.append(html[kept:start])
        kept = end
    out.append(html[kept:])
    return b"".join(out)


def _left_out(html: bytes) -> list[tuple[int, int]] | None:
    """The spans of the ignored parts that hold nothing Pagefind reads, and of scripts' and
    styles' content, in order (None: not certain)."""
    parts = []
    position: int | None = 0
    while position is not None and (tag := _TAG.search(html, position)) is not None:
        position = tag.end()
        name, closing = (tag.group(2) or b"").lower(), bool(tag.group(1))
        if not name or closing:
            continue  # a comment, or an end tag outside the ignored parts
        if name in _RAW_TEXT:
            start, position = position, _raw_text_end(html, name, position)
            if name in _NOT_INDEXED and position is not None:
                parts.append((start, position))
        elif _IGNORE in tag.group(3):
            if name in _IMPLIED_END:
                return None
            position = tag.end() if name in _VOID else _end_of(html, name, position)
            if position is not None and not _still_read(html[tag.start() : position]):
                parts.append((tag.start(), position))
    return None if position is None else parts


def _end_of(html: bytes, name: bytes, position: int) -> int | None:
    """Where the element `name` whose start tag ends at `position` ends (after its end tag)."""
    depth = 1
    while (tag := _TAG.search(html, position)) is not None:
        position = tag.end()
        found = (tag.group(2) or b"").lower()
        if found in _RAW_TEXT and not tag.group(1):
            position = _raw_text_end(html, found, position)
            if position is None:
                return None
        elif found == name:
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                return position
    return None


def _raw_text_end(html: bytes, name: bytes, position: int) -> int | None:
    """Where a raw-text element's content (from `position`) ends: at its end tag."""
    end = re.compile(rb"</" + name + rb"[\s/>]", re.I).search(html, position)
    return None if end is None else end.start()


def _still_read(part: bytes) -> bool:
    lowered = part.lower()
    return any(marker in lowered for marker in _STILL_READ)


def unseen_change(
    target: Path, new: bytes | Path, old: bytes | None = None
) -> tuple[int, int] | None:
    """When the page at `target` (as the last build left it, its bytes `old` if already read)
    is about to become `new` (its bytes, or the file holding them, read only for a page) and
    the search index would read both alike: its stamp (size, mtime_ns) before; else None."""
    if not str(target).endswith(".html"):
        return None
    try:
        st = os.stat(target)
        old = target.read_bytes() if old is None else old
        new = new.read_bytes() if isinstance(new, Path) else new
    except OSError:
        return None
    if _BODY not in new and _BODY not in old:
        return None  # a page the index leaves out (the archives: 3 MB at 20,000 articles)
    view = search_view(new)
    if view is None or view != search_view(old):
        return None
    return st.st_size, st.st_mtime_ns
