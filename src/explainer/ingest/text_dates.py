"""Dates as pages write them, in any common format and language: every one a line holds.

"Nov. 19, 2019 5:31 PM ET", "19 listopada 2019", "3. März 2026", "martes, 3 de mayo de 2022",
"2019-11-19", "19.11.2019", "11/19/2019", "2019. november 19.", "2019年11月19日". Month names come
from the Unicode CLDR (data/month_names.csv, made by tools/dates/build_month_names.py). A
numeric date is read year-first when it starts with the year, day-first when written with dots
or when the text is not English, month-first for English slashes ("11/19/2019"), and never
against what the numbers allow (a first number over 12 is a day).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

_MIN_YEAR, _MAX_YEAR = 1900, 2100
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class DateMention:
    day: date
    start: int
    end: int
    has_day: bool = True
    numeric: bool = False


@lru_cache(maxsize=1)
def _month_names() -> dict[str, dict[int, frozenset[str]]]:
    """Case-folded name -> {month: languages using the name for it}."""
    table: dict[str, dict[int, frozenset[str]]] = {}
    path = resources.files("explainer.data") / "month_names.csv"
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            table.setdefault(row["name"], {})[int(row["month"])] = frozenset(
                row["languages"].split()
            )
    return table


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    names = sorted(_month_names(), key=len, reverse=True)
    month = r"(?P<mon>" + "|".join(re.escape(n) for n in names) + r")\.?"
    day = r"(?P<d>[0-3]?\d)(?:\.|st|nd|rd|th|er|e|º|°)?"
    year = r"(?P<y>(?:19|20|21)\d\d)"
    sep = r"[\s,./-]*"
    filler = r"(?:\s*(?:de|del|di|of|den|dne)\s+|" + sep + r")"
    edge = r"(?<![\w])"
    end = r"(?![\w])"
    return [
        (
            "iso",
            re.compile(rf"{edge}{year}\s?[-/.]\s?(?P<m>[01]?\d)\s?[-/.]\s?(?P<d>[0-3]?\d)(?!\d)"),
        ),
        (
            "cjk",
            re.compile(
                rf"{year}\s*[年년/.]\s*(?P<m>[01]?\d)\s*[月월/.]\s*(?P<d>[0-3]?\d)\s*[日일]"
            ),
        ),
        (
            "numeric",
            re.compile(
                rf"{edge}(?P<a>[0-3]?\d)\s?(?P<s>[./-])\s?(?P<b>[01]?\d)\s?(?P=s)\s?"
                rf"(?P<y>(?:19|20)\d\d|\d\d)(?![\d])"
            ),
        ),
        ("dmy", re.compile(rf"{edge}{day}{filler}{month}{filler}{year}{end}", re.IGNORECASE)),
        ("mdy", re.compile(rf"{edge}{month}{sep}{day},?{sep}{year}{end}", re.IGNORECASE)),
        ("ymd", re.compile(rf"{edge}{year}\.?\s*{month}\s*(?P<d>[0-3]?\d)\.?{end}", re.IGNORECASE)),
        ("my", re.compile(rf"{edge}{month}{filler}{year}{end}", re.IGNORECASE)),
    ]


def find_dates(text: str, language: str = "") -> list[DateMention]:
    """Every date in `text`, in order; `language` (ISO 639-1) settles month names and numeric
    order. Spans never overlap (the longest, most specific reading wins)."""
    if _DIGIT.search(text) is None:  # every pattern needs a digit
        return []
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _patterns():
        for match in pattern.finditer(text):
            start, end_ = match.span()
            if any(start < b and a < end_ for a, b in taken):
                continue
            mention = _read(kind, match, language, start, end_)
            if mention is not None:
                found.append(mention)
                taken.append((start, end_))
    return sorted(found, key=lambda m: m.start)


def _read(kind: str, match: re.Match, language: str, start: int, end: int) -> DateMention | None:
    groups = match.groupdict()
    try:
        if kind in ("iso", "cjk"):
            year, month, day = int(groups["y"]), int(groups["m"]), int(groups["d"])
            return _mention(year, month, day, start, end, numeric=True)
        if kind == "numeric":
            a, b, year = int(groups["a"]), int(groups["b"]), int(groups["y"])
            if year < 100:
                year += 2000 if year < 70 else 1900
            month_first = groups["s"] == "/" and language in ("en", "") and a <= 12
            if a > 12 or b > 12:
                month_first = b > 12 and a <= 12
            month, day = (a, b) if month_first else (b, a)
            return _mention(year, month, day, start, end, numeric=True)
        month = _month(groups["mon"], language)
        if month is None:
            return None
        if kind == "my":
            return _mention(int(groups["y"]), month, 1, start, end, has_day=False)
        return _mention(int(groups["y"]), month, int(groups["d"]), start, end)
    except (ValueError, TypeError):
        return None


def _month(name: str, language: str) -> int | None:
    meanings = _month_names().get(name.casefold().rstrip("."))
    if not meanings:
        return None
    if len(meanings) == 1:
        return next(iter(meanings))
    for month, languages in meanings.items():
        if language in languages:
            return month
    return max(meanings, key=lambda m: len(meanings[m]))


def _mention(year, month, day, start, end, *, has_day=True, numeric=False) -> DateMention | None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        return DateMention(date(year, month, day), start, end, has_day, numeric)
    except ValueError:
        return None
