"""Which language a text is in, and its stop words: jusText's stop lists (about 100 languages).

The language is the one whose stop list covers most of the text's words: stop words are the
most frequent words of a language, so a few lines are enough, and no model is loaded.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache, lru_cache

import justext
import pycountry

_WORD = re.compile(r"\w+")
_SAMPLE_WORDS = 3000


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, ...]]:
    """Each stop word -> the languages whose list holds it."""
    index: dict[str, list[str]] = {}
    for language in sorted(justext.get_stoplists()):
        for word in justext.get_stoplist(language):
            index.setdefault(word, []).append(language)
    return {word: tuple(languages) for word, languages in index.items()}


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def detect_language(text: str) -> str:
    """jusText's name for the text's language ("English", "Polish"...); "" when none fits."""
    index = _index()
    hits: Counter[str] = Counter()
    # Each distinct word once, with its count, in the order words first appear: the same
    # counts, and the same language first on a tie, as going word by word (a third the time).
    for word, count in Counter(words(text)[:_SAMPLE_WORDS]).items():
        for language in index.get(word, ()):
            hits[language] += count
    if not hits:
        return ""
    best, count = hits.most_common(1)[0]
    return best if count >= 3 else ""


@cache
def stoplist(language: str) -> frozenset[str]:
    if not language:
        return frozenset()
    return frozenset(justext.get_stoplist(language))


@cache
def language_code(language: str) -> str:
    """ "Polish" -> "pl" (ISO 639-1), "" when unknown."""
    if not language:
        return ""
    try:
        found = pycountry.languages.lookup(language.replace("_", " "))
    except LookupError:
        return ""
    return getattr(found, "alpha_2", "") or ""
