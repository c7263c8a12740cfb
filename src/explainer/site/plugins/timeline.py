"""Pelican plugin: a timeline page — every article by date, grouped by month, newest first.

Inputs: the articles (with their summaries and topics). Output: `TIMELINE_SAVE_AS` (default
`timeline/index.html`), rendered with the theme's `timeline.html` and the variable `months`:
a list of `Month(key, label, articles)`, where `key` is "2026-01" and `label` "January 2026".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pelican import signals
from pelican.generators import Generator

from explainer.site.incremental import transparent
from explainer.site.plugin_defaults import set_defaults

DEFAULT_SETTINGS = {
    "TIMELINE_URL": "timeline/",
    "TIMELINE_SAVE_AS": "timeline/index.html",
}


@transparent  # the page depends on each article's fields and topics, not just the month
@dataclass
class Month:
    key: str
    label: str
    articles: list = field(default_factory=list)


def group_by_month(articles) -> list[Month]:
    months: dict[str, Month] = {}
    for article in sorted(articles, key=lambda a: a.date, reverse=True):
        key = f"{article.date.year:04d}-{article.date.month:02d}"
        month = months.get(key)
        if month is None:
            month = months[key] = Month(key, article.date.strftime("%B %Y"))
        month.articles.append(article)
    return list(months.values())


class TimelineGenerator(Generator):
    def generate_context(self) -> None:
        self.months = group_by_month(self.context.get("articles", []))

    def generate_output(self, writer) -> None:
        save_as = self.settings["TIMELINE_SAVE_AS"]
        if not save_as:
            return
        writer.write_file(
            save_as,
            self.get_template("timeline"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            months=self.months,
            page_name=self.settings["TIMELINE_URL"].rstrip("/"),
        )


def add_default_settings(pelican) -> None:
    set_defaults(pelican.settings, DEFAULT_SETTINGS)


def get_generators(pelican):
    return TimelineGenerator


def register() -> None:
    signals.initialized.connect(add_default_settings)
    signals.get_generators.connect(get_generators)
