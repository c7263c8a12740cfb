"""Proper names and tickers that contain a mineral or country word but do not mean it.

"Weirton Steel", "Newmont Gold Corp", "Gold Fields", "U.S. Steel": in running prose a
common noun such as "steel" or "gold" is written in lower case; written with a capital in
the middle of a sentence, next to another capitalised word, it is part of a name (a company,
a place, a fund), not the material. Wire copy also marks company names and tickers with
brackets ("<City Resources Ltd>", "<NGC>", "(NYSE: GOLD)"): nothing inside them counts.
Headlines and headings in Title Case are left alone, since every word there is capitalised.
"""

from __future__ import annotations

import re

from explainer.enrich.tagging.matcher import Match

_BRACKETED = re.compile(r"<[^<>\n]{1,80}>")
_TICKER = re.compile(r"\((?:[A-Z][A-Za-z]{1,9}\s*:\s*)?[A-Z][A-Z0-9.]{0,9}\)")
_INITIALS = re.compile(r"(?:[A-Z]\.)+")
_WORD = re.compile(r"[\w][\w'’.&-]*")
_SENTENCE_END = re.compile(r"""[.!?:;]["'”’)]*$""")
_CORPORATE = frozenset(
    [
        *("Corp", "Corp.", "Corporation", "Inc", "Inc.", "Co", "Co.", "Cos", "Company"),
        *("Ltd", "Ltd.", "Limited", "Plc", "plc", "PLC", "AG", "SA", "NV", "LLC"),
        *("Group", "Holdings", "Mines", "Mining", "Resources", "Industries", "Trust", "Fund"),
    ]
)


# Capitalised only because they start a sentence: "The Gold ..." proves nothing.
_FUNCTION_WORDS = frozenset(
    [
        *("The", "A", "An", "In", "On", "At", "For", "Of", "And", "But", "Or", "As", "By"),
        *("From", "To", "With", "Its", "Their", "His", "Her", "This", "That", "These"),
        *("Those", "Some", "Many", "Most", "Both", "All", "No", "Only", "Spot", "World"),
    ]
)


def bracketed_spans(text: str) -> list[tuple[int, int]]:
    """Company names in angle brackets and tickers in parentheses."""
    return [m.span() for m in _BRACKETED.finditer(text)] + [
        m.span() for m in _TICKER.finditer(text)
    ]


def inside(match: Match, spans: list[tuple[int, int]]) -> bool:
    return any(start <= match.start and match.end <= end for start, end in spans)


def is_proper_name(text: str, match: Match, expected_case: bool) -> bool:
    """True when a lower-case word is written as part of a capitalised name mid-prose.

    `expected_case` is True for forms that are capitalised by nature ("Copperbelt", "NdPr"),
    which the rule never touches.
    """
    if expected_case or not match.surface[:1].isupper() or match.surface.isupper():
        return False
    line_start = text.rfind("\n", 0, match.start) + 1
    if _is_headline(_line(text, match)):
        return False
    before = _WORD.findall(text[max(line_start, match.start - 60) : match.start])
    after = _WORD.findall(text[match.end : match.end + 60])
    sentence_initial = not before or _ends_sentence(before[-1])
    right = after[0] if after else ""
    if right in _CORPORATE or (right[:1].isupper() and right[:1].isalpha()):
        return True
    if sentence_initial or text[match.start - 1 : match.start] in "\"“‘'(":
        return False
    left = before[-1]
    left_starts_sentence = len(before) < 2 or _ends_sentence(before[-2])
    return left[:1].isupper() and not (left_starts_sentence and left in _FUNCTION_WORDS)


# Capitalised words that may stand before a place name without making it a surname.
_PLACE_MODIFIERS = frozenset(
    [
        *("Greater", "Central", "Metropolitan", "Metro", "Downtown", "Inner", "Outer", "Mid"),
        *("North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western"),
        *("Upper", "Lower", "Old", "New"),
    ]
)


def surname_places(text: str, matches: list[Match]) -> set[str]:
    """Place forms used as a person's surname ("Deogracias Madrid told Reuters"): a city
    written right after a capitalised first name, mid-sentence. Once a form is a surname,
    it is one throughout the article ("Madrid said")."""
    return {match.surface for match in matches if is_surname(text, match)}


def is_surname(text: str, match: Match) -> bool:
    """Written right after a capitalised first name, mid-sentence ("Michael Jordan")."""
    line_start = text.rfind("\n", 0, match.start) + 1
    before = _WORD.findall(text[max(line_start, match.start - 40) : match.start])
    if len(before) < 2 or text[match.start - 2 : match.start] != before[-1][-1:] + " ":
        return False
    left, further = before[-1], before[-2]
    return (
        left[:1].isupper()
        and left.isalpha()
        and not left.isupper()
        and left not in _PLACE_MODIFIERS
        and not _ends_sentence(further)
        and not _is_headline(_line(text, match))
    )


# Capitalised words that may follow a country's name without making it a first name.
_AFTER_COUNTRY = frozenset(
    [
        *("President", "Prime", "Minister", "Ministry", "Government", "Foreign", "Finance"),
        *("Mining", "Mines", "National", "Central", "Republic", "Army", "Basin", "State"),
        *("Oil", "Energy", "Trade", "Customs", "Chamber", "Embassy", "Ambassador", "River"),
    ]
)


def is_first_name(text: str, match: Match) -> bool:
    """Written as a first name: followed by a capitalised surname ("Chad Smith"), not in a
    headline."""
    after = text[match.end : match.end + 40]
    if not after.startswith(" "):
        return False
    words = _WORD.findall(after)
    if not words:
        return False
    right = words[0]
    return (
        right[:1].isupper()
        and right.isalpha()
        and not right.isupper()
        and right not in _AFTER_COUNTRY
        and right not in _FUNCTION_WORDS
        and not _is_headline(_line(text, match))
    )


def _ends_sentence(word: str) -> bool:
    """A word that closes a sentence; "U.S." and "E.C." are abbreviations, not ends."""
    return bool(_SENTENCE_END.search(word)) and not _INITIALS.fullmatch(word)


def _line(text: str, match: Match) -> str:
    start = text.rfind("\n", 0, match.start) + 1
    end = text.find("\n", match.end)
    return text[start : end if end >= 0 else len(text)]


def _is_headline(line: str) -> bool:
    """A Title Case line (a headline or heading): prose ends with a full stop, headlines don't."""
    if re.search(r"""[.!?]["'”’)]*\s*$""", line):
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", line) if len(w) > 3]
    if len(words) < 2:
        return True
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised / len(words) >= 0.6
