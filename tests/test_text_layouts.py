"""Text seeds laid out as real sites lay them out: the headline, date, byline and body come out.

Pages saved as text carry menus before the headline, bylines and datelines around it, teaser
lists and footers after the story. Each layout here is one a user meets; the reading is the
learned model's (src/explainer/data/text_model.json), so these check what it does, not a rule.
"""

from __future__ import annotations

import json

import pytest

from explainer.cli import main
from explainer.ingest.text_seed import parse_text_seed

MENU = [
    "Skip to main content", "Home", "World", "Business", "Markets", "Technology", "Sport",
    "Opinion", "Video", "Podcasts", "Subscribe", "Sign in", "Search",
]  # fmt: skip
STORY = [
    "Congo extended its cobalt export quota on Monday, the mines ministry said in a statement, "
    "keeping prices high for a third month as traders scrambled for supply.",
    "The quota, first imposed in February, limits shipments of the metal used in electric-car "
    "batteries to about 96,000 tonnes a year, roughly half of last year's exports.",
    "Traders in London said the move had been expected and that buyers in China had built up "
    "stocks ahead of the decision, which would soften its effect on the market.",
    "Refiners in Finland and Belgium said they had enough metal for the first quarter but "
    "warned that a longer freeze would force them to cut output by the summer.",
    "The ministry said it would review the quota in June, when it expects new mines in the "
    "south of the country to begin production.",
]
TEASERS = [
    "More from Markets", "Lithium prices hit record high in Chile",
    "Copper miners strike in Peru as talks stall", "Nickel output slumps in Indonesia",
    "Most read", "Gold rallies on rate-cut bets", "Contact us", "Privacy policy",
    "Terms of use", "© 2026 Mining Daily. All rights reserved.",
]  # fmt: skip
HEADLINE = "Congo extends cobalt export quota for a third month"


def page(*parts: list[str] | str) -> str:
    lines: list[str] = []
    for part in parts:
        lines.extend([part] if isinstance(part, str) else part)
    return "\n\n".join(lines) + "\n"


def read(text: str):
    return parse_text_seed(text, path="x.txt", source="x.txt")


def paragraphs(seed) -> list[str]:
    return [p.replace("\\", "") for p in seed.body.split("\n\n")]


def test_menu_before_the_headline_and_teasers_after_the_story():
    seed = read(page(MENU, HEADLINE, "By Jane Smith", "March 3, 2026", STORY, TEASERS))
    assert seed.title == HEADLINE
    assert seed.date.date().isoformat() == "2026-03-03"
    body = paragraphs(seed)
    assert body[0] == STORY[0] and body[-1] == STORY[-1]
    assert len(body) == len(STORY)


def test_the_byline_gives_the_author_and_stays_out_of_the_body():
    seed = read(page(MENU, HEADLINE, "By Jane Smith and John Doe", "3 March 2026", STORY))
    assert seed.meta["author"] == "Jane Smith and John Doe"
    assert "Jane Smith" not in seed.body


def test_a_headline_repeated_in_a_breadcrumb_is_the_headline_once():
    seed = read(page(MENU, f"Home > Markets > {HEADLINE}", HEADLINE, "2026-03-03", STORY))
    assert seed.title == HEADLINE
    assert HEADLINE not in seed.body
    assert "Home" not in seed.body


MOST_READ = [
    "Most read", "Gold rallies on rate-cut bets", "Nickel output slumps in Indonesia",
    "Copper miners strike in Peru as talks stall",
]  # fmt: skip


def test_the_pages_title_line_tells_the_headline_from_the_teasers_above_it():
    # A crawler's text opens with the page's <title>; here a list of teaser headlines stands
    # just above the story's own, with no byline or date to tell them apart.
    teasers_above = page(MENU, MOST_READ, HEADLINE, STORY, TEASERS)
    seed = read(page(f"{HEADLINE} | Mining Daily", teasers_above))
    assert seed.title == HEADLINE  # the line the title repeats, without the site's name
    assert HEADLINE not in seed.body
    assert paragraphs(seed)[0] == STORY[0]


BLOG_MENU = ["Home", "About", "Archive", "Contact"]
BLOG_FOOTER = ["Leave a comment", "Name", "Email", "Website", "Post comment",
               "Proudly powered by WordPress"]  # fmt: skip


@pytest.mark.parametrize(
    ("post", "blog"),
    [
        (HEADLINE, "Notes from the Smelter"),
        ("Cobalt, again", "Notes from the Smelter and the Mine, a Metals Blog"),
    ],
)
def test_a_blogs_name_in_its_masthead_is_not_the_posts_headline(post, blog):
    # "Post | Blog": the <title> line names both; the blog's name also stands in the masthead
    # and the footer, the post's title just above the post, however short it is.
    seed = read(
        page(f"{post} | {blog}", blog, BLOG_MENU, post, "March 3, 2026", STORY, BLOG_FOOTER,
             blog)
    )  # fmt: skip
    assert seed.title == post
    assert seed.date.date().isoformat() == "2026-03-03"
    assert paragraphs(seed)[0] == STORY[0]


