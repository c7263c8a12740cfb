"""Split prose into sentences without cutting at abbreviations, initials or decimals."""

from __future__ import annotations

import re

# Words that end with a full stop without ending the sentence.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sen",
        "rep",
        "gov",
        "gen",
        "lt",
        "col",
        "capt",
        "sgt",
        "st",
        "jr",
        "sr",
        "rev",
        "hon",
        "pres",
        "supt",
        "inc",
        "co",
        "corp",
        "ltd",
        "plc",
        "bros",
        "llc",
        "dept",
        "univ",
        "assn",
        "est",
        "approx",
        "vs",
        "etc",
        "al",
        "cf",
        "eg",
        "ie",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "no",
        "nos",
        "vol",
        "pp",
        "fig",
        "ft",
        "mt",
        "mln",
        "bln",
        "pct",
        "dlrs",
        "dlr",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "u.s.a",
        "d.c",
        "p.m",
        "a.m",
    ]
)

_BOUNDARY = re.compile(r"""[.!?]+["”’')\]]*\s+(?=["“‘'(\[]?[A-Z0-9])""")


def split_sentences(text: str) -> list[str]:
    """Sentences of one paragraph, each stripped, in order."""
    text = " ".join(text.split())
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        candidate = text[start : match.end()].strip()
        if _ends_with_abbreviation(text[start : match.start() + 1]):
            continue
        sentences.append(candidate)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def _ends_with_abbreviation(chunk: str) -> bool:
    if not chunk.endswith("."):
        return False
    words = chunk[:-1].split()
    if not words:
        return False
    last = words[-1].lstrip("(\"“‘'").lower()
    if last in _ABBREVIATIONS:
        return True
    # An initial ("J. Smith") or a dotted acronym ("U.S.", "p.m.").
    return (len(last) == 1 and last.isalpha()) or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", last))
