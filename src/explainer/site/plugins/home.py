"""Pelican plugin: the landing part of the home page (page 1 of index.html).

Inputs: an introduction in Markdown (`HOME_INTRO_PATH`, relative to the content folder; default
`home.md`, with a `Title`), and the fact files, from which `HOME_KEY_NUMBERS` are computed. Each
key number is a spec: `("share", ISO code, mineral slug)` — the country's share of world
production — or `("leader", ISO code)` — in how many minerals it is the largest producer.

Context variables (read only by index.html): `home_intro` (`HomeIntro(title, content)` or
None), `key_numbers` (a list of `explainer.site.facts.KeyNumber`) and `home_top_topics`
(`{"countries": [...], "minerals": [...]}`, the `HOME_TOP_TOPICS` most-covered of each).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from pelican import signals
from pelican.contents import Page

from explainer.site.facts import FactsError, load_factbook
from explainer.site.incremental import follows_lists
from explainer.site.plugin_defaults import set_defaults
from explainer.site.plugins.key_facts import declare_fact_files

logger = logging.getLogger(__name__)

DEFAULT_SETTINGS = {
    "HOME_INTRO_PATH": "home.md",
    "HOME_TOP_TOPICS": 6,  # most-covered countries and minerals linked from the landing
    "HOME_KEY_NUMBERS": (
        ("share", "CN", "rare-earths"),
        ("share", "CN", "graphite"),
        ("share", "CN", "gallium"),
        ("share", "CD", "cobalt"),
        ("leader", "CN"),
    ),
}


@dataclass(frozen=True)
class HomeIntro:
    title: str
    content: str


def read_intro(generator) -> HomeIntro | None:
    relative = generator.settings["HOME_INTRO_PATH"]
    if not relative or not os.path.exists(os.path.join(generator.path, relative)):
        return None
    page = generator.readers.read_file(
        base_path=generator.path, path=relative, content_class=Page, context=generator.context
    )
    return HomeIntro(title=getattr(page, "title", ""), content=page.content)


def add_landing(generators) -> None:
    generator = generators[0]
    context = generator.context
    context["home_intro"] = read_intro(generator)
    numbers = []
    try:
        book = load_factbook(generator.settings.get("FACTS_DATA_DIR"))
        numbers = [book.key_number(tuple(spec)) for spec in generator.settings["HOME_KEY_NUMBERS"]]
    except (FactsError, OSError) as error:
        logger.error("home: %s", error)
    context["key_numbers"] = numbers


@follows_lists  # a quick build that made the topics' lists again makes these again too
def add_top_topics(generators) -> None:
    context = generators[0].context
    limit = int(generators[0].settings["HOME_TOP_TOPICS"])
    context["home_top_topics"] = {
        kind: sorted(context.get(kind, []), key=lambda t: (-len(t.articles), t.name.casefold()))[
            :limit
        ]
        for kind in ("countries", "minerals")
    }


def add_default_settings(pelican) -> None:
    set_defaults(pelican.settings, DEFAULT_SETTINGS)
    declare_fact_files(pelican.settings)


def register() -> None:
    signals.initialized.connect(add_default_settings)
    signals.all_generators_finalized.connect(add_landing)
    signals.all_generators_finalized.connect(add_top_topics)
