"""Page furniture, one kind at a time: it goes, and real paragraphs that look like it stay."""

from __future__ import annotations

import pytest

from explainer.ingest.furniture import furniture_kind, is_list_heading
from explainer.ingest.text_seed import parse_text_seed

FURNITURE = [
    ("share", "Share this article"),
    ("share", "Share on: Twitter Facebook LinkedIn"),
    ("subscribe", "Sign up for our daily newsletter to get mining news in your inbox"),
    ("subscribe", "CLICK HERE TO GET THE FOX NEWS APP"),
    ("subscribe", "Download the Mining Weekly app for iOS and Android"),
    ("advertisement", "Advertisement"),
    ("advertisement", "ADVERTISEMENT - SCROLL TO CONTINUE WITH CONTENT"),
    ("advertisement", "Story continues below advertisement"),
    ("related", "Read more: Copper miners brace for a long strike at Escondida"),
    ("related", "Related: Why lithium prices crashed"),
    ("related", "SEE ALSO: Cobalt miners cut output"),
    ("related", "More AP NBA: https://apnews.com/NBA and https://twitter.com/AP_Sports"),
    ("related", "Leggi anche"),
    ("copyright", "© 2026 Mining Weekly. All rights reserved."),
    ("copyright", "Copyright 2019 The Associated Press. All rights reserved."),
    ("copyright", "Copyright ⓒ Entermedia.co.kr. 무단전재 및 재배포 금지"),
    ("cookies", "We use cookies to improve your experience on our site."),
    ("cookies", "By continuing to use this site you agree to our cookie policy."),
    ("comments", "12 Comments"),
    ("comments", "Leave a comment"),
    ("photo credit", "Photo: John Doe / Reuters"),
    ("photo credit", "(Photo by Jane Roe/Getty Images)"),
    ("photo credit", "Image credit: Future plc"),
    ("credit line", "Reporting by Jane Smith; Editing by John Doe"),
    ("credit line", "(Additional reporting by Li Wei in Beijing)"),
    ("byline", "By Jane Smith"),
    ("byline", "By JANE SMITH and JOHN DOE, Associated Press"),
    ("byline", "By Jane Smith | Nov. 19, 2019"),
    ("contact", "Follow Jane Smith on Twitter: @janesmith"),
    ("contact", "Reach the reporters on Twitter at http://twitter.com/example"),
    ("dateline", "Published: 3 March 2026"),
    ("dateline", "Updated 19 November 2019 10:32 GMT"),
    ("dateline", "기사입력 :[ 2018-09-28 17:32 ]"),
    ("bare link", "https://www.example.com/news/article-123.html"),
]

ARTICLE_TEXT = [
    "Share prices of miners rose 3% after the announcement.",
    "More than a third of the company's 12,000 employees will lose their jobs.",
    "By Monday, the company had agreed to sell the mine.",
    "By Christmas, sales of electric cars had doubled in Norway.",
    "Copyright law in the European Union changed in 2019, the court said.",
    "Contact tracing has been expanded, officials said on Twitter.",
    "Research by Oxford University found that lithium demand will triple.",
    "Written by a former judge, the report says the mine broke the law.",
    "Follow-up questions went unanswered.",
    "Related to this, the ministry announced a cobalt export quota on Tuesday.",
    "Photographs taken by the satellite showed the tailings dam had collapsed.",
    "Advertisements for the new mine promised 2,000 jobs.",
    "Comments by the minister angered the unions, who called a strike.",
    "10 p.m.",
    "The company said the cookies it sells in China would not be affected by the tariffs.",
    "We use cookies, the baker joked, but not the kind that track you.",
]


@pytest.mark.parametrize(("kind", "line"), FURNITURE)
def test_furniture_is_recognised(kind, line):
    assert furniture_kind(line) == kind


@pytest.mark.parametrize("line", ARTICLE_TEXT)
def test_article_text_is_not_furniture(line):
    assert furniture_kind(line) is None


def test_long_paragraphs_are_never_furniture():
    paragraph = "Read more: " + "the company said output would rise again next year " * 8
    assert furniture_kind(paragraph) is None


def test_list_headings():
    assert is_list_heading("Related articles")
    assert is_list_heading("Read more:")
    assert not is_list_heading("Related to this, the ministry spoke.")


TEXT_SEED = """Home > Markets > Cobalt quota extended
Advertisement
Cobalt quota extended
By Jane Smith, Mining Reporter
Updated: 3 March 2026
Share this article

Congo extended its cobalt export quota on Monday, the ministry said,
Advertisement
keeping prices high for a third month.

Photo: John Doe / Reuters

Traders said the move was expected.

Related
Lithium prices hit record high in Chile
Copper miners strike in Peru

We use cookies to improve your experience. By continuing to use this site you accept our cookie
policy.

Share prices of miners rose 3% after the announcement.

By Monday, the company had agreed to sell.

(Reporting by Jane Smith; Editing by John Doe)

© 2026 Mining Weekly. All rights reserved.
Subscribe to our daily newsletter
"""


def test_text_seed_from_another_site_loses_every_kind_of_furniture():
    seed = parse_text_seed(TEXT_SEED, path="x.txt", source="x.txt")
    assert seed.title == "Cobalt quota extended"
    assert seed.date.date().isoformat() == "2026-03-03"
    assert seed.body.split("\n\n") == [
        "Congo extended its cobalt export quota on Monday, the ministry said, keeping prices high "
        "for a third month.",
        "Traders said the move was expected.",
        "Share prices of miners rose 3% after the announcement.",
        "By Monday, the company had agreed to sell.",
    ]


def test_hard_wrapped_lines_that_look_like_furniture_stay_in_their_paragraph():
    seed = parse_text_seed(
        "PROFIT UP\n\nThe company earned 1.50 dlrs per\nshare.\n    It was advised\nby Citicorp.\n",
        path="x.txt",
        source="x.txt",
    )
    assert seed.body.split("\n\n") == [
        "The company earned 1.50 dlrs per share.",
        "It was advised by Citicorp.",
    ]
