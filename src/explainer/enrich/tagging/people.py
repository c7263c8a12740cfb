"""People: names from the gazetteer, and names introduced by a title ("Premier Li Qiang")."""

from __future__ import annotations

import re
from functools import cache

from explainer.enrich.tagging.gazetteer import PERSON, Gazetteer
from explainer.enrich.tagging.matcher import Match

_NAME_TOKEN = r"[A-Z][a-zà-öø-ÿ'’]+(?:-[A-Z][a-zà-öø-ÿ'’]+)?"
# Capitalised words that follow a title but are not part of a name.
_NOT_NAMES = frozenset(
    [
        "The",
        "A",
        "An",
        "Of",
        "And",
        "For",
        "In",
        "On",
        "At",
        "To",
        "By",
        "With",
        "From",
        "Minister",
        "Ministry",
        "Secretary",
        "General",
        "Office",
        "President",
        "Premier",
        "Chancellor",
        "State",
        "Department",
        "Government",
        "Council",
        "Commission",
        "Committee",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Said",
        "Says",
        "Told",
    ]
)


@cache
def _title_pattern(titles: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True))
    return re.compile(
        rf"(?<![\w])(?:{alternatives})\.?\s+((?:{_NAME_TOKEN}\s+){{0,2}}{_NAME_TOKEN})"
    )


def find_people(text: str, matches: list[Match], gazetteer: Gazetteer) -> list[str]:
    """People in order of first mention, under their fullest known name."""
    found: dict[str, int] = {}
    for match in matches:
        if match.kind == PERSON:
            found.setdefault(match.key, match.start)
    taken = [(m.start, m.end) for m in matches if m.kind != PERSON]
    if gazetteer.person_titles:
        for hit in _title_pattern(gazetteer.person_titles).finditer(text):
            tokens = hit.group(1).split()
            while tokens and tokens[-1] in _NOT_NAMES:
                tokens.pop()
            if tokens and tokens[0] in _NOT_NAMES:
                continue
            start = hit.start(1)
            if any(s <= start < e for s, e in taken):
                continue
            if len(tokens) >= 2:
                name = " ".join(tokens)
                known = _known_full_name(name, found, gazetteer)
                found.setdefault(known or name, start)
            elif len(tokens) == 1 and (known := _known_full_name(tokens[0], found, gazetteer)):
                found.setdefault(known, start)
    return [name for name, _ in sorted(found.items(), key=lambda item: item[1])]


def _known_full_name(name: str, found: dict[str, int], gazetteer: Gazetteer) -> str | None:
    """ "Trump" -> "Donald Trump" when that person is known here or in the gazetteer."""
    for candidate in [*found, *gazetteer.people]:
        if candidate == name or candidate.endswith(" " + name):
            return candidate
    return None
