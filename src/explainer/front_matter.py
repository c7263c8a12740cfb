"""Split a Pelican Markdown file into its metadata header and its body."""

from __future__ import annotations

import re

_META_LINE = re.compile(r"^[ ]{0,3}[A-Za-z0-9_-]+:")
_CONTINUATION = re.compile(r"^[ ]{4,}\S")


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
        if _META_LINE.match(line) or (header and _CONTINUATION.match(line)):
            header.append(line)
            continue
        return header, "\n".join(lines[index:])
    return header, ""
