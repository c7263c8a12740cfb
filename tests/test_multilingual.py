"""Articles in French, Spanish, Portuguese and German: their language, their countries and
minerals, their summary; country names the article has to settle ("Congo"); organisations."""

from __future__ import annotations

import importlib.util
import sys

import pytest
from support.built_pages import page
from support.project import REPO, build, copy_project

from explainer.enrich.enrichment import enrich
from explainer.enrich.language import detect_language
from explainer.enrich.tagging import tag_text
from explainer.text.sentences import split_sentences


def _load_eval():
    path = REPO / "eval" / "multilingual_tags.py"
    spec = importlib.util.spec_from_file_location("multilingual_tags", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def labelled():
    evaluation = _load_eval()
    return evaluation.measure(evaluation.load_articles())


@pytest.mark.parametrize("lang", ["fr", "es", "pt", "de"])
@pytest.mark.parametrize("split", ["all", "aside"])
def test_multilingual_floors(labelled, lang, split):
    """Floors below what eval/multilingual_tags.py measures (README: figures per language)."""
    group = labelled["groups"][f"{lang}/{split}"]
    for kind in ("countries", "minerals"):
        assert group[kind]["precision"] >= 0.85, (kind, group)
        assert group[kind]["recall"] >= 0.80, (kind, group)
    assert group["language_detected"] >= 0.9, group
    assert group["summary_in_own_text"] == 1.0, group


FRENCH = (
    "La République démocratique du Congo a prolongé de trois mois son quota d'exportation de "
    "cobalt, a annoncé l'autorité de régulation ARECOMS à Kinshasa. Les producteurs miniers "
    "devront limiter leurs expéditions de cobalt et de cuivre. Les prix du cobalt ont "
    "progressé sur le marché après l'annonce."
)


def test_a_french_article_is_french_with_a_french_summary_and_tags():
    found = enrich("Kinshasa prolonge le quota de cobalt", FRENCH)
    assert found.lang == "fr"
    assert found.summary.startswith("La République démocratique du Congo a prolongé")
    assert found.summary in FRENCH  # nothing translated or cut mid-sentence
    assert {c.code for c in found.tags.countries} == {"CD"}
    assert {"cobalt", "copper"} <= {m.slug for m in found.tags.minerals}
    assert "ARECOMS" in found.tags.organisations


def test_a_declared_language_wins():
    assert enrich("Titre", FRENCH, lang="fr-CD").lang == "fr-CD"


def test_too_little_text_has_no_language():
    assert detect_language("GOLD UP 2 DLRS") is None
    assert detect_language(FRENCH) == "fr"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Am 3. März stieg der Kupferpreis. Die Hütten meldeten Rekorde.", "de", 2),
        ("La mina cerró. ¿Volverá a abrir? Nadie lo sabe.", "es", 3),
        ("Le prix a baissé. À Kinshasa, le marché attend.", "fr", 2),
        ("Elle vend à M. Dupont. Il achète.", "fr", 2),
    ],
)
def test_sentences_in_other_languages(text, lang, expected):
    assert len(split_sentences(text, lang)) == expected


# --- country names the article settles --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("Congo extended its cobalt export quota, officials in Kinshasa said.", {"CD"}, {"CG"}),
        ("Congo raised cobalt royalties.", {"CD"}, {"CG"}),
        ("Congo said oil output rose, officials in Brazzaville said.", {"CG"}, {"CD"}),
        ("The Republic of the Congo exports oil from Pointe-Noire.", {"CG"}, {"CD"}),
        ("La République démocratique du Congo exporte du cobalt.", {"CD"}, {"CG"}),
        ("La República Democrática del Congo exporta cobalto.", {"CD"}, {"CG"}),
        ("A República Democrática do Congo exporta cobalto.", {"CD"}, {"CG"}),
        ("Die Demokratische Republik Kongo exportiert Kobalt.", {"CD"}, {"CG"}),
        ("Guinea exports bauxite from Conakry.", {"GN"}, {"GQ", "GW"}),
        ("Equatorial Guinea said Guinea would export oil from Malabo.", {"GQ"}, {"GN"}),
        ("Korea exports steel.", {"KR"}, {"KP"}),
        ("North Korea said Korea would test a missile from Pyongyang.", {"KP"}, {"KR"}),
        ("Niger exports uranium; Nigeria exports oil.", {"NE", "NG"}, set()),
        ("Turkey prices rose before Thanksgiving as poultry farms culled birds.", set(), {"TR"}),
        ("Turkey raised tariffs on steel imports, officials in Ankara said.", {"TR"}, set()),
        ("Chad Smith, an analyst, said gold rose.", set(), {"TD"}),
        ("Chad exports oil through Cameroon.", {"TD", "CM"}, set()),
        ("Basketball star Michael Jordan bought a stake.", set(), {"JO"}),
        ("Jordan exports phosphate and potash from its mines.", {"JO"}, set()),
        ("Taiwan, Province of China is how ISO names it.", {"TW"}, {"CN"}),
    ],
)
def test_ambiguous_country_names(text, present, absent):
    found = {c.code for c in tag_text("", text).countries}
    assert present <= found, found
    assert not (absent & found), found


