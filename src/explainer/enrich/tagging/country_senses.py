"""Country names that can mean more than one thing, read by what the article says.

ambiguous_countries.csv lists each such form ("Congo", "Guinea", "Korea", "Turkey", "Jordan",
"Chad") with its readings: countries, or another sense ("person", "food"). A reading gets a
vote for every sign of it in the article: its own country named otherwise (a capital, a city,
the full name: "Kinshasa", "Brazzaville", "North Korea"), the dateline, or a word from its
`signs` ("Thanksgiving", "Tshisekedi"). The reading with the most votes wins; with none, or a
tie, the default does: "Congo" is DR Congo unless the text points to Brazzaville.

A form with a `person` reading is a person where it is written as one: after a capitalised
first name ("Michael Jordan") or before a surname ("Chad Smith"), not in a headline.
"""

from __future__ import annotations

import re
from functools import cache

from explainer.enrich.tagging.gazetteer import COUNTRY, PLACE, Gazetteer, Reading
from explainer.enrich.tagging.matcher import Match
from explainer.enrich.tagging.names import is_first_name, is_surname

PERSON = "person"


def resolve_ambiguous(
    text: str, matches: list[Match], gazetteer: Gazetteer, dateline_code: str | None
) -> dict[int, str | None]:
    """{match start: the code it stands for here, or None when it is not a country}."""
    resolved: dict[int, str | None] = {}
    votes: dict[str, dict[str, int]] = {}
    for match in matches:
        if match.kind != COUNTRY:
            continue
        form = _form(match.surface, gazetteer)
        if form is None:
            continue
        readings = gazetteer.readings[form]
        if any(r.sense == PERSON for r in readings) and (
            is_surname(text, match) or is_first_name(text, match)
        ):
            resolved[match.start] = None
            continue
        if form not in votes:
            votes[form] = _votes(text, matches, readings, form, gazetteer, dateline_code)
        sense = _winner(readings, votes[form])
        resolved[match.start] = sense if len(sense) == 2 and sense.isupper() else None
    return resolved


def _form(surface: str, gazetteer: Gazetteer) -> str | None:
    if surface in gazetteer.readings:
        return surface
    titled = surface.title()
    return titled if surface.isupper() and titled in gazetteer.readings else None


def _votes(
    text: str,
    matches: list[Match],
    readings: tuple[Reading, ...],
    form: str,
    gazetteer: Gazetteer,
    dateline_code: str | None,
) -> dict[str, int]:
    votes = {}
    for reading in readings:
        count = sum(
            1
            for m in matches
            if m.kind in (COUNTRY, PLACE)
            and m.key == reading.sense
            and _form(m.surface, gazetteer) != form
        )
        count += dateline_code == reading.sense
        if reading.signs:
            count += len(_signs(reading.signs).findall(text))
        votes[reading.sense] = count
    return votes


def _winner(readings: tuple[Reading, ...], votes: dict[str, int]) -> str:
    default = next((r.sense for r in readings if r.default), readings[0].sense)
    best = max(votes.values(), default=0)
    leaders = [sense for sense, n in votes.items() if n == best]
    if best == 0 or default in leaders or len(leaders) > 1:
        return default
    return leaders[0]


@cache
def _signs(signs: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(s) for s in sorted(signs, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
