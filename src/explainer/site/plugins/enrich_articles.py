"""Pelican plugin: fill an article's missing Summary, Countries, Minerals, Organisations, Tags
and Lang (the language it is written in, so its page says `<html lang="fr">`).

It wraps Pelican's Markdown reader, so the same tagger and summariser that ingestion uses run
on the Markdown body, and Pelican's content cache keeps the results between builds. What the
author wrote always wins: a field present in the file is parsed, never recomputed.

Salience (what the article is *about*) travels in an optional `Focus:` line that lists the
salient countries and minerals by name or code ("Focus: China, Rare earths"). Ingestion
writes it; a person may edit it, and then it wins: every country or mineral it names is
salient (and tagged, if the Countries/Minerals lines lack it), the others are not. Without a
`Focus:` line, salience is computed from the body, also for countries and minerals that the
author listed by hand.
"""

from __future__ import annotations

import html
import logging
import os
from dataclasses import replace

from markdown import Markdown
from markdown.extensions.meta import MetaPreprocessor
from pelican import signals
from pelican.readers import MarkdownReader
from pelican.urlwrappers import Tag
from pelican.utils import pelican_open

from explainer.enrich.enrichment import Enrichment, enrich
from explainer.enrich.language import detect_language
from explainer.enrich.tagging.gazetteer import (
    load_gazetteer,
    resolve_country,
    resolve_mineral,
    resolve_organisation,
)
from explainer.model import CountryTag, MineralTag
from explainer.site import pelican_seams
from explainer.site.external_images import external_images_as_links
from explainer.site.markdown_html import engine_setting, needs_python_markdown, render
from explainer.text.front_matter import parse_header, split_front_matter
from explainer.text.lead_text import is_opening, smart_quotes
from explainer.text.markdown_text import markdown_to_text

logger = logging.getLogger(__name__)

TOPIC_FIELDS = ("countries", "minerals", "organisations")
FOCUS_FIELD = "focus"


class EnrichingMarkdownReader(MarkdownReader):
    _reusable = None  # one Markdown instance per reader, reset between files

    def read(self, source_path: str):
        """MarkdownReader.read, then enrichment. The body is CommonMark unless the file needs
        Python-Markdown's own extensions or MARKDOWN_ENGINE says "python-markdown" (see
        explainer.site.markdown_html)."""
        pelican_seams.start_reading(self, source_path)
        with pelican_open(source_path) as text:
            header, body = split_front_matter(text)
        if engine_setting(self.settings) == "python-markdown" or needs_python_markdown(text):
            content, metadata = self._read_python_markdown(text)
        else:
            content = render(body)
            metadata = pelican_seams.header_metadata(self, parse_header(header), render)
        # An image from another site that the Content-Security-Policy blocks: a link instead.
        content = external_images_as_links(
            content, self.settings.get("CONTENT_SECURITY_POLICY", "")
        )
        if self._is_article(source_path):
            enrich_metadata(metadata, body, self.settings, source_path)
        return content, metadata

    def _read_python_markdown(self, text: str):
        """MarkdownReader.read, reusing one Markdown instance (building one per file costs
        about a third of the conversion); `reset()` between files is Python-Markdown's way."""
        md = self._reusable
        if md is None:
            md = self._reusable = Markdown(**self.settings["MARKDOWN"])
        else:
            md.reset()
            if "meta" not in md.preprocessors:  # _parse_metadata took it out for the fields
                md.preprocessors.register(MetaPreprocessor(md), "meta", 27)
        content = md.convert(text)
        return content, pelican_seams.python_markdown_metadata(self, md)

    def _is_article(self, source_path: str) -> bool:
        root = os.path.abspath(self.settings["PATH"])
        relative = os.path.relpath(os.path.abspath(source_path), root)
        if relative.startswith(".."):
            return False
        first = relative.split(os.sep)[0]
        article_paths = self.settings.get("ARTICLE_PATHS") or [""]
        return any(p in ("", ".") or first == p.strip("/").split("/")[0] for p in article_paths)


def enrich_metadata(metadata: dict, body: str, settings: dict, source_path: str) -> None:
    """Parse what the author wrote; compute the rest from the body."""
    missing = [f for f in ("summary", *TOPIC_FIELDS, "tags", FOCUS_FIELD) if f not in metadata]
    authored = [f for f in TOPIC_FIELDS if f in metadata]
    for field in authored:
        metadata[field] = _parse_authored(field, metadata[field], source_path)
    focus = None
    if FOCUS_FIELD in metadata:
        focus = _parse_focus(metadata[FOCUS_FIELD], source_path)
        metadata[FOCUS_FIELD] = [tag.name for tag in focus]
    title = str(metadata.get("title", ""))
    if not missing:
        _apply_focus(metadata, focus, add_missing=True)
        if "lang" not in metadata:
            lang = detect_language(f"{title}\n\n{markdown_to_text(body)}")
            if lang:
                metadata["lang"] = lang
        return
    found = enrich(title, body, metadata.get("date"), lang=metadata.get("lang"))
    if "lang" not in metadata and found.lang:
        metadata["lang"] = found.lang
    _fill_missing(metadata, missing, found, settings)
    authored_focus = focus is not None
    if focus is None:
        focus = [t for t in [*found.tags.countries, *found.tags.minerals] if t.salient]
    _apply_focus(metadata, focus, add_missing=authored_focus)