def test_other_languages_forms_count_only_in_their_language():
    english = "The chef served china plates and Chili con carne at the Granada hotel, said Maurice."
    assert {c.code for c in tag_text("", english, lang="en").countries} == set()
    french = "Le Chili et le Pérou produisent du cuivre."
    assert {"CL", "PE"} <= {c.code for c in tag_text("", french, lang="fr").countries}


def test_german_compounds_name_their_mineral():
    text = (
        "Der Kupferpreis an der Londoner Metallbörse stieg. Die Bergbauunternehmen melden "
        "Rekorde, und die Nickelhütten in Indonesien bleiben ausgelastet."
    )
    minerals = {m.slug for m in tag_text("Kupfer und Nickel", text, lang="de").minerals}
    assert {"copper", "nickel"} <= minerals
    assert "lead" not in minerals  # "bleiben" is no Blei


# --- organisations --------------------------------------------------------------------


def test_mining_companies_and_regulators_are_known():
    text = (
        "Glencore and Chinese miner CMOC cut cobalt output, Codelco raised copper prices and "
        "the cobalt regulator ARECOMS extended the quota, while Gecamines stayed silent."
    )
    orgs = tag_text("", text).organisations
    assert {"Glencore", "CMOC", "Codelco", "ARECOMS", "Gécamines"} <= set(orgs)


@pytest.mark.parametrize(
    ("text", "org"),
    [
        ("Shares of Jervois Mining Ltd fell 4 pct.", "Jervois Mining Ltd"),
        ("Kamoto Copper Company SA raised output.", "Kamoto Copper Company SA"),
        ("The state miner Sodimico said output rose.", "Sodimico"),
        ("The Ministry of Mines in Lusaka approved the licence.", "Ministry of Mines"),
        ("La minera Albemarla Chile pidió permisos.", "Albemarla Chile"),
    ],
)
def test_organisations_the_text_makes_plain(text, org):
    assert org in tag_text("", text).organisations


def test_a_capitalised_word_alone_is_no_organisation():
    assert tag_text("", "Officials in Chile said copper output rose.").organisations == []


def test_coal_fired_power_is_not_a_coal_story():
    text = (
        "The utility said demand for electricity rose 3 pct last year and it would close two "
        "coal-fired power stations by 2030, replacing them with wind farms and gas turbines."
    )
    assert "coal" not in {m.slug for m in tag_text("Utility demand rises", text).minerals}


def test_a_metal_in_the_headline_of_a_metals_story_counts():
    text = "Producers agreed to extend the pact for two years, delegates said. Mine output fell."
    assert "tin" in {m.slug for m in tag_text("TIN PACT EXTENSION AGREED", text).minerals}


# --- the built site -------------------------------------------------------------------


@pytest.mark.slow
def test_a_french_article_page_says_lang_fr(tmp_path):
    root = copy_project(tmp_path / "site")
    article = root / "content" / "articles" / "cobalt-rdc.md"
    article.write_text(
        "Title: Kinshasa prolonge le quota de cobalt\nDate: 2026-02-03\nSlug: cobalt-rdc\n\n"
        f"{FRENCH}\n",
        encoding="utf-8",
    )
    (root / "seeds" / "cuivre-chili.txt").write_text(
        "Le Chili augmente sa production de cuivre\n2 février 2026\n\n"
        "Le Chili a augmenté sa production de cuivre de 3 % au premier trimestre, selon la "
        "commission chilienne du cuivre. Les mines du désert d'Atacama ont retrouvé leur "
        "rythme après les grèves. Le prix du cuivre reste élevé grâce à la demande de la "
        "Chine.\n",
        encoding="utf-8",
    )
    output = build(root)
    ingested = (root / "content" / "articles").glob("*.md")
    header = next(p for p in ingested if "chili" in p.name).read_text(encoding="utf-8")
    assert "\nLang: fr\n" in header
    french = page(output, "articles/cobalt-rdc/")
    assert french.find("html")["lang"] == "fr"
    summary = french.find("meta", attrs={"name": "description"})
    assert summary is not None and "République démocratique du Congo" in summary["content"]
    # a French article is an article like any other: on the index, its country's page,
    # with no translation links or language-prefixed URLs
    index_links = {a["href"].strip("./") for a in page(output, "").find_all("a", href=True)}
    assert "articles/cobalt-rdc" in index_links
    country = page(output, "countries/dr-congo/")
    assert country.find("a", href=lambda h: h and "articles/cobalt-rdc" in h)
    assert not (output / "countries" / "republic-of-the-congo").exists()
    assert not list(output.glob("**/cobalt-rdc-fr*"))
    english = page(output, "")
    assert english.find("html")["lang"] == "en"
