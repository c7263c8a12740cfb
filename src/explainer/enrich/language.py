"""The language an article is written in, as a BCP 47 tag for Pelican's `Lang` ("fr", "pt").

An HTML seed that declares its language (`<html lang="pt-BR">`) is taken at its word; anything
else is detected from its text by CLD2 (pycld2, the detector Chromium used: about 0.1 ms an
article, no model to load). A text too short or too mixed to tell (an earnings table, a title
alone) gets no language, and the site's DEFAULT_LANG stands.

(Per the package layout this module belongs to the enrich stage: explainer/enrich/.)
"""

from __future__ import annotations

import re

import pycld2

# CLD2 wants valid UTF-8 without control characters or lone surrogates.
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_MIN_LETTERS = 100  # CLD2 misreads single short sentences ("La République ... quota." as English)
_MIN_SCORE = 300  # CLD2's normalised score of the winning language; lower is a guess


def detect_language(text: str) -> str | None:
    """The primary language subtag of `text` ("en", "fr", "es", "pt", "de", "id"...), or None
    when the text does not say reliably."""
    clean = _UNSAFE.sub(" ", text)
    if not _has_letters(clean[:2000], _MIN_LETTERS):
        return None
    try:
        _, _, details = pycld2.detect(clean, isPlainText=True, bestEffort=True)
    except pycld2.error:
        return None
    # CLD2 reads the text in chunks and may give a share of it to another language (a
    # capitalised name, an English term); the language with the most text times confidence
    # wins, if it is confident enough.
    scored = [(percent * score, code, score) for _, code, percent, score in details if percent]
    scored = [s for s in scored if s[1] not in ("un", "xxx")]
    if not scored:
        return None
    _, code, score = max(scored)
    if score < _MIN_SCORE:
        return None
    return code.split("-")[0].lower()


def _has_letters(text: str, wanted: int) -> bool:
    """At least `wanted` letters in `text` (stops counting there)."""
    for char in text:
        if char.isalpha():
            wanted -= 1
            if wanted <= 0:
                return True
    return wanted <= 0


def primary(tag: str | None) -> str | None:
    """ "pt-BR" -> "pt"."""
    return tag.split("-")[0].lower() if tag else None
