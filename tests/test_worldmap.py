"""The world map outlines: every country by ISO code, simplified to a small inline SVG."""

from __future__ import annotations

import pycountry

from explainer.site.worldmap import load_world_map


def test_every_current_country_is_on_the_map_by_iso_code():
    world = load_world_map()
    codes = {c.alpha_2 for c in pycountry.countries}
    missing = codes - set(world.shapes)
    assert missing <= {"AQ", "AX"}, missing  # Antarctica left out; Åland is part of Finland's
    for code in ("CN", "ZA", "NA", "MM", "CD", "US"):
        assert world.shape(code).d.startswith("M"), code


def test_small_countries_get_a_marker_and_large_ones_do_not():
    world = load_world_map()
    assert world.shape("SG").small
    assert not world.shape("CN").small
    assert 0 < world.shape("SG").cx < world.width and 0 < world.shape("SG").cy < world.height


def test_the_map_is_small_enough_to_inline():
    world = load_world_map()
    assert len(world.base) < 40_000
    assert world.viewbox == f"0 0 {world.width} {world.height}"
    assert 300 < world.height < world.width
