"""Pelican plugin: the `jsonld` template filter, for schema.org JSON-LD in pages.

`{{ data|jsonld }}` drops empty values (None, "", [], {}) at every depth and writes the rest
as JSON that is safe inside `<script type="application/ld+json">`: `<`, `>` and `&` become
`\\u003c`-style escapes, so no text from an article can close the script element. The
templates build the objects (`partials/jsonld_*.html`, `partials/breadcrumbs.html`).
"""

from __future__ import annotations

import json

from markupsafe import Markup
from pelican import signals

_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def prune(value):
    """The value without empty members (None, "", [], {}), recursively."""
    if isinstance(value, dict):
        pruned = {str(k): prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if not _empty(v)}
    if isinstance(value, (list, tuple)):
        return [v for v in (prune(item) for item in value) if not _empty(v)]
    if isinstance(value, str):
        return str(value).strip()
    return value


def _empty(value) -> bool:
    return value is None or (isinstance(value, (str, list, dict)) and not value)


def jsonld(value) -> Markup:
    text = json.dumps(prune(value), ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _ESCAPES.items():
        text = text.replace(raw, escaped)
    return Markup(text)


def add_filter(generator) -> None:
    generator.env.filters["jsonld"] = jsonld


def register() -> None:
    signals.generator_init.connect(add_filter)
