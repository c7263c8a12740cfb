"""The records that flow through the pipeline: seed -> SeedArticle -> Article (enriched)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class CountryTag:
    """A country an article mentions. `code` is ISO 3166-1 alpha-2 (or a former ISO 3166-3 code)."""

    name: str
    code: str
    slug: str
    mentions: int = 0
    salient: bool = False

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "code": self.code,
            "mentions": self.mentions,
            "salient": self.salient,
        }


@dataclass(frozen=True)
class MineralTag:
    """A mineral or material an article mentions, by the slug of its gazetteer entry."""

    name: str
    slug: str
    mentions: int = 0
    salient: bool = False

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "slug": self.slug,
            "mentions": self.mentions,
            "salient": self.salient,
        }


@dataclass
class Tags:
    """Everything the tagger found, split by kind."""

    countries: list[CountryTag] = field(default_factory=list)
    minerals: list[MineralTag] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)

    @property
    def plain_tags(self) -> list[str]:
        """People and other keywords: what Pelican shows as ordinary tags."""
        seen: dict[str, None] = {}
        for name in [*self.people, *self.keywords]:
            seen.setdefault(name, None)
        return list(seen)


@dataclass
class SeedArticle:
    """An article as found in a seed, before enrichment. `body` is Markdown."""

    path: str
    title: str
    date: date | datetime | None
    body: str
    source: str
    meta: dict[str, str] = field(default_factory=dict)
    # What the reader should know about how the seed was read ("title shortened", "date line
    # ignored"); ingestion reports them next to the file's name.
    warnings: list[str] = field(default_factory=list)


@dataclass
class Article:
    """A seed article with its summary and tags: what ingestion writes and `extract` prints."""

    seed: SeedArticle
    summary: str
    tags: Tags
    lang: str | None = None  # BCP 47, declared by the seed or detected from its text

    def to_json(self) -> dict:
        seed = self.seed
        return {
            "path": seed.path,
            "title": seed.title,
            "date": iso_date(seed.date),
            "lang": self.lang,
            "summary": self.summary,
            "countries": [c.to_json() for c in self.tags.countries],
            "minerals": [m.to_json() for m in self.tags.minerals],
            "organisations": list(self.tags.organisations),
            "people": list(self.tags.people),
            "tags": self.tags.plain_tags,
            "author": seed.meta.get("author", ""),
            "body": seed.body,
        }


def iso_date(value: date | datetime | None) -> str | None:
    """ISO 8601: a bare date when there is no time of day, else the full timestamp."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.time() == datetime.min.time() and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    return value.isoformat()
