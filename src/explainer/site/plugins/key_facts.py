"""Pelican plugin: sourced key facts on the mineral and country pages, and the minerals table.

Inputs: the fact files (`explainer/data/facts/`, or the folder in `FACTS_DATA_DIR`) joined to the
topics by mineral slug and ISO 3166-1 code. After every generator has built its context it sets:

- on every mineral topic: `topic.facts` (`explainer.site.facts.MineralFacts`, or None when the USGS
  tables have no figures for it) and `topic.listing` (its USGS 2022 / EU 2023 list status, or
  None);
- on every country topic: `topic.facts` (`explainer.site.facts.CountryFacts`: the minerals where it
  ranks among the top `FACTS_TOP_RANK` producers);
- on both: `topic.fact_links`, the pages the facts link to (ISO code -> country topic on a
  mineral page, mineral slug -> mineral topic on a country page), so a page's inputs are its own;
- in the context: `mineral_table` (one `MineralRow(facts, topic)` per mineral with production
  figures, A to Z; `topic` is None when no article mentions that mineral) for the minerals index.

The theme's `partials/fact_box.html` renders all of it; `FACTS_CHART_BARS` sets how many
producers the bar chart shows, `FACTS_BOX_PRODUCERS` how many the key-facts box names.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from pelican import signals

from explainer.site.facts import FactsError, MineralFacts, data_files, load_factbook
from explainer.site.incremental import depends_on
from explainer.site.plugin_defaults import set_defaults

logger = logging.getLogger(__name__)

DEFAULT_SETTINGS = {
    "FACTS_DATA_DIR": None,  # None: the files shipped in explainer/data/facts/
    "FACTS_TOP_RANK": 5,
    "FACTS_CHART_BARS": 6,
    "FACTS_BOX_PRODUCERS": 3,
}


@dataclass(frozen=True)
class MineralRow:
    facts: MineralFacts
    topic: object | None


def attach_facts(generators) -> None:
    context = generators[0].context
    settings = generators[0].settings
    try:
        book = load_factbook(settings.get("FACTS_DATA_DIR"))
    except (FactsError, OSError) as error:
        logger.error("facts: %s", error)
        return
    minerals = {t.slug: t for t in context.get("minerals", [])}
    countries = {t.code: t for t in context.get("countries", []) if t.code}
    for topic in minerals.values():
        topic.facts = book.mineral(topic.slug)
        topic.listing = book.listing(topic.slug)
        producers = topic.facts.producers + topic.facts.reserve_holders if topic.facts else ()
        topic.fact_links = {p.code: countries[p.code] for p in producers if p.code in countries}
    top = int(settings["FACTS_TOP_RANK"])
    for topic in countries.values():
        topic.facts = book.country(topic.code, top)
        slugs = {rank.mineral.slug for rank in topic.facts.ranks}
        topic.fact_links = {slug: minerals[slug] for slug in slugs if slug in minerals}
    context["mineral_table"] = [
        MineralRow(facts, minerals.get(slug))
        for slug, facts in sorted(book.minerals.items(), key=lambda kv: kv[1].name.casefold())
        if facts.producers
    ]
    context["factbook"] = book


def add_default_settings(pelican) -> None:
    set_defaults(pelican.settings, DEFAULT_SETTINGS)
    declare_fact_files(pelican.settings)


def declare_fact_files(settings: dict) -> None:
    """The fact files may live outside the code (FACTS_DATA_DIR): the pages that show them
    depend on them (an incremental build must know)."""
    for path in data_files(settings.get("FACTS_DATA_DIR")):
        depends_on(path)


def register() -> None:
    signals.initialized.connect(add_default_settings)
    signals.all_generators_finalized.connect(attach_facts)