def _fill_missing(metadata: dict, missing: list[str], found: Enrichment, settings: dict) -> None:
    """The summary and tags the author did not write, from what enrichment found."""
    if "summary" in missing and found.summary:
        summary = smart_quotes(found.summary)  # as the body's smart punctuation has them
        metadata["summary"] = f"<p>{html.escape(summary, quote=False)}</p>"
    for field in ("countries", "minerals", "organisations"):
        if field in missing:
            metadata[field] = getattr(found.tags, field)
    if "tags" in missing and found.tags.plain_tags:
        metadata["tags"] = [Tag(name, settings) for name in found.tags.plain_tags]


def _apply_focus(metadata: dict, focus: list | None, *, add_missing: bool) -> None:
    """Mark the focus countries and minerals salient, the rest not. A Focus line the author
    wrote also adds what the Countries/Minerals lines lack; a computed one never adds to
    lists the author wrote."""
    if focus is None:
        return
    keys = {_key(tag) for tag in focus}
    salient: list[str] = []
    for field, kind in (("countries", CountryTag), ("minerals", MineralTag)):
        tags = [replace(t, salient=_key(t) in keys) for t in metadata.get(field) or []]
        present = {_key(t) for t in tags}
        if add_missing:
            tags += [
                replace(t, salient=True)
                for t in focus
                if isinstance(t, kind) and _key(t) not in present
            ]
        metadata[field] = tags
        salient += [t.name for t in tags if t.salient]
    metadata[FOCUS_FIELD] = salient


def _key(tag) -> str:
    return getattr(tag, "code", None) or tag.slug


def _parse_focus(value, source_path: str) -> list:
    """Focus names: countries or minerals, by name, alias or code."""
    tags: list = []
    unknown: list[str] = []
    for name in _rejoined(_names(value), lambda n: resolve_country(n) or resolve_mineral(n)):
        country = resolve_country(name)
        mineral = None if country else resolve_mineral(name)
        if country:
            tags.append(CountryTag(country.name, country.code, country.slug, salient=True))
        elif mineral:
            tags.append(MineralTag(mineral.name, mineral.slug, salient=True))
        else:
            unknown.append(name)
    if unknown:
        logger.warning(
            "%s: unknown focus in metadata, ignored: %s", source_path, ", ".join(unknown)
        )
    return list({_key(t): t for t in tags}.values())


def _names(value) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [name.strip() for item in values for name in str(item).split(",") if name.strip()]


def _rejoined(names: list[str], resolve) -> list[str]:
    """A name with a comma in it, split by the list's commas, made whole again: a piece that
    names nothing is joined to the piece before it when together they name something
    ("Bonaire", "Sint Eustatius and Saba")."""
    joined: list[str] = []
    for name in names:
        if joined and not resolve(name) and resolve(f"{joined[-1]}, {name}"):
            joined[-1] = f"{joined[-1]}, {name}"
        else:
            joined.append(name)
    return joined


def _parse_authored(field: str, value, source_path: str) -> list:
    names = _names(value)
    if field == "organisations":
        return [resolve_organisation(name) or name for name in names]
    resolved: list = []
    unknown: list[str] = []
    for name in _rejoined(names, resolve_country if field == "countries" else resolve_mineral):
        if field == "countries":
            entry = resolve_country(name)
            if entry:
                resolved.append(CountryTag(entry.name, entry.code, entry.slug))
            else:
                unknown.append(name)
        else:
            mineral = resolve_mineral(name)
            if mineral:
                resolved.append(MineralTag(mineral.name, mineral.slug))
            else:
                unknown.append(name)
    if unknown:
        logger.warning(
            "%s: unknown %s in metadata, ignored: %s", source_path, field, ", ".join(unknown)
        )
    return list(dict.fromkeys(resolved))


def add_reader(readers) -> None:
    for extension in MarkdownReader.file_extensions:
        readers.reader_classes[extension] = EnrichingMarkdownReader


def load_gazetteers(pelican) -> None:
    """Load the gazetteers before readers fork, so each worker process inherits them."""
    load_gazetteer()


def _opening_of(summary, body) -> bool:
    """Jinja test `summary is opening_of(body)`: the theme shows a standfirst only when the
    summary is not the body's own opening. A test in the page rather than a metadata field:
    what the body opens with shows on the article's own page only, so an edit of the first
    paragraph changes no other page (and takes the quick build, quick_build.py)."""
    return is_opening(str(summary), str(body))


def add_template_test(generator) -> None:
    generator.env.tests["opening_of"] = _opening_of


def register() -> None:
    signals.initialized.connect(load_gazetteers)
    signals.generator_init.connect(add_template_test)
    signals.readers_init.connect(add_reader)
