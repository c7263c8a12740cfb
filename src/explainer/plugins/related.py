"""Pelican plugin: related articles, and the topics that a topic's articles also mention.

After every generator has built its context (so articles carry their country and mineral
topics), it sets:

- `article.related`: up to `RELATED_ARTICLES_MAX` `Related(article, countries, minerals)`,
  ranked by how many countries and minerals they share with the article (more shared minerals
  first on a tie, then the closest in date). Articles sharing nothing are not related.
- `topic.co_mentions`: `{"countries": [(topic, n)], "minerals": [(topic, n)]}` — the other
  topics mentioned in that topic's articles, most often first. A country page lists its
  minerals from this.

Inputs: each article's `countries` and `minerals` only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from pelican import signals

DEFAULT_SETTINGS = {"RELATED_ARTICLES_MAX": 5}
KINDS = ("countries", "minerals")


@dataclass(frozen=True)
class Related:
    article: object
    countries: tuple  # the topics shared with the article
    minerals: tuple

    @property
    def shared(self) -> tuple:
        return self.countries + self.minerals


def _key(topic) -> tuple[str, str]:
    return (getattr(topic, "kind", ""), getattr(topic, "code", None) or topic.slug)


def related_articles(articles, limit: int) -> dict[int, list[Related]]:
    """For each article (by id), its related articles, best first."""
    by_topic: dict[tuple[str, str], list] = defaultdict(list)
    for article in articles:
        for kind in KINDS:
            for topic in getattr(article, kind, None) or []:
                by_topic[(kind, *_key(topic))].append(article)
    result: dict[int, list[Related]] = {}
    for article in articles:
        shared: dict[int, dict[str, list]] = defaultdict(lambda: {k: [] for k in KINDS})
        others = {}
        for kind in KINDS:
            for topic in getattr(article, kind, None) or []:
                for other in by_topic[(kind, *_key(topic))]:
                    if other is not article:
                        shared[id(other)][kind].append(topic)
                        others[id(other)] = other
        ranked = sorted(
            shared.items(),
            key=lambda item: (
                -(len(item[1]["countries"]) + len(item[1]["minerals"])),
                -len(item[1]["minerals"]),
                abs((others[item[0]].date - article.date).total_seconds()),
                others[item[0]].title,
            ),
        )
        result[id(article)] = [
            Related(others[key], tuple(topics["countries"]), tuple(topics["minerals"]))
            for key, topics in ranked[:limit]
        ]
    return result


def co_mentions(topics) -> None:
    for topic in topics:
        counts: dict[str, Counter] = {kind: Counter() for kind in KINDS}
        seen: dict[tuple, object] = {}
        for article in topic.articles:
            for kind in KINDS:
                for other in getattr(article, kind, None) or []:
                    if other is topic:
                        continue
                    key = (kind, *_key(other))
                    seen[key] = other
                    counts[kind][key] += 1
        topic.co_mentions = {
            kind: [
                (seen[key], n)
                for key, n in sorted(
                    counts[kind].items(), key=lambda kv: (-kv[1], seen[kv[0]].name.casefold())
                )
            ]
            for kind in KINDS
        }


def add_relations(generators) -> None:
    context = generators[0].context
    settings = generators[0].settings
    articles = list(context.get("articles", []))
    limit = int(settings.get("RELATED_ARTICLES_MAX", 5))
    related = related_articles(articles, limit)
    for article in articles:
        article.related = related[id(article)]
    for kind in KINDS:
        co_mentions(context.get(kind, []))


def add_default_settings(pelican) -> None:
    for key, value in DEFAULT_SETTINGS.items():
        pelican.settings.setdefault(key, value)


def register() -> None:
    signals.initialized.connect(add_default_settings)
    signals.all_generators_finalized.connect(add_relations)
