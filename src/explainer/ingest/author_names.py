"""An author as the article names them: bylines carry datelines ("Patrick Ilunga in Kinshasa",
"Jane Doe reporting from Lima"), which are where the reporter was, not who they are."""

from __future__ import annotations

import re

_PLACE_WORD = r"[A-ZÀ-Þ][\w'’.-]*"
# " in Kinshasa", " from Lima", " reporting from São Paulo" up to a comma, "and" or the end.
_DATELINE = re.compile(
    rf"\s+(?:reporting\s+)?(?:in|from|at)\s+{_PLACE_WORD}(?:\s+{_PLACE_WORD})*"
    r"(?=\s*(?:,|;|&|\band\b|$))"
)
_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)


def author_name(byline: str) -> str:
    """ "By Patrick Ilunga in Kinshasa" -> "Patrick Ilunga"; "Ana Lima and Jo Park in Lima"
    -> "Ana Lima and Jo Park"."""
    name = " ".join(_BY.sub("", byline).split())
    return _DATELINE.sub("", name).strip(" ,;")
