"""Between plain text and Markdown: escape seed text so it stays text, and read Markdown as text."""

from __future__ import annotations

import html
import re
from functools import lru_cache

# Braces too: Markdown's attr_list reads "{: onclick=...}" after a block as HTML attributes.
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]>{}])")
_BLOCK_START = re.compile(r"^(\s*)([#>+=|-]|\d+[.)](?=\s)|~~~|```)")


def escape_markdown(text: str) -> str:
    """Escape a line of plain text so Markdown renders it literally (no emphasis, links, HTML)."""
    # Python-Markdown cannot backslash-escape "<", so it becomes an entity instead; and "&#14;"
    # written in the text is text, not a character reference (it would render as a control
    # character, which breaks the feeds).
    text = _INLINE_SPECIALS.sub(r"\\\1", text).replace("<", "&lt;").replace("&#", "&amp;#")
    return _BLOCK_START.sub(_escape_block_marker, text)


def _escape_block_marker(match: re.Match[str]) -> str:
    indent, marker = match.group(1), match.group(2)
    if marker[0].isdigit():
        # "1987. Prices rose" would otherwise become an ordered list.
        return f"{indent}{marker[:-1]}\\{marker[-1]}"
    if marker.startswith("\\"):
        return match.group(0)
    return f"{indent}\\{marker}"


_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_LINK_DEF = re.compile(r"^\s*\[[^\]]+\]:\s+\S+.*$", re.MULTILINE)
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^>]+>")
_URL = re.compile(r"https?://\S+")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
# Each alternative starts with a literal, so the search skips to the next *, _ or ~ in C
# (with `\*{1,3}` it tried every position: 175 -> 32 µs for a 5 kB article)
_EMPHASIS = re.compile(r"(\*\*?\*?|__?_?|~~)(?=\S)(.+?)(?<=\S)\1")
_CODE = re.compile(r"`+([^`]*)`+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*(.*?)\s*#*\s*$", re.MULTILINE)
_QUOTE = re.compile(r"^\s{0,3}>\s?", re.MULTILINE)
_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.MULTILINE)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}.*$", re.MULTILINE)


_PROTECT_BASE = 0xF0000  # Supplementary Private Use Area: never in real text we keep


# Ingestion asks for the same body's text twice (enrichment, then the story fingerprint).
@lru_cache(maxsize=32)
def markdown_to_text(markdown: str) -> str:
    """Markdown -> plain text with paragraphs kept (blank-line separated); good enough to tag."""
    # Each rule runs only when the text holds a character it needs to match (the same result;
    # most paragraphs have no Markdown syntax at all).
    text = markdown
    if "\\" in text:
        # Hide backslash-escaped characters so the rules below cannot mistake them for syntax.
        text = _ESCAPE.sub(lambda m: chr(_PROTECT_BASE + ord(m.group(1))), text)
    text = _inline_to_text(text)
    text = _blocks_to_text(text)
    text = html.unescape(text)
    return _UNPROTECT.sub(lambda m: chr(ord(m.group()) - _PROTECT_BASE), text)


def _inline_to_text(text: str) -> str:
    """Links, images, autolinks, URLs, HTML tags and code spans -> their text."""
    if "[" in text:
        text = _LINK_DEF.sub("", text)
        text = _IMAGE.sub("", text)  # alt text describes a picture; it is not the article's text
        text = _LINK.sub(r"\1", text)
        text = _REF_LINK.sub(r"\1", text)
    if "<" in text:
        text = _AUTOLINK.sub("", text)
    if "://" in text:
        text = _URL.sub("", text)
    if "<" in text:
        text = _TAG.sub("", text)
    if "`" in text:
        text = _CODE.sub(r"\1", text)
    return text


def _blocks_to_text(text: str) -> str:
    """Heading, quote and list markers, table rules and emphasis taken away."""
    if "#" in text:
        text = _HEADING.sub(r"\1", text)
    if ">" in text:
        text = _QUOTE.sub("", text)
    text = _LIST.sub("", text)
    if "---" in text:
        text = _TABLE_RULE.sub("", text)
    if "*" in text or "_" in text or "~~" in text:
        text = _EMPHASIS.sub(r"\2", text)
    return text


_UNPROTECT = re.compile("[\U000f0000-\U000f00ff]")


_FENCED_CODE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)


def markdown_paragraphs(markdown: str) -> list[str]:
    """Prose paragraphs of a Markdown body as plain text (headings, lists, tables, code skipped)."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", _FENCED_CODE.sub("", markdown)):
        first = block.strip()
        if not first or first.startswith(("#", "|", "<", "![")) or block.startswith("    "):
            continue
        if _LIST.match(first):
            continue
        text = " ".join(markdown_to_text(first).split())
        if text:
            paragraphs.append(text)
    return paragraphs
