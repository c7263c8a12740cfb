"""Pelican plugin: a page per country and per mineral, index pages for both, a feed per topic.

Reads the `countries` and `minerals` that the enrich plugin (or the author) put on each
article, turns them into shared Topic objects (so templates can link them), and writes
`countries/<slug>/`, `minerals/<slug>/`, `countries/` and `minerals/`. An optional intro for a
topic is Markdown in `content/topics/<countries|minerals>/<slug>.md`.

A topic page lists the articles that are about the topic first (`focus_articles`: the tag is
salient, see the `Focus:` metadata in plugins/enrich_articles.py), then the ones that only
mention it (`other_articles`); `articles` keeps all of them, newest first. A long topic is paginated
like the index (`DEFAULT_PAGINATION` a page, `countries/<slug>/page/2/`...) over the focus
articles and then the others.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field

import pycountry
from pelican import signals
from pelican.contents import Page
from pelican.generators import Generator

from explainer.site.incremental import counted_when_read
from explainer.site.plugin_defaults import set_defaults

logger = logging.getLogger(__name__)

KINDS = {"country": "countries", "mineral": "minerals"}

DEFAULT_SETTINGS = {
    "COUNTRY_URL": "countries/{slug}/",
    "COUNTRY_SAVE_AS": "countries/{slug}/index.html",
    "COUNTRIES_URL": "countries/",
    "COUNTRIES_SAVE_AS": "countries/index.html",
    "MINERAL_URL": "minerals/{slug}/",
    "MINERAL_SAVE_AS": "minerals/{slug}/index.html",
    "MINERALS_URL": "minerals/",
    "MINERALS_SAVE_AS": "minerals/index.html",
    "COUNTRY_FEED_ATOM": None,  # e.g. "feeds/countries/{slug}.atom.xml"
    "MINERAL_FEED_ATOM": None,
    "TOPIC_INTRO_PATH": "topics",
}


# An article's page shows its topics' names and addresses, not what each topic lists: a page
# counts a topic's lists (and the topics it co-mentions) only when it read them.
@counted_when_read(
    "articles",
    "focus_articles",
    "other_articles",
    "co_mentions",
    key=lambda topic: f"{topic.kind}/{topic.slug}",
)
@dataclass(eq=False)
class Topic:
    kind: str
    kind_plural: str
    name: str
    slug: str
    code: str | None
    flag: str
    url: str
    save_as: str
    feed_url: str | None = None
    feed_save_as: str | None = None
    intro: str = ""
    articles: list = field(default_factory=list)
    focus_articles: list = field(default_factory=list)  # articles about this topic
    other_articles: list = field(default_factory=list)  # articles that only mention it

    def __str__(self) -> str:
        return self.name


class TopicsGenerator(Generator):
    def generate_context(self) -> None:
        self.topics: dict[str, dict[str, Topic]] = {kind: {} for kind in KINDS}
        for article in self.context.get("articles", []):
            for kind, plural in KINDS.items():
                tags = getattr(article, plural, None) or []
                topics = [self._topic(kind, tag) for tag in tags]
                for tag, topic in zip(tags, topics, strict=True):
                    if not topic.articles or topic.articles[-1] is not article:
                        topic.articles.append(article)
                        group = topic.focus_articles if _salient(tag) else topic.other_articles
                        group.append(article)
                setattr(article, plural, list(dict.fromkeys(topics)))
        for kind, plural in KINDS.items():
            for topic in self.topics[kind].values():
                topic.intro = self._read_intro(plural, topic.slug)
            self.context[plural] = sorted(
                self.topics[kind].values(), key=lambda t: t.name.casefold()
            )

    def _topic(self, kind: str, tag) -> Topic:
        key = getattr(tag, "code", None) or tag.slug
        topic = self.topics[kind].get(key)
        if topic is None:
            prefix = kind.upper()
            feed_pattern = self.settings.get(f"{prefix}_FEED_ATOM")
            feed = feed_pattern.format(slug=tag.slug) if feed_pattern else None
            topic = Topic(
                kind=kind,
                kind_plural=KINDS[kind],
                name=tag.name,
                slug=tag.slug,
                code=getattr(tag, "code", None),
                flag=_flag(getattr(tag, "code", None)),
                url=self.settings[f"{prefix}_URL"].format(slug=tag.slug),
                save_as=self.settings[f"{prefix}_SAVE_AS"].format(slug=tag.slug),
                feed_url=feed,
                feed_save_as=feed,
            )
            self.topics[kind][key] = topic
        return topic

    def _read_intro(self, plural: str, slug: str) -> str:
        relative = os.path.join(self.settings["TOPIC_INTRO_PATH"], plural, f"{slug}.md")
        if not os.path.exists(os.path.join(self.path, relative)):
            return ""
        page = self.readers.read_file(
            base_path=self.path, path=relative, content_class=Page, context=self.context
        )
        return page.content

    def generate_output(self, writer) -> None:
        relative_urls = self.settings["RELATIVE_URLS"]
        topic_template = self.get_template("topic")
        index_template = self.get_template("topics")
        for kind, plural in KINDS.items():
            topics = self.context[plural]
            for topic in topics:
                writer.write_file(
                    topic.save_as,
                    topic_template,
                    self.context,
                    relative_urls=relative_urls,
                    # Pages list the focus articles first, then the others (each newest first).
                    paginated={"articles": topic.focus_articles + topic.other_articles},
                    template_name="topic",
                    url=topic.url,
                    topic=topic,
                    articles=topic.articles,
                    focus_articles=topic.focus_articles,
                    other_articles=topic.other_articles,
                    page_name=topic.url.rstrip("/"),
                )
                if topic.feed_save_as:
                    writer.write_feed(
                        topic.articles,
                        self.context,
                        topic.feed_save_as,
                        feed_title=f"{self.settings['SITENAME']}: {topic.name}",
                    )
            prefix = plural.upper()
            writer.write_file(
                self.settings[f"{prefix}_SAVE_AS"],
                index_template,
                self.context,
                relative_urls=relative_urls,
                kind=kind,
                kind_plural=plural,
                title=plural.capitalize(),
                topics=topics,
                page_name=plural,
            )


def _salient(tag) -> bool:
    return bool(getattr(tag, "salient", False))


def _flag(code: str | None) -> str:
    """The regional-indicator emoji of a current ISO 3166-1 country ("" for former states)."""
    record = pycountry.countries.get(alpha_2=code) if code else None
    return getattr(record, "flag", "") if record else ""


def add_default_settings(pelican) -> None:
    set_defaults(pelican.settings, DEFAULT_SETTINGS)
    # Long topic listings are paginated like the index (DEFAULT_PAGINATION per page).
    paginated = dict(pelican.settings.get("PAGINATED_TEMPLATES") or {})
    paginated.setdefault("topic", None)
    pelican.settings["PAGINATED_TEMPLATES"] = paginated


def get_generators(pelican):
    return TopicsGenerator


def register() -> None:
    signals.initialized.connect(add_default_settings)
    signals.get_generators.connect(get_generators)
