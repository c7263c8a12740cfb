"""Recognise and parse publication dates as news pages write them."""

from __future__ import annotations

import re
from datetime import datetime

from dateutil import parser as dateparser

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_HAS_YEAR = re.compile(r"\b(1[89]\d\d|2[01]\d\d)\b")
_HAS_MONTH_NAME = re.compile(rf"\b{_MONTH}\b", re.IGNORECASE)
_NUMERIC_DATE = re.compile(
    r"\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)|\b\d{1,2}[-/.]\d{1,2}[-/.]\d{4}\b"
)
_LABEL = re.compile(
    r"^\s*(?:published|posted|updated|last updated|date|first published)(?:\s+on)?\s*[:\-–]?\s*",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|urday)?\b,?",
    re.IGNORECASE,
)
_CLOCK_ZONE = re.compile(r"\b(?:GMT|UTC|BST|CET|CEST|EST|EDT|PST|PDT|IST|JST|HKT|SGT)\b")
_MAX_DATE_LINE = 60


def looks_like_date_line(line: str) -> bool:
    """True when a short line is a date and little else (a page's dateline, not a sentence)."""
    text = line.strip()
    if not text or len(text) > _MAX_DATE_LINE or not _HAS_YEAR.search(text):
        return False
    if not (_HAS_MONTH_NAME.search(text) or _NUMERIC_DATE.search(text)):
        return False
    words = re.findall(r"[A-Za-z]+", _CLOCK_ZONE.sub("", _WEEKDAY.sub("", _LABEL.sub("", text))))
    leftovers = [w for w in words if not re.fullmatch(_MONTH, w, re.IGNORECASE)]
    allowed = {"at", "on", "am", "pm", "a", "m", "p", "t", "z", "of", "the", "th", "st", "nd", "rd"}
    return all(w.lower() in allowed for w in leftovers)


# dateutil fills what a string leaves out from a default (today, unless told otherwise), which
# would make "March 2026" a different date on every run. Parsing against two defaults that differ
# in every field shows what the string itself gave.
_DEFAULT = datetime(2000, 1, 1)
_OTHER_DEFAULT = datetime(2001, 2, 2)


_DAY_MONTH_YEAR = re.compile(r"\b\d{1,2}([-/.])\d{1,2}\1\d{2,4}\b")


def parse_date(value: str, language: str = "") -> datetime | None:
    """Parse a date string leniently (labels and weekdays ignored); None when impossible.

    The result depends only on the string (and, for a numeric date that does not start with
    the year, on the page's language): a missing day means the 1st ("March 2026" ->
    2026-03-01); a missing year or month, or a date that does not exist, gives None. Numeric
    dates are read year-month-day when they start with the year (ISO), day-first when written
    with dots or dashes or in a language other than English ("05.10.2018" is 5 October), and
    month-first for English slashes ("10/05/2018" is October 5), unless the numbers only allow
    one reading.
    """
    text = _WEEKDAY.sub(" ", _LABEL.sub("", value)).strip()
    if not text:
        return None
    numeric = _DAY_MONTH_YEAR.search(text)
    if numeric and not re.match(r"\s*\d{4}", text):
        english = language.lower().split("-")[0] in ("", "en")
        dayfirst = numeric.group(1) != "/" or not english
    else:
        dayfirst = not _NUMERIC_DATE.match(text)
    try:
        parsed = dateparser.parse(text, default=_DEFAULT, dayfirst=dayfirst, fuzzy=True)
        other = dateparser.parse(text, default=_OTHER_DEFAULT, dayfirst=dayfirst, fuzzy=True)
    except (ValueError, OverflowError):
        return None
    if parsed is None or other is None:
        return None
    if parsed.year != other.year or parsed.month != other.month:
        return None
    if not (1800 <= parsed.year <= 2199):
        return None
    return parsed
