"""The author a text seed's byline names ("By Jane Smith", "Von Anna Müller", "Par Jean Dupont").

A byline is a short line near the headline (just before or in the few lines after it) that opens
with the word the page's language uses for "by" (data/byline_words.txt) followed by a name: words
that start with a capital letter, joined by commas or "and" and the like.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from explainer.ingest.text_lines import Line

_LOOK_AFTER = 8
_LOOK_BEFORE = 2
_MAX_BYLINE_WORDS = 14
_NAME_WORD = r"[^\W\d_][\w'’.-]*"


@lru_cache(maxsize=1)
def _byline() -> re.Pattern[str]:
    path = resources.files("explainer.data") / "byline_words.txt"
    words = [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    lead = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    name = rf"(?:{_NAME_WORD})(?:\s+{_NAME_WORD}){{0,4}}"
    return re.compile(
        rf"^(?i:{lead})\s*:?\s+(?P<names>{name}(?:\s*(?:,|&|\band\b|\bund\b|\bet\b|\by\b|\bi\b)\s*"
        rf"{name})*)"
    )


def is_byline(text: str) -> bool:
    """A short line opening with the language's word for "by" and a name."""
    return (
        len(text) <= 120 and len(text.split()) <= _MAX_BYLINE_WORDS and bool(_byline().match(text))
    )


def find_author(lines: list[Line], headline: int | None) -> str:
    """The names in the byline near the headline, "" when there is none."""
    if headline is None:
        return ""
    start = max(0, headline - _LOOK_BEFORE)
    for line in lines[start : headline + _LOOK_AFTER + 1]:
        if line.words > _MAX_BYLINE_WORDS:
            continue
        match = _byline().match(line.text)
        if not match:
            continue
        names = match.group("names").strip(" ,")
        words = names.split()
        if words and all(w[:1].isupper() for w in words if len(w) > 3 and w not in ("and",)):
            return names
    return ""
