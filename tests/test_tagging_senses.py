"""Sense rules of the tagger, each in both directions: what counts as a country or mineral
mention, and what only looks like one (currency, exchanges, clubs, companies, tickers, idioms,
words inside words), plus places, datelines, organisations and salience."""

from __future__ import annotations

from datetime import date

import pytest

from explainer.enrich.tagging import tag_text
from explainer.model import Tags


def tags(text: str, title: str = "", when: date | None = None) -> Tags:
    return tag_text(title, text, when)


def countries(text: str, title: str = "", when: date | None = None) -> set[str]:
    return {c.code for c in tags(text, title, when).countries}


def minerals(text: str, title: str = "") -> set[str]:
    return {m.slug for m in tags(text, title).minerals}


def salient_countries(text: str, title: str = "") -> set[str]:
    return {c.code for c in tags(text, title).countries if c.salient}


# --- countries: senses that are not the country, and their real counterparts ---------------


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        # currency
        ("Copper was priced at 1,200 U.S. dlrs a tonne.", set(), {"US"}),
        ("The U.S. imposed tariffs on copper.", {"US"}, set()),
        ("The deal is worth 5.68 billion Taiwan dlrs.", set(), {"TW"}),
        # exchanges and clubs
        ("Prices fell on the London Metal Exchange.", set(), {"GB"}),
        ("Traders in London said prices fell.", {"GB"}, set()),
        ("Zambia asked the Paris Club to reschedule its debt.", {"ZM"}, {"FR"}),
        ("Ministers met in Paris to discuss the debt.", {"FR"}, set()),
        ("The New York Mercantile Exchange raised margins.", set(), {"US"}),
        # companies named after a country but not of it
        ("British Petroleum raised its dividend.", set(), {"GB"}),
        ("British officials raised the issue.", {"GB"}, set()),
        # capitals and cities standing for their country
        ("Beijing said it would curb exports.", {"CN"}, set()),
        ("Washington said the talks would continue.", {"US"}, set()),
        ("The festival moved to Paris, Texas, last year.", set(), {"FR"}),
        ("A portrait of George Washington hangs there.", set(), {"US"}),
        ("Officials in Lusaka and Kinshasa signed the pact.", {"ZM", "CD"}, set()),
        # states, provinces and metonyms
        ("The mine is in Nevada.", {"US"}, set()),
        ("Output in Queensland and Western Australia rose.", {"AU"}, set()),
        ("The Kremlin and the White House disagreed.", {"RU", "US"}, set()),
        ("Analysts on Wall Street were cautious.", {"US"}, set()),
        ("The Wall Street Journal reported it.", set(), {"US"}),
        # a city written as a person's surname
        ("Marketing manager Deogracias Madrid told Reuters. Madrid said no.", set(), {"ES"}),
        ("The minister flew to Madrid for talks.", {"ES"}, set()),
    ],
)
def test_country_senses(text, present, absent):
    found = countries(text)
    assert present <= found
    assert not (absent & found)


def test_georgia_is_the_us_state_when_the_text_is_american():
    assert countries("Officials in Atlanta said Georgia would tax U.S. shipments.") == {"US"}


def test_georgia_is_the_country_when_the_text_says_so():
    assert "GE" in countries("Georgia and Armenia met in Tbilisi.")
    assert "GE" in countries("Georgian officials said Georgia would export manganese.")


def test_places_are_dated_moscow_in_1987_is_the_soviet_union():
    assert countries("Officials in Moscow said so.", when=date(1987, 3, 2)) == {"SU"}
    assert countries("Officials in Moscow said so.", when=date(2024, 3, 2)) == {"RU"}
    # a country's own name is not re-dated
    assert countries("Ukraine said so.", when=date(1987, 3, 2)) == {"UA"}


# --- datelines ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("TOKYO, March 3 - The ministry said output rose.", "JP"),
        ("LUSAKA, March 2 - The mines reported strong output.", "ZM"),
        ("PEKING, March 2 - Gold output rose.", "CN"),
        ("GRAND RAPIDS, Mich., March 2 - Rospatch Corp said it would respond.", "US"),
        ("VANCOUVER, British Columbia, March 5 - The company found gold.", "CA"),
        ("ZEEBRUGGE, Belgium, March 10 - The search continues.", "BE"),
        ("LONDON (Reuters) - Copper prices rose.", "GB"),
    ],
)
def test_dateline_city_is_a_salient_mention(text, code):
    found = {c.code: c for c in tags(text).countries}
    assert code in found
    assert found[code].salient
    assert found[code].mentions >= 1


def test_a_sentence_is_not_a_dateline():
    assert countries("Copper prices - the market says - rose.") == set()


# --- minerals: senses that are not the material, and their real counterparts ---------------


