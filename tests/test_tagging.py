"""The tagger: aliases, demonyms and possessives count; everyday words and look-alikes do not."""

from __future__ import annotations

import pytest

from explainer.enrich.tagging import tag_text


def countries(text: str) -> set[str]:
    return {c.code for c in tag_text("", text).countries}


def minerals(text: str) -> set[str]:
    return {m.slug for m in tag_text("", text).minerals}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Talks with the UK resumed.", "GB"),
        ("Britain said it would act.", "GB"),
        ("The U.S. imposed tariffs.", "US"),
        ("the United States imposed tariffs.", "US"),
        ("Chinese firms dominate refining.", "CN"),
        ("China's exports fell.", "CN"),
        ("China’s exports fell.", "CN"),
        ("Exports from Myanmar rose.", "MM"),
        ("Kinshasa and the Democratic Republic of Congo agreed.", "CD"),
    ],
)
def test_country_forms(text, code):
    assert code in countries(text)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("European leaders are planning visits.", None),
        ("Officials in Niger met traders.", "NG"),
        ("Officials in Nigeria met traders.", "NE"),
        ("The plant is in New Mexico.", "MX"),
        ("china plates and porcelain", "CN"),
    ],
)
def test_country_look_alikes(text, absent):
    found = countries(text)
    if absent is None:
        assert found == set()
    else:
        assert absent not in found


def test_niger_and_nigeria_are_told_apart():
    assert countries("Niger and Nigeria signed a deal.") == {"NE", "NG"}


@pytest.mark.parametrize(
    "text",
    [
        "The talks could lead to a deal.",
        "Martin said the tin-pot scheme was continuing.",
        "They hope to iron out differences.",
        "The report is the gold standard of analysis.",
    ],
)
def test_everyday_words_are_not_minerals(text):
    assert minerals(text) == set()


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Lead prices rose on the exchange.", "lead"),
        ("Output of copper, lead and zinc rose.", "lead"),
        ("Tin output fell.", "tin"),
        ("Iron ore shipments rose.", "iron-ore"),
        ("Gold prices hit a record.", "gold"),
        ("Neodymium magnets need rare earths.", "rare-earths"),
        ("Aluminum smelters cut output.", "aluminium"),
        ("Lithium-ion batteries", "lithium"),
    ],
)
def test_minerals_in_commodity_sense(text, slug):
    assert slug in minerals(text)


def test_rare_earth_elements_roll_up_to_rare_earths():
    found = minerals("China limits exports of dysprosium.")
    assert {"dysprosium", "rare-earths"} <= found


def test_organisations_by_name_and_acronym():
    tags = tag_text("", "The World Trade Organization and the IMF met the G20 and the EU.")
    assert {"WTO", "IMF", "G20", "EU"} <= set(tags.organisations)


def test_people_from_titles_and_gazetteer():
    tags = tag_text("", "Premier Li Qiang met Xi Jinping. Later Donald Trump spoke.")
    assert tags.people[:3] == ["Li Qiang", "Xi Jinping", "Donald Trump"]
