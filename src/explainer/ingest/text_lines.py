"""A text seed as lines with what a classifier needs to know about each: its features.

A page saved as text (a crawler's `get_text("\\n")`, a select-all copy, a wire story) is a list
of lines; blank lines separate blocks (a paragraph, a menu item, a heading...), and inside a block
each line is a piece of one paragraph (cut at a link) or a line of its own (a select-all copy).
Every feature is about the shape of the text, never about particular words: length, stop-word
density (jusText's stop list for the text's language), punctuation, capitals, digits, links,
whether the line is repeated in the page or holds a date, and the same for its block and its
neighbours. The names in FEATURES are the ones the model file (data/text_model.json) weighs.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from explainer.ingest.furniture import furniture_kind
from explainer.ingest.languages import detect_language, language_code, stoplist
from explainer.ingest.text_dates import DateMention, find_dates
from explainer.text.dates import looks_like_date_line

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"""[.!?…。！？]["”’'»)\]]*$""")
_LINKISH = re.compile(r"https?://|www\.|\S@\S|\.(?:com|org|net|html?)\b", re.IGNORECASE)
_SEPARATORS = re.compile(r"[|»›·•→/>]|\s[-–—]\s")
_PUNCT = re.compile(r"[,;:]")
# Lines longer than this are never dates, headlines or bylines: no need to look for dates there.
_DATE_SEARCH_CHARS = 200


@dataclass
class Line:
    index: int  # among the page's non-blank lines
    text: str
    block: int
    first_in_block: bool
    last_in_block: bool
    indented: bool
    words: int = 0
    stop: int = 0
    norm: str = ""
    dates: list[DateMention] = field(default_factory=list)


@dataclass
class PageLines:
    lines: list[Line]
    language: str  # jusText's name, "" when unknown
    code: str  # ISO 639-1
    features: list[list[float]]  # one row per line, columns as FEATURES
    repeats: dict[str, int]


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    block = 0
    previous_blank = True
    for raw in text.split("\n"):
        stripped = raw.strip()
        if not stripped:
            if not previous_blank:
                block += 1
                lines[-1].last_in_block = True
            previous_blank = True
            continue
        indented = raw[:1] in (" ", "\t") and raw[:2].strip() == ""
        lines.append(
            Line(len(lines), " ".join(stripped.split()), block, previous_blank, False, indented)
        )
        previous_blank = False
    if lines:
        lines[-1].last_in_block = True
    return lines


