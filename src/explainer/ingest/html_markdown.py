"""An article's DOM -> safe Markdown blocks, built element by element (never raw HTML).

Understands both HTML (p, h2, ul/li, blockquote, table, a, img, em...) and the TEI-like tree that
trafilatura returns (p, head, list/item, quote, table/row/cell, ref, graphic, hi, lb). Every piece
of page text is escaped ("&" and "<" as entities, Markdown's own syntax with backslashes, block
markers at the start of every line); only http(s) and mailto links and http(s) images with
alt text survive, their URLs resolved against the page's base URL and percent-encoded so that no
character of a URL can end the Markdown link early. Scripts, styles, forms, frames and SVG are
never read at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from lxml import etree

from explainer.ingest.decode import strip_invisible

# Elements whose content is never article text.
SKIPPED = frozenset(
    {
        "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
        "embed", "svg", "math", "canvas", "form", "input", "button", "select", "option",
        "textarea", "label", "nav", "aside", "footer", "header", "menu", "dialog", "audio",
        "video", "source", "track", "map", "area", "link", "meta", "head", "title",
    }
)  # fmt: skip
HEADING_LEVELS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_LISTS = {"ul", "ol", "list", "dl"}
_ITEMS = {"li", "item", "dt", "dd"}
_QUOTES = {"blockquote", "quote"}
_TABLES = {"table"}
_ROWS = {"tr", "row"}
_CELLS = {"td", "th", "cell"}
_IMAGES = {"img", "graphic"}
_LINKS = {"a", "ref"}
_BREAKS = {"br", "lb"}
_CODE_BLOCKS = {"pre", "code"}
_BLOCKS = (
    {"p", "div", "section", "article", "main", "body", "figure", "figcaption", "center", "head",
     "address", "details", "summary", "hr", "fieldset", "doc"}
    | set(HEADING_LEVELS) | _LISTS | _ITEMS | _QUOTES | _TABLES | _ROWS | _CELLS | {"pre"}
)  # fmt: skip
_STRONG = {"b", "strong"}
_EMPHASIS = {"i", "em", "cite", "dfn"}
_URL_SAFE = "/:?#&=%+@,;~!$*-._"  # everything else (spaces, quotes, brackets, parens) is encoded
_WS = re.compile(r"\s+")
# Emphasis, code, links and raw HTML; braces because Markdown's attr_list reads "{: onclick=...}".
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]>{}])")


@dataclass
class Block:
    """One block of the article: its Markdown, its plain text, and how much of it is links."""

    kind: str  # paragraph, heading, list, quote, table, image, code
    markdown: str
    text: str
    link_chars: int = 0
    level: int = 0

    @property
    def link_ratio(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


def safe_url(href: str | None, base: str | None, *, images: bool = False) -> str | None:
    """An absolute http(s) (or, for links, mailto) URL, percent-encoded; None for anything else."""
    if not href:
        return None
    href = "".join(ch for ch in href.strip() if ch >= " " and ch != "\x7f")
    if not href or href.startswith("#"):
        return None
    try:
        absolute = urljoin(base, href) if base else href
        parts = urlsplit(absolute)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    allowed = ("http", "https") if images else ("http", "https", "mailto")
    if scheme not in allowed or (scheme != "mailto" and not parts.netloc):
        return None
    return quote(absolute, safe=_URL_SAFE)


class _Inline:
    """Accumulates the inline Markdown and plain text of one block."""

    def __init__(self) -> None:
        self.markdown: list[str] = []
        self.text: list[str] = []
        self.link_chars = 0

    def add_text(self, value: str | None) -> None:
        if value:
            # entities such as &shy; reach the text only now, after the page was parsed
            value = _WS.sub(" ", strip_invisible(value))
            self.markdown.append(_escape_inline(value))
            self.text.append(value)

    def add_raw(self, markdown: str, text: str = "") -> None:
        self.markdown.append(markdown)
        self.text.append(text)


def _escape_inline(text: str) -> str:
    # Block markers are escaped per line once the block is assembled; here only inline syntax.
    # "<" as an entity: Markdown has no backslash escape for it (it would show the backslash).
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return _INLINE_SPECIALS.sub(r"\\\1", text)


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""  # comments, processing instructions
    return tag.rsplit("}", 1)[-1].lower()


class MarkdownRenderer:
    def __init__(self, base_url: str | None) -> None:
        self.base = base_url
        self.blocks: list[Block] = []

    # -- blocks ---------------------------------------------------------------------------------
    def render(self, root: etree._Element) -> list[Block]:
        pending = _Inline()
        self._walk_block(root, pending)
        self._flush(pending)
        return self.blocks

    def _flush(self, inline: _Inline, kind: str = "paragraph", level: int = 0) -> None:
        markdown = _tidy("".join(inline.markdown))
        text = _tidy("".join(inline.text))
        inline.markdown.clear()
        inline.text.clear()
        link_chars, inline.link_chars = inline.link_chars, 0
        if not text and "![" not in markdown:
            return
        if kind == "heading":
            markdown = "#" * level + " " + markdown.replace("#", "\\#")
        else:
            markdown = _escape_line_starts(markdown)
        self.blocks.append(Block(kind, markdown, text, link_chars, level))

    def _walk_block(self, element: etree._Element, pending: _Inline) -> None:
        """Walk a block container: text and inline children gather in `pending` (a paragraph)."""
        pending.add_text(element.text)
        for child in element:
            tag = _local(child.tag)
            if not tag or (tag in SKIPPED and not _is_tei_heading(child, tag)):
                pending.add_text(child.tail)
                continue
            if tag in _BLOCKS or (tag in _IMAGES and _is_figure_image(child)):
                self._flush(pending)
                self._block(child, tag)
            else:
                self._inline(child, tag, pending)
            pending.add_text(child.tail)

    def _block(self, element: etree._Element, tag: str) -> None:
        if tag in HEADING_LEVELS or _is_tei_heading(element, tag):
            level = HEADING_LEVELS.get(tag) or HEADING_LEVELS.get(element.get("rend", "h2"), 2)
            inline = _Inline()
            self._inline_children(element, inline)
            self._flush(inline, "heading", max(2, level))
        elif tag in _LISTS:
            self._list(element, tag)
        elif tag in _QUOTES:
            self._quote(element)
        elif tag in _TABLES:
            self._table(element)
        elif tag in _IMAGES:
            inline = _Inline()
            self._image(element, inline)
            self._flush(inline, "image")
        elif tag in _CODE_BLOCKS:
            self._code(element)
        elif tag == "hr":
            return
        else:
            pending = _Inline()
            self._walk_block(element, pending)
            self._flush(pending)

    def _sub_blocks(self, element: etree._Element) -> list[Block]:
        inner = MarkdownRenderer(self.base)
        pending = _Inline()
        inner._walk_block(element, pending)
        inner._flush(pending)
        return inner.blocks

    def _list(self, element: etree._Element, tag: str) -> None:
        ordered = tag == "ol" or element.get("rend") == "ol"
        lines: list[str] = []
        texts: list[str] = []
        link_chars = 0
        number = 0
        for child in element:
            if _local(child.tag) not in _ITEMS:
                continue
            blocks = self._sub_blocks(child)
            if not blocks:
                continue
            number += 1
            marker = f"{number}. " if ordered else "- "
            first = True
            for block in blocks:
                for line in block.markdown.split("\n"):
                    lines.append((marker if first else " " * 4) + line if line else "")
                    first = False
                texts.append(block.text)
                link_chars += block.link_chars
        if lines:
            text = "\n".join(texts)
            self.blocks.append(Block("list", "\n".join(lines), text, link_chars))

    def _quote(self, element: etree._Element) -> None:
        blocks = self._sub_blocks(element)
        if not blocks:
            return
        markdown = "\n>\n".join(
            "\n".join("> " + line if line else ">" for line in b.markdown.split("\n"))
            for b in blocks
        )
        self.blocks.append(
            Block(
                "quote",
                markdown,
                "\n".join(b.text for b in blocks),
                sum(b.link_chars for b in blocks),
            )
        )

    def _table(self, element: etree._Element) -> None:
        rows: list[list[str]] = []
        texts: list[str] = []
        for row in element.iter():
            if _local(row.tag) not in _ROWS:
                continue
            cells = []
            for cell in row:
                if _local(cell.tag) not in _CELLS:
                    continue
                inline = _Inline()
                self._inline_children(cell, inline, in_table=True)
                markdown = _tidy("".join(inline.markdown)).replace("\n", " ").replace("|", "\\|")
                cells.append(markdown)
                texts.append(_tidy("".join(inline.text)))
            if any(cells):
                rows.append(cells)
        if not rows:
            return
        width = max(len(r) for r in rows)
        if width == 1:
            # A one-column "table" is layout: its cells are paragraphs.
            for cell in (r[0] for r in rows):
                self.blocks.append(Block("paragraph", _escape_line_starts(cell), cell))
            return
        rows = [r + [""] * (width - len(r)) for r in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        self.blocks.append(Block("table", "\n".join(lines), "\n".join(t for t in texts if t)))

    def _code(self, element: etree._Element) -> None:
        code = "".join(element.itertext()).strip("\n")
        if not code.strip():
            return
        longest = max((len(m) for m in re.findall(r"`+", code)), default=0)
        fence = "`" * max(3, longest + 1)
        self.blocks.append(Block("code", f"{fence}\n{code}\n{fence}", code))

    # -- inline ---------------------------------------------------------------------------------
    def _inline_children(self, element: etree._Element, inline: _Inline, in_table=False) -> None:
        inline.add_text(element.text)
        for child in element:
            tag = _local(child.tag)
            if tag and (tag not in SKIPPED or _is_tei_heading(child, tag)):
                self._inline(child, tag, inline, in_table=in_table)
            inline.add_text(child.tail)

    def _inline(self, element: etree._Element, tag: str, inline: _Inline, in_table=False) -> None:
        if tag in _BREAKS:
            inline.add_raw(" " if in_table else "\n", " " if in_table else "\n")
        elif tag in _LINKS:
            self._link(element, inline, in_table)
        elif tag in _IMAGES:
            if not in_table:
                self._image(element, inline)
        elif tag in _STRONG or (tag == "hi" and element.get("rend") == "#b"):
            self._wrapped(element, inline, "**", in_table)
        elif tag in _EMPHASIS or (tag == "hi" and element.get("rend") == "#i"):
            self._wrapped(element, inline, "*", in_table)
        elif tag in _BLOCKS or tag in _LISTS:
            # A block inside inline context (div in a span, li in a cell): keep its text.
            inline.add_raw(" ", " ")
            self._inline_children(element, inline, in_table)
            inline.add_raw(" ", " ")
        else:
            self._inline_children(element, inline, in_table)

    def _wrapped(self, element: etree._Element, inline: _Inline, mark: str, in_table) -> None:
        inner = _Inline()
        self._inline_children(element, inner, in_table)
        markdown = "".join(inner.markdown)
        text = "".join(inner.text)
        inline.link_chars += inner.link_chars
        stripped = markdown.strip()
        if not stripped or "\n" in stripped:
            inline.add_raw(markdown, text)
            return
        lead = markdown[: len(markdown) - len(markdown.lstrip())]
        trail = markdown[len(markdown.rstrip()) :]
        inline.add_raw(f"{lead}{mark}{stripped}{mark}{trail}", text)

    def _link(self, element: etree._Element, inline: _Inline, in_table) -> None:
        inner = _Inline()
        self._inline_children(element, inner, in_table)
        markdown = "".join(inner.markdown)
        text = "".join(inner.text)
        inline.link_chars += len(_tidy(text))
        url = safe_url(element.get("href") or element.get("target"), self.base)
        if url and markdown.strip() and "\n" not in markdown.strip():
            lead = markdown[: len(markdown) - len(markdown.lstrip())]
            trail = markdown[len(markdown.rstrip()) :]
            inline.add_raw(f"{lead}[{markdown.strip()}]({url}){trail}", text)
        else:
            inline.add_raw(markdown, text)

    def image_block(self, src: str, alt: str) -> Block | None:
        """A stand-alone image block, or None when the URL is not http(s) or there is no alt."""
        inline = _Inline()
        self._add_image(src, alt, inline)
        markdown = "".join(inline.markdown)
        return Block("image", markdown, "") if markdown else None

    def _image(self, element: etree._Element, inline: _Inline) -> None:
        self._add_image(element.get("src") or element.get("data-src"), element.get("alt"), inline)

    def _add_image(self, src: str | None, alt: str | None, inline: _Inline) -> None:
        alt = _tidy(_WS.sub(" ", alt or ""))
        url = safe_url(src, self.base, images=True)
        if alt and url:
            inline.add_raw(f"![{_escape_inline(alt)}]({url})", "")


def _is_tei_heading(element: etree._Element, tag: str) -> bool:
    # trafilatura calls a heading <head rend="h2">; an HTML page's <head> has no rend.
    return tag == "head" and element.get("rend") is not None


def _is_figure_image(element: etree._Element) -> bool:
    parent = element.getparent()
    return parent is None or _local(parent.tag) in {"body", "figure", "div", "section", "doc"}


def _tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()


_BLOCK_MARKER = re.compile(r"^([#>+=-]|\d+[.)](?=\s|$)|~~~|```)")


def _escape_line_starts(markdown: str) -> str:
    """Escape what would start a block at the start of any line (headings, quotes, lists, rules)."""
    return "\n".join(escape_markdown_line_start(line) for line in markdown.split("\n"))


def escape_markdown_line_start(line: str) -> str:
    match = _BLOCK_MARKER.match(line)
    if not match:
        return line
    marker = match.group(1)
    if marker[0].isdigit():
        return f"{marker[:-1]}\\{marker[-1]}{line[len(marker) :]}"
    return "\\" + line
