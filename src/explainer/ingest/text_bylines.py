"""The author a text seed's byline names ("By Jane Smith", "Von Anna Müller", "Par Jean Dupont").

A byline is a short line near the headline (just before or in the few lines after it) that opens
with the word the page's language uses for "by" (data/byline_words.txt) followed by a name: words
that start with a capital letter, joined by commas or "and" and the like.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from explainer.ingest.text_model import TextReading

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


def find_author(reading: TextReading) -> str:
    if reading.headline is None:
        return ""
    lines = reading.page.lines
    start = max(0, reading.headline - _LOOK_BEFORE)
    for line in lines[start : reading.headline + _LOOK_AFTER + 1]:
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
