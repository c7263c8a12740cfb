"""Pelican plugin: world maps for the country pages and the countries index.

Inputs: the country outlines from `explainer.site.worldmap` (pygal-maps-world's SVG, simplified once
per build) and each country topic's ISO code. It sets `topic.map_shape` (an
`explainer.site.worldmap.Shape`, or None for a country the map does not have) on every country topic
and `world_map` (the `WorldMap`: viewBox, background outline, shapes by ISO code) in the context.
The theme's `partials/world_map.html` draws the map.
"""

from __future__ import annotations

import contextlib
import logging

from pelican import signals

from explainer.site.incremental import depends_on
from explainer.site.worldmap import load_world_map, source_svg

logger = logging.getLogger(__name__)


def attach_maps(generators) -> None:
    context = generators[0].context
    try:
        world = load_world_map()
    except (OSError, ValueError) as error:
        logger.error("maps: cannot read the world map outlines: %s", error)
        return
    context["world_map"] = world
    for topic in context.get("countries", []):
        topic.map_shape = world.shape(topic.code)


def declare_outlines(pelican) -> None:
    """The outlines come from another package (pygal-maps-world): pages depend on its file."""
    with contextlib.suppress(ImportError, OSError, TypeError):  # attach_maps reports it
        depends_on(source_svg())


def register() -> None:
    signals.initialized.connect(declare_outlines)
    signals.all_generators_finalized.connect(attach_maps)