def norm(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


_OWN = [
    "bias", "log_words", "log_chars", "one_word", "upto3_words", "upto8_words", "over15_words",
    "over40_words", "stop_density", "log_stops", "sentence_end", "colon_end", "no_letters_end",
    "punct_per_word", "capitalised", "all_caps", "digits", "starts_lower", "link", "separators",
    "furniture", "date_line", "has_date", "repeated", "log_repeats", "position", "position_sq",
    "block_log_words", "block_lines", "block_stop_density", "block_sentence_ends",
    "first_in_block", "last_in_block", "alone_in_block", "indented", "letters",
]  # fmt: skip
_NEIGHBOUR = ["log_words", "stop_density", "sentence_end", "block_log_words", "link", "furniture"]
FEATURES = [
    *_OWN,
    *(f"{side}_{name}" for side in ("prev", "next") for name in _NEIGHBOUR),
    "window_log_words", "window_stop_density", "window_sentence_end",
]  # fmt: skip
_COLUMN = {name: n for n, name in enumerate(FEATURES)}


def analyse(text: str, max_lines: int | None = None) -> PageLines:
    lines = split_lines(text)
    if max_lines is not None:
        lines = lines[:max_lines]
    language = detect_language(" ".join(line.text for line in lines[:400]))
    code = language_code(language)
    stops = stoplist(language)
    repeats: dict[str, int] = {}
    for line in lines:
        tokens = _WORD.findall(line.text.casefold())
        line.words = len(tokens)
        line.stop = sum(token in stops for token in tokens)
        line.norm = " ".join(tokens)
        repeats[line.norm] = repeats.get(line.norm, 0) + 1
        if len(line.text) <= _DATE_SEARCH_CHARS:
            line.dates = find_dates(line.text, code)
    blocks: dict[int, list[Line]] = {}
    for line in lines:
        blocks.setdefault(line.block, []).append(line)
    block_stats = {}
    for block, members in blocks.items():
        words = sum(m.words for m in members)
        stops_in = sum(m.stop for m in members)
        ends = sum(bool(_SENTENCE_END.search(m.text)) for m in members)
        block_stats[block] = (math.log1p(words), math.log1p(len(members)),
                              stops_in / words if words else 0.0, ends / len(members))  # fmt: skip
    total = max(1, len(lines) - 1)
    own = [_own(line, repeats, block_stats[line.block], line.index / total) for line in lines]
    features = [_with_neighbours(own, n) for n in range(len(lines))]
    return PageLines(lines, language, code, features, repeats)


def _own(line: Line, repeats: dict[str, int], block: tuple, position: float) -> list[float]:
    text = line.text
    words = line.words
    chars = len(text)
    tokens = text.split()
    capitalised = sum(t[:1].isupper() for t in tokens) / len(tokens) if tokens else 0.0
    letters = sum(map(str.isalpha, text))
    digits = sum(map(str.isdigit, text))
    repeated = repeats.get(line.norm, 1)
    date_line = bool(line.dates) and (words <= 8 or looks_like_date_line(text))
    return [
        1.0,
        math.log1p(words),
        math.log1p(chars),
        float(words <= 1),
        float(words <= 3),
        float(words <= 8),
        float(words > 15),
        float(words > 40),
        line.stop / words if words else 0.0,
        math.log1p(line.stop),
        float(bool(_SENTENCE_END.search(text))),
        float(text.endswith(":")),
        float(not text[-1:].isalnum() and not _SENTENCE_END.search(text)),
        len(_PUNCT.findall(text)) / words if words else 0.0,
        capitalised,
        float(letters > 3 and text.upper() == text),
        digits / chars if chars else 0.0,
        float(text[:1].islower()),
        float(bool(_LINKISH.search(text))),
        min(3.0, len(_SEPARATORS.findall(text))),
        float(words <= 40 and furniture_kind(text) is not None),
        float(date_line),
        float(bool(line.dates)),
        float(repeated > 1),
        math.log(repeated),
        position,
        position * position,
        block[0],
        block[1],
        block[2],
        block[3],
        float(line.first_in_block),
        float(line.last_in_block),
        float(line.first_in_block and line.last_in_block),
        float(line.indented),
        letters / chars if chars else 0.0,
    ]


_NEIGHBOUR_COLUMNS = [_OWN.index(name) for name in _NEIGHBOUR]
_EMPTY_NEIGHBOUR = [0.0] * len(_NEIGHBOUR)
_WINDOW = 3


def _with_neighbours(own: list[list[float]], n: int) -> list[float]:
    row = list(own[n])
    for other in (n - 1, n + 1):
        if 0 <= other < len(own):
            row.extend(own[other][c] for c in _NEIGHBOUR_COLUMNS)
        else:
            row.extend(_EMPTY_NEIGHBOUR)
    window = own[max(0, n - _WINDOW) : n + _WINDOW + 1]
    for name in ("log_words", "stop_density", "sentence_end"):
        column = _OWN.index(name)
        row.append(sum(r[column] for r in window) / len(window))
    return row


def column(name: str) -> int:
    return _COLUMN[name]


def sigmoid(x: float) -> float:
    """A line's score as a probability (the text model's stages score in logits)."""
    if x < -30:
        return 0.0
    if x > 30:
        return 1.0
    return 1.0 / (1.0 + math.exp(-x))
