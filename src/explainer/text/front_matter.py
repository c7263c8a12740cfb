"""A Pelican Markdown file's metadata header: split from the body, and read into its fields."""

from __future__ import annotations

import re

# "Key: value" and an indented line continuing it, as Python-Markdown's meta extension reads them.
META_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_CONTINUATION = re.compile(r"^[ ]{4,}(?P<value>\S.*)")


def split_front_matter(text: str) -> tuple[list[str], str]:
    """(header lines, body) as Python-Markdown's meta extension reads them."""
    lines = text.lstrip("\ufeff").split("\n")
    if lines and lines[0].strip() == "---":
        for end, line in enumerate(lines[1:], start=1):
            if line.strip() in ("---", "..."):
                return lines[1:end], "\n".join(lines[end + 1 :])
        return [], text
    header: list[str] = []
    for index, line in enumerate(lines):
        if not line.strip():
            return header, "\n".join(lines[index + 1 :])
        if META_LINE.match(line) or (header and _CONTINUATION.match(line)):
            header.append(line)
            continue
        return header, "\n".join(lines[index:])
    return header, ""


def parse_header(lines: list[str]) -> dict[str, list[str]]:
    """The header's fields: keys in lower case, each with its list of values."""
    meta: dict[str, list[str]] = {}
    key = None
    for line in lines:
        match = META_LINE.match(line)
        if match:
            key = match.group("key").lower().strip()
            meta.setdefault(key, []).append(match.group("value").strip())
            continue
        more = _CONTINUATION.match(line)
        if more and key is not None:
            meta[key].append(more.group("value").strip())
    return meta
