"""An article the last build made, given new text with the same metadata: what the live
preview's quick pages (worker.py) and a fresh process's build of edited articles
(quick_build.py) render, instead of remaking the whole site's context."""

from __future__ import annotations

import copy
from typing import Any


def remade(article, old_content: str, content: str, context: dict, metadata: dict | None = None):
    """The article with new text (and, if given, new `metadata` that leaves what follows
    from it as it was): a copy of the one the last build made, which plugins completed
    (topic pages, related articles, neighbours...: all follows from the metadata), with what
    making it from the new text and metadata rather than the old changes (the content, the
    fields, and what plugins working on new content objects derive from them)."""
    kind = type(article)

    def make(text: str, fields: dict):
        return kind(text, dict(fields), settings=article.settings,
                    source_path=article.source_path, context=context)  # fmt: skip

    before = make(old_content, article.metadata).__dict__
    after = make(content, article.metadata if metadata is None else metadata).__dict__
    fresh = copy.copy(article)
    for name in before.keys() | after.keys():
        old, new = before.get(name, _MISSING), after.get(name, _MISSING)
        if old is new or _equal(old, new):
            continue
        if new is _MISSING:
            fresh.__dict__.pop(name, None)
        else:
            fresh.__dict__[name] = new
    return fresh


_MISSING = object()


def _equal(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:
        return False
