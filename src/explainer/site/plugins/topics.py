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

from explainer.site.incremental import counted_when_read, made_per_build, relists
from explainer.site.plugin_defaults import set_defaults
from explainer.site.plugins import sitemap

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
@made_per_build
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
        key = _key(tag)
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
        write_pages(self.context, self.settings, writer, self.get_template)


def write_pages(context: dict, settings: dict, writer, get_template=lambda name: name) -> None:
    """Every topic's pages and feed, and the two index pages, through `writer`."""
    relative_urls = settings["RELATIVE_URLS"]
    topic_template = get_template("topic")
    index_template = get_template("topics")
    for kind, plural in KINDS.items():
        topics = context[plural]
        for topic in topics:
            writer.write_file(
                topic.save_as,
                topic_template,
                context,
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
                    context,
                    topic.feed_save_as,
                    feed_title=f"{settings['SITENAME']}: {topic.name}",
                )
        prefix = plural.upper()
        writer.write_file(
            settings[f"{prefix}_SAVE_AS"],
            index_template,
            context,
            relative_urls=relative_urls,
            kind=kind,
            kind_plural=plural,
            title=plural.capitalize(),
            topics=topics,
            page_name=plural,
        )


@relists("countries", "minerals", "focus", pages=write_pages)
def relist(generators) -> bool:
    """Each topic's lists made again, in place, from the articles' countries and minerals,
    once a quick build remade some articles (their lists hold tags, not topics yet; the
    others' hold topics, and the topics' focus lists say which were salient). False when
    the topic pages would change: a topic new to the site or left without articles, or, when
    the sitemap is written, one whose newest article changed (it dates the topic's pages)."""
    context = generators[0].context
    known = {
        kind: {_key(topic): topic for topic in context.get(plural) or []}
        for kind, plural in KINDS.items()
    }
    lists = _lists(context.get("articles") or [], known)
    if lists is None:
        logger.debug("topics: an article names a topic new to the site")
        return False
    topics = _all(known)
    dated = sitemap.writes_sitemap(generators[0].settings)
    for topic in topics:
        every = lists[id(topic)][0]
        if not every or (dated and _newest(every) != _newest(topic.articles)):
            logger.debug("topics: %s is left without articles or has a new newest", topic.slug)
            return False
    for topic in topics:
        for items, now in zip(
            (topic.articles, topic.focus_articles, topic.other_articles),
            lists[id(topic)],
            strict=True,
        ):
            if len(items) != len(now) or any(a is not b for a, b in zip(items, now, strict=True)):
                items[:] = now
    return True


def _lists(articles: list, known: dict) -> dict[int, tuple[list, list, list]] | None:
    """id(topic) -> its articles, focus articles and other articles, as generate_context
    makes them; an article whose lists hold tags gets the topics instead. None if a tag
    names a topic new to the site."""
    focus = {
        id(topic): {id(article) for article in topic.focus_articles}
        for by_key in known.values()
        for topic in by_key.values()
    }
    lists: dict[int, tuple[list, list, list]] = {id(t): ([], [], []) for t in _all(known)}
    for article in articles:
        for kind, plural in KINDS.items():
            tags = getattr(article, plural, None) or []
            topics = [tag if isinstance(tag, Topic) else known[kind].get(_key(tag)) for tag in tags]
            if None in topics:
                return None
            for tag, topic in zip(tags, topics, strict=True):
                every, salient, other = lists[id(topic)]
                if not every or every[-1] is not article:
                    every.append(article)
                    is_salient = id(article) in focus[id(topic)] if tag is topic else _salient(tag)
                    (salient if is_salient else other).append(article)
            if any(tag is not topic for tag, topic in zip(tags, topics, strict=True)):
                setattr(article, plural, list(dict.fromkeys(topics)))
    return lists


def _key(tag) -> str:
    return getattr(tag, "code", None) or tag.slug


def _all(known: dict) -> list:
    return [topic for by_key in known.values() for topic in by_key.values()]


def _newest(articles: list):
    return max((getattr(a, "modified", None) or a.date for a in articles), default=None)


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
