"""Plain-text seeds (scraped article text): find the title and date, strip page furniture."""

from __future__ import annotations

import re

from explainer.ingest.decode import SeedError
from explainer.ingest.furniture import PROSE_KINDS, furniture_kind, is_furniture, is_list_heading
from explainer.model import SeedArticle
from explainer.text.dates import looks_like_date_line, parse_date
from explainer.text.markdown_text import escape_markdown

_BREADCRUMB_SEPARATOR = re.compile(r"\s*(?:>>|»|›|→|\s>\s|\s/\s)\s*")
_MAX_TITLE = 300
# Lines a page puts around an article that carry no article text.
_FURNITURE = re.compile(
    r"^(?:latest news|related (?:news|articles|stories)|read more|more news|top stories|"
    r"most read|share(?: this)?(?: article)?|advertisement|reuters?|ap|afp|\(?reporting by .*\)?)"
    r"[:.]?$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"""[.!?…]["”’')\]]*$""")
# A headline in a "Related" list: short and not a sentence.
_MAX_HEADLINE_WORDS = 30


def parse_text_seed(text: str, path: str, source: str) -> SeedArticle:
    lines = [line.rstrip() for line in text.split("\n")]
    warnings: list[str] = []
    title, date, body_start = _read_header(lines, path, warnings)
    paragraphs = _paragraphs(lines[body_start:])
    paragraphs = [p for p in paragraphs if _norm(p) != _norm(title)]
    paragraphs = _drop_related_lists(paragraphs)
    while len(paragraphs) > 1 and _is_trailing_furniture(paragraphs[-1]):
        paragraphs.pop()
    if not paragraphs:
        raise SeedError("no article text after the title")
    body = "\n\n".join(escape_markdown(p) for p in paragraphs)
    return SeedArticle(
        path=path, title=title, date=date, body=body, source=source, warnings=warnings
    )


def _read_header(lines: list[str], path: str, warnings: list[str]) -> tuple[str, object, int]:
    """Title, date and the index of the first body line, reading furniture off the top."""
    title = ""
    crumb_title = ""
    date = None
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        if not line:
            index += 1
            continue
        crumbs = _breadcrumb_segments(line)
        if crumbs:
            crumb_title = crumbs[-1]
            index += 1
            continue
        if date is None and looks_like_date_line(line):
            date = parse_date(line)
            if date is None:
                # "February 30, 2026": a dateline, but not a day that exists. It is still
                # furniture, not the headline.
                warnings.append(f"date line {line!r} is not a real date; ignored")
            index += 1
            continue
        if title and _norm(line) == _norm(title):
            index += 1
            continue
        if _FURNITURE.match(line) or is_furniture(line) or is_list_heading(line):
            index += 1
            continue
        if not title and (
            _is_title_line(line) or (not crumb_title and _is_long_headline(lines, index))
        ):
            title = line
            index += 1
            continue
        break
    title = title or crumb_title
    if not title:
        raise SeedError("no title: the first line is article text, not a headline")
    return title, date, index


def _is_long_headline(lines: list[str], index: int) -> bool:
    """A line too long for a headline that still stands alone like one (blank line after, no
    full stop): read_seed shortens it for the title and keeps it whole in the body."""
    line = lines[index].strip()
    stands_alone = index + 1 >= len(lines) or not lines[index + 1].strip()
    return stands_alone and not _SENTENCE_END.search(line)


def _breadcrumb_segments(line: str) -> list[str]:
    parts = [p.strip() for p in _BREADCRUMB_SEPARATOR.split(line) if p.strip()]
    if len(parts) < 2 or len(parts[0].split()) > 3:
        return []
    return parts


def _is_title_line(line: str) -> bool:
    if len(line) > _MAX_TITLE:
        return False
    # A headline rarely ends with a full stop; a first paragraph almost always does.
    return not (line.endswith(".") and len(line.split()) > 25)


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank lines separate paragraphs; in hard-wrapped text an indented line starts one."""
    paragraphs: list[str] = []
    current: list[str] = []
    dropped_runs_on = False  # the furniture line just dropped was prose cut mid-sentence
    for raw in lines:
        if not raw.strip():
            dropped_runs_on = False
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        indented = raw[:1] in (" ", "\t") and raw[:2].strip() == ""
        line = raw.strip()
        if dropped_runs_on and line[0].islower():
            dropped_runs_on = not _SENTENCE_END.search(line)
            continue
        kind = _furniture_line_kind(line)
        if kind:
            # "Advertisement", "Share this", a photo credit, a byline: gone, and a paragraph it
            # interrupted goes on after it.
            dropped_runs_on = kind in PROSE_KINDS and not _SENTENCE_END.search(line)
            continue
        dropped_runs_on = False
        if is_list_heading(line):
            # "Related" / "Read more": a paragraph of its own, so its list can go with it.
            if current:
                paragraphs.append(" ".join(current))
                current = []
            paragraphs.append(line)
            continue
        # A sign-off or nav line ("Reuter", "Latest News") is never part of a paragraph.
        if (indented or _is_signoff(line)) and current:
            paragraphs.append(" ".join(current))
            current = []
        current.append(raw.strip())
    if current:
        paragraphs.append(" ".join(current))
    return [" ".join(p.split()) for p in paragraphs]


def _furniture_line_kind(line: str) -> str | None:
    # A hard-wrapped paragraph's next line ("share.", "by Citicorp.") starts in lower case;
    # furniture does not. Sign-offs and list headings end a paragraph instead (see above).
    if not line or line[0].islower() or is_list_heading(line) or _is_signoff(line):
        return None
    return furniture_kind(line)


def _is_signoff(line: str) -> bool:
    """ "Reuter", "Latest News": a line that ends the paragraph above it and is one of its own."""
    if not line or line[0].islower() or not _FURNITURE.match(line):
        return False
    return furniture_kind(line) in (None, "sign-off")


def _drop_related_lists(paragraphs: list[str]) -> list[str]:
    """A "Related" / "Read more" heading and the headlines under it go; real paragraphs stay."""
    kept: list[str] = []
    in_list = False
    for paragraph in paragraphs:
        if is_list_heading(paragraph):
            in_list = True
            continue
        if in_list and _is_headline_list(paragraph):
            continue
        in_list = False
        if not is_furniture(paragraph):
            kept.append(paragraph)
    return kept


def _is_headline_list(paragraph: str) -> bool:
    return len(paragraph.split()) <= _MAX_HEADLINE_WORDS * 3 and not _SENTENCE_END.search(paragraph)


def _is_trailing_furniture(paragraph: str) -> bool:
    if _FURNITURE.match(paragraph):
        return True
    return len(paragraph.split()) <= 6 and not _SENTENCE_END.search(paragraph)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", text.casefold()).split())
