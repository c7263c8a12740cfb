"""Pelican plugin: ship the theme's stylesheets without comments and spare whitespace.

The source stays readable (`theme/static/css/`); the copies in the output are minified
after the build, which keeps an article page and its CSS well inside the 30 KB budget.
String literals are left exactly as written. In an incremental build the copies are minified
as soon as they are in place (`static_ready`), before the pages render, so the live preview
sends a changed stylesheet to the browser already minified; minifying twice changes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

from pelican import signals

from explainer.site.incremental import static_ready

_STRING = re.compile(r"(\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*')")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_SPACE = re.compile(r"\s+")
_AROUND = re.compile(r"\s*([{};,>])\s*")


def minify(css: str) -> str:
    parts = _STRING.split(_COMMENT.sub("", css))
    out = []
    for index, part in enumerate(parts):
        if index % 2:  # a string literal
            out.append(part)
            continue
        part = _AROUND.sub(r"\1", _SPACE.sub(" ", part))
        out.append(part.replace(";}", "}"))
    return "".join(out).strip() + "\n"


def minify_output(pelican) -> None:
    static = Path(pelican.output_path) / pelican.settings.get("THEME_STATIC_DIR", "theme")
    for path in static.rglob("*.css"):
        text = path.read_text(encoding="utf-8")
        small = minify(text)
        if small != text:
            path.write_text(small, encoding="utf-8")


def register() -> None:
    signals.finalized.connect(minify_output)
    static_ready.connect(minify_output)