@pytest.mark.parametrize(
    ("title_line", "masthead", "title"),
    [
        (f"{HEADLINE} | Mining Daily", "Mining Daily", HEADLINE),
        (f"{HEADLINE} - miningdaily.com", "Sign in", HEADLINE),
        # not known to be the site's name: the whole line is the headline
        (f"Cobalt 2026 – {HEADLINE}", "Mining Daily", f"Cobalt 2026 – {HEADLINE}"),
    ],
)
def test_a_headline_only_the_title_line_gives_loses_the_sites_name(title_line, masthead, title):
    # No line of the page repeats the headline (the page's own heading was an image): the
    # <title> line is the headline, less the site's name where the page shows it is one.
    seed = read(page(title_line, masthead, MENU, "By Jane Smith", "March 3, 2026", STORY, TEASERS))
    assert seed.title == title
    assert paragraphs(seed) == STORY


REGIONS = ["Africa", "Asia", "Europe", "Latin America", "Middle East", "North America", "Oceania"]
DESKS = ["Markets", "Mining", "Energy", "Policy", "Trade", "Companies", "Technology", "Opinion",
         "Data", "Events"]  # fmt: skip
MEGA_MENU = [f"{region} {desk}" for region in REGIONS for desk in DESKS]


@pytest.mark.parametrize(
    ("title_line", "masthead"),
    [(f"{HEADLINE} | Mining Daily", "Mining Daily"), (f"{HEADLINE} - miningdaily.com", "Sign in")],
)
def test_the_title_line_names_the_headline_however_far_above_the_story_it_stands(
    title_line, masthead
):
    # A mega-menu of 70 links between the <title> line and a story whose heading was an image:
    # the title line is still a candidate when the headline is looked for again near the body.
    seed = read(
        page(title_line, masthead, MENU, MEGA_MENU, "By Jane Smith", "March 3, 2026", STORY,
             TEASERS)
    )  # fmt: skip
    assert seed.title == HEADLINE
    assert paragraphs(seed) == STORY


def test_a_section_label_above_the_headline_is_not_the_headline_the_title_names():
    seed = read(
        page(f"{HEADLINE} | Mining Daily", MENU, "Markets", "Metals & Mining", HEADLINE,
             "By Jane Smith", STORY, TEASERS)
    )  # fmt: skip
    assert seed.title == HEADLINE
    assert paragraphs(seed) == STORY


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("Nov. 19, 2019 5:31 PM ET", "2019-11-19"),
        ("Published 3 March 2026", "2026-03-03"),
        ("2019-11-19", "2019-11-19"),
        ("Updated: 19 November 2019 10:32 GMT", "2019-11-19"),
        ("Tuesday, 5 May 2020", "2020-05-05"),
    ],
)
def test_datelines_in_english(line, day):
    seed = read(page(MENU, HEADLINE, line, STORY, TEASERS))
    assert seed.date.date().isoformat() == day
    assert line not in seed.body


GERMAN = [
    "Die Demokratische Republik Kongo hat am Montag ihre Exportquote für Kobalt verlängert, "
    "wie das Bergbauministerium in einer Erklärung mitteilte.",
    "Die Quote, die im Februar eingeführt wurde, begrenzt die Ausfuhren des Metalls, das in den "
    "Batterien von Elektroautos verwendet wird, auf etwa die Hälfte des Vorjahres.",
    "Händler in London sagten, dass der Schritt erwartet worden sei und dass Käufer in China "
    "schon vor der Entscheidung ihre Lager aufgefüllt hätten.",
    "Raffinerien in Finnland und Belgien erklärten, sie hätten genug Metall für das erste "
    "Quartal, warnten aber vor einer Kürzung der Produktion im Sommer.",
]
POLISH = [
    "Demokratyczna Republika Konga przedłużyła w poniedziałek kwotę eksportową kobaltu, "
    "poinformowało ministerstwo górnictwa w oświadczeniu.",
    "Kwota wprowadzona w lutym ogranicza wywóz metalu używanego w bateriach samochodów "
    "elektrycznych do około połowy ubiegłorocznego eksportu.",
    "Handlowcy w Londynie powiedzieli, że decyzja była oczekiwana, a kupcy w Chinach już "
    "wcześniej zgromadzili zapasy tego metalu.",
    "Rafinerie w Finlandii i Belgii oświadczyły, że mają wystarczająco dużo metalu na pierwszy "
    "kwartał, ale ostrzegły przed cięciem produkcji latem.",
]
GERMAN_MENU = ["Zum Inhalt springen", "Startseite", "Politik", "Wirtschaft", "Sport", "Kultur",
               "Wissen", "Anmelden", "Suche", "Newsletter", "Abo"]  # fmt: skip
