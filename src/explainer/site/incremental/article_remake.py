"""An article the last build made, given new text with the same metadata: what the live
preview's quick pages (worker.py) and a fresh process's build of edited articles
(quick_build.py) render, instead of remaking the whole site's context."""

from __future__ import annotations

import copy
from typing import Any


def remade(article, old_content: str, content: str, context: dict):
    """The article with new text (the same metadata): a copy of the one the last build made,
    which plugins completed (topic pages, related articles, neighbours...: all follows from
    the metadata), with what making it from the new text rather than the old changes (the
    content, and what plugins working on new content objects derive from it)."""
    kind = type(article)

    def make(text: str):
        return kind(text, dict(article.metadata), settings=article.settings,
                    source_path=article.source_path, context=context)  # fmt: skip

    before, after = make(old_content).__dict__, make(content).__dict__
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
