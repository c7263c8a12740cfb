"""Comparing an article's summary with its opening, and giving plain text the typographic
quotes that the body's Markdown (smart punctuation) gets."""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'"})
_ELLIPSIS = re.compile(r"(?:…|\.\.\.)\s*$")


def comparable(markup: str) -> str:
    """The words of an HTML or plain-text fragment, quotes and spacing normalised."""
    text = html.unescape(_TAG.sub(" ", markup)).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip().casefold()


def is_opening(summary: str, body: str) -> bool:
    """Whether `summary` (HTML or text) is the body's own opening, whole or cut short: shown
    above the body it would be read twice."""
    start = _ELLIPSIS.sub("", comparable(summary)).strip()
    if len(start) < 20:
        return False
    return _comparable_opening(body, len(start)).startswith(start)


def _comparable_opening(markup: str, length: int) -> str:
    """`comparable(markup)`, or a prefix of it at least `length` long: the markup is cut
    where whitespace outside a tag begins, so no tag, entity or word is cut and the words
    before the cut read as they do in the whole (an article page asks this of its whole
    body, of which a summary is the first few lines)."""
    cut = 2 * length + 200
    while cut < len(markup):
        head = markup[:cut]
        space = max(head.rfind(" "), head.rfind("\n"), head.rfind("\t"), head.rfind("\r"))
        head = head[: max(space, 0)]
        while (tag := head.rfind("<")) > head.rfind(">"):
            head = head[:tag]
        text = comparable(head)
        if len(text) >= length:
            return text
        cut *= 2
    return comparable(markup)


_DOUBLE_OPEN = re.compile(r'(^|[\s(\[{—–-])"(?=\S)')
_SINGLE_OPEN = re.compile(r"(^|[\s(\[{—–-])'(?=\w)")


def smart_quotes(text: str) -> str:
    """Straight quotes as typographic ones ("a" -> “a”, it's -> it’s), as CommonMark's smart
    punctuation renders the body."""
    text = _DOUBLE_OPEN.sub(lambda m: m.group(1) + "“", text).replace('"', "”")
    text = _SINGLE_OPEN.sub(lambda m: m.group(1) + "‘", text)
    return text.replace("'", "’")