POLISH_MENU = ["Przejdź do treści", "Strona główna", "Polityka", "Gospodarka", "Sport",
               "Kultura", "Nauka", "Zaloguj się", "Szukaj", "Prenumerata"]  # fmt: skip


@pytest.mark.parametrize(
    ("menu", "headline", "line", "story", "day"),
    [
        (GERMAN_MENU, "Kongo verlängert Exportquote für Kobalt", "3. März 2026", GERMAN,
         "2026-03-03"),
        (GERMAN_MENU, "Kongo verlängert Exportquote für Kobalt", "Veröffentlicht am 03.03.2026",
         GERMAN, "2026-03-03"),
        (POLISH_MENU, "Kongo przedłuża kwotę eksportową kobaltu", "19 listopada 2019", POLISH,
         "2019-11-19"),
        (POLISH_MENU, "Kongo przedłuża kwotę eksportową kobaltu", "pon., 12 gru 2022 10:15",
         POLISH, "2022-12-12"),
    ],
)  # fmt: skip
def test_pages_in_german_and_polish(menu, headline, line, story, day):
    seed = read(page(menu, headline, line, story))
    assert seed.title == headline
    assert seed.date.date().isoformat() == day
    assert paragraphs(seed) == story


def test_tags_and_summary_come_from_the_body_not_the_menu(tmp_path, capsys):
    countries_menu = ["Russia", "Brazil", "India", "Australia", "Canada", "Mexico"]
    path = tmp_path / "page.txt"
    path.write_text(page(MENU, countries_menu, HEADLINE, "March 3, 2026", STORY, TEASERS))
    assert main(["extract", "--json", str(path)]) == 0
    record = json.loads(capsys.readouterr().out)
    names = {c["name"] for c in record["countries"]}
    assert {"China", "Finland", "Belgium"} <= names
    assert not names & {"Russia", "Brazil", "India", "Australia", "Canada", "Mexico", "Peru"}
    assert record["summary"].startswith("Congo extended its cobalt export quota")
    assert record["title"] == HEADLINE and record["date"] == "2026-03-03"


NEWSLETTER_BOX = [
    "Newsletter", "Get the week's mining news in your inbox", "Email address", "Sign up",
    "Advertisement", "Read more", "Lithium prices hit record high in Chile",
    "Copper miners strike in Peru as talks stall", "Nickel output slumps in Indonesia",
    "Gold rallies on rate-cut bets", "Share this article", "Facebook", "Twitter", "LinkedIn",
]  # fmt: skip
STORY_GOES_ON = [
    "Analysts at two Johannesburg banks said the quota would keep cobalt above last year's "
    "average until at least the end of the year, even if demand from battery makers slowed.",
    "Mining companies operating in Katanga province said they would comply with the quota but "
    "asked the government to publish the allocation rules before the next shipment round.",
    "A spokesman for the largest producer said its own output plans for the year were "
    "unchanged and that it had stockpiled metal at its mine sites in the south.",
]


def test_a_story_cut_in_two_by_a_newsletter_box_keeps_both_halves_and_drops_the_box():
    seed = read(
        page(MENU, HEADLINE, "March 3, 2026", STORY, NEWSLETTER_BOX, STORY_GOES_ON, TEASERS)
    )
    assert paragraphs(seed) == STORY + STORY_GOES_ON


def test_the_shipped_model_weighs_the_features_the_reader_computes():
    """The model file (both headline passes included) and the code agree feature by feature:
    a feature added in code without retraining would silently shift every weight."""
    from explainer.ingest.text_model import check_features, default_model

    check_features()
    assert default_model().headline_again is not None  # the second headline pass is shipped
    assert default_model().edges is not None  # and the last look at the body's edges


# A crawler's get_text("\n") puts each link of a paragraph on a line of its own: the paragraph
# is one block of lines, its link lines too short to read as prose on their own.
LEAD_CUT_AT_LINKS = (
    "Congo\nextended its cobalt export quota on Monday, the\nmines ministry\nsaid in a statement, "
    "keeping prices high for a third month as traders scrambled for supply."
)


def test_a_paragraph_cut_into_lines_at_its_links_comes_out_whole():
    seed = read(page(MENU, HEADLINE, "March 3, 2026", LEAD_CUT_AT_LINKS, STORY[1:], TEASERS))
    assert paragraphs(seed) == STORY
