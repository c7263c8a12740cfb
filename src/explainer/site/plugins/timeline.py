"""Pelican plugin: a timeline — every article by date, grouped by month, newest first.

Inputs: the articles (with their summaries and topics). Output: `TIMELINE_SAVE_AS` (default
`timeline/index.html`) and, past `TIMELINE_PAGINATION` articles (default 100; it sets
`PAGINATED_TEMPLATES["timeline"]` unless that is set), further pages after Pelican's
`PAGINATION_PATTERNS` (`timeline/page/2/`...): one page of every article would grow with
the archive (29 MB at 20,000 articles). Each page is rendered with the theme's
`timeline.html` and Pelican's pagination variables (`articles_page`...), plus `months`:
every month as `Month(key, label, count, url)`, where `key` is "2026-01", `label`
"January 2026" and `url` the timeline page where the month starts (so any month is one
link away from every page).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from pelican import signals
from pelican.generators import Generator
from pelican.paginator import Paginator

from explainer.site.plugin_defaults import set_defaults

DEFAULT_SETTINGS = {
    "TIMELINE_URL": "timeline/",
    "TIMELINE_SAVE_AS": "timeline/index.html",
    # a timeline item is short: a page holds more of them than a listing of cards
    "TIMELINE_PAGINATION": 100,
}


@dataclass(frozen=True)
class Month:
    key: str
    label: str
    count: int
    url: str  # the timeline page holding the month's first article


def by_date(articles) -> list:
    return sorted(articles, key=lambda a: a.date, reverse=True)


def month_key(article) -> str:
    return f"{article.date.year:04d}-{article.date.month:02d}"


def months_of(articles: list, paginator: Paginator) -> list[Month]:
    """Every month of `articles` (newest first, as paginated), with the page it starts on."""
    starts: dict[str, int] = {}
    counts: dict[str, int] = {}
    for index, article in enumerate(articles):
        key = month_key(article)
        starts.setdefault(key, index)
        counts[key] = counts.get(key, 0) + 1
    # each page's last article, 1-based, as Pelican lays the pages out (orphans and all)
    ends = [paginator.page(number).end_index() for number in paginator.page_range]
    months = []
    for key, start in starts.items():
        number = min(bisect.bisect_right(ends, start) + 1, paginator.num_pages)
        label = articles[start].date.strftime("%B %Y")
        months.append(Month(key, label, counts[key], paginator.page(number).url))
    return months


class TimelineGenerator(Generator):
    def generate_context(self) -> None:
        self.articles = by_date(self.context.get("articles", []))

    def generate_output(self, writer) -> None:
        save_as = self.settings["TIMELINE_SAVE_AS"]
        if not save_as:
            return
        url = self.settings["TIMELINE_URL"]
        per_page = self.settings["PAGINATED_TEMPLATES"].get("timeline")
        paginator = Paginator(
            save_as, url, self.articles, self.settings,
            per_page or self.settings["DEFAULT_PAGINATION"],
        )  # fmt: skip
        writer.write_file(
            save_as,
            self.get_template("timeline"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            paginated={"articles": self.articles},
            template_name="timeline",
            url=url,
            months=months_of(self.articles, paginator),
            page_name=url.rstrip("/"),
        )


def add_default_settings(pelican) -> None:
    set_defaults(pelican.settings, DEFAULT_SETTINGS)
    paginated = dict(pelican.settings.get("PAGINATED_TEMPLATES") or {})
    paginated.setdefault("timeline", pelican.settings["TIMELINE_PAGINATION"])
    pelican.settings["PAGINATED_TEMPLATES"] = paginated


def get_generators(pelican):
    return TimelineGenerator


def add_filter(generator) -> None:
    """`{{ article|month_key }}`: the key of the article's month in `months`."""
    generator.env.filters["month_key"] = month_key


def register() -> None:
    signals.initialized.connect(add_default_settings)
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(add_filter)
