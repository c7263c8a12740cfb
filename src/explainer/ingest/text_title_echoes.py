"""Where a text seed repeats its headline far from it: in the page's `<title>` line.

A crawler's text opens with the page's `<title>` ("Headline | Site", "Section - Headline -
Site"), and breadcrumbs and share lines end in the headline too ("Home / News / Headline").
Cut at the separators sites put between a headline and their name or a section, such a line
gives pieces (every run of its segments from either end); a headline line is one of them.

`TitleEchoes` cuts every line of a page once and holds each line's pieces and, for every
piece, the lines that give it, so that the headline model can ask of every candidate: is it a
piece of another line anywhere in the page, of how many lines, of the page's first line (where
`get_text` puts the `<title>`)? And of a line: which other lines of the page does it hold
whole as a piece (a "Headline | Site" line holds its headline)?
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from explainer.ingest.text_lines import PageLines, norm

# " | ", " - ", " – ", " — ", " :: ", " · ", " / ", " » ", " › ": a separator stands between
# spaces (a hyphen inside a word or a date's slash does not cut).
_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|·|/|»|›)\s+")
_MAX_LINE_WORDS = 80  # a title or a breadcrumb line; longer lines are prose


def pieces(text: str) -> set[str]:
    """The normalised runs of a line's segments from either end, cut at title separators (none
    for a line with no separator)."""
    parts = _SEPARATOR.split(text)
    if len(parts) < 2:
        return set()
    out = set()
    for k in range(1, len(parts)):
        out.add(norm(" ".join(parts[:k])))
        out.add(norm(" ".join(parts[k:])))
    out.discard("")
    return out


@dataclass
class TitleEchoes:
    by_piece: dict[str, list[int]] = field(default_factory=dict)  # piece -> lines giving it
    first_tokens: list[str] = field(default_factory=list)  # the first line's words
    by_line: dict[int, set[str]] = field(default_factory=dict)  # line -> its pieces (cut once)

    @classmethod
    def of(cls, page: PageLines) -> TitleEchoes:
        echoes = cls()
        for line in page.lines:
            if line.words > _MAX_LINE_WORDS:
                continue
            echoes.by_line[line.index] = own = pieces(line.text)
            for piece in own:
                if piece != line.norm:
                    echoes.by_piece.setdefault(piece, []).append(line.index)
        if page.lines:
            echoes.first_tokens = page.lines[0].norm.split()
        return echoes

    def pieces_of(self, page: PageLines, index: int) -> set[str]:
        """pieces() of line `index`: as cut once by `of` (a line too long to be a title line
        was not cut there, and is cut now)."""
        own = self.by_line.get(index)
        return pieces(page.lines[index].text) if own is None else own

    def sources(self, page: PageLines, index: int) -> list[int]:
        """The other lines (not the same text) that give line `index` as a piece."""
        line = page.lines[index]
        return [
            j
            for j in self.by_piece.get(line.norm, ())
            if j != index and page.lines[j].norm != line.norm
        ]

    def edge_of_first_line(self, page: PageLines, index: int) -> bool:
        """Line `index` (of 2+ words, not the first line) starts or ends the first line's
        words, whatever separates it from the rest ("Headline ~ Site", "Headline Site")."""
        tokens = page.lines[index].norm.split()
        first = self.first_tokens
        if index == 0 or len(tokens) < 2 or len(tokens) >= len(first):
            return False
        return first[: len(tokens)] == tokens or first[-len(tokens) :] == tokens


def held_lines(
    page: PageLines, echoes: TitleEchoes, index: int, candidates: list[int]
) -> list[int]:
    """Of `candidates`, the lines that line `index` holds whole as a piece and that carry at
    least half its words ("Headline | Site" holds "Headline", not "Site")."""
    line = page.lines[index]
    own = echoes.pieces_of(page, index)
    if not own:
        return []
    return [
        j
        for j in candidates
        if j != index
        and page.lines[j].norm in own
        and page.lines[j].words >= 2
        and 2 * page.lines[j].words >= line.words
    ]
