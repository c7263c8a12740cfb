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
        # French, Spanish, Portuguese, German
        *("mme", "mlle", "mm", "env", "sra", "srta", "dña", "ud", "uds", "núm", "pág", "aprox"),
        *("ee.uu", "ca", "nr", "mio", "mrd", "bzw", "usw", "vgl", "inkl", "evtl", "z.b", "u.a"),
        *("d.h", "s.a", "ltda", "cía", "av"),
    ]
)

# A sentence ends at . ! or ? (and closing quotes), then space, then an upper-case letter or a
# digit, maybe after an opening quote or the Spanish ¿ and ¡.
_BOUNDARY = re.compile(r"""[.!?]+["”’')\]»]*\s+(?=["“‘'(\[«¿¡]?\s?(\w))""")
_GERMAN_ORDINAL = re.compile(r"(?:^|\s)\d{1,2}\.$")  # "am 3. März": no sentence ends there


def split_sentences(text: str, lang: str | None = None) -> list[str]:
    """Sentences of one paragraph, each stripped, in order. `lang` ("de", "fr"...) adds what
    that language needs (German ordinals: "am 3. März")."""
    text = " ".join(text.split())
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        following = match.group(1)
        if not (following.isupper() or following.isdigit()):
            continue
        candidate = text[start : match.end()].strip()
        chunk = text[start : match.start() + 1]
        if _ends_with_abbreviation(chunk):
            continue
        if lang == "de" and _GERMAN_ORDINAL.search(chunk):
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