@pytest.mark.parametrize(
    ("text", "slug", "counts"),
    [
        # idioms
        ("The talks could lead to a deal.", "lead", False),
        ("Lead prices rose on the exchange.", "lead", True),
        ("Salomon Brothers was lead manager for the bond.", "lead", False),
        ("Output of copper, lead and zinc rose.", "lead", True),
        ("The report is the gold standard of analysis.", "gold", False),
        ("Gold output rose 22 pct to 65 tonnes.", "gold", True),
        # words inside words
        ("The strike is continuing, Martin said.", "tin", False),
        ("Tin output fell to 3,000 tonnes.", "tin", True),
        ("Goldman Sachs raised its forecast.", "gold", False),
        # company names
        ("Weirton Steel said it would cut jobs.", "steel", False),
        # (in a story about metals, so only the name rule can keep it out)
        ("Weirton Steel cut shipments to 200,000 tonnes, the company said.", "steel", False),
        ("Bethlehem Steel Corp shut two mines, the company said.", "steel", False),
        ("Steel output rose 5 pct to 2 mln tonnes.", "steel", True),
        ("Shares of Newmont Gold Corp rose on the news.", "gold", False),
        ("Analysts said U.S. Steel would cut prices.", "steel", False),
        ("Analysts said U.S. steel imports would fall.", "steel", True),
        # tickers and bracketed company names
        ("Barrick (NYSE: GOLD) said it would cut costs.", "gold", False),
        ("<Gold Reserve Inc> said it would merge.", "gold", False),
        # compounds count
        ("Japanese steelmakers cut output.", "steel", True),
        ("The copper-rich province exported ore.", "copper", True),
        ("Mines in the Copperbelt resumed work.", "copper", True),
        # other names of the metals count
        ("Quicksilver prices rose to 300 dlrs a flask.", "mercury", True),
        ("Aluminum smelters cut output.", "aluminium", True),
    ],
)
def test_mineral_senses(text, slug, counts):
    assert (slug in minerals(text)) is counts


def test_one_sense_per_article():
    text = "Tin prices fell on the exchange. The tin crisis began in 1985."
    found = {m.slug: m for m in tags(text).minerals}
    assert found["tin"].mentions == 2


def test_a_commodity_body_is_a_mention_of_its_mineral():
    found = {m.slug for m in tags("The International Tin Council met in London.").minerals}
    assert "tin" in found


def test_a_passing_mention_in_a_story_about_something_else_is_not_a_tag():
    story = (
        "The yen rose against the dollar as Japanese officials promised reform. "
        "Officials pointed to the restructuring of the coal and steel industries."
    )
    assert minerals(story) == set()
    mining = story + " Steel mills cut output by 200,000 tonnes."
    assert "steel" in minerals(mining)


# --- organisations -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Leaders met at the G20 summit.", "G20"),
        ("The United Nations and UNCTAD called a meeting.", "United Nations"),
        ("The United Nations and UNCTAD called a meeting.", "UNCTAD"),
        ("The European Community (EC) opened an enquiry.", "EU"),
        ("The EC Commission said so.", "European Commission"),
        ("The World Trade Organization ruled on the case.", "WTO"),
        ("The IEA cut its forecast.", "IEA"),
        ("OPEC ministers met.", "OPEC"),
        ("The International Monetary Fund lent more.", "IMF"),
        ("The World Bank lent more.", "World Bank"),
        ("The International Tin Council, ITC, met creditors.", "International Tin Council"),
        ("The International Lead and Zinc Study Group (ILZSG) met.",
         "International Lead and Zinc Study Group"),
        ("CIPEC, the copper exporters' council, met in Paris.", "CIPEC"),
        ("The International Iron and Steel Institute said so.",
         "International Iron and Steel Institute"),
    ],
)
def test_organisations(text, name):
    assert name in tags(text).organisations


def test_headline_words_are_not_acronyms():
    found = tags("Officials said so.", title="TELL US WHO WINS")
    assert found.organisations == []
    assert {c.code for c in found.countries} == set()


# --- salience ------------------------------------------------------------------------------


def test_salient_is_what_the_article_is_about():
    text = (
        "Chile's copper output rose 5 pct in March, the mining ministry said. "
        "Most of it went to smelters at home. Some concentrate was shipped to Japan."
    )
    found = {c.code: c for c in tags(text, title="Chile copper output rises").countries}
    assert found["CL"].salient
    assert not found["JP"].salient
    assert found["JP"].mentions == 1


def test_many_mentions_make_a_country_salient():
    text = (
        "Prices rose. Demand from China grew. China bought more. "
        "Chinese mills were busy. Imports into China doubled."
    )
    assert "CN" in salient_countries(text)
