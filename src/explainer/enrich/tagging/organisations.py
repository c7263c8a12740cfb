"""Organisations the text makes plain, beyond the reviewed list (organisations.csv, the precise
core): a capitalised name ending in a corporate suffix ("Jervois Mining Ltd", "Kamoto Copper
Company SA"), or a name the text introduces by what it is ("state miner Gecamines", "cobalt
regulator ARECOMS", "la minera Chilena Lítio", "die Bergbaugesellschaft Kupfer AG"), and the
ministries of mines and energy ("Ministry of Mines", "ministère des Mines").

A candidate that is only a country, a place, a person or a mineral word ("Chile", "Gold") is
not an organisation; nor is a sentence-initial function word glued to a name ("The").
"""

from __future__ import annotations

import re

from explainer.enrich.tagging.matcher import Match

_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w&'’.-]*"
_JOINER = r"(?:\s+(?:de|del|do|da|des|du|of|y|e|et|und)\s+|\s+)"
_NAME = rf"{_NAME_WORD}(?:{_JOINER}{_NAME_WORD}){{0,4}}"
_SUFFIX = (
    r"(?:Corp\.?|Corporation|Inc\.?|Ltd\.?|Limited|Plc|PLC|plc|AG|SA|S\.A\.|NV|N\.V\.|LLC|"
    r"GmbH|SpA|S\.p\.A\.|SAS|Ltda\.?|SE|Co\.|Cos\.|Company|Holdings|Group)"
)
_CORPORATE = re.compile(rf"(?<![\w-])({_NAME}\s+{_SUFFIX})(?![\w-])")
# "miner Gecamines", "regulator ARECOMS", "la minera X", "a mineradora X", "der Konzern X"
_DESCRIBED = re.compile(
    r"(?<![\w-])(?:miner|mining company|mining group|producer|regulator|smelter|refiner|"
    r"trader|trading house|minera|mineradora|productora|produtora|régulateur|minier|"
    r"société minière|groupe minier|Bergbaukonzern|Bergbaugesellschaft|Rohstoffkonzern|"
    r"Konzern|Regulierungsbehörde)"
    rf"\s+({_NAME})"
)
_MINISTRY = re.compile(
    r"(?<![\w-])((?:Ministry|Department|Minister) of (?:Mines|Mining|Energy|Natural Resources|"
    r"Mines and Energy|Energy and Mines|Mining and Energy)"
    r"|(?:ministère|Ministère) (?:des|de l'|de la) (?:Mines|Énergie|Industrie)"
    r"|(?:Ministerio|ministerio) de (?:Minería|Minas|Energía y Minas|Minas y Energía)"
    r"|(?:Ministério|ministério) de (?:Minas e Energia|Minas)"
    r"|Bergbauministerium)"
)
# Words that start a sentence before a name: "Shares of Jervois Mining Ltd" is Jervois.
_LEADING = re.compile(
    r"^(?:(?:The|A|An|La|Le|Les|El|Los|Las|O|Os|As|Der|Die|Das)\s+"
    r"|(?:Shares|Units|Officials|Owners|Investors|Analysts|Workers|Directors|Executives|"
    r"Chairman|Sale|Purchase|Acquisition|Subsidiary|Unit|Parent)\s+of\s+)"
)
_MAX_WORDS = 6


def find_organisations(text: str, known: list[Match], not_names: list[Match]) -> list[str]:
    """Names of organisations the text introduces as such, in order of first mention.

    `known` are the reviewed organisations found (their spans are not read again);
    `not_names` are the country, place, person and mineral matches: a candidate that is
    nothing but those is dropped."""
    taken = [(m.start, m.end) for m in known]
    found: dict[str, int] = {}
    for pattern in (_CORPORATE, _DESCRIBED, _MINISTRY):
        for hit in pattern.finditer(text):
            start, end = hit.span(1)
            if any(s < end and start < e for s, e in taken):
                continue
            name = " ".join(hit.group(1).split())
            leading = _LEADING.match(name)
            if leading:
                start += leading.end()
                name = name[leading.end() :]
            name = name.rstrip(".,;:")
            if not name or len(name.split()) > _MAX_WORDS or name.isdigit():
                continue
            if _only_known_words(start, start + len(name), not_names):
                continue
            found.setdefault(name, start)
    return [name for name, _ in sorted(found.items(), key=lambda item: item[1])]


def _only_known_words(start: int, end: int, not_names: list[Match]) -> bool:
    """Whether the span is covered by a country, place, person or mineral match."""
    return any(m.start <= start and end <= m.end for m in not_names)
