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
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}$", re.IGNORECASE)  # "taz.de", "evang.at"


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
    first_words: frozenset[str] = frozenset()  # the same, as a set
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
            echoes.first_words = frozenset(echoes.first_tokens)
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
        if len(tokens) < 2:
            return False
        ends_it = index > 0 and len(tokens) < len(self.first_tokens)
        return self.starts_first_line(page, index) or (
            ends_it and self.first_tokens[-len(tokens) :] == tokens
        )

    def starts_first_line(self, page: PageLines, index: int) -> bool:
        """Line `index` (not the first line) is the first line's opening words: in "Headline |
        Site" the headline comes first, in "Site | Headline" the name does."""
        tokens = page.lines[index].norm.split()
        first = self.first_tokens
        return index > 0 and 0 < len(tokens) < len(first) and first[: len(tokens)] == tokens


def held_lines(
    page: PageLines, echoes: TitleEchoes, index: int, candidates: list[int]
) -> list[int]:
    """Of `candidates`, the lines that line `index` holds whole as a piece and that either carry
    at least half its words ("Headline | Site" holds "Headline", not "Site") or whose rest of
    the line stands in the page as a line too: a title cut into a short headline and a long
    site name ("Nebelsuppe. | Das Leben, der Meister und ich") shows both, the name in the
    masthead."""
    line = page.lines[index]
    own = echoes.pieces_of(page, index)
    if not own:
        return []
    return [
        j
        for j in candidates
        if j != index
        and page.lines[j].norm in own
        and not _DOMAIN.match(page.lines[j].text)  # "jungle.world": the site's name
        and (
            (page.lines[j].words >= 2 and 2 * page.lines[j].words >= line.words)
            or _rest_of(line.norm, page.lines[j].norm) in page.repeats
        )
    ]


def names_the_site(page: PageLines, echoes: TitleEchoes, index: int) -> bool:
    """Line `index` is the end of the first line ("Site" of "Headline | Site"), shorter than its
    rest, and no line of the page gives that rest: the line is the site's name in its masthead,
    and the headline is only in the `<title>`."""
    if index == 0 or not page.lines:
        return False
    line, first = page.lines[index], page.lines[0]
    if line.norm not in echoes.pieces_of(page, 0) or echoes.starts_first_line(page, index):
        return False
    rest = _rest_of(first.norm, line.norm)
    return len(rest.split()) > line.words and rest not in page.repeats


def _rest_of(whole: str, piece: str) -> str:
    """`whole` less `piece` at its start or its end (both normalised)."""
    if whole.startswith(piece + " "):
        return whole[len(piece) + 1 :]
    if whole.endswith(" " + piece):
        return whole[: -len(piece) - 1]
    return ""


def headline_text(page: PageLines, index: int) -> str:
    """Line `index` as the article's title: when it is the page's `<title>` line ("Headline |
    Site"), without an end segment that names the site, known as such because it stands in the
    page as a line of its own (the masthead, the footer) or is a domain ("taz.de"), and shorter
    than the rest. A segment not known to be the site stays: "Peking 2022 – Eine große
    Chance..." is all headline."""
    line = page.lines[index]
    cuts = list(_SEPARATOR.finditer(line.text))
    if not cuts or page.lines[0].norm != line.norm:
        return line.text
    text = line.text
    # (the end segment, the rest): the last segment, then the first
    for end, rest in (
        (text[cuts[-1].end() :], text[: cuts[-1].start()]),
        (text[: cuts[0].start()], text[cuts[0].end() :]),
    ):
        named = norm(end)
        shorter_side = 2 * len(end) < len(text)  # the headline is the longer side
        if (
            named
            and rest.strip()
            and shorter_side
            and (named in page.repeats or _DOMAIN.match(end.strip()))
        ):
            return rest.strip()
    return text
