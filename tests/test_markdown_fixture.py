"""A Markdown article dropped into content/ gets the same enrichment at build time."""

from __future__ import annotations

import shutil

import pytest
from support.built_pages import links_to, page, soup
from support.project import build, copy_project

pytestmark = pytest.mark.slow  # builds a whole site or runs a server


def test_untagged_markdown_gets_summary_and_topic_pages(tmp_path):
    root = copy_project(tmp_path / "site", with_content=False)
    shutil.rmtree(root / "seeds")
    articles = root / "content" / "articles"
    articles.mkdir(parents=True)
    (articles / "cobalt.md").write_text(
        "Title: Congo tightens cobalt exports\nDate: 2026-02-01\n\n"
        "The Democratic Republic of Congo extended its cobalt export quota on Monday, "
        "squeezing supply for battery makers in China and South Korea.\n\n"
        "Analysts said prices could rise further.\n",
        encoding="utf-8",
    )
    (articles / "authored.md").write_text(
        "Title: Author knows best\nDate: 2026-02-02\nSummary: Written by the author.\n"
        "Countries: Chile, PE\nMinerals: copper\n\n"
        "Zambia and Indonesia are mentioned in the text but the author chose otherwise.\n",
        encoding="utf-8",
    )
    (root / "content" / "topics" / "countries").mkdir(parents=True)
    (root / "content" / "topics" / "countries" / "chile.md").write_text(
        "Title: Chile\n\nChile is the world's largest copper producer.\n", encoding="utf-8"
    )
    output = build(root)

    article = "articles/congo-tightens-cobalt-exports/"
    for topic in (
        "countries/dr-congo/",
        "countries/china/",
        "countries/south-korea/",
        "minerals/cobalt/",
    ):
        assert links_to(output, output / topic / "index.html", article), topic
    standfirst = page(output, article).get_text(" ")
    assert "extended its cobalt export quota" in standfirst

    authored = "articles/author-knows-best/"
    html = soup(output / authored / "index.html")
    assert "Written by the author." in html.get_text(" ")
    for topic in ("countries/chile/", "countries/peru/", "minerals/copper/"):
        assert links_to(output, output / topic / "index.html", authored), topic
    assert not (output / "countries" / "zambia").exists()
    assert not (output / "countries" / "indonesia").exists()
    assert "largest copper producer" in page(output, "countries/chile/").get_text(" ")
