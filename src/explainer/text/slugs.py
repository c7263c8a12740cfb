"""URL slugs, the same everywhere: "China's New Mining" -> "chinas-new-mining"."""

from __future__ import annotations

from slugify import slugify

_APOSTROPHES = [["'", ""], ["’", ""], ["‘", ""]]


def make_slug(text: str, max_length: int = 0) -> str:
    return slugify(
        text, max_length=max_length, word_boundary=bool(max_length), replacements=_APOSTROPHES
    )
