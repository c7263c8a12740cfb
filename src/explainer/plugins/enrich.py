"""Pelican plugin: fill an article's missing Summary, Countries, Minerals, Organisations and Tags.

It wraps Pelican's Markdown reader, so the same tagger and summariser that ingestion uses run
on the Markdown body, and Pelican's content cache keeps the results between builds. What the
author wrote always wins: a field present in the file is parsed, never recomputed.
"""

from __future__ import annotations

import html
import logging
import os

from markdown import Markdown
from markdown.extensions.meta import MetaPreprocessor
from pelican import signals
from pelican.readers import MarkdownReader
from pelican.urlwrappers import Tag
from pelican.utils import pelican_open

from explainer.enrich import enrich
from explainer.front_matter import split_front_matter
from explainer.model import CountryTag, MineralTag
from explainer.tagging.gazetteer import (
    load_gazetteer,
    resolve_country,
    resolve_mineral,
    resolve_organisation,
)

logger = logging.getLogger(__name__)

TOPIC_FIELDS = ("countries", "minerals", "organisations")


class EnrichingMarkdownReader(MarkdownReader):
    _reusable = None  # one Markdown instance per reader, reset between files

    def read(self, source_path: str):
        content, metadata = self._read_markdown(source_path)
        if self._is_article(source_path):
            with pelican_open(source_path) as text:
                _, body = split_front_matter(text)
            enrich_metadata(metadata, body, self.settings, source_path)
        return content, metadata

    def _read_markdown(self, source_path: str):
        """MarkdownReader.read, reusing one Markdown instance (building one per file costs
        about a third of the conversion); `reset()` between files is Python-Markdown's way."""
        self._source_path = source_path
        md = self._reusable
        if md is None:
            md = self._reusable = Markdown(**self.settings["MARKDOWN"])
        else:
            md.reset()
            if "meta" not in md.preprocessors:  # _parse_metadata took it out for the fields
                md.preprocessors.register(MetaPreprocessor(md), "meta", 27)
        self._md = md
        with pelican_open(source_path) as text:
            content = md.convert(text)
        metadata = self._parse_metadata(md.Meta) if hasattr(md, "Meta") else {}
        return content, metadata

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
    missing = [f for f in ("summary", *TOPIC_FIELDS, "tags") if f not in metadata]
    authored = [f for f in TOPIC_FIELDS if f in metadata]
    for field in authored:
        metadata[field] = _parse_authored(field, metadata[field], source_path)
    if not missing:
        return
    found = enrich(str(metadata.get("title", "")), body)
    if "summary" in missing and found.summary:
        metadata["summary"] = f"<p>{html.escape(found.summary, quote=False)}</p>"
    if "countries" in missing:
        metadata["countries"] = found.tags.countries
    if "minerals" in missing:
        metadata["minerals"] = found.tags.minerals
    if "organisations" in missing:
        metadata["organisations"] = found.tags.organisations
    if "tags" in missing and found.tags.plain_tags:
        metadata["tags"] = [Tag(name, settings) for name in found.tags.plain_tags]


def _names(value) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [name.strip() for item in values for name in str(item).split(",") if name.strip()]


def _parse_authored(field: str, value, source_path: str) -> list:
    names = _names(value)
    if field == "organisations":
        return [resolve_organisation(name) or name for name in names]
    resolved: list = []
    unknown: list[str] = []
    for name in names:
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


def register() -> None:
    signals.initialized.connect(load_gazetteers)
    signals.readers_init.connect(add_reader)
